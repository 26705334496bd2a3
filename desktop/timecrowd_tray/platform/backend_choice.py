"""Choosing a platform backend: the candidates by priority, the environment's override, the log of the choice.

Used by the idle-time sources (:mod:`.idle`) and the global shortcuts (:mod:`.hotkeys`),
which differ only in their backend names and in how one is made.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping, Sequence


def is_wayland_session(env: Mapping[str, str]) -> bool:
    return bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE", "").lower() == "wayland"


def candidates_by_priority(override_env: str, *, wayland: Sequence[str], x11: Sequence[str],
                           platform: str | None = None, env: Mapping[str, str] | None = None) -> list[str]:
    """Backend names to try, best first (pure).

    ``override_env`` names the variable that forces one backend; on Linux and the BSDs
    ``x11`` is tried in an X11 session and ``wayland`` otherwise (also with no display at all).
    """
    platform = platform or sys.platform
    env = os.environ if env is None else env
    forced = env.get(override_env, "").strip().lower()
    if forced:
        return [forced]
    if platform == "win32":
        return ["windows"]
    if platform == "darwin":
        return ["macos"]
    if platform.startswith("linux") or "bsd" in platform:
        if is_wayland_session(env):
            return list(wayland)
        if env.get("DISPLAY"):
            return list(x11)
        return list(wayland)
    return []


class ChoiceLog:
    """Logs each backend tried under ``topic`` and keeps why it failed, for the reason when none works."""

    def __init__(self, log: logging.Logger, topic: str) -> None:
        self._log = log
        self._topic = topic
        self._reasons: list[str] = []

    def unavailable(self, name: str, exc: BaseException) -> None:
        self._log.info("%s: %s unavailable: %s", self._topic, name, exc)
        self._reasons.append(f"{name}: {exc}")

    def failed(self, name: str, exc: BaseException) -> None:
        self._log.warning("%s: %s failed to start: %s", self._topic, name, exc, exc_info=True)
        self._reasons.append(f"{name}: {exc}")

    def chose(self, name: str) -> None:
        self._log.info("%s: using %s", self._topic, name)

    def none_chosen(self, default: str) -> str:
        """The reason there is no backend (``default`` when none was even tried), logged."""
        reason = "; ".join(self._reasons) or default
        self._log.info("%s: none available (%s)", self._topic, reason)
        return reason
