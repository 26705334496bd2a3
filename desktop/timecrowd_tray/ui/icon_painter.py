"""The tray icon, drawn at run time for each size from the SVG sources in ``resources/icons``.

Looks (:class:`Look`) and badges (:class:`Badge`):

* signed out: the struck-through clock, dimmed;
* loading: the clock, dimmed;
* idle: the clock, in the panel's foreground colour;
* running, above 24 px: a green disc with a ring filling clockwise with the
  minutes of the current hour, and in its centre ``H:MM`` from 32 px up; below
  32 px the hours after the first hour, else a dot;
* running, up to 24 px (:data:`SMALL_MAX`: the usual panel sizes, 22 px on many
  Linux panels): no ring, the elapsed time alone in white, bold and condensed,
  filling a green tile (:func:`small_label`: ``42`` minutes under an hour, then
  ``1h``... with a bar filling with the minutes of the hour, then days). The
  tile carries the contrast (4.5:1), so it reads on light and dark panels alike;
* badges, bottom right, cut out of the glyph: amber arrow = changes waiting to
  be sent, grey = offline, red = the server refused something.

Each size is painted separately with pixel-aligned geometry, so Qt never
scales a bitmap: the icon stays crisp from 16 to 64 px (and at any device
pixel ratio). Painting is lazy: the icon is a :class:`QIconEngine`
(:class:`_SpecEngine`) that paints only the size and device pixel ratio asked
for, when they are asked for (the tray asks for one size, at its next paint),
and keeps what it painted in a small cache keyed by (look, size, ratio). So a
new look costs nothing when it is set, and one pixmap when it is shown. The
sizes of :data:`SIZES` are the icon's advertised sizes. The glyph follows a
light or dark panel (:func:`panel_is_dark`); on macOS the monochrome looks are
template images (``QIcon.setIsMask``) that the menu bar tints itself.

The icon changes at most once a minute: a spec (:class:`IconSpec`) holds whole
minutes only, and :class:`IconPainter` caches the icons of recent specs.

One module, a little longer than the others: the app imports it before the
first icon shows, where every further module to find and load is time the
user waits for the icon.
"""

from __future__ import annotations

import enum
import os
import sys
import weakref
from collections import OrderedDict
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

# Not ``Qt`` (the namespace): touching it creates its hundred enums, 20 ms before the first icon.
from PySide6.QtCore import QByteArray, QPointF, QRect, QRectF, QSize

# The start-up icon needs only these; the running look imports the rest when first drawn.
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from ..core.durations import format_hm
from .resources import icon_path

if TYPE_CHECKING:  # imported when first needed: the start-up icon is drawn before the timer is loaded
    from ..core.timer import TimerState

SIZES = (16, 18, 20, 22, 24, 28, 30, 32, 36, 40, 44, 48, 56, 64)  # the sizes the icon advertises
HIDPI_MAX = 32  # sizes up to this one are the usual ones at 2x (any size and ratio is painted when asked)
PIXMAP_CACHE = 48  # pixmaps kept (look, size, ratio): a few looks at the one or two sizes a tray asks for

ACCENT = QColor("#0f9d76")
# The running tile at small sizes, behind white digits: ACCENT a shade deeper, for a contrast of
# 4.5:1 with white (ACCENT's is 3.4:1), and still within 24 of ACCENT on each channel (the running
# green that benchmarks/_xprobe.py looks for on the screen).
ACCENT_DEEP = "#0a8665"
MIN_NARROWING = 0.72  # the small digits are narrowed at most to this share of their width
SMALL_MAX = 24  # up to this size the running look is the elapsed time alone, as large as the icon allows
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


def _badge_diameter(px: int, small_running: bool = False) -> int:
    """The badge's size: a little smaller on the small running tile, which keeps the rest for the digits."""
    return max(7, round(px * (0.42 if small_running or px >= 32 else 0.5)))


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


