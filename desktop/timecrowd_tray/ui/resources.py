"""Where the icons and translations are: ``timecrowd_tray/resources`` (installed with the package).

In a checkout that folder is a link to the repository's top-level ``resources/``.
"""

from __future__ import annotations

from pathlib import Path

import timecrowd_tray

RESOURCES = Path(timecrowd_tray.__file__).resolve().parent / "resources"
ICONS = RESOURCES / "icons"
TRANSLATIONS = RESOURCES / "translations"


def icon_path(name: str) -> Path:
    return ICONS / f"{name}.svg"
