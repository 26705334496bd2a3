"""The baseline of benchmarks/run_all.py: the least a Qt tray app can be.

A QApplication and a QSystemTrayIcon whose QIcon comes from a pixmap drawn at
start-up (a disc in the app's "running" green, so the benchmark recognises
both icons on screen with the same test). Nothing else: no asyncio, no
network, no keyring, no settings.

The one addition a click benchmark needs: on a left click (``activated`` with
``Trigger``) it prints ``activated <time.monotonic()>`` and swaps its icon
between the green disc and a grey one, which gives the baselines "click ->
the app hears it" and "click -> the icon repainted". It prints ``ready`` once
the icon is shown.

``--with-stack`` is a second reference, for memory only: the same tray app
plus what the product's service layer is built on, before any of its own
code: asyncio on a qasync event loop and one ``httpx.AsyncClient`` (default
TLS settings, as against https://timecrowd.net). The app's memory can go no
lower than this floor without changing that stack. Its windows' class is
``stack-floor``.

    .venv/bin/python benchmarks/bare_tray.py [--with-stack]
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

GREEN = "#0f9d76"   # timecrowd_tray.ui.running_icon.ACCENT (not imported: the baseline imports no app code)
GREY = "#808080"
APP_NAME = "bare-tray"  # the WM_CLASS class of the docked icon's window
FLOOR_NAME = "stack-floor"


def disc(color: str, size: int = 64) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(0, 0, size, size)
    painter.end()
    return QIcon(pixmap)


def main() -> int:
    with_stack = "--with-stack" in sys.argv[1:]
    app = QApplication(sys.argv[:1])
    app.setApplicationName(FLOOR_NAME if with_stack else APP_NAME)
    app.setQuitOnLastWindowClosed(False)
    icons = [disc(GREEN), disc(GREY)]
    tray = QSystemTrayIcon(icons[0])
    shown = [0]

    def activated(reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            print(f"activated {time.monotonic():.6f}", flush=True)
            shown[0] ^= 1
            tray.setIcon(icons[shown[0]])

    tray.activated.connect(activated)
    tray.show()
    print("ready", flush=True)
    if with_stack:
        return run_with_stack(app)
    return app.exec()


def run_with_stack(app: QApplication) -> int:
    import asyncio

    import httpx
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    client = httpx.AsyncClient(base_url="https://timecrowd.invalid")  # never used: no request is sent
    with loop:
        loop.run_forever()
    del client
    return 0


if __name__ == "__main__":
    sys.exit(main())
