"""Fixtures of the service tests."""

from __future__ import annotations

import pytest

from services.timer_harness import FIXED_NOW
from support.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    """The wall clock of the service, the emulator and the test, at the reference moment (``FIXED_NOW``);
    pass it on: ``service_harness(tmp_path, clock=clock)``."""
    return FakeClock(FIXED_NOW)
