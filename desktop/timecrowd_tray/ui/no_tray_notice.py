"""What the app says once when there is no system tray: what that means and how to get one.

A small window (always on top) with the way to get a tray on GNOME, and the
shortcut and the shell command that work meanwhile; its buttons open the task
palette, quit, or close it. :class:`~timecrowd_tray.ui.tray_presence.TrayPresence`
shows it, and closes it once a tray appears and the icon is docked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class NoTrayNotice(QWidget):
    """Said once when there is no system tray: what that means and how to get one."""

    def __init__(self, shortcut: str, on_palette: Callable[[], None], on_quit: Callable[[], None]) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("noTrayNotice")
        self.setWindowTitle(self.tr("No system tray - TimeCrowd Tray"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        text = QLabel(self.message(shortcut))
        text.setObjectName("noTrayText")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        palette = QPushButton(self.tr("Start a task…"))
        palette.clicked.connect(on_palette)
        buttons.addWidget(palette)
        quit_button = QPushButton(self.tr("Quit"))
        quit_button.clicked.connect(on_quit)
        buttons.addWidget(quit_button)
        ok = QPushButton(self.tr("OK"))
        ok.setDefault(True)
        ok.clicked.connect(self.close)
        buttons.addWidget(ok)
        layout.addLayout(buttons)
        self.setMaximumWidth(520)

    def message(self, shortcut: str) -> str:
        return self.tr(
            "No system tray was found, so the TimeCrowd Tray icon cannot be shown yet.\n\n"
            "On GNOME, install and enable the “AppIndicator and KStatusNotifierItem Support” extension "
            "(Debian and Ubuntu: the gnome-shell-extension-appindicator package), then log in again.\n\n"
            "TimeCrowd Tray keeps running meanwhile: start and stop the timer with the shortcut %1 or the "
            "command “timecrowd-tray toggle”. The icon appears by itself as soon as a tray is there."
        ).replace("%1", shortcut or "—")
