"""The tray icon as Qt holds it: a :class:`QIconEngine` that paints one look lazily.

:class:`SpecEngine` paints only the size and device pixel ratio asked for, when
they are asked for (the tray asks for one size, at its next paint), through the
painter's pixmap cache (:meth:`.icon_painter.IconPainter.cached_pixmap`). So a
new look costs nothing when it is set, and one pixmap when it is shown. The
sizes of :data:`SIZES` are the icon's advertised sizes.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

# Not ``Qt`` (the namespace): touching it creates its hundred enums, 20 ms before the first icon.
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap

if TYPE_CHECKING:
    from .icon_painter import IconPainter
    from .icon_spec import IconSpec

SIZES = (16, 18, 20, 22, 24, 28, 30, 32, 36, 40, 44, 48, 56, 64)  # the sizes the icon advertises

# Engines Qt cloned (``QIcon`` detaching): kept alive here until Qt deletes them (PySide6 leaves
# a Python object returned from a C++ virtual owned by Python, which would free it under Qt's feet).
_CLONES: list[QIconEngine] = []


def _prune_clones() -> None:
    from shiboken6 import Shiboken

    _CLONES[:] = [engine for engine in _CLONES if Shiboken.isValid(engine)]


class SpecEngine(QIconEngine):
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
            from .icon_painter import IconPainter

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
        twin = SpecEngine(self._painter, self._spec)
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
