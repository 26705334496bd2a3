"""The tray menu exported over ``com.canonical.dbusmenu``, for a panel that draws it itself.

:class:`DBusMenu` answers the protocol (``GetLayout``, ``GetGroupProperties``,
``GetProperty``, ``Event``, ``EventGroup``, ``AboutToShow``, ``AboutToShowGroup``) from a
:class:`MenuTree` (the UI's menu, as ids and properties: :mod:`timecrowd_tray.ui.qmenu_tree`),
and tells the panel what changed: :meth:`DBusMenu.items_changed` sends only the properties
that differ from what the panel was last given (``ItemsPropertiesUpdated``), and
:meth:`DBusMenu.layout_changed` a new revision (``LayoutUpdated``), each gathered into one
signal per turn of the loop. Ids stay the same for the life of an item: the menu is built
once and updated in place.

No Qt here.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from .dbus_objects import MethodError, ObjectServer, Variant

log = logging.getLogger(__name__)

MENU_INTERFACE = "com.canonical.dbusmenu"
ROOT = 0
#: Each property's value when the item does not set it (the protocol's defaults: not sent).
DEFAULTS: dict[str, Any] = {"type": "standard", "label": "", "enabled": True, "visible": True, "icon-name": "",
                            "toggle-type": "", "toggle-state": -1, "children-display": ""}


class MenuTree(Protocol):
    """The menu as the exporter reads it; item 0 is the root."""

    def children(self, item_id: int) -> list[int] | None:
        """The ids under ``item_id`` in order; None when there is no such item."""
        ...

    def item_properties(self, item_id: int) -> dict[str, Variant] | None:
        """The item's dbusmenu properties (defaults may be left out); None when there is no such item."""
        ...

    def event(self, item_id: int, event_id: str) -> bool:
        """``clicked``, ``hovered``, ``opened``, ``closed``; False when there is no such item."""
        ...

    def about_to_show(self, item_id: int) -> bool:
        """The panel is about to show ``item_id``'s submenu (0: the menu); False when no such item."""
        ...


INTROSPECTION = f"""<interface name="{MENU_INTERFACE}">
<property name="Version" type="u" access="read"/><property name="TextDirection" type="s" access="read"/>
<property name="Status" type="s" access="read"/><property name="IconThemePath" type="as" access="read"/>
<method name="GetLayout"><arg type="i" name="parentId" direction="in"/>
<arg type="i" name="recursionDepth" direction="in"/><arg type="as" name="propertyNames" direction="in"/>
<arg type="u" name="revision" direction="out"/><arg type="(ia{{sv}}av)" name="layout" direction="out"/></method>
<method name="GetGroupProperties"><arg type="ai" name="ids" direction="in"/>
<arg type="as" name="propertyNames" direction="in"/><arg type="a(ia{{sv}})" name="properties" direction="out"/>
</method>
<method name="GetProperty"><arg type="i" name="id" direction="in"/><arg type="s" name="name" direction="in"/>
<arg type="v" name="value" direction="out"/></method>
<method name="Event"><arg type="i" name="id" direction="in"/><arg type="s" name="eventId" direction="in"/>
<arg type="v" name="data" direction="in"/><arg type="u" name="timestamp" direction="in"/></method>
<method name="EventGroup"><arg type="a(isvu)" name="events" direction="in"/>
<arg type="ai" name="idErrors" direction="out"/></method>
<method name="AboutToShow"><arg type="i" name="id" direction="in"/><arg type="b" name="needUpdate" direction="out"/>
</method>
<method name="AboutToShowGroup"><arg type="ai" name="ids" direction="in"/>
<arg type="ai" name="updatesNeeded" direction="out"/><arg type="ai" name="idErrors" direction="out"/></method>
<signal name="ItemsPropertiesUpdated"><arg type="a(ia{{sv}})" name="updatedProps"/>
<arg type="a(ias)" name="removedProps"/></signal>
<signal name="LayoutUpdated"><arg type="u" name="revision"/><arg type="i" name="parent"/></signal>
<signal name="ItemActivationRequested"><arg type="i" name="id"/><arg type="u" name="timestamp"/></signal>
</interface>"""


