"""Fixtures of the platform tests: a private X server, a qasync loop, a private socket directory."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from timecrowd_tray.ui.qt_compat import guard_none_refcount

from support.tools import require

# PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call (see ui/qt_compat.py).
guard_none_refcount()


@pytest.fixture
def runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private XDG_RUNTIME_DIR, so the single-instance socket of a test is its own."""
    path = Path(tempfile.mkdtemp(prefix="tct-"))  # short: AF_UNIX paths are limited to ~107 bytes
    path.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(path))
    monkeypatch.delenv("TIMECROWD_TRAY_INSTANCE", raising=False)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _start_xvfb() -> tuple[subprocess.Popen, str]:
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "640x480x24", "-nolisten", "tcp", "-noreset"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    data = b""
    deadline = time.monotonic() + 20
    with os.fdopen(read_fd, "rb") as pipe:
        while not data.endswith(b"\n"):
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("Xvfb did not report its display")
            chunk = pipe.read(1)  # Xvfb writes "N\n" once it accepts connections
            if not chunk:
                break
            data += chunk
    return proc, f":{data.decode().strip()}"


@pytest.fixture(scope="module")
def x_display() -> Iterator[str]:
    """A fresh Xvfb for this module: its DISPLAY (e.g. ":3")."""
    require("Xvfb", "xdotool", why="the X11 shortcut tests need a virtual X server and xdotool")
    proc, display = _start_xvfb()
    try:
        yield display
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture
def qloop(qapp):
    """A qasync loop running on the Qt event loop for this test; the previous loop is put back after."""
    import qasync

    previous = asyncio._get_running_loop()
    loop = qasync.QEventLoop(qapp, already_running=True)  # becomes the running loop
    asyncio.set_event_loop(loop)
    yield loop
    for task in asyncio.all_tasks(loop):
        task.cancel()
    asyncio._set_running_loop(previous)
    asyncio.set_event_loop(previous)
