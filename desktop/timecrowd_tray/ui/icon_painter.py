"""The tray icon, drawn at run time for each size from the SVG sources in ``resources/icons``.

Looks (:class:`Look`) and badges (:class:`Badge`):

* signed out: the struck-through clock, dimmed;
* loading: the clock, dimmed;
* idle: the clock, in the panel's foreground colour;
* running: a green disc with a ring filling clockwise with the minutes of the
  current hour, and in its centre ``H:MM`` from 32 px up, the hours from 20 px
  (after the first hour), a dot below;
* badges, bottom right, cut out of the glyph: amber arrow = changes waiting to
  be sent, grey = offline, red = the server refused something.

Every size in :data:`SIZES` (and twice each size up to 32 px, for HiDPI
screens) is painted separately with pixel-aligned geometry, so Qt never scales
a bitmap: the icon stays crisp from 16 to 64 px. The glyph follows a light or
dark panel (:func:`panel_is_dark`); on macOS the monochrome looks are template
images (``QIcon.setIsMask``) that the menu bar tints itself.

The icon changes at most once a minute: a spec (:class:`IconSpec`) holds whole
minutes only, and :class:`IconPainter` caches the icons of recent specs.
"""

from __future__ import annotations

import enum
import os
import sys
from collections import OrderedDict
from datetime import datetime

# Not ``Qt`` (the namespace): touching it creates its hundred enums, 20 ms before the first icon.
from PySide6.QtCore import QPointF, QRectF
# The start-up icon needs only these; the running look imports the rest when first drawn.
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from typing import TYPE_CHECKING, NamedTuple

from ..core.durations import format_hm
from .resources import icon_path

if TYPE_CHECKING:  # imported when first needed: the start-up icon is drawn before the timer is loaded
    from ..core.timer import TimerState

SIZES = (16, 18, 20, 22, 24, 28, 30, 32, 36, 40, 44, 48, 56, 64)
HIDPI_MAX = 32  # sizes up to this one also get a 2x pixmap

ACCENT = QColor("#0f9d76")
FG_ON_DARK = QColor("#f3f4f6")
FG_ON_LIGHT = QColor("#1f2937")
_ALIGN_CENTER = 0x0084   # Qt.AlignCenter (AlignHCenter | AlignVCenter)

PANEL_ENV = "TIMECROWD_TRAY_PANEL"  # "light" or "dark": overrides the guess


class Look(enum.Enum):
    SIGNED_OUT = "signed_out"
    LOADING = "loading"
    IDLE = "idle"
    RUNNING = "running"


class Badge(enum.Enum):
    NONE = "none"
    PENDING = "pending"
    OFFLINE = "offline"
    ERROR = "error"


class IconSpec(NamedTuple):
    """What the icon shows (hashable: the painter caches icons by spec)."""

    look: Look
    badge: Badge = Badge.NONE
    minutes: int = 0          # running: whole minutes on the clock
    dark_panel: bool = True
    template: bool = False    # macOS: monochrome looks as template images

    @property
    def key(self) -> str:
        """A short name for file names and logs: ``running-83m-pending-dark``."""
        parts = [self.look.value]
        if self.look is Look.RUNNING:
            parts.append(f"{self.minutes}m")
        if self.badge is not Badge.NONE:
            parts.append(self.badge.value)
        parts.append("dark" if self.dark_panel else "light")
        return "-".join(parts)


