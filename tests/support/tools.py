"""Outside tools some tests need, and what to do when one is missing."""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE_ALL_ENV = "TIMECROWD_TRAY_REQUIRE_ALL"


def require_all() -> bool:
    return os.environ.get(REQUIRE_ALL_ENV) == "1"


def missing(*commands: str) -> list[str]:
    return [c for c in commands if shutil.which(c) is None]


def require(*commands: str, why: str) -> None:
    """Fail (under CI) or skip loudly (elsewhere) when any of ``commands`` is not installed."""
    absent = missing(*commands)
    if not absent:
        return
    message = (f"{why}: {', '.join(absent)} not installed "
               f"(Debian: run `make test` as root, or apt-get install the packages listed in the README)")
    if require_all():
        pytest.fail(message, pytrace=False)
    pytest.skip("SKIPPED LOUDLY: " + message)
