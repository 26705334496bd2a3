"""The badge in the tray icon's bottom right corner, cut out of the glyph.

Amber arrow: changes waiting to be sent; grey: offline; red: the server refused something.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter
from PySide6.QtSvg import QSvgRenderer

from .icon_spec import Badge


def badge_diameter(px: int, small_running: bool = False) -> int:
    """The badge's size: a little smaller on the small running tile, which keeps the rest for the digits."""
    return max(7, round(px * (0.42 if small_running or px >= 32 else 0.5)))


def paint_badge(painter: QPainter, px: int, badge: Badge, source: QSvgRenderer, *,
                small_running: bool = False) -> None:
    """``badge`` (drawn from ``source``) in the corner of a ``px`` square, a gap cleared around it."""
    from PySide6.QtGui import QPen

    diameter = badge_diameter(px, small_running)
    x = y = px - diameter
    painter.save()
    # Cut the glyph out around the badge so the two never blur into each other.
    gap = max(1, round(px / 32))
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
    painter.setPen(QPen(QColor(0, 0, 0, 0), 0))
    painter.setBrush(QColor(0, 0, 0, 255))
    painter.drawEllipse(QRectF(x - gap, y - gap, diameter + 2 * gap, diameter + 2 * gap))
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
    source.render(painter, QRectF(x, y, diameter, diameter))
    painter.restore()
