"""Folders a test cannot write to, for real, also when the tests run as root.

Root ignores permission bits, so under root the block runs with the effective
uid and gid of ``nobody`` (65534) and the folders are made read-only for it:
everything the code under test must read or write there has to be reachable
by others. :func:`shared_base` makes such a place (``tmp_path`` is not: its
parents are private to the user who runs the tests).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

NOBODY = 65534


@contextmanager
def shared_base() -> Iterator[Path]:
    """A folder anyone may read and write (removed afterwards)."""
    base = Path(tempfile.mkdtemp(prefix="timecrowd-tray-unwritable-"))
    base.chmod(0o777)
    try:
        yield base
    finally:
        for folder, dirs, _files in os.walk(base):
            for name in dirs:
                os.chmod(os.path.join(folder, name), 0o777)
        shutil.rmtree(base, ignore_errors=True)


def _cannot_write(folder: Path) -> bool:
    try:
        probe = folder / ".probe"
        probe.write_bytes(b"")
    except OSError:
        return True
    probe.unlink()
    return False


@contextmanager
def unwritable(*folders: Path) -> Iterator[None]:
    """``folders`` read-only (mode 0555) inside the block, for the process itself (see above)."""
    modes = {folder: stat.S_IMODE(folder.stat().st_mode) for folder in folders}
    for folder in folders:
        folder.chmod(0o555)
    as_root = os.geteuid() == 0
    try:
        if as_root:
            os.setegid(NOBODY)
            os.seteuid(NOBODY)
        if not all(_cannot_write(folder) for folder in folders):
            pytest.skip("this file system lets the test write to a read-only folder")
        yield
    finally:
        if as_root:
            os.seteuid(0)
            os.setegid(0)
        for folder, mode in modes.items():
            folder.chmod(mode)
