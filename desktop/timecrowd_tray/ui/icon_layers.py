"""Square image layers the tray icon is painted on, built from bytes.

Not ``QImage.fill``, ``setPen`` or ``setBrush``: their overloads create Qt's
hundred enums, 30 ms before the first icon at start-up.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage, QPainter


def transparent(px: int) -> QImage:
    """A transparent square image (zeroed premultiplied ARGB is transparent)."""
    return QImage(bytes(px * px * 4), px, px, px * 4, QImage.Format.Format_ARGB32_Premultiplied).copy()


def solid(px: int, color: QColor) -> QImage:
    """A square image of one opaque colour."""
    pixel = bytes((color.blue(), color.green(), color.red(), 255))  # ARGB32 in memory: B, G, R, A
    return QImage(pixel * (px * px), px, px, px * 4, QImage.Format.Format_ARGB32_Premultiplied).copy()


def tinted(px: int, color: QColor, layer: QImage) -> QImage:
    """``color`` kept where ``layer`` (drawn in black) has alpha."""
    image = solid(px, color)
    p = QPainter(image)
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationIn)
    p.drawImage(0, 0, layer)
    p.end()
    return image
