"""A settable wall clock for the tests: ``clock()`` is the time, ``clock.advance(s)`` moves it.

The emulator, the timer service and the tray all take a ``clock`` callable; one
:class:`FakeClock` shared by them makes "the user clicked at T, the server
answered at T + 300 s" a line of test code, not a sleep. Each suite says where
its clock starts (its own ``FIXED_NOW``).
"""

from __future__ import annotations


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
