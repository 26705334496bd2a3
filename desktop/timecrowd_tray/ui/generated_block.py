"""A block of generated lines between two marker lines of a source file, kept current.

The lists lupdate reads (``ui/service_strings.py`` from ``services/messages.py``,
``ui/shell_strings.py`` from ``cli/i18n.py``) are written by their modules' ``main``
through :func:`refresh`; a test compares :func:`block` with what would be generated.
No Qt here: the shell's generator imports it.
"""

from __future__ import annotations

import sys
from pathlib import Path


def block(source: str, begin: str, end: str) -> list[str]:
    """The lines of ``source`` between the marker lines ``begin`` and ``end``."""
    lines = source.splitlines()
    return lines[lines.index(begin) + 1:lines.index(end)]


def refresh(path: Path, begin: str, end: str, fresh: list[str], *, check: bool, command: str, what: str) -> int:
    """Write ``fresh`` between the markers of ``path``; with ``check`` only say whether it is current.

    0 when current (or now written), 1 when ``check`` found it out of date.
    """
    source = path.read_text(encoding="utf-8")
    if block(source, begin, end) == fresh:
        return 0
    if check:
        print(f"{path}: out of date; run: {command}", file=sys.stderr)
        return 1
    lines = source.splitlines()
    first, last = lines.index(begin), lines.index(end)
    path.write_text("\n".join([*lines[:first + 1], *fresh, *lines[last:]]) + "\n", encoding="utf-8")
    print(f"{path}: {len(fresh)} {what} listed for lupdate")
    return 0
