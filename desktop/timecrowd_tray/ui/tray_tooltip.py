"""The tray icon's tooltip text for a timer state (:func:`tooltip_text`).

When the text is refreshed (each minute, on hover where the platform says) is
the tray view's business (:mod:`.tray_view`); this module only words it.

The texts keep the translation context ``TrayController`` (where they were
first translated) through this module's :func:`tr`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from .. import APP_NAME
from ..core.durations import format_hms
from ..core.labels import team_and_category
from ..core.timer import Phase, TimerState
from ..core.today import user_timezone


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the user's language (context ``TrayController``: see the module docstring)."""
    return QCoreApplication.translate("TrayController", text, disambiguation, n)


def tooltip_text(s: TimerState, now: datetime, latest_title: Callable[[], str | None]) -> str:
    """The tooltip for state ``s`` at ``now``; ``latest_title`` names the task a click starts when idle."""
    if s.phase is Phase.SIGNED_OUT:
        lines = [APP_NAME, tr("Signed out: click to sign in")]
        if s.signed_out_reason:
            lines.append(s.signed_out_reason)
        return "\n".join(lines)
    if s.phase is Phase.LOADING:
        lines = [APP_NAME, tr("Loading your timer…")]
    elif s.is_running and s.task is not None:
        lines = [s.task.title]
        extra = team_and_category(s.task)
        if extra:
            lines.append(extra)
        since = s.started_at.astimezone(user_timezone(s.user)).strftime("%H:%M") if s.started_at else ""
        elapsed = format_hms(s.elapsed(now))
        lines.append(tr("%1 (since %2)").replace("%1", elapsed).replace("%2", since) if since else elapsed)
    else:
        latest = latest_title()
        lines = [APP_NAME, tr("Not tracking: click to start “%1”").replace("%1", latest) if latest
                 else tr("Not tracking: click to choose a task")]
    if s.offline:
        lines.append(tr("Offline"))
    if s.pending_count:
        lines.append(tr("%n change(s) waiting to be sent", "", s.pending_count))
    if s.last_error:
        lines.append(s.last_error)
    return "\n".join(lines)
