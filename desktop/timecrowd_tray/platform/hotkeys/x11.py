"""X11 global shortcuts: ``XGrabKey`` on the root window through python-xlib.

The backend opens its own X connection (never Qt's: grabbing through Qt's xcb
connection segfaults under the offscreen platform) and watches its socket with
a :class:`QSocketNotifier`, so no thread is involved and callbacks run on the
Qt main thread. Every shortcut is grabbed four times, with and without NumLock
and CapsLock, or it would stop working whenever one of them is on. A
combination another client already grabbed makes the server answer BadAccess:
that is raised as :class:`HotkeyConflict`, never swallowed.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from PySide6.QtCore import QSocketNotifier

from .base import (
    Callback,
    HotkeyBackend,
    HotkeyConflict,
    HotkeyError,
    HotkeyUnsupported,
    KeySequence,
    parse_sequence,
)
from .keysyms import keysym_name

log = logging.getLogger(__name__)

try:  # python-xlib is a Linux-only dependency
    from Xlib import X, XK, error as xerror
    from Xlib.display import Display
except ImportError:  # pragma: no cover - not installed off Linux
    X = XK = xerror = Display = None  # type: ignore[assignment]

# Core X modifier masks (X.h), so the pure helpers work without python-xlib.
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
}


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


@dataclass(slots=True)
class _Grab:
    sequence: KeySequence
    keycodes: tuple[int, ...]
    mask: int
    callback: Callback


class X11Backend(HotkeyBackend):
    name = "x11"
    grabs_keys = True

    def __init__(self, display_name: str | None = None) -> None:
        super().__init__()
        if Display is None:
            raise HotkeyUnsupported("python-xlib is not installed")
        name = display_name or os.environ.get("DISPLAY")
        if not name:
            raise HotkeyUnsupported("no X display (DISPLAY is not set)")
        try:
            self._display = Display(name)
        except (xerror.DisplayError, OSError) as exc:
            raise HotkeyUnsupported(f"cannot open the X display {name}: {exc}") from None
        self._display_name = name
        self._root = self._display.screen().root
        self._masks, self._numlock = self._read_modifier_map()
        self._grabs: dict[str, _Grab] = {}
        self._last_release: dict[int, int] = {}  # keycode -> server time of its last KeyRelease
        self._closed = False
        self._notifier = QSocketNotifier(self._display.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)

    def __repr__(self) -> str:
        return f"<X11Backend {self._display_name} {sorted(self._grabs)}>"

    # -- the server's keymap ---------------------------------------------------------

    def _read_modifier_map(self) -> tuple[dict[str, int], int]:
        masks = dict(DEFAULT_MODIFIER_MASKS)
        numlock = DEFAULT_NUMLOCK_MASK
        try:
            mapping = self._display.get_modifier_mapping()
        except xerror.XError:  # pragma: no cover - a broken server
            return masks, numlock
        where: dict[str, int] = {}
        for index, keycodes in enumerate(mapping):
            for keycode in keycodes:
                if not keycode:
                    continue
                name = XK.keysym_to_string(self._display.keycode_to_keysym(keycode, 0))
                for kind, names in (*_MODIFIER_KEYSYMS.items(), ("NumLock", ("Num_Lock",))):
                    if name in names and index >= 3:  # Mod1..Mod5 only
                        where.setdefault(kind, 1 << index)
        masks["Alt"] = where.get("Alt", masks["Alt"])
        masks["Meta"] = where.get("Meta", masks["Meta"])
        numlock = where.get("NumLock", numlock)
        return masks, numlock

    def _keycodes(self, seq: KeySequence) -> tuple[int, ...]:
        keysym = XK.string_to_keysym(keysym_name(seq.key))
        codes = sorted({code for code, _index in self._display.keysym_to_keycodes(keysym)})
        if not codes:
            raise HotkeyUnsupported(f"{seq.text}: the key {seq.key} is not on this keyboard layout")
        return tuple(codes)

    # -- registering -------------------------------------------------------------

    def register(self, name: str, sequence: str, callback: Callback) -> None:
        self._check_open()
        seq = parse_sequence(sequence)
        self.unregister(name)
        for other_name, other in self._grabs.items():
            if other.sequence == seq:
                raise HotkeyConflict(f"{seq.text} is already used by this app for {other_name}")
        keycodes = self._keycodes(seq)
        mask = modifier_mask(seq.modifiers, self._masks)
        catcher = xerror.CatchError(xerror.BadAccess)
        done: list[tuple[int, int]] = []
        for keycode in keycodes:
            for variant in lock_variants(self._numlock):
                self._root.grab_key(keycode, mask | variant, True, X.GrabModeAsync, X.GrabModeAsync,
                                    onerror=catcher)
                done.append((keycode, mask | variant))
        self._display.sync()  # the server has now answered every grab
        if catcher.get_error() is not None:
            for keycode, state in done:
                self._root.ungrab_key(keycode, state)
            self._display.sync()
            self._drain()
            raise HotkeyConflict(f"{seq.text} is already used by another application")
        self._grabs[name] = _Grab(seq, keycodes, mask, callback)
        log.debug("x11: grabbed %s (keycodes %s, state %#x) for %s", seq.text, keycodes, mask, name)
        self._drain()  # sync() may have queued events the notifier will not see

    def unregister(self, name: str) -> None:
        grab = self._grabs.pop(name, None)
        if grab is None or self._closed:
            return
        for keycode in grab.keycodes:
            for variant in lock_variants(self._numlock):
                self._root.ungrab_key(keycode, grab.mask | variant)
        try:
            self._display.sync()
        except xerror.ConnectionClosedError:
            self._lost()

    def unregister_all(self) -> None:
        for name in list(self._grabs):
            self.unregister(name)

    def close(self) -> None:
        if self._closed:
            return
        try:
            self.unregister_all()
        except HotkeyError:
            pass
        self._closed = True
        self._notifier.setEnabled(False)
        self._notifier.deleteLater()
        try:
            self._display.close()
        except Exception:  # noqa: BLE001 - the server may be gone already
            pass

    def _check_open(self) -> None:
        if self._closed:
            raise HotkeyUnsupported("the X11 shortcut backend was closed")

    # -- events ---------------------------------------------------------------------

    def _lost(self) -> None:
        if not self._closed:
            self._closed = True
            self._notifier.setEnabled(False)
            self._grabs.clear()
            log.warning("x11: lost the connection to %s; global shortcuts are off", self._display_name)
            self._report_problem("*", HotkeyUnsupported(f"lost the connection to the X display {self._display_name}"))

    def _drain(self, *_args: object) -> None:
        if self._closed:
            return
        try:
            while self._display.pending_events():
                self._handle(self._display.next_event())
        except xerror.ConnectionClosedError:
            self._lost()

    def _handle(self, event) -> None:
        if event.type == X.KeyRelease:
            self._last_release[event.detail] = event.time
            return
        if event.type != X.KeyPress:
            return
        # Without detectable auto-repeat, a held key repeats as Release+Press with one timestamp.
        if self._last_release.get(event.detail) == event.time:
            return
        state = event.state & _ALL_MODS & ~(LOCK_MASK | self._numlock)
        for name, grab in self._grabs.items():
            if event.detail in grab.keycodes and state == grab.mask:
                log.debug("x11: %s pressed (%s)", grab.sequence.text, name)
                try:
                    grab.callback()
                except Exception:  # noqa: BLE001 - one failing action must not stop the shortcuts
                    log.exception("the action of the %s shortcut failed", name)
                return
