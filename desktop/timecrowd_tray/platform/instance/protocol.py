"""The control socket's wire format: newline-delimited JSON, one request per connection.

::

    -> {"cmd": "toggle"}                      # or start/stop/status/palette/activate/ping
    <- {"ok": true, "status": {...}}          # or {"ok": false, "error": "...", "code": "..."}

The documents it carries (``status --json``) are built in
:mod:`timecrowd_tray.core.status`.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import InstanceError

#: The longest line either side reads: a longer request drops its client, a longer answer is an error.
MAX_LINE = 64 * 1024

COMMANDS = ("toggle", "start", "stop", "status", "palette", "activate", "ping")


def encode(message: dict[str, Any]) -> bytes:
    return (json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def decode(line: bytes) -> dict[str, Any]:
    try:
        value = json.loads(line.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InstanceError("the running app answered something that is not JSON") from None
    if not isinstance(value, dict):
        raise InstanceError("the running app answered something that is not a JSON object")
    return value
