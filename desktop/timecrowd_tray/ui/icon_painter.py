"""The tray icon, drawn at run time for each size from the SVG sources in ``resources/icons``.

Looks (:class:`~.icon_spec.Look`) and badges (:class:`~.icon_spec.Badge`):

* signed out: the struck-through clock, dimmed;
* loading: the clock, dimmed;
* idle: the clock, in the panel's foreground colour;
* running: the elapsed time on green (:mod:`.running_icon`);
* badges, bottom right, cut out of the glyph (:mod:`.icon_badge`).

Each size is painted separately with pixel-aligned geometry, so Qt never
scales a bitmap: the icon stays crisp from 16 to 64 px (and at any device
pixel ratio). Painting is lazy (:mod:`.icon_engine`): only the size and ratio
Qt asks for, kept in a small cache keyed by (look, size, ratio). The glyph
follows a light or dark panel (:mod:`.panel_shade`); on macOS the monochrome
looks are template images (``QIcon.setIsMask``) that the menu bar tints itself.

The icon changes at most once a minute: a spec (:class:`~.icon_spec.IconSpec`)
holds whole minutes only, and :class:`IconPainter` caches the icons of recent specs.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QRectF

# The start-up icon needs only these; the running look imports the rest when first drawn.
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from .icon_badge import paint_badge
from .icon_engine import SpecEngine
from .icon_layers import tinted, transparent
from .icon_spec import Badge, IconSpec, Look
from .resources import icon_path
from .running_icon import SMALL_MAX, paint_running, paint_running_small

HIDPI_MAX = 32  # sizes up to this one are the usual ones at 2x (any size and ratio is painted when asked)
PIXMAP_CACHE = 48  # pixmaps kept (look, size, ratio): a few looks at the one or two sizes a tray asks for

FG_ON_DARK = QColor("#f3f4f6")
FG_ON_LIGHT = QColor("#1f2937")


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
        icon = QIcon(SpecEngine(self, spec))
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
        image = transparent(px)
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)
        try:
            if spec.look is Look.RUNNING and size <= SMALL_MAX:
                paint_running_small(painter, px, spec.minutes, spec.badge is not Badge.NONE)
            elif spec.look is Look.RUNNING:
                paint_running(painter, px, size, spec.minutes, self._svg("running"))
            else:
                fg = QColor("#000000") if spec.template else (FG_ON_DARK if spec.dark_panel else FG_ON_LIGHT)
                name = "signed_out" if spec.look is Look.SIGNED_OUT else "clock"
                opacity = {Look.SIGNED_OUT: 0.75, Look.LOADING: 0.5}.get(spec.look, 1.0)
                self._paint_glyph(painter, px, name, fg, opacity)
            if spec.badge is not Badge.NONE:
                paint_badge(painter, px, spec.badge, self._svg(f"badge_{spec.badge.value}"),
                            small_running=spec.look is Look.RUNNING and size <= SMALL_MAX)
        finally:
            painter.end()
        self.renders += 1
        return image

    def _paint_glyph(self, painter: QPainter, px: int, name: str, color: QColor, opacity: float) -> None:
        """An SVG glyph recoloured: ``color`` kept where the glyph (rendered black) has alpha.

        Done with images only (no ``setPen``/``setBrush``, whose overloads create Qt's
        hundred enums: 30 ms that would delay the first icon at start-up).
        """
        layer = transparent(px)
        p = QPainter(layer)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        inset = 0 if px < 20 else px / 32  # a hair of margin where there is room
        self._svg(name).render(p, QRectF(inset, inset, px - 2 * inset, px - 2 * inset))
        p.end()
        painter.save()
        painter.setOpacity(opacity)
        painter.drawImage(0, 0, tinted(px, color, layer))
        painter.restore()
