"""Smoke-test the built bundle: it starts in demo mode on a virtual screen and its icon docks.

    .venv/bin/python packaging/smoke_test.py [--binary dist/timecrowd-tray/timecrowd-tray]

Steps: start Xvfb and the trayer tray host (``tests/support/virtual_screen.py``,
the end-to-end tests' own helper), run ``<binary> --demo`` there with a
throw-away HOME and no session bus (so Qt docks through XEmbed into trayer, not
through a StatusNotifierItem on the developer's own desktop), then wait,
bounded and on conditions, until

1. the demo emulator inside the bundle answers (its URL is printed: proves
   uvicorn and Starlette made it into the bundle),
2. the tray icon's own X window exists and is viewable
   (``xdotool search --onlyvisible --classname timecrowd-tray``),
3. the process is still alive a moment later, and
4. a right-click on the icon opens its context menu (Qt Widgets, style and
   fonts work in the bundle).

Then it takes a screenshot (artifacts/bundle-smoke.png), stops everything and
prints one line starting ``bundle-smoke: PASS`` or ``bundle-smoke: FAIL``;
exit status 0 or 1. The app's output is kept in artifacts/bundle-smoke.log.
``--binary`` also takes a pipx or uv installed ``timecrowd-tray``.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.virtual_screen import VirtualScreen, WaitTimeout, missing_tools, wait_for  # noqa: E402

EMULATOR_LINE = re.compile(r"Emulator: (http://127\.0\.0\.1:\d+)")
CLASSNAME = "timecrowd-tray"  # Qt's WM_CLASS instance name: the executable's name


class SmokeFailure(Exception):
    pass


def say(message: str) -> None:
    print(f"bundle-smoke: {message}", flush=True)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)
    except ProcessLookupError:
        pass


def app_env(screen: VirtualScreen, tmp: Path) -> dict[str, str]:
    env = screen.env()
    env["XDG_SESSION_TYPE"] = "x11"
    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state"), ("XDG_RUNTIME_DIR", "run")):
        (tmp / sub).mkdir(mode=0o700)
        env[var] = str(tmp / sub)
    # No session bus: keeps Qt off the developer's own StatusNotifierWatcher (XEmbed into trayer).
    env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={tmp / 'no-session-bus'}"
    for var in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(var, None)
    return env


def run_smoke(binary: Path, timeout: float, log_path: Path, shot_path: Path) -> str:
    """Everything between starting the screen and stopping it; the PASS details, or SmokeFailure."""
    with tempfile.TemporaryDirectory(prefix="bundle-smoke-") as tmp, VirtualScreen() as screen:
        screen.start_tray()
        env = app_env(screen, Path(tmp))
        started = time.monotonic()
        with open(log_path, "w", encoding="utf-8") as log:
            proc = subprocess.Popen([str(binary), "--demo"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True, cwd=tmp)
        try:
            def alive() -> None:
                if proc.poll() is not None:
                    raise SmokeFailure(f"the app exited with status {proc.returncode}")

            def emulator_url() -> str | None:
                alive()
                match = EMULATOR_LINE.search(log_path.read_text(encoding="utf-8", errors="replace"))
                return match.group(1) if match else None

            def icon_window() -> int | None:
                alive()
                found = screen.search("--onlyvisible", "--classname", CLASSNAME)
                return found[0] if found else None

            emulator = wait_for(emulator_url, timeout, "the 'Emulator: http://127.0.0.1:PORT' line")
            icon = wait_for(icon_window, max(1.0, timeout - (time.monotonic() - started)),
                            f"a docked icon window (classname {CLASSNAME})")
            docked_after = time.monotonic() - started
            try:
                with urllib.request.urlopen(f"{emulator}/_emulator/state", timeout=5) as response:
                    emulator_status = response.status
            except OSError as exc:
                raise SmokeFailure(f"the demo emulator at {emulator} does not answer: {exc}") from exc
            # Still alive a moment later: no crash right after docking (a deliberate pause, not a wait).
            time.sleep(1.0)
            alive()
            _, _, width, height = screen.geometry(icon)
            memory = rss_mb(proc.pid)

            # Right-click the icon: its context menu must open.
            before = set(screen.search("--onlyvisible", "--classname", CLASSNAME))
            screen.click_window(icon, button=3)

            def menu_window() -> int | None:
                alive()
                new = [w for w in screen.search("--onlyvisible", "--classname", CLASSNAME) if w not in before]
                return new[0] if new else None

            try:
                wait_for(menu_window, 10, "the context menu")
            except WaitTimeout as exc:
                raise SmokeFailure("the tray icon's context menu did not open on a right-click") from exc
            time.sleep(0.3)  # let the menu paint before the screenshot
            screen.screenshot(shot_path)
        finally:
            stop(proc)
    shown = shot_path.relative_to(ROOT) if shot_path.is_relative_to(ROOT) else shot_path
    return (f"icon docked {docked_after:.2f} s after start (window {icon}, {width}x{height}), "
            f"demo emulator answered {emulator_status}, context menu opened, process alive"
            + (f", RSS {memory:.0f} MB" if memory else "") + f"; screenshot {shown}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Smoke-test the built bundle on a virtual screen.")
    parser.add_argument("--binary", type=Path, default=ROOT / "dist" / "timecrowd-tray" / "timecrowd-tray")
    parser.add_argument("--timeout", type=float, default=45.0, help="seconds to wait for the docked icon")
    parser.add_argument("--artifacts", type=Path, default=ROOT / "artifacts")
    args = parser.parse_args(argv)

    if not os.access(args.binary, os.X_OK):
        say(f"FAIL: no executable at {args.binary} (run `make bundle` first)")
        return 1
    if missing := missing_tools():
        say(f"FAIL: missing tools: {', '.join(missing)} "
            "(Debian: apt-get install xvfb trayer x11-utils xdotool imagemagick)")
        return 1
    args.artifacts.mkdir(parents=True, exist_ok=True)
    log_path = args.artifacts / "bundle-smoke.log"
    try:
        details = run_smoke(args.binary, args.timeout, log_path, args.artifacts / "bundle-smoke.png")
    except (SmokeFailure, WaitTimeout, RuntimeError, subprocess.SubprocessError) as exc:
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-25:] \
            if log_path.exists() else []
        if tail:
            print("---- last lines of the app's output ----")
            print("\n".join(tail))
            print("----")
        say(f"FAIL: {exc} (full output: {log_path})")
        return 1
    say(f"PASS: {details}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
