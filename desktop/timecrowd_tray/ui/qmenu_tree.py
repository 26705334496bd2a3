"""A QMenu read as a dbusmenu tree (:class:`~timecrowd_tray.platform.tray.dbusmenu.MenuTree`).

Each QAction keeps one id for its life; the menu is 0. What the panel does comes back as
the QMenu's own signals, as when Qt shows the menu itself: ``aboutToShow`` (an opening),
``hovered``, ``aboutToHide`` (a ``closed``, from the panels that send one), and a click
triggers the action once the panel has its answer. What the app changes (an action's
text, a check, an item added or removed) reaches the exporter through
:attr:`QMenuTree.changed` and :attr:`QMenuTree.layout_changed`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ..platform.tray.dbus_objects import Variant

ROOT = 0
ICON_SIZE = 16


def dbusmenu_label(text: str) -> str:
    """Qt's ``&`` mnemonics as dbusmenu's ``_`` (``&&`` is a plain ``&``, ``_`` is doubled); no shortcut part."""
    text = text.split("\t", 1)[0]
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            if text[i + 1:i + 2] == "&":
                out.append("&")
                i += 2
                continue
            out.append("_")
        elif char == "_":
            out.append("__")
        else:
            out.append(char)
        i += 1
    return "".join(out)


class QMenuTree(QObject):
    """Ids and properties of ``menu``'s items; ``changed(ids)`` and ``layout_changed(parent)`` as they change."""

    def __init__(self, menu: QMenu, *, changed: Callable[[list[int]], None],
                 layout_changed: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.menu = menu
        self._changed = changed
        self._layout_changed = layout_changed
        self._ids: dict[int, int] = {}          # id(QAction) -> item id
        self._actions: dict[int, QAction] = {}  # item id -> QAction
        self._menus: dict[int, QMenu] = {ROOT: menu}  # item id -> the QMenu it opens
        self._next = 1
        self._icons: dict[int, bytes] = {}      # QIcon.cacheKey() -> PNG
        # The menu whose aboutToShow the panel's AboutToShow just gave: its "opened" that follows
        # (KDE, GNOME send both for one opening) is the same opening, not a second one.
        self._just_shown: int | None = None
        self._watch(menu)

    def close(self) -> None:
        for watched in list(self._menus.values()):
            try:
                watched.removeEventFilter(self)
            except RuntimeError:
                pass  # already deleted
        for action in list(self._actions.values()):
            try:
                action.changed.disconnect(self._on_action_changed)
            except (RuntimeError, TypeError):
                pass

    # -- ids -------------------------------------------------------------------------------

    def _watch(self, menu: QMenu) -> None:
        menu.installEventFilter(self)
        for action in menu.actions():
            self._id_of(action)

    def _id_of(self, action: QAction) -> int:
        key = id(action)
        known = self._ids.get(key)
        if known is not None and self._actions.get(known) is action:
            return known
        item_id = self._next
        self._next += 1
        self._ids[key] = item_id
        self._actions[item_id] = action
        action.changed.connect(self._on_action_changed)
        action.destroyed.connect(lambda *_, i=item_id, k=key: self._forget(i, k))
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            self._menus[item_id] = submenu
            self._watch(submenu)
        return item_id

    def _forget(self, item_id: int, key: int) -> None:
        self._actions.pop(item_id, None)
        self._menus.pop(item_id, None)
        if self._ids.get(key) == item_id:
            del self._ids[key]

    def _on_action_changed(self) -> None:
        action = self.sender()
        if isinstance(action, QAction) and id(action) in self._ids:
            self._changed([self._ids[id(action)]])

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.ActionAdded, QEvent.Type.ActionRemoved):
            parent = next((i for i, m in self._menus.items() if m is obj), None)
            if parent is not None:
                self._layout_changed(parent)
        return super().eventFilter(obj, event)

    # -- MenuTree ----------------------------------------------------------------------------

    def children(self, item_id: int) -> list[int] | None:
        menu = self._menus.get(item_id)
        if menu is None:
            return [] if item_id in self._actions else None
        return [self._id_of(action) for action in menu.actions()]

    def item_properties(self, item_id: int) -> dict[str, Variant] | None:
        if item_id == ROOT:
            return {"children-display": ("s", "submenu")}
        action = self._actions.get(item_id)
        if action is None:
            return None
        if action.isSeparator():
            return {"type": ("s", "separator"), "visible": ("b", action.isVisible())}
        props: dict[str, Variant] = {
            "label": ("s", dbusmenu_label(action.text())),
            "enabled": ("b", action.isEnabled()),
            "visible": ("b", action.isVisible()),
        }
        if action.isCheckable():
            group = action.actionGroup()
            props["toggle-type"] = ("s", "radio" if group is not None and group.isExclusive() else "checkmark")
            props["toggle-state"] = ("i", 1 if action.isChecked() else 0)
        if item_id in self._menus:
            props["children-display"] = ("s", "submenu")
        icon = action.icon()
        if not icon.isNull():
            props["icon-data"] = ("ay", self._png(icon))
        return props

    def event(self, item_id: int, event_id: str) -> bool:
        menu = self._menus.get(item_id)
        action = self._actions.get(item_id)
        if menu is None and action is None:
            return False
        just_shown, self._just_shown = self._just_shown, None
        if event_id == "opened" and just_shown == item_id:
            return True  # told already by AboutToShow
        if event_id == "clicked" and action is not None and menu is None:
            if action.isEnabled():
                QTimer.singleShot(0, action.trigger)  # after the panel has its answer
        elif event_id == "hovered" and action is not None:
            action.hover()  # the QMenu holding it says hovered(action) too
        elif event_id == "opened" and menu is not None:
            menu.aboutToShow.emit()
        elif event_id == "closed" and menu is not None:
            menu.aboutToHide.emit()
        return True

    def about_to_show(self, item_id: int) -> bool:
        menu = self._menus.get(item_id)
        if menu is None:
            return item_id in self._actions
        menu.aboutToShow.emit()
        self._just_shown = item_id
        return True

    def _png(self, icon: object) -> bytes:
        from PySide6.QtGui import QIcon

        assert isinstance(icon, QIcon)
        key = icon.cacheKey()
        if key not in self._icons:
            data = QByteArray()
            buffer = QBuffer(data)
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            icon.pixmap(ICON_SIZE, ICON_SIZE).save(buffer, "PNG")
            self._icons[key] = bytes(data.data())
        return self._icons[key]
