"""The README's pictures: tests take screenshots under ``artifacts/``; ``docs/screenshots/`` changes only on request.

A test run must leave the git tree as it found it, so a screenshot test writes its picture
under ``artifacts/screenshots/`` only. With ``TIMECROWD_TRAY_UPDATE_SCREENSHOTS=1`` it also
copies it over the README's picture in ``docs/screenshots/``:
``TIMECROWD_TRAY_UPDATE_SCREENSHOTS=1 make test PYTEST_ARGS="-k picture"``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

UPDATE_SCREENSHOTS_ENV = "TIMECROWD_TRAY_UPDATE_SCREENSHOTS"
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def updating_screenshots() -> bool:
    return os.environ.get(UPDATE_SCREENSHOTS_ENV) == "1"


def update_readme_picture(shot: Path, name: str, docs: Path = DOCS_SCREENSHOTS) -> Path | None:
    """Copy ``shot`` to ``docs/<name>`` when the README's pictures are being refreshed; else do nothing.

    Returns the copy's path, or None when nothing was written.
    """
    if not updating_screenshots():
        return None
    docs.mkdir(parents=True, exist_ok=True)
    target = docs / name
    shutil.copyfile(shot, target)
    return target
