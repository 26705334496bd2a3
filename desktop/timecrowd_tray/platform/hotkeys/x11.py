"""X11 global shortcuts: ``XGrabKey`` on the root window through libX11 (ctypes).

libX11 is already in the process wherever this backend runs (Qt's xcb plugin
links it), so a ctypes binding costs next to nothing; the library is loaded
lazily, the first time a backend is made, so this module imports anywhere.

The backend opens its own X connection (never Qt's: grabbing through Qt's xcb
connection segfaults under the offscreen platform) and watches its socket with
a :class:`QSocketNotifier`, so no thread is involved and callbacks run on the
Qt main thread; a callback that raises is logged and the shortcuts go on.
Every shortcut is grabbed four times, with and without NumLock and CapsLock,
or it would stop working whenever one of them is on. A combination another
client already grabbed makes the server answer BadAccess: that is raised as
:class:`HotkeyConflict`, never swallowed, and nothing stays half-grabbed.

X errors go to one process-wide handler (``XSetErrorHandler``), which Qt sets
for its own connection. This backend installs its own only around its
requests and the ``XSync`` that collects their answers, and puts the previous
one back straight after; an error on another connection that arrives in
between is handed to that previous handler.

Losing the X server: libX11 calls its process-wide I/O error handler, and
both the default one and Qt's end the process. Qt's own connection to the
same server dies the same way at the same moment, so this backend does not
try to survive it (and :attr:`on_problem` is never called).
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    Union,
    byref,
    c_char_p,
    c_int,
    c_long,
    c_ubyte,
    c_uint,
    c_ulong,
    c_void_p,
)
from dataclasses import dataclass

from PySide6.QtCore import QSocketNotifier, QTimer

from .base import HotkeyBackend, HotkeyConflict, HotkeyError, HotkeyUnsupported, KeySequence, Registration
from .keysyms import keysym_name

log = logging.getLogger(__name__)

# Core X modifier masks (X.h).
SHIFT_MASK, LOCK_MASK, CONTROL_MASK = 1 << 0, 1 << 1, 1 << 2
MOD1_MASK, MOD2_MASK, MOD3_MASK, MOD4_MASK, MOD5_MASK = (1 << i for i in range(3, 8))
_ALL_MODS = 0xFF

#: Where the usual keymap (and Xvfb's, and XWayland's) puts each modifier.
DEFAULT_MODIFIER_MASKS = {"Ctrl": CONTROL_MASK, "Alt": MOD1_MASK, "Shift": SHIFT_MASK, "Meta": MOD4_MASK}
DEFAULT_NUMLOCK_MASK = MOD2_MASK

# keysym names that identify a modifier's real ModN bit in the server's modifier map
_MODIFIER_KEYSYMS = {
    "Alt": ("Alt_L", "Alt_R", "Meta_L", "Meta_R"),
    "Meta": ("Super_L", "Super_R", "Hyper_L", "Hyper_R"),
    "NumLock": ("Num_Lock",),
}

# X.h constants
KEY_PRESS, KEY_RELEASE = 2, 3
GRAB_MODE_ASYNC = 1
BAD_ACCESS = 10
NO_SYMBOL = 0


def modifier_mask(modifiers: frozenset[str], masks: dict[str, int] | None = None) -> int:
    """The X modifier state for a set of canonical modifiers."""
    table = masks or DEFAULT_MODIFIER_MASKS
    mask = 0
    for m in modifiers:
        mask |= table[m]
    return mask


def lock_variants(numlock_mask: int = DEFAULT_NUMLOCK_MASK) -> tuple[int, ...]:
    """The extra states to grab so NumLock and CapsLock do not disable the shortcut."""
    return (0, numlock_mask, LOCK_MASK, numlock_mask | LOCK_MASK)


def x11_binding(seq: KeySequence, masks: dict[str, int] | None = None) -> tuple[int, str]:
    """(modifier mask, keysym name) to grab for a sequence."""
    return modifier_mask(seq.modifiers, masks), keysym_name(seq.key)


# -- libX11 through ctypes ----------------------------------------------------------------


class XErrorEvent(Structure):
    _fields_ = [
        ("type", c_int),
        ("display", c_void_p),
        ("resourceid", c_ulong),
        ("serial", c_ulong),
        ("error_code", c_ubyte),
        ("request_code", c_ubyte),
        ("minor_code", c_ubyte),
    ]


class XKeyEvent(Structure):
    _fields_ = [
        ("type", c_int),
        ("serial", c_ulong),
        ("send_event", c_int),
        ("display", c_void_p),
        ("window", c_ulong),
        ("root", c_ulong),
        ("subwindow", c_ulong),
        ("time", c_ulong),
        ("x", c_int),
        ("y", c_int),
        ("x_root", c_int),
        ("y_root", c_int),
        ("state", c_uint),
        ("keycode", c_uint),
        ("same_screen", c_int),
    ]


class XEvent(Union):
    _fields_ = [("type", c_int), ("xkey", XKeyEvent), ("pad", c_long * 24)]


class XModifierKeymap(Structure):
    _fields_ = [("max_keypermod", c_int), ("modifiermap", POINTER(c_ubyte))]


#: ``int (*XErrorHandler)(Display *, XErrorEvent *)``
XErrorHandler = CFUNCTYPE(c_int, c_void_p, POINTER(XErrorEvent))

_SIGNATURES = {
    # name: (restype, argtypes)
    "XOpenDisplay": (c_void_p, [c_char_p]),
    "XCloseDisplay": (c_int, [c_void_p]),
    "XConnectionNumber": (c_int, [c_void_p]),
    "XDefaultRootWindow": (c_ulong, [c_void_p]),
    "XGetModifierMapping": (POINTER(XModifierKeymap), [c_void_p]),
    "XFreeModifiermap": (c_int, [POINTER(XModifierKeymap)]),
    "XDisplayKeycodes": (c_int, [c_void_p, POINTER(c_int), POINTER(c_int)]),
    "XGetKeyboardMapping": (POINTER(c_ulong), [c_void_p, c_ubyte, c_int, POINTER(c_int)]),
    "XStringToKeysym": (c_ulong, [c_char_p]),
    "XFree": (c_int, [c_void_p]),
    "XGrabKey": (c_int, [c_void_p, c_int, c_uint, c_ulong, c_int, c_int, c_int]),
    "XUngrabKey": (c_int, [c_void_p, c_int, c_uint, c_ulong]),
    "XSync": (c_int, [c_void_p, c_int]),
    "XPending": (c_int, [c_void_p]),
    "XNextEvent": (c_int, [c_void_p, POINTER(XEvent)]),
    "XNextRequest": (c_ulong, [c_void_p]),
    # Raw pointers both ways: the previous handler may be C code (Qt's, libX11's default).
    "XSetErrorHandler": (c_void_p, [c_void_p]),
}

_libx11: ctypes.CDLL | None = None


def load_libx11() -> ctypes.CDLL:
    """libX11 with the prototypes this module uses (loaded once); :class:`HotkeyUnsupported` without it."""
    global _libx11
    if _libx11 is None:
        try:  # already mapped by Qt's xcb plugin wherever this backend is of use
            lib = ctypes.CDLL("libX11.so.6")
        except OSError as exc:
            from ctypes.util import find_library  # only here: it imports subprocess and more

            found = find_library("X11")  # another soname (the BSDs, XQuartz)
            if not found:
                raise HotkeyUnsupported(f"libX11 is not installed ({exc})") from None
            try:
                lib = ctypes.CDLL(found)
            except OSError as exc2:
                raise HotkeyUnsupported(f"cannot load libX11 ({exc2})") from None
        try:
            for name, (restype, argtypes) in _SIGNATURES.items():
                function = getattr(lib, name)
                function.restype = restype
                function.argtypes = argtypes
        except AttributeError as exc:  # pragma: no cover - an ancient libX11
            raise HotkeyUnsupported(f"this libX11 lacks {exc}") from None
        _libx11 = lib
    return _libx11


@dataclass(slots=True)
class _Grab:
    """What one shortcut grabbed: its key codes, each with ``mask`` and every lock variant of it."""

    keycodes: tuple[int, ...]
    mask: int


class X11Backend(HotkeyBackend):
    name = "x11"
    label = "X11"
    grabs_keys = True

    def __init__(self, display_name: str | None = None) -> None:
        super().__init__()
        self._x = load_libx11()
        name = display_name or os.environ.get("DISPLAY")
        if not name:
            raise HotkeyUnsupported("no X display (DISPLAY is not set)")
        display = self._x.XOpenDisplay(os.fsencode(name))
        if not display:
            raise HotkeyUnsupported(f"cannot open the X display {name}")
        self._display: int | None = display
        self._display_name = name
        self._trap: tuple[int, list[tuple[int, int]]] | None = None  # (first serial, errors) while trapping
        self._previous_handler: int | None = None  # the handler ours replaced, while trapping
        # Kept alive as long as the backend: libX11 holds only the address of its C thunk.
        self._error_handler = XErrorHandler(self._on_error)
        try:
            self._root = self._x.XDefaultRootWindow(display)
            with self._trapping_errors():
                self._masks, self._numlock = self._read_modifier_map()
        except BaseException:
            self._x.XCloseDisplay(display)
            self._display = None
            raise
        self._last_release: dict[int, int] = {}  # keycode -> server time of its last KeyRelease
        self._drain_posted = False
        self._notifier = QSocketNotifier(self._x.XConnectionNumber(display), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)

    def __repr__(self) -> str:
        return f"<X11Backend {self._display_name} {sorted(self._registered)}>"

    # -- X errors ------------------------------------------------------------------

    def _on_error(self, display: int | None, event) -> int:
        """The process-wide X error handler while one of our requests is answered."""
        try:
            error = event.contents
            trap = self._trap
            if trap is not None and display == self._display:
                first, errors = trap
                if error.serial >= first:  # not an answer to a request before the block
                    errors.append((error.serial, error.error_code))
                return 0
            previous = self._previous_handler
            if previous:  # another connection's error: for whoever handled errors before us
                return XErrorHandler(previous)(display, event)
        except Exception:  # noqa: BLE001 - never let an exception unwind into libX11
            log.exception("x11: the X error handler failed")
        return 0

    @contextmanager
    def _trapping_errors(self) -> Iterator[list[tuple[int, int]]]:
        """Collect the X errors our requests of the block cause (``XSync`` in the block to get them all).

        Our handler is installed for the block only and the previous one (Qt's,
        libX11's default, anyone's) is put back afterwards, whatever happens.
        """
        errors: list[tuple[int, int]] = []
        self._trap = (self._x.XNextRequest(self._display), errors)
        self._previous_handler = self._x.XSetErrorHandler(ctypes.cast(self._error_handler, c_void_p))
        try:
            yield errors
        finally:
            self._x.XSetErrorHandler(self._previous_handler)
            self._previous_handler = None
            self._trap = None

    # -- the server's keymap ---------------------------------------------------------

    def _keyboard_mapping(self) -> list[tuple[int, tuple[int, ...]]]:
        """(keycode, its keysyms) for every key of the server's core keyboard mapping."""
        low, high = c_int(), c_int()
        self._x.XDisplayKeycodes(self._display, byref(low), byref(high))
        count = high.value - low.value + 1
        per_keycode = c_int()
        syms = self._x.XGetKeyboardMapping(self._display, low.value, count, byref(per_keycode))
        if not syms:  # pragma: no cover - a broken server
            return []
        try:
            n = per_keycode.value
            flat = syms[: count * n]
        finally:
            self._x.XFree(syms)
        return [(low.value + i, tuple(flat[i * n:(i + 1) * n])) for i in range(count)]

    def _read_modifier_map(self) -> tuple[dict[str, int], int]:
        masks = dict(DEFAULT_MODIFIER_MASKS)
        numlock = DEFAULT_NUMLOCK_MASK
        mapping = self._x.XGetModifierMapping(self._display)
        if not mapping:  # pragma: no cover - a broken server
            return masks, numlock
        try:
            per = mapping.contents.max_keypermod
            codes = mapping.contents.modifiermap[: 8 * per]
        finally:
            self._x.XFreeModifiermap(mapping)
        first_keysym = {code: syms[0] if syms else NO_SYMBOL for code, syms in self._keyboard_mapping()}
        wanted = {kind: {self._x.XStringToKeysym(n.encode()) for n in names}
                  for kind, names in _MODIFIER_KEYSYMS.items()}
        where: dict[str, int] = {}
        for index in range(3, 8):  # Mod1..Mod5 only
            for keycode in codes[index * per:(index + 1) * per]:
                keysym = first_keysym.get(keycode, NO_SYMBOL) if keycode else NO_SYMBOL
                if keysym == NO_SYMBOL:
                    continue
                for kind, keysyms in wanted.items():
                    if keysym in keysyms:
                        where.setdefault(kind, 1 << index)
        masks["Alt"] = where.get("Alt", masks["Alt"])
        masks["Meta"] = where.get("Meta", masks["Meta"])
        numlock = where.get("NumLock", numlock)
        return masks, numlock

    def _keycodes(self, seq: KeySequence) -> tuple[int, ...]:
        """Every key code that carries the sequence's keysym (at any level)."""
        keysym = self._x.XStringToKeysym(keysym_name(seq.key).encode())
        codes = sorted({code for code, syms in self._keyboard_mapping() if keysym and keysym in syms})
        if not codes:
            raise HotkeyUnsupported(f"{seq.text}: the key {seq.key} is not on this keyboard layout")
        return tuple(codes)

    # -- grabbing ----------------------------------------------------------------

    def _grab(self, name: str, seq: KeySequence) -> _Grab:
        keycodes = self._keycodes(seq)
        mask = modifier_mask(seq.modifiers, self._masks)
        states = [(keycode, mask | variant) for keycode in keycodes for variant in lock_variants(self._numlock)]
        with self._trapping_errors() as errors:
            for keycode, state in states:
                self._x.XGrabKey(self._display, keycode, state, self._root, True, GRAB_MODE_ASYNC,
                                 GRAB_MODE_ASYNC)
            self._x.XSync(self._display, False)  # the server has now answered every grab
            if errors:
                # XUngrabKey only releases our own grabs: the other client keeps its one.
                for keycode, state in states:
                    self._x.XUngrabKey(self._display, keycode, state, self._root)
                self._x.XSync(self._display, False)
        self._post_drain()  # XSync may have queued events the notifier will not see
        if errors:
            codes = {code for _serial, code in errors}
            if BAD_ACCESS in codes:
                raise HotkeyConflict(f"{seq.text} is already used by another application")
            raise HotkeyError(f"the X server refused {seq.text} (X error {sorted(codes)})")
        log.debug("x11: grabbed %s (keycodes %s, state %#x) for %s", seq.text, keycodes, mask, name)
        return _Grab(keycodes, mask)

    def _ungrab(self, name: str, registration: Registration) -> None:
        grab = registration.handle
        with self._trapping_errors() as errors:
            for keycode in grab.keycodes:
                for variant in lock_variants(self._numlock):
                    self._x.XUngrabKey(self._display, keycode, grab.mask | variant, self._root)
            self._x.XSync(self._display, False)
        if errors:  # pragma: no cover - ungrabbing what we grabbed cannot fail
            log.warning("x11: releasing %s: X errors %s", registration.sequence.text, errors)
        self._post_drain()

    def close(self) -> None:
        """Release the grabs and the connection. Safe to call twice, and from a shortcut's callback."""
        if self._closed:
            return
        try:
            self.unregister_all()
        except HotkeyError:  # pragma: no cover
            pass
        self._closed = True
        self._notifier.setEnabled(False)
        self._notifier.deleteLater()
        display, self._display = self._display, None
        if display:
            self._x.XCloseDisplay(display)

    # -- events ---------------------------------------------------------------------

    def _post_drain(self) -> None:
        """Drain on the next turn of the event loop: events read by XSync wake no notifier."""
        if not self._drain_posted and not self._closed:
            self._drain_posted = True
            QTimer.singleShot(0, self._posted_drain)

    def _posted_drain(self) -> None:
        self._drain_posted = False
        self._drain()

    def _drain(self, *_args: object) -> None:
        event = XEvent()  # one per call: a callback may run a nested event loop that drains too
        while not self._closed and self._x.XPending(self._display):
            self._x.XNextEvent(self._display, byref(event))
            if event.type in (KEY_PRESS, KEY_RELEASE):
                key = event.xkey
                self._handle(key.type, key.keycode, key.state, key.time)

    def _handle(self, kind: int, keycode: int, state: int, time: int) -> None:
        if kind == KEY_RELEASE:
            self._last_release[keycode] = time
            return
        # Without detectable auto-repeat, a held key repeats as Release+Press with one timestamp.
        if self._last_release.get(keycode) == time:
            return
        state = state & _ALL_MODS & ~(LOCK_MASK | self._numlock)
        name = self._name_where(lambda grab: keycode in grab.keycodes and state == grab.mask)
        if name is not None:
            log.debug("x11: %s pressed (%s)", self._registered[name].sequence.text, name)
            self._activate(name)
