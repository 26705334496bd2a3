"""The request/response examples of ../shared/timecrowd-api/*.txt, extracted, not hand-copied.

Each file is a sequence of ``METHOD /path``, an optional JSON request body, a
status line, and an optional JSON response body.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

API_DOCS = Path(__file__).resolve().parents[2].parent / "shared" / "timecrowd-api"

_REQUEST = re.compile(r"^(GET|POST|PATCH|PUT|DELETE) (/api/\S+)\s*$")
_STATUS = re.compile(r"^([1-5]\d\d)\s*$")


@dataclass(frozen=True)
class Example:
    source: str
    method: str
    path: str
    request: Any
    status: int
    response: Any

    @property
    def id(self) -> str:
        return f"{self.source}:{self.method} {self.path} -> {self.status}"


def _json_at(lines: list[str], start: int) -> tuple[Any, int]:
    """Decode the JSON value that starts at line ``start``; return it and the next line index."""
    text = "\n".join(lines[start:])
    value, end = json.JSONDecoder().raw_decode(text)
    return value, start + text[:end].count("\n") + 1


def load_examples() -> list[Example]:
    examples: list[Example] = []
    for doc in sorted(API_DOCS.glob("*.txt")):
        lines = doc.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            match = _REQUEST.match(lines[i])
            if not match:
                i += 1
                continue
            method, path = match.groups()
            i += 1
            request = None
            if i < len(lines) and lines[i].lstrip().startswith(("{", "[")):
                request, i = _json_at(lines, i)
            if i >= len(lines) or not _STATUS.match(lines[i]):
                continue  # a heading such as "POST /api/v1/time_entries >>>" is not an example
            status = int(lines[i])
            i += 1
            response = None
            if i < len(lines) and lines[i].lstrip().startswith(("{", "[")):
                response, i = _json_at(lines, i)
            examples.append(Example(doc.name, method, path, request, status, response))
    return examples