def panel_is_dark() -> bool:
    """Whether the panel the icon sits on is dark, where the platform says.

    ``$TIMECROWD_TRAY_PANEL`` (light/dark) overrides. Windows: the taskbar's
    own setting. GNOME's and Unity's top bars are dark whatever the theme.
    Elsewhere (KDE, Xfce...) the desktop theme's colours as Qt has them (a dark
    window colour means a dark theme, panel included); on X11 the tray view
    (:mod:`.tray_view`) then looks at the panel's real pixels once the icon is docked.
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


# Engines Qt cloned (``QIcon`` detaching): kept alive here until Qt deletes them (PySide6 leaves
# a Python object returned from a C++ virtual owned by Python, which would free it under Qt's feet).
_CLONES: list[QIconEngine] = []


def _prune_clones() -> None:
    from shiboken6 import Shiboken

    _CLONES[:] = [engine for engine in _CLONES if Shiboken.isValid(engine)]


class _SpecEngine(QIconEngine):
    """One look (:class:`IconSpec`), painted by :class:`IconPainter` at the size and ratio asked for.

    The painter is held weakly: it holds this engine's icon, and a reference cycle running
    through Qt's side would leave the collector to tear Qt wrappers down in any order.
    """

    def __init__(self, painter: IconPainter, spec: IconSpec) -> None:
        super().__init__()
        self._painter_ref = weakref.ref(painter)
        self._spec = spec

    @property
    def _painter(self) -> IconPainter:
        painter = self._painter_ref()
        if painter is None:  # the icon outlived its painter (a copy kept elsewhere): paint alone
            painter = IconPainter()
            self._orphan = painter
            self._painter_ref = weakref.ref(painter)
        return painter

    @staticmethod
    def _side(size: QSize) -> int:
        return max(1, min(size.width(), size.height()))  # square, never larger than asked

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:  # noqa: N802
        side = self._side(size)
        return QSize(side, side)

    def availableSizes(self, mode: QIcon.Mode = QIcon.Mode.Normal,  # noqa: N802
                       state: QIcon.State = QIcon.State.Off) -> list[QSize]:
        return [QSize(s, s) for s in SIZES]

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self._painter.cached_pixmap(self._spec, self._side(size), 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State,  # noqa: N802
                     scale: float) -> QPixmap:
        if scale > 1.0 and _scaled_gets_device_pixels():
            size = QSize(round(size.width() / scale), round(size.height() / scale))
        return self._painter.cached_pixmap(self._spec, self._side(size), max(1.0, float(scale)))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        device = painter.device()
        dpr = float(device.devicePixelRatioF()) if device is not None else 1.0
        side = self._side(rect.size())
        pixmap = self._painter.cached_pixmap(self._spec, side, max(1.0, dpr))
        x = rect.x() + (rect.width() - side) // 2
        y = rect.y() + (rect.height() - side) // 2
        painter.drawPixmap(QRect(x, y, side, side), pixmap)

    def clone(self) -> QIconEngine:
        _prune_clones()
        twin = _SpecEngine(self._painter, self._spec)
        _CLONES.append(twin)
        return twin

    def key(self) -> str:
        return "timecrowd-tray"

    def isNull(self) -> bool:  # noqa: N802
        return False


_DEVICE_PIXELS: bool | None = None


def _scaled_gets_device_pixels() -> bool:
    """Whether this Qt passes ``QIconEngine.scaledPixmap`` the size in device pixels (older Qt 6)
    rather than in logical pixels (found once, by asking a probe engine)."""
    global _DEVICE_PIXELS
    if _DEVICE_PIXELS is None:
        seen: list[int] = []

        class Probe(QIconEngine):
            def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
                return QPixmap()

            def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State,  # noqa: N802
                             scale: float) -> QPixmap:
                seen.append(size.width())
                return QPixmap()

            def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
                pass

            def clone(self) -> QIconEngine:  # never called: the probe icon is not shared
                return Probe()

        _DEVICE_PIXELS = False  # while probing (and if the probe tells nothing)
        QIcon(Probe()).pixmap(QSize(10, 10), 2.0)
        _DEVICE_PIXELS = bool(seen) and seen[0] == 20
    return _DEVICE_PIXELS


class IconPainter:
    """Paints :class:`IconSpec` s, lazily: keeps the icons of the last few specs and the pixmaps
    painted for them."""

    def __init__(self, cache_size: int = 8, pixmap_cache_size: int = PIXMAP_CACHE) -> None:
        self._renderers: dict[str, QSvgRenderer] = {}
        self._cache: OrderedDict[IconSpec, QIcon] = OrderedDict()
        self._cache_size = cache_size
        self._pixmaps: OrderedDict[tuple[IconSpec, int, float], QPixmap] = OrderedDict()
        self._pixmap_cache_size = pixmap_cache_size
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
        """The icon of ``spec``: nothing is painted until Qt asks for a size."""
        cached = self._cache.get(spec)
        if cached is not None:
            self._cache.move_to_end(spec)
            return cached
        icon = QIcon(_SpecEngine(self, spec))
        if spec.template and spec.look is not Look.RUNNING and spec.badge is Badge.NONE:
            icon.setIsMask(True)  # before the icon is shared: no copy of the engine
        self._cache[spec] = icon
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return icon

    def clear(self) -> None:
        """Forget the icons and pixmaps kept (the owner is going away)."""
        self._cache.clear()
        self._pixmaps.clear()

    def cached_pixmap(self, spec: IconSpec, size: int, dpr: float = 1.0) -> QPixmap:
        """:meth:`pixmap`, painted once per (spec, size, ratio) among the recent ones."""
        key = (spec, size, dpr)
        pixmap = self._pixmaps.get(key)
        if pixmap is not None:
            self._pixmaps.move_to_end(key)
            return pixmap
        pixmap = self.pixmap(spec, size, dpr)
        self._pixmaps[key] = pixmap
        while len(self._pixmaps) > self._pixmap_cache_size:
            self._pixmaps.popitem(last=False)
        return pixmap

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
            if spec.look is Look.RUNNING and size <= SMALL_MAX:
                self._paint_running_small(painter, px, spec.minutes, spec.badge is not Badge.NONE)
            elif spec.look is Look.RUNNING:
                self._paint_running(painter, px, size, spec.minutes)
            else:
                fg = QColor("#000000") if spec.template else (FG_ON_DARK if spec.dark_panel else FG_ON_LIGHT)
                name = "signed_out" if spec.look is Look.SIGNED_OUT else "clock"
                opacity = {Look.SIGNED_OUT: 0.75, Look.LOADING: 0.5}.get(spec.look, 1.0)
                self._paint_glyph(painter, px, name, fg, opacity)
            if spec.badge is not Badge.NONE:
                self._paint_badge(painter, px, spec.badge, small_running=spec.look is Look.RUNNING
                                  and size <= SMALL_MAX)
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
        """The green disc, the ring of the minutes of the hour, and the hours (or a dot) inside.

        The ring, its filled sector and the dot are drawn as SVG (and the text through a
        tinted layer, as the glyphs): no ``QPen``/``QBrush``, whose overloads create Qt's
        hundred enums (40 ms) when the first icon at start-up is the running look.
        """
        import math

        self._svg("running").render(painter, QRectF(0, 0, px, px))
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
            self._paint_text(painter, px, QPointF(c, c), inner, text)

    def _paint_running_small(self, painter: QPainter, px: int, minutes: int, badged: bool) -> None:
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
        badge_edge = px - _badge_diameter(px, True) - gap  # the badge's top and left edges, and a gap
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
        self._paint_fitted_text(painter, px, boxes, digits, unit)

    @staticmethod
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
        layer = _transparent(px)
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
        white = _solid(px, QColor(255, 255, 255))
        p = QPainter(white)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationIn)
        p.drawImage(0, 0, layer)
        p.end()
        painter.drawImage(0, 0, white)

    @staticmethod
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
        layer = _transparent(px)
        p = QPainter(layer)
        p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        p.setFont(font)
        box = QRectF(centre.x() - inner / 2, centre.y() - inner / 2, inner, inner)
        p.drawText(box, _ALIGN_CENTER, text)  # the default pen: black
        p.end()
        white = _solid(px, QColor(255, 255, 255))
        p = QPainter(white)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationIn)
        p.drawImage(0, 0, layer)
        p.end()
        painter.drawImage(0, 0, white)

    def _paint_badge(self, painter: QPainter, px: int, badge: Badge, *, small_running: bool = False) -> None:
        from PySide6.QtGui import QPen

        diameter = _badge_diameter(px, small_running)
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
