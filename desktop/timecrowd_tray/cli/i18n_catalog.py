"""The app's compiled Qt catalog read without Qt (:func:`catalog`), for the shell.

The shell's texts are the ``Shell`` context (:data:`CONTEXT`) of the app's own catalog
(``resources/translations/timecrowd_tray_ja.ts``: one file for translators), read from
the compiled ``.qm`` by :func:`read_qm`, not by QTranslator: on the way to the running
app a command imports no Qt at all, and importing PySide6.QtCore alone takes longer
(~160 ms) than the whole command; reading the ``.qm`` takes about a millisecond.
"""

from __future__ import annotations

import functools
import struct
from pathlib import Path
from typing import Any

CONTEXT = "Shell"

_QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
_QM_MESSAGES = 0x69
_TAG_END, _TAG_TRANSLATION, _TAG_OBSOLETE1, _TAG_SOURCE, _TAG_CONTEXT, _TAG_COMMENT = 1, 3, 5, 6, 7, 8


def read_qm(data: bytes) -> dict[tuple[str, str], str]:
    """The messages of a compiled Qt catalog: ``(context, source) -> translation`` (the first form).

    Reads what ``lrelease`` writes (sources and contexts kept); anything else ends the reading
    with what was read so far (a message missing from it is printed in English).
    """
    found: dict[tuple[str, str], str] = {}
    if not data.startswith(_QM_MAGIC):
        return found
    pos, messages = len(_QM_MAGIC), b""
    while pos + 5 <= len(data):
        tag, length = data[pos], struct.unpack_from(">I", data, pos + 1)[0]
        if tag == _QM_MESSAGES:
            messages = data[pos + 5:pos + 5 + length]
        pos += 5 + length
    pos = 0
    current: dict[int, Any] = {}
    while pos < len(messages):
        tag = messages[pos]
        pos += 1
        if tag == _TAG_END:
            forms = current.get(_TAG_TRANSLATION)
            if forms and _TAG_SOURCE in current:
                found.setdefault((current.get(_TAG_CONTEXT, ""), current[_TAG_SOURCE]), forms[0])
            current = {}
            continue
        if tag == _TAG_OBSOLETE1:
            pos += 4
            continue
        if tag not in (_TAG_TRANSLATION, _TAG_SOURCE, _TAG_CONTEXT, _TAG_COMMENT) or pos + 4 > len(messages):
            break
        length = struct.unpack_from(">I", messages, pos)[0]
        pos += 4
        if tag == _TAG_TRANSLATION:
            if length == 0xFFFFFFFF:  # a null translation
                length = 0
            current.setdefault(tag, []).append(messages[pos:pos + length].decode("utf-16-be", errors="replace"))
        else:
            current[tag] = messages[pos:pos + length].decode("utf-8", errors="replace")
        pos += length
    return found


def qm_file(lang: str) -> Path:
    from ..ui.resources import TRANSLATIONS  # paths only, no Qt

    return TRANSLATIONS / f"timecrowd_tray_{lang}.qm"


@functools.lru_cache(maxsize=4)
def catalog(lang: str) -> dict[tuple[str, str], str]:
    """The app's catalog for ``lang`` (empty for English, the source language, or without a .qm)."""
    if lang == "en":
        return {}
    try:
        return read_qm(qm_file(lang).read_bytes())
    except OSError:
        return {}

