"""Whether an X11 panel is dark, judged from its pixels above the docked tray icon.

An X11 tray (XEmbed) says nothing of its colour, unlike the platform's own
hints (:mod:`.panel_shade`). The docked window is taller than the icon (22x30
in a 32 px panel), and its top rows show the panel itself: the X server fills
them with the panel (ParentRelative background).
"""

from __future__ import annotations

import logging
import os

from PySide6.QtWidgets import QWidget

from .panel_shade import PANEL_ENV

log = logging.getLogger(__name__)


def sampled_panel_is_dark(window: QWidget) -> bool | None:
    """Whether the panel under the docked icon ``window`` is dark; None when not sampled.

    Only when nothing more authoritative decided it (``$TIMECROWD_TRAY_PANEL``,
    GNOME's always dark bar), and only when the window's pixels can be read.
    """
    if os.environ.get(PANEL_ENV) or "GNOME" in os.environ.get("XDG_CURRENT_DESKTOP", "").upper():
        return None
    screen = window.screen()
    if screen is None:
        return None
    # The window's own pixels: the server fills them with the panel (ParentRelative background).
    image = screen.grabWindow(int(window.winId()), 0, 0, window.width(), 2).toImage()
    if image.isNull() or image.width() == 0:
        return None
    samples = [image.pixelColor(x, y) for y in range(image.height()) for x in range(image.width())]
    luma = sum(0.299 * c.redF() + 0.587 * c.greenF() + 0.114 * c.blueF() for c in samples) / len(samples)
    dark = luma < 0.5
    log.debug("tray panel sampled: luminance %.2f -> %s panel", luma, "dark" if dark else "light")
    return dark
