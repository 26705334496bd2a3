"""A window's body that scrolls when the screen is too short for all of it.

A window whose messages can all appear at once (the sign-in window) may need more
height than a laptop screen has: its bottom, with the buttons, would be off the
screen. :class:`ScrollingBody` holds such a window's content in a frameless
scroll area that asks for the content's whole height at its width (so there is
no scroll bar while the screen has room), and :meth:`ScrollingBody.fit_window`
grows the window to that height, never past the screen's available height: past
it, the body scrolls and the buttons under it stay on the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import QFrame, QLayout, QScrollArea, QSizePolicy, QStyle, QWidget

#: What a window manager adds above a window (its title bar) when Qt cannot tell yet (not shown).
TITLE_BAR = 32
#: The least a scrolled body keeps of its content on the screen.
LEAST_HEIGHT = 120


class ScrollingBody(QScrollArea):
    """The content (:attr:`content`, give it a layout) of a window, scrolled only when the screen is short."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scrollingBody")
        self.content = QWidget()
        self.content.setObjectName("scrollingContent")
        self.setWidget(self.content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Tab goes from field to field (the area scrolls to each), never to the area itself.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.viewport().setAutoFillBackground(False)  # the window's own background, as without a scroll area
        self.content.setAutoFillBackground(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        handled = super().eventFilter(watched, event)
        if watched is self.content and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the content changed (a message appeared): the window's layout hears of it
        return handled

    def _content_layout(self) -> QLayout | None:
        return self.content.layout()

    def _scroll_bar_width(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        """The content's whole height at ``width`` (its wrapped texts at that width)."""
        layout = self._content_layout()
        if layout is None:
            return super().heightForWidth(width)
        frame = 2 * self.frameWidth()
        if layout.hasHeightForWidth():
            return layout.totalHeightForWidth(max(0, width - frame)) + frame
        return layout.totalSizeHint().height() + frame

    def sizeHint(self) -> QSize:
        layout = self._content_layout()
        if layout is None:
            return super().sizeHint()
        width = layout.totalSizeHint().width() + 2 * self.frameWidth()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        # As narrow as the content can be even with a scroll bar beside it (nothing cut off on the right);
        # as short as a few lines: the rest scrolls.
        layout = self._content_layout()
        if layout is None:
            return super().minimumSizeHint()
        width = layout.totalMinimumSize().width() + 2 * self.frameWidth() + self._scroll_bar_width()
        return QSize(width, min(LEAST_HEIGHT, self.heightForWidth(width)))

    def show_widget(self, widget: QWidget) -> None:
        """Scroll ``widget`` (a message that just appeared) into view, once the layout made room for it."""
        QTimer.singleShot(0, self, lambda: self.ensureWidgetVisible(widget) if widget.isVisible() else None)

    @staticmethod
    def room(window: QWidget) -> int:
        """The height ``window`` can have on its screen, less what the window manager puts around it."""
        screen = window.screen()
        if screen is None:
            return 1 << 20
        frame = window.frameGeometry().height() - window.geometry().height()
        return screen.availableGeometry().height() - (frame if frame > 0 else TITLE_BAR)

    @classmethod
    def fit_window(cls, window: QWidget) -> None:
        """Make room for what just appeared in ``window``, up to its screen's height; never shrink it otherwise.

        A top-level window does not follow its word-wrapped labels' height for its width by itself:
        without this, a long message would be squeezed (cut off) into the space there was.
        """
        layout = window.layout()
        if layout is None:
            return
        layout.activate()
        # Not narrower than what cannot wrap (a check box); the explicit minimum width keeps Qt from
        # applying the layout's own minimum to the window.
        least = layout.totalMinimumSize().width()
        if least > window.minimumWidth():
            window.setMinimumWidth(least)
        width = max(window.width(), least)
        needed = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        room = cls.room(window)
        height = min(max(needed, window.height()), room)  # (Qt opens a window as tall as it wants, screen or not)
        if width != window.width() or height != window.height():
            window.resize(width, height)
            cls._keep_on_screen(window)

    @staticmethod
    def _keep_on_screen(window: QWidget) -> None:
        """A window that grew past the screen's bottom moves up (its buttons stay reachable)."""
        screen = window.screen()
        if screen is None or not window.isVisible():
            return
        available = screen.availableGeometry()
        below = window.frameGeometry().bottom() - available.bottom()
        if below > 0:
            window.move(window.x(), max(available.top(), window.y() - below))
