"""Bounded waits inside a running asyncio loop: a deadline that fails the test, never a measure of speed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def wait_until(predicate: Callable[[], object], timeout: float = 5.0, what: str = "condition") -> None:
    """Yield to the loop until ``predicate()`` holds (it may depend on another thread); fail after ``timeout`` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"{what} not met in time")
        await asyncio.sleep(0.001)