def spec_for(state: TimerState, now: datetime, *, dark_panel: bool = True, template: bool = False) -> IconSpec:
    """What the icon shows for ``state`` at ``now``."""
    from ..core.timer import Phase

    if state.phase is Phase.SIGNED_OUT:
        look = Look.SIGNED_OUT
    elif state.phase is Phase.LOADING:
        look = Look.LOADING
    elif state.is_running:  # RUNNING, and STARTING shown optimistically
        look = Look.RUNNING
    else:  # IDLE, and STOPPING shown as stopped
        look = Look.IDLE
    if state.last_error:
        badge = Badge.ERROR
    elif state.offline:
        badge = Badge.OFFLINE
    elif state.pending_count:
        badge = Badge.PENDING
    else:
        badge = Badge.NONE
    minutes = int(state.elapsed(now) // 60) if look is Look.RUNNING else 0
    return IconSpec(look, badge, minutes, dark_panel, template)


def panel_is_dark() -> bool:
    """Whether the panel the icon sits on is dark, where the platform says.

    ``$TIMECROWD_TRAY_PANEL`` (light/dark) overrides. Windows: the taskbar's
    own setting. GNOME's and Unity's top bars are dark whatever the theme.
    Elsewhere (KDE, Xfce...) the desktop theme's colours as Qt has them (a dark
    window colour means a dark theme, panel included); on X11 the tray
    controller then looks at the panel's real pixels once the icon is docked.
    """
    forced = os.environ.get(PANEL_ENV, "").strip().lower()
    if forced in ("light", "dark"):
        return forced == "dark"
    if sys.platform == "win32":
        try:
            import winreg

            with winreg.OpenKey(winreg.HKEY_CURRENT_USER,
                                r"Software\Microsoft\Windows\CurrentVersion\Themes\Personalize") as key:
                return winreg.QueryValueEx(key, "SystemUsesLightTheme")[0] == 0
        except OSError:
            return True
    desktop = os.environ.get("XDG_CURRENT_DESKTOP", "").upper()
    if "GNOME" in desktop or "UNITY" in desktop:
        return True
    if QGuiApplication.instance() is None:
        return True
    # The palette rather than styleHints().colorScheme(): the latter's enum costs 30 ms at start-up.
    return QGuiApplication.palette().window().color().lightness() < 128


def _transparent(px: int) -> QImage:
    """A transparent square image. (Not ``QImage.fill``: its overloads create Qt's hundred enums,
    30 ms before the first icon; zeroed premultiplied ARGB is transparent.)"""
    return QImage(bytes(px * px * 4), px, px, px * 4, QImage.Format.Format_ARGB32_Premultiplied).copy()


def _solid(px: int, color: QColor) -> QImage:
    """A square image of one opaque colour (built from bytes: see :func:`_transparent`)."""
    pixel = bytes((color.blue(), color.green(), color.red(), 255))  # ARGB32 in memory: B, G, R, A
    return QImage(pixel * (px * px), px, px, px * 4, QImage.Format.Format_ARGB32_Premultiplied).copy()


class IconPainter:
    """Paints :class:`IconSpec` s; keeps the icons of the last few specs."""

    def __init__(self, cache_size: int = 8) -> None:
        self._renderers: dict[str, QSvgRenderer] = {}
        self._cache: OrderedDict[IconSpec, QIcon] = OrderedDict()
        self._cache_size = cache_size
        self.renders = 0  # pixmaps painted so far (tests check the icon is not repainted needlessly)

    def _svg(self, name: str) -> QSvgRenderer:
        renderer = self._renderers.get(name)
        if renderer is None:
            renderer = QSvgRenderer(str(icon_path(name)))
            if not renderer.isValid():
                raise FileNotFoundError(f"icon source missing or invalid: {icon_path(name)}")
            self._renderers[name] = renderer
        return renderer

    # -- public -------------------------------------------------------------------------

    def icon(self, spec: IconSpec) -> QIcon:
        cached = self._cache.get(spec)
        if cached is not None:
            self._cache.move_to_end(spec)
            return cached
        icon = QIcon()
        for size in SIZES:
            icon.addPixmap(self.pixmap(spec, size, 1.0))
            if size <= HIDPI_MAX:
                icon.addPixmap(self.pixmap(spec, size, 2.0))
        if spec.template and spec.look is not Look.RUNNING and spec.badge is Badge.NONE:
            icon.setIsMask(True)
        self._cache[spec] = icon
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return icon

    def pixmap(self, spec: IconSpec, size: int, dpr: float = 1.0) -> QPixmap:
        pixmap = QPixmap.fromImage(self.image(spec, size, dpr))
        pixmap.setDevicePixelRatio(dpr)
        return pixmap

    def image(self, spec: IconSpec, size: int, dpr: float = 1.0) -> QImage:
        """``size`` logical pixels square, painted at ``round(size * dpr)`` device pixels."""
        px = max(1, round(size * dpr))
        image = _transparent(px)
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)
        try:
            if spec.look is Look.RUNNING:
                self._paint_running(painter, px, size, spec.minutes)
            else:
                fg = QColor("#000000") if spec.template else (FG_ON_DARK if spec.dark_panel else FG_ON_LIGHT)
                name = "signed_out" if spec.look is Look.SIGNED_OUT else "clock"
                opacity = {Look.SIGNED_OUT: 0.75, Look.LOADING: 0.5}.get(spec.look, 1.0)
                self._paint_glyph(painter, px, name, fg, opacity)
            if spec.badge is not Badge.NONE:
                self._paint_badge(painter, px, spec.badge)
        finally:
            painter.end()
        self.renders += 1
        return image

    # -- parts --------------------------------------------------------------------------

    def _paint_glyph(self, painter: QPainter, px: int, name: str, color: QColor, opacity: float) -> None:
        """An SVG glyph recoloured: ``color`` kept where the glyph (rendered black) has alpha.

        Done with images only (no ``setPen``/``setBrush``, whose overloads create Qt's
        hundred enums: 30 ms that would delay the first icon at start-up).
        """
        layer = _transparent(px)
        p = QPainter(layer)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        inset = 0 if px < 20 else px / 32  # a hair of margin where there is room
        self._svg(name).render(p, QRectF(inset, inset, px - 2 * inset, px - 2 * inset))
        p.end()
        tinted = _solid(px, color)
        p = QPainter(tinted)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationIn)
        p.drawImage(0, 0, layer)
        p.end()
        painter.save()
        painter.setOpacity(opacity)
        painter.drawImage(0, 0, tinted)
        painter.restore()

    def _paint_running(self, painter: QPainter, px: int, logical: int, minutes: int) -> None:
        from PySide6.QtGui import QBrush, QPainterPath, QPen

        self._svg("running").render(painter, QRectF(0, 0, px, px))
        # Ring: whole-pixel width, centred on a pixel grid line so its edges land on pixels.
        width = max(2, round(px / 8))
        inset = max(1, round(px / 16))
        radius = px / 2 - inset - width / 2
        centre = QPointF(px / 2, px / 2)
        box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.setPen(QPen(QColor(255, 255, 255, 80), width))
        painter.setBrush(QBrush())  # no fill
        painter.drawEllipse(box)
        in_hour = minutes % 60
        if in_hour:
            # The filled sector of the ring (square ends, no pen caps): from 12 o'clock, clockwise.
            outer = radius + width / 2
            inner_r = radius - width / 2
            span = -in_hour * 6.0  # degrees; Qt counts counter-clockwise from three o'clock
            path = QPainterPath()
            path.arcMoveTo(QRectF(centre.x() - outer, centre.y() - outer, 2 * outer, 2 * outer), 90)
            path.arcTo(QRectF(centre.x() - outer, centre.y() - outer, 2 * outer, 2 * outer), 90, span)
            path.arcTo(QRectF(centre.x() - inner_r, centre.y() - inner_r, 2 * inner_r, 2 * inner_r),
                       90 + span, -span)
            path.closeSubpath()
            painter.setPen(QPen(QColor(0, 0, 0, 0), 0))
            painter.setBrush(QColor("#ffffff"))
            painter.drawPath(path)
        inner = 2 * (radius - width / 2)  # diameter of the disc inside the ring
        hours = minutes // 60
        if logical >= 32:
            self._paint_text(painter, centre, inner, format_hm(minutes * 60))
        elif logical >= 20 and hours >= 1:
            self._paint_text(painter, centre, inner, str(hours) if hours < 10 else "9+")
        else:
            dot = max(1.5, px / 10)
            painter.setPen(QPen(QColor(0, 0, 0, 0), 0))
            painter.setBrush(QColor("#ffffff"))
            painter.drawEllipse(centre, dot, dot)

    @staticmethod
    def _paint_text(painter: QPainter, centre: QPointF, inner: float, text: str) -> None:
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
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        box = QRectF(centre.x() - inner / 2, centre.y() - inner / 2, inner, inner)
        painter.drawText(box, _ALIGN_CENTER, text)

    def _paint_badge(self, painter: QPainter, px: int, badge: Badge) -> None:
        from PySide6.QtGui import QPen

        diameter = max(7, round(px * (0.5 if px < 32 else 0.42)))
        x = y = px - diameter
        painter.save()
        # Cut the glyph out around the badge so the two never blur into each other.
        gap = max(1, round(px / 32))
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
        painter.setPen(QPen(QColor(0, 0, 0, 0), 0))
        painter.setBrush(QColor(0, 0, 0, 255))
        painter.drawEllipse(QRectF(x - gap, y - gap, diameter + 2 * gap, diameter + 2 * gap))
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        self._svg(f"badge_{badge.value}").render(painter, QRectF(x, y, diameter, diameter))
        painter.restore()
