"""The windows the tray opens on demand: comment dialogs, the palette, the entries window, settings.

A mixin of :class:`~.tray.TrayController`, so the controller stays one class
without growing. Each window is built on first use (its module imported then:
none of them is needed for the first icon) and kept for the next time; one of
an old service is closed when another sign-in came meanwhile. The controller
provides the state, the service, the intents (``start_task``, ``create_task``,
``sync_now``) and the attributes the windows are kept in.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


class TrayWindows:
    """The controller's windows, each built on first use."""

    # -- comment dialog ----------------------------------------------------------------------------

    def ask_comment(self, stopped: Any) -> Any:
        from .comment_dialog import CommentDialog

        service = self.service
        dialog = CommentDialog(stopped.task.title, stopped.task.team_name, stopped.duration,
                               save=lambda text: service.comment(stopped.ref, text))
        self.comment_dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_: self.comment_dialogs.remove(dialog)
                                 if dialog in self.comment_dialogs else None)
        geometry = self.tray.geometry()
        dialog.popup(geometry if geometry.isValid() and not geometry.isEmpty() else None)
        self.comment_dialog_shown.emit(dialog)
        return dialog

    # -- palette -------------------------------------------------------------------------------------

    def open_palette(self) -> Any:
        if not self._signed_in():
            return None
        from .palette import Palette
        from .palette_commands import tray_commands

        if self.palette is None:
            service = self.service
            self.palette = Palette(search=lambda q: service.search_tasks(q))
            self.palette.task_chosen.connect(self.start_task)
            self.palette.create_requested.connect(self.create_task)
            self.palette.command_chosen.connect(lambda intent: getattr(self, intent)())  # "open_today"
            self._palette_dirty = True
        if self._palette_dirty:
            self.palette.set_tasks(self.service.cached_tasks)  # most recent first: recent_tasks is its head
            self._palette_dirty = False
        self.palette.set_destinations(self.destinations(), preferred=self._last_destination)
        self.palette.set_commands(tray_commands(self.state.pending_count))
        self.palette.popup()
        return self.palette

    # -- the entries window and the pending changes ----------------------------------------------

    def open_today(self, day: Any = None) -> Any:
        """The entries window on ``day`` (today by default): "Today…", ``timecrowd-tray today``."""
        if not self._signed_in():
            return None
        from .entries_window import EntriesWindow

        if self.entries_window is not None and self.entries_window.model is not self.service:
            self.entries_window.shutdown()  # another sign-in: a window of the old service goes
            self.entries_window.deleteLater()
            self.entries_window = None
        if self.entries_window is None:
            self.entries_window = EntriesWindow(self.service, now=self.now, start_task=self.start_task)
        self.entries_window.open(day)
        return self.entries_window

    def open_pending(self) -> Any:
        """"Pending changes (n)": what waits in the outbox, and why."""
        if self.service is None:
            return None
        from .pending_window import PendingWindow

        if self.pending_window is not None and self.pending_window.model is not self.service:
            self.pending_window.close()
            self.pending_window.deleteLater()
            self.pending_window = None
        if self.pending_window is None:
            self.pending_window = PendingWindow(self.service, send_now=self.sync_now)
        self.pending_window.open()
        return self.pending_window

    def destinations(self) -> list[Any]:
        """Where a new task can go (:func:`timecrowd_tray.core.destinations.destinations`)."""
        from ..core.destinations import destinations

        user = self.state.user
        if user is None:
            return []
        known = self.service.cached_tasks if self.service is not None else []
        return destinations(user.teams, known, self.latest_task())

    # -- settings ---------------------------------------------------------------------------------------

    def show_settings(self) -> Any:
        from .comment_dialog import take_focus
        from .settings_dialog import SettingsDialog

        if self.settings_dialog is not None:
            self.settings_dialog.show()
            take_focus(self.settings_dialog, self.settings_dialog)
            return self.settings_dialog
        dialog = SettingsDialog(self.settings, shortcut_problems=self._shortcut_problems(),
                                demo_server=self.demo_server)
        dialog.settings_changed.connect(self.settings_saved)
        dialog.destroyed.connect(lambda *_: setattr(self, "settings_dialog", None))
        self.settings_dialog = dialog
        dialog.show()
        take_focus(dialog, dialog.api_base)
        return dialog

    def _shortcut_problems(self) -> dict[str, str]:
        if self.shortcut_problems is None:
            return {}
        try:
            return dict(self.shortcut_problems())
        except Exception:  # never let this keep the dialog from opening
            log.exception("reading the shortcuts' problems")
            return {}

    def settings_saved(self, changed: dict) -> None:
        if "poll_interval" in changed and self.service is not None:
            self.service.set_poll_interval(float(changed["poll_interval"]))
        self.settings_changed.emit(changed)
        if self.settings_dialog is not None:  # `timecrowd-tray config set` while it is open: it shows them
            self.settings_dialog.show_new_settings(changed)

    def retranslate(self) -> None:
        """The language changed: texts built ahead of time are built again."""
        if self.palette is not None:
            self.palette.deleteLater()
            self.palette = None
        reopen = self.entries_window.day if self.entries_window is not None and \
            self.entries_window.isVisible() else None
        for window in (self.entries_window, self.pending_window):  # built again, in the new language
            if window is not None:
                getattr(window, "shutdown", window.close)()
                window.deleteLater()
        self.entries_window = self.pending_window = None
        if reopen is not None:
            self.open_today(reopen)
        self.view.render()
