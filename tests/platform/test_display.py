import subprocess
import sys

from timecrowd_tray.platform.display import missing_display_message


def test_linux_without_any_display_gets_a_message():
    assert "DISPLAY" in missing_display_message({}, "linux")


def test_a_display_or_an_explicit_platform_is_enough():
    assert missing_display_message({"DISPLAY": ":0"}, "linux") is None
    assert missing_display_message({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert missing_display_message({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert missing_display_message({}, "win32") is None and missing_display_message({}, "darwin") is None


def test_the_app_says_so_instead_of_aborting(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "c")}
    done = subprocess.run([sys.executable, "-m", "timecrowd_tray", "--demo"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "no graphical session" in done.stderr and "Aborted" not in done.stderr
