"""What the shell commands print: results on stdout, problems on stderr (prefixed with the program name)."""

from __future__ import annotations

import sys


def out(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def err(message: str) -> None:
    sys.stderr.write(f"timecrowd-tray: {message}\n")
    sys.stderr.flush()
