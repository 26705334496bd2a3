"""python-dbusmock services on a private bus (Debian python3-dbusmock: it needs dbus-python and PyGObject)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .sni_host import PrivateSessionBus
from .tools import require_all

MOCK = "org.freedesktop.DBus.Mock"


def mock_python() -> str | None:
    """A Python that runs python-dbusmock, or None."""
    for python in (sys.executable, "/usr/bin/python3"):
        if os.path.exists(python) and subprocess.run([python, "-c", "import dbusmock, gi"],
                                                     capture_output=True).returncode == 0:
            return python
    return None


MOCK_PYTHON = mock_python()


def require_dbusmock() -> None:
    """Fail under CI, skip loudly elsewhere, when python-dbusmock is missing."""
    if MOCK_PYTHON is None:
        why = "python-dbusmock is missing (Debian: python3-dbusmock; scripts/system-deps.sh test)"
        if require_all():
            pytest.fail(why)
        pytest.skip(why)


def spawn_mock(bus: PrivateSessionBus, *args: str) -> subprocess.Popen:
    """``python -m dbusmock ARGS`` with ``bus`` as both its session and system bus."""
    env = bus.env(dict(os.environ)) | {"DBUS_SYSTEM_BUS_ADDRESS": bus.address}
    assert MOCK_PYTHON is not None
    return subprocess.Popen([MOCK_PYTHON, "-m", "dbusmock", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
