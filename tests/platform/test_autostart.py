"""Start at login: the XDG entry written and removed for real; Windows and macOS by their pure parts."""

from __future__ import annotations

import plistlib
import shlex
import sys
from pathlib import Path

import pytest

from timecrowd_tray.platform import autostart
from timecrowd_tray.platform.autostart import (
    AutostartError,
    launcher_argv,
    macos as mac_autostart,
    windows as win_autostart,
    xdg,
)


@pytest.fixture
def config_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def _keys(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG autostart is for Linux/BSD desktops")
def test_apply_autostart_writes_and_removes_the_xdg_entry(config_home):
    entry = config_home / "autostart" / "timecrowd-tray.desktop"
    assert autostart.autostart_backend().location == str(entry)
    assert not autostart.is_enabled()

    autostart.apply_autostart(True)
    assert entry.is_file()
    assert autostart.is_enabled()
    keys = _keys(entry)
    assert keys["Type"] == "Application"
    assert keys["Name"] == "TimeCrowd Tray"
    assert keys["X-GNOME-Autostart-enabled"] == "true"
    assert keys["Terminal"] == "false"
    assert shlex.split(keys["Exec"]) == launcher_argv()

    autostart.apply_autostart(True)  # idempotent
    assert autostart.is_enabled()
    autostart.apply_autostart(False)
    assert not entry.exists()
    assert not autostart.is_enabled()
    autostart.apply_autostart(False)  # removing nothing is fine


def test_an_entry_the_user_disabled_counts_as_off(config_home):
    backend = xdg.XdgAutostart(argv=["/usr/bin/timecrowd-tray"])
    backend.set_enabled(True)
    text = backend.path.read_text().replace("X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false")
    backend.path.write_text(text)
    assert not backend.is_enabled()
    backend.path.write_text(text.replace("X-GNOME-Autostart-enabled=false", "Hidden=true"))
    assert not backend.is_enabled()


def test_an_unwritable_location_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    backend = xdg.XdgAutostart(directory=blocker / "autostart", argv=["x"])
    with pytest.raises(AutostartError, match="cannot write the autostart entry"):
        backend.set_enabled(True)


def test_exec_quoting_follows_the_desktop_entry_spec():
    assert xdg.exec_line(["/usr/bin/timecrowd-tray"]) == "/usr/bin/timecrowd-tray"
    assert xdg.exec_line(["/home/a b/.venv/bin/python", "-m", "timecrowd_tray"]) == \
        '"/home/a b/.venv/bin/python" -m timecrowd_tray'
    # a literal % doubles; $ and " are backslash-escaped inside quotes, and that backslash is escaped again
    assert xdg.exec_line(["/opt/100%/x"]) == "/opt/100%%/x"
    assert xdg.exec_line(['/opt/$HOME "q"/x']) == '"/opt/\\\\$HOME \\\\"q\\\\"/x"'


def test_the_launcher_is_the_installed_command_or_python_dash_m(tmp_path):
    script = tmp_path / "bin" / "timecrowd-tray"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    python = tmp_path / "bin" / "python"
    python.write_text("")
    # started through the launcher
    assert launcher_argv(str(script), str(python)) == [str(script.resolve())]
    # started otherwise, but a launcher sits next to the interpreter (a virtualenv)
    assert launcher_argv("/somewhere/pytest", str(python)) == [str(script)]
    # no launcher anywhere: python -m, with the interpreter path kept as is (not resolved)
    script.unlink()
    assert launcher_argv("/somewhere/pytest", str(python)) == [str(python), "-m", "timecrowd_tray"]


def test_windows_run_value():
    key, name, data = win_autostart.run_value([r"C:\Users\A B\venv\Scripts\pythonw.exe", "-m", "timecrowd_tray"])
    assert key == r"Software\Microsoft\Windows\CurrentVersion\Run"
    assert name == "TimeCrowd Tray"
    assert data == r'"C:\Users\A B\venv\Scripts\pythonw.exe" -m timecrowd_tray'
    assert win_autostart.run_value([r"C:\Tools\timecrowd-tray.exe"])[2] == r"C:\Tools\timecrowd-tray.exe"


def test_windows_prefers_pythonw(tmp_path):
    python = tmp_path / "python.exe"
    python.write_text("")
    assert win_autostart.windowless([str(python), "-m", "x"]) == [str(python), "-m", "x"]
    (tmp_path / "pythonw.exe").write_text("")
    assert win_autostart.windowless([str(python), "-m", "x"]) == [str(tmp_path / "pythonw.exe"), "-m", "x"]


def test_macos_launch_agent_contents(tmp_path):
    path, contents = mac_autostart.launch_agent(tmp_path, ["/Applications/TimeCrowd Tray.app/Contents/MacOS/tct"])
    assert path == tmp_path / "Library" / "LaunchAgents" / "net.timecrowd.tray.plist"
    assert contents["Label"] == "net.timecrowd.tray"
    assert contents["ProgramArguments"] == ["/Applications/TimeCrowd Tray.app/Contents/MacOS/tct"]
    assert contents["RunAtLoad"] is True
    assert contents["KeepAlive"] is False
    plistlib.loads(plistlib.dumps(contents))  # a valid plist


def test_macos_launch_agent_file_round_trip(tmp_path):
    # plistlib and the file system work everywhere: the macOS backend is exercised for real here.
    agent = mac_autostart.LaunchAgent(home=tmp_path, argv=["/usr/local/bin/timecrowd-tray"])
    assert not agent.is_enabled()
    agent.set_enabled(True)
    assert agent.is_enabled()
    with open(agent.path, "rb") as fh:
        assert plistlib.load(fh)["ProgramArguments"] == ["/usr/local/bin/timecrowd-tray"]
    agent.set_enabled(False)
    assert not agent.path.exists()


def test_backend_choice_per_platform():
    assert autostart.autostart_backend("linux").name == "xdg"
    assert autostart.autostart_backend("darwin").name == "macos"
    assert autostart.autostart_backend("win32").name == "windows"
