"""Reading a child process's output line by line while a test drives it.

:class:`ProcessOutput` reads stdout and stderr (each line of stderr tagged
``"stderr: "``) on daemon threads into one queue; :meth:`ProcessOutput.wait_line`
waits, up to a deadline, for the next line a predicate accepts, and keeps every
line it read in :attr:`ProcessOutput.transcript` for failure messages.
"""

from __future__ import annotations

import queue
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

STDERR_TAG = "stderr: "


class ProcessOutput:
    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.transcript: list[str] = []

    def attach(self, proc: subprocess.Popen[str]) -> None:
        """Start reading ``proc``'s stdout and stderr (both must be pipes opened in text mode)."""
        for stream, tag in ((proc.stdout, ""), (proc.stderr, STDERR_TAG)):
            threading.Thread(target=self._read, args=(stream, tag), daemon=True).start()

    def _read(self, stream: Any, tag: str) -> None:
        for line in stream:
            self.lines.put(tag + line.rstrip("\n"))

    def wait_line(self, predicate: Callable[[str], bool], timeout: float, what: str, *, seen: bool = False) -> str:
        """The next output line matching ``predicate`` (``seen``: or one already read).

        Fails with the transcript when no such line came within ``timeout`` seconds.
        """
        if seen:
            for line in self.transcript:
                if predicate(line):
                    return line
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out waiting for {what}; output so far:\n" + "\n".join(self.transcript))
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            self.transcript.append(line)
            if predicate(line):
                return line

    def drain(self) -> None:
        """Move the lines read so far into the transcript."""
        while True:
            try:
                self.transcript.append(self.lines.get_nowait())
            except queue.Empty:
                return
