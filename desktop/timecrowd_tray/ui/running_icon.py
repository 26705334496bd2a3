"""The running look of the tray icon, painted for one size.

* above :data:`SMALL_MAX` px: a green disc with a ring filling clockwise with the
  minutes of the current hour, and in its centre ``H:MM`` from 32 px up; below
  32 px the hours after the first hour, else a dot (:func:`paint_running`);
* up to :data:`SMALL_MAX` px (the usual panel sizes, 22 px on many Linux panels):
  no ring, the elapsed time alone in white, bold and condensed, filling a green
  tile (:func:`paint_running_small`, with :func:`small_label`: ``42`` minutes under
  an hour, then ``1h``... with a bar filling with the minutes of the hour, then
  days). The tile carries the contrast (4.5:1), so it reads on light and dark
  panels alike.

The ring, the tile and the dot are drawn as SVG, the text through a tinted
layer: no ``QPen``/``QBrush``, whose overloads create Qt's hundred enums (40 ms)
when the first icon at start-up is the running look.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPointF, QRectF
from PySide6.QtGui import QColor, QPainter
from PySide6.QtSvg import QSvgRenderer

from ..core.durations import format_hm
from .icon_badge import badge_diameter
from .icon_layers import tinted, transparent

ACCENT = QColor("#0f9d76")
# The running tile at small sizes, behind white digits: ACCENT a shade deeper, for a contrast of
# 4.5:1 with white (ACCENT's is 3.4:1), and still within 24 of ACCENT on each channel (the running
# green that benchmarks/_xprobe.py looks for on the screen).
ACCENT_DEEP = "#0a8665"
MIN_NARROWING = 0.72  # the small digits are narrowed at most to this share of their width
SMALL_MAX = 24  # up to this size the running look is the elapsed time alone, as large as the icon allows
_ALIGN_CENTER = 0x0084   # Qt.AlignCenter (AlignHCenter | AlignVCenter)


def small_label(minutes: int) -> tuple[str, str]:
    """The elapsed time at small sizes, as (digits, unit): ``("42", "")`` under an hour,
    ``("1", "h")`` to ``("99", "h")``, then days, ``("4", "d")``."""
    minutes = max(0, minutes)
    hours = minutes // 60
    if hours == 0:
        return str(minutes), ""
    if hours < 100:
        return str(hours), "h"
    return str(hours // 24), "d"


def paint_running(painter: QPainter, px: int, logical: int, minutes: int, disc: QSvgRenderer) -> None:
    """Above :data:`SMALL_MAX`: ``disc`` (the green disc's SVG), the ring of the minutes of the
    hour over it, the hours (or a dot) inside."""
    import math

    disc.render(painter, QRectF(0, 0, px, px))
    # Ring: whole-pixel width, centred on a pixel grid line so its edges land on pixels.
    width = max(2, round(px / 8))
    inset = max(1, round(px / 16))
    radius = px / 2 - inset - width / 2
    c = px / 2
    parts = [f'<circle cx="{c:g}" cy="{c:g}" r="{radius:g}" fill="none" stroke="#ffffff" '
             f'stroke-opacity="{80 / 255:.4f}" stroke-width="{width}"/>']
    in_hour = minutes % 60
    if in_hour:
        # The filled sector of the ring (square ends): from 12 o'clock, clockwise.
        outer = radius + width / 2
        inner_r = radius - width / 2
        angle = math.radians(in_hour * 6.0)
        sin, cos = math.sin(angle), math.cos(angle)
        large = 1 if in_hour > 30 else 0
        d = (f"M {c:g} {c - outer:g} A {outer:g} {outer:g} 0 {large} 1 {c + outer * sin:.4f} {c - outer * cos:.4f} "
             f"L {c + inner_r * sin:.4f} {c - inner_r * cos:.4f} "
             f"A {inner_r:g} {inner_r:g} 0 {large} 0 {c:g} {c - inner_r:g} Z")
        parts.append(f'<path d="{d}" fill="#ffffff"/>')
    inner = 2 * (radius - width / 2)  # diameter of the disc inside the ring
    hours = minutes // 60
    text = None
    if logical >= 32:
        text = format_hm(minutes * 60)
    elif logical >= 20 and hours >= 1:
        text = str(hours) if hours < 10 else "9+"
    else:
        parts.append(f'<circle cx="{c:g}" cy="{c:g}" r="{max(1.5, px / 10):g}" fill="#ffffff"/>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" viewBox="0 0 {px} {px}">'
           + "".join(parts) + "</svg>")
    QSvgRenderer(QByteArray(svg.encode("ascii"))).render(painter, QRectF(0, 0, px, px))
    if text is not None:
        _paint_text(painter, px, QPointF(c, c), inner, text)


def paint_running_small(painter: QPainter, px: int, minutes: int, badged: bool) -> None:
    """Up to :data:`SMALL_MAX` px: a green tile filled by the elapsed time in white.

    No ring: at 22 px it left room for a dot or one hour digit, and the time could not be
    read. ``42`` (minutes) under an hour, then ``1h``... ``99h`` (a bar along the bottom
    fills with the minutes of the hour), then days. The tile carries the contrast, so the
    digits read the same on a light or a dark panel. A badge keeps its corner (a little
    smaller): the digits take the rest, above it or beside it.
    """
    digits, unit = small_label(minutes)
    margin = max(1, round(px / 16))
    gap = max(1, round(px / 22))
    radius = px * 0.2
    parts = [f'<rect x="0" y="0" width="{px}" height="{px}" rx="{radius:g}" fill="{ACCENT_DEEP}"/>']
    bottom = px - margin  # of the text
    badge_edge = px - badge_diameter(px, True) - gap  # the badge's top and left edges, and a gap
    if unit == "h":
        bar = max(2, round(px / 11))
        x0 = margin + 1
        x1 = (badge_edge if badged else px) - margin - 1
        y = px - margin - bar
        filled = (x1 - x0) * (minutes % 60) / 60
        parts.append(f'<rect x="{x0}" y="{y}" width="{x1 - x0}" height="{bar}" fill="#ffffff" '
                     f'fill-opacity="0.35"/>')
        if filled:
            parts.append(f'<rect x="{x0}" y="{y}" width="{filled:.3f}" height="{bar}" fill="#ffffff"/>')
        bottom = y - gap
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" viewBox="0 0 {px} {px}">'
           + "".join(parts) + "</svg>")
    QSvgRenderer(QByteArray(svg.encode("ascii"))).render(painter, QRectF(0, 0, px, px))
    if badged:  # above the badge, or beside it (one digit is taller there): whichever is larger
        boxes = [QRectF(margin, margin, px - 2 * margin, min(bottom, badge_edge) - margin),
                 QRectF(margin, margin, badge_edge - margin, bottom - margin)]
    else:
        boxes = [QRectF(margin, margin, px - 2 * margin, bottom - margin)]
    _paint_fitted_text(painter, px, boxes, digits, unit)


def _paint_fitted_text(painter: QPainter, px: int, boxes: list[QRectF], digits: str, unit: str) -> None:
    """``digits`` (and a smaller ``unit`` after them) in white, bold and condensed, their ink
    filling the one of ``boxes`` where it is tallest: as tall as the box (top and bottom on
    whole pixels), narrowed when wider, made smaller when narrowing is not enough."""
    from PySide6.QtGui import QFont, QFontMetricsF, QTransform

    font = QFont()
    font.setBold(True)
    font.setStretch(QFont.Stretch.Condensed)  # a condensed face where the family has one
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPixelSize(100)  # measured large, drawn scaled: the ink is placed to a fraction of a pixel
    metrics = QFontMetricsF(font)
    ink = metrics.tightBoundingRect(digits)
    unit_scale = 0.62
    gap = metrics.horizontalAdvance("0") * 0.06 if unit else 0.0
    unit_ink = metrics.tightBoundingRect(unit) if unit else QRectF()
    width = ink.width() + (gap + unit_ink.width() * unit_scale if unit else 0.0)
    height = ink.height()

    def fit(box: QRectF) -> tuple[float, float]:
        sy = box.height() / height
        sx = min(sy, box.width() / width)
        if sx < sy * MIN_NARROWING:  # narrower than that reads badly: smaller instead
            sy = sx / MIN_NARROWING
        return sx, sy

    box = max(boxes, key=lambda b: fit(b)[1])
    sx, sy = fit(box)
    ink_h, ink_w = max(1, round(height * sy)), max(1, round(width * sx))  # edges on whole pixels
    sy, sx = ink_h / height, ink_w / width
    top = box.top() + round((box.height() - ink_h) / 2)
    left = box.left() + round((box.width() - ink_w) / 2)
    layer = transparent(px)
    p = QPainter(layer)
    p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    p.setFont(font)
    p.setTransform(QTransform(sx, 0, 0, sy, left - ink.left() * sx, top - ink.top() * sy))
    p.drawText(QPointF(0, 0), digits)  # the default pen: black; the baseline at y = 0
    if unit:
        # the unit smaller, on the digits' baseline, after their ink
        x = ink.right() + gap - unit_ink.left() * unit_scale
        p.setTransform(QTransform(sx * unit_scale, 0, 0, sy * unit_scale,
                                  left - ink.left() * sx + x * sx, top - ink.top() * sy + ink.bottom() * sy))
        p.drawText(QPointF(0, 0), unit)
    p.end()
    painter.drawImage(0, 0, tinted(px, QColor(255, 255, 255), layer))


def _paint_text(painter: QPainter, px: int, centre: QPointF, inner: float, text: str) -> None:
    """``text`` in white, centred, as large as fits: drawn black on a layer, then tinted."""
    from PySide6.QtGui import QFont, QFontMetricsF

    font = QFont()
    font.setBold(True)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    pixel = max(6, int(inner * 0.5))
    while pixel > 6:
        font.setPixelSize(pixel)
        metrics = QFontMetricsF(font)
        if metrics.horizontalAdvance(text) <= inner * 0.9:
            break
        pixel -= 1
    font.setPixelSize(pixel)
    layer = transparent(px)
    p = QPainter(layer)
    p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    p.setFont(font)
    box = QRectF(centre.x() - inner / 2, centre.y() - inner / 2, inner, inner)
    p.drawText(box, _ALIGN_CENTER, text)  # the default pen: black
    p.end()
    painter.drawImage(0, 0, tinted(px, QColor(255, 255, 255), layer))
