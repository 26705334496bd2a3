"""Qt's X11 tray icon window (``QSystemTrayIconSys``), hooked for what the tray view needs of it.

Qt's X11 tray icon is a widget, so there, unlike with a StatusNotifierItem
host, Windows or macOS, the app sees its events: :class:`X11TrayWindow` says
when its tooltip is asked for (the view refreshes the text, ticking while it
shows), samples the panel's colour once at its first paint
(:mod:`.panel_pixels`), and repaints the icon at once after a click.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QWidget

from .panel_pixels import sampled_panel_is_dark

log = logging.getLogger(__name__)

TRAY_WINDOW_CLASS = "QSystemTrayIconSys"


def is_tray_window(obj: QObject) -> bool:
    """Whether ``obj`` is Qt's X11 tray icon window."""
    return isinstance(obj, QWidget) and obj.metaObject().className() == TRAY_WINDOW_CLASS


def tray_window_shown() -> bool:
    """Whether the icon is docked as an XEmbed window (Qt's QSystemTrayIconSys) that shows."""
    return any(is_tray_window(w) and w.isVisible() for w in QApplication.topLevelWidgets())


class X11TrayWindow(QObject):
    """The docked icon's window once found, for its tooltip requests, its panel's shade, its repaints."""

    tooltip_asked = Signal(object)   # the tooltip's QPoint, or None when the event did not say
    panel_sampled = Signal(bool)     # whether the panel is dark, from its pixels at the first paint

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window: QWidget | None = None
        self._panel_sampled = False

    def hook(self) -> None:
        """Find the window (once Qt made it: the icon is docked) and follow its events."""
        if self.window is not None:
            return
        for widget in QApplication.topLevelWidgets():
            if is_tray_window(widget):
                self.window = widget
                widget.installEventFilter(self)
                log.debug("tooltip hooked on the X11 tray icon window")
                return

    def release(self) -> None:
        """Stop following the window (the icon goes away, or is created again)."""
        if self.window is not None:
            self.window.removeEventFilter(self)
            self.window = None

    def repaint_now(self) -> None:
        """Paint the icon now, before anything else runs (where the window shows)."""
        if self.window is not None and self.window.isVisible():
            self.window.repaint()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.window:
            if event.type() == QEvent.Type.ToolTip:
                self.tooltip_asked.emit(event.globalPos() if isinstance(event, QHelpEvent) else None)
            elif event.type() == QEvent.Type.Paint and not self._panel_sampled:
                self._panel_sampled = True
                QTimer.singleShot(0, self, self._sample_panel)
        return super().eventFilter(obj, event)

    def _sample_panel(self) -> None:
        if self.window is None:
            return
        dark = sampled_panel_is_dark(self.window)
        if dark is not None:
            self.panel_sampled.emit(dark)