class DBusMenu:
    """Exports ``tree`` at ``path`` on ``server``."""

    interface = MENU_INTERFACE
    introspection = INTROSPECTION

    def __init__(self, server: ObjectServer, tree: MenuTree, path: str) -> None:
        self.server = server
        self.tree = tree
        self.path = path
        self.revision = 1
        self.sent: dict[int, dict[str, Variant]] = {}  # what the panel was given of each item
        self._dirty: set[int] = set()
        self._layout_parents: set[int] = set()
        self._flush_pending = False
        server.export(path, self)

    # -- the app says what changed ---------------------------------------------------------

    def items_changed(self, ids: list[int]) -> None:
        """These items' properties may have changed: the panel hears of those that did."""
        self._dirty.update(ids)
        self._flush_soon()

    def layout_changed(self, parent: int = ROOT) -> None:
        """Items were added or removed under ``parent``: a new revision."""
        self._layout_parents.add(parent)
        self._flush_soon()

    def _flush_soon(self) -> None:
        if not self._flush_pending:
            self._flush_pending = True
            asyncio.get_event_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_pending = False
        if self._layout_parents:
            parents, self._layout_parents = self._layout_parents, set()
            self.revision += 1
            parent = next(iter(parents)) if len(parents) == 1 else ROOT
            self.server.emit(self.path, MENU_INTERFACE, "LayoutUpdated", "ui", (self.revision, parent))
        dirty, self._dirty = sorted(self._dirty), set()
        updated: list[tuple[int, dict[str, Variant]]] = []
        removed: list[tuple[int, list[str]]] = []
        for item_id in dirty:
            if item_id not in self.sent:
                continue  # never given to the panel: it reads it with the layout
            now = self._properties(item_id)
            if now is None:
                self.sent.pop(item_id, None)
                continue
            before = self.sent[item_id]
            changed = {k: v for k, v in now.items() if before.get(k) != v}
            gone = [k for k in before if k not in now]
            self.sent[item_id] = now
            if changed:
                updated.append((item_id, changed))
            if gone:
                removed.append((item_id, gone))
        if updated or removed:
            self.server.emit(self.path, MENU_INTERFACE, "ItemsPropertiesUpdated", "a(ia{sv})a(ias)",
                             (updated, removed))

    # -- the bus's side -------------------------------------------------------------------------

    def properties(self) -> dict[str, Variant]:
        return {"Version": ("u", 3), "TextDirection": ("s", "ltr"), "Status": ("s", "normal"),
                "IconThemePath": ("as", [])}

    def call(self, member: str, body: tuple[Any, ...]) -> tuple[str | None, tuple[Any, ...]]:
        if member == "GetLayout":
            parent, depth, names = int(body[0]), int(body[1]), list(body[2])
            node = self._node(parent, depth, names)
            if node is None:
                raise MethodError("org.freedesktop.DBus.Error.InvalidArgs", f"no menu item {parent}")
            return "u(ia{sv}av)", (self.revision, node)
        if member == "GetGroupProperties":
            ids, names = [int(i) for i in body[0]] or self._all_ids(), list(body[1])  # no ids: every item
            found = [(i, props) for i in ids if (props := self._given(i, names)) is not None]
            return "a(ia{sv})", (found,)
        if member == "GetProperty":
            props = self._given(int(body[0]), [str(body[1])])
            if props is None or str(body[1]) not in props:
                raise MethodError("org.freedesktop.DBus.Error.InvalidArgs", f"no property {body[1]} of {body[0]}")
            return "v", (props[str(body[1])],)
        if member == "Event":
            if not self._event(int(body[0]), str(body[1])):
                raise MethodError("org.freedesktop.DBus.Error.InvalidArgs", f"no menu item {body[0]}")
            return None, ()
        if member == "EventGroup":
            errors = [int(e[0]) for e in body[0] if not self._event(int(e[0]), str(e[1]))]
            if body[0] and len(errors) == len(body[0]):
                raise MethodError("org.freedesktop.DBus.Error.InvalidArgs", "no such menu items")
            return "ai", (errors,)
        if member == "AboutToShow":
            if not self.tree.about_to_show(int(body[0])):
                raise MethodError("org.freedesktop.DBus.Error.InvalidArgs", f"no menu item {body[0]}")
            return "b", (False,)  # updated in place: nothing to fetch again
        if member == "AboutToShowGroup":
            errors = [int(i) for i in body[0] if not self.tree.about_to_show(int(i))]
            return "aiai", ([], errors)
        raise MethodError("org.freedesktop.DBus.Error.UnknownMethod", f"no method {member}")

    def _event(self, item_id: int, event_id: str) -> bool:
        log.debug("tray menu: %s on item %d", event_id, item_id)
        return self.tree.event(item_id, event_id)

    def _properties(self, item_id: int) -> dict[str, Variant] | None:
        props = self.tree.item_properties(item_id)
        if props is None:
            return None
        return {k: v for k, v in props.items() if DEFAULTS.get(k, object()) != v[1]}

    def _given(self, item_id: int, names: list[str]) -> dict[str, Variant] | None:
        """The item's properties (only ``names`` when given), remembered as sent to the panel: only
        what it was given (a panel that asks for some names still needs news of the others)."""
        props = self._properties(item_id)
        if props is None:
            return None
        if not names:
            self.sent[item_id] = props
            return dict(props)
        given = {k: v for k, v in props.items() if k in names}
        known = self.sent.setdefault(item_id, {})
        for name in names:
            if name in given:
                known[name] = given[name]
            else:
                known.pop(name, None)
        return given

    def _all_ids(self) -> list[int]:
        ids: list[int] = []
        pending = [ROOT]
        while pending:
            item_id = pending.pop()
            ids.append(item_id)
            pending.extend(self.tree.children(item_id) or [])
        return ids

    def _node(self, item_id: int, depth: int, names: list[str]) -> tuple[int, dict[str, Variant], list[Any]] | None:
        props = self._given(item_id, names)
        children = self.tree.children(item_id)
        if props is None or children is None:
            return None
        nodes: list[Any] = []
        if depth != 0:
            for child in children:
                node = self._node(child, depth - 1, names)
                if node is not None:
                    nodes.append(("(ia{sv}av)", node))
        return (item_id, props, nodes)
