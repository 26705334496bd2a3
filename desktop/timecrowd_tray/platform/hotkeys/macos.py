"""macOS global shortcuts: Carbon ``RegisterEventHotKey`` through ctypes.

Carbon hot keys are still the supported way for an app to own a global
shortcut without the Accessibility permission; Qt's Cocoa event loop
dispatches their events to the handler installed on the application target.

Qt's portable text follows Qt's macOS convention: ``Ctrl`` is the Command key
and ``Meta`` is the Control key, so the default ``Ctrl+Alt+Shift+T`` is
⌘⌥⇧T. Carbon only reports duplicates within this process
(``eventHotKeyExistsErr``); a combination another app took is not reported by
the system, a limit the README states.

The tables and :func:`carbon_binding` are pure and tested on every platform;
the backend itself only runs on macOS.
"""

from __future__ import annotations

import sys

from .base import HotkeyBackend, HotkeyConflict, HotkeyUnsupported, KeySequence, Registration

CMD_KEY, SHIFT_KEY, OPTION_KEY, CONTROL_KEY = 0x0100, 0x0200, 0x0800, 0x1000
#: Qt on macOS: Ctrl means Command, Meta means Control.
MODIFIER_FLAGS = {"Ctrl": CMD_KEY, "Alt": OPTION_KEY, "Shift": SHIFT_KEY, "Meta": CONTROL_KEY}

#: Carbon virtual key codes (Events.h, kVK_*): positions on an ANSI keyboard.
KEY_CODES: dict[str, int] = {
    "A": 0x00, "S": 0x01, "D": 0x02, "F": 0x03, "H": 0x04, "G": 0x05, "Z": 0x06, "X": 0x07,
    "C": 0x08, "V": 0x09, "B": 0x0B, "Q": 0x0C, "W": 0x0D, "E": 0x0E, "R": 0x0F, "Y": 0x10,
    "T": 0x11, "1": 0x12, "2": 0x13, "3": 0x14, "4": 0x15, "6": 0x16, "5": 0x17, "=": 0x18,
    "9": 0x19, "7": 0x1A, "-": 0x1B, "8": 0x1C, "0": 0x1D, "]": 0x1E, "O": 0x1F, "U": 0x20,
    "[": 0x21, "I": 0x22, "P": 0x23, "Return": 0x24, "L": 0x25, "J": 0x26, "'": 0x27, "K": 0x28,
    ";": 0x29, "\\": 0x2A, ",": 0x2B, "/": 0x2C, "N": 0x2D, "M": 0x2E, ".": 0x2F, "Tab": 0x30,
    "Space": 0x31, "`": 0x32, "Backspace": 0x33, "Escape": 0x35, "Enter": 0x4C,
    "F17": 0x40, "F18": 0x4F, "F19": 0x50, "F20": 0x5A, "F5": 0x60, "F6": 0x61, "F7": 0x62,
    "F3": 0x63, "F8": 0x64, "F9": 0x65, "F11": 0x67, "F13": 0x69, "F16": 0x6A, "F14": 0x6B,
    "F10": 0x6D, "F12": 0x6F, "F15": 0x71, "Insert": 0x72, "Home": 0x73, "PgUp": 0x74,
    "Delete": 0x75, "F4": 0x76, "End": 0x77, "F2": 0x78, "PgDown": 0x79, "F1": 0x7A,
    "Left": 0x7B, "Right": 0x7C, "Down": 0x7D, "Up": 0x7E,
}

EVENT_HOTKEY_EXISTS_ERR = -9878
NO_ERR = 0


def fourcc(code: str) -> int:
    """A Carbon OSType from its four characters: ``fourcc("keyb")``."""
    data = code.encode("mac_roman")
    if len(data) != 4:
        raise ValueError(f"an OSType has four characters, not {code!r}")
    return int.from_bytes(data, "big")


K_EVENT_CLASS_KEYBOARD = fourcc("keyb")
K_EVENT_HOTKEY_PRESSED = 5
K_EVENT_PARAM_DIRECT_OBJECT = fourcc("----")
TYPE_EVENT_HOTKEY_ID = fourcc("hkid")
HOTKEY_SIGNATURE = fourcc("TCTr")


def carbon_binding(seq: KeySequence) -> tuple[int, int]:
    """(modifiers, key code) for ``RegisterEventHotKey``."""
    mods = 0
    for m in seq.modifiers:
        mods |= MODIFIER_FLAGS[m]
    try:
        return mods, KEY_CODES[seq.key]
    except KeyError:
        raise HotkeyUnsupported(f"{seq.text}: the key {seq.key} has no macOS key code") from None


def display_text(seq: KeySequence) -> str:
    """The sequence as macOS menus write it: ``⌃⌥⇧⌘T``."""
    symbols = [("Meta", "⌃"), ("Alt", "⌥"), ("Shift", "⇧"), ("Ctrl", "⌘")]
    return "".join(s for m, s in symbols if m in seq.modifiers) + seq.key


class MacOSBackend(HotkeyBackend):  # pragma: no cover - runs on macOS only
    name = "macos"
    label = "macOS"
    grabs_keys = True

    def __init__(self) -> None:
        super().__init__()
        if sys.platform != "darwin":
            raise HotkeyUnsupported("the macOS shortcut backend runs on macOS only")
        import ctypes
        from ctypes import POINTER, Structure, c_int32, c_uint32, c_ulong, c_void_p

        class EventHotKeyID(Structure):
            _fields_ = [("signature", c_uint32), ("id", c_uint32)]

        class EventTypeSpec(Structure):
            _fields_ = [("eventClass", c_uint32), ("eventKind", c_uint32)]

        try:
            carbon = ctypes.CDLL("/System/Library/Frameworks/Carbon.framework/Carbon")
        except OSError as exc:
            raise HotkeyUnsupported(f"cannot load Carbon: {exc}") from None
        handler_type = ctypes.CFUNCTYPE(c_int32, c_void_p, c_void_p, c_void_p)
        carbon.GetApplicationEventTarget.restype = c_void_p
        carbon.GetApplicationEventTarget.argtypes = []
        carbon.InstallEventHandler.restype = c_int32
        carbon.InstallEventHandler.argtypes = [c_void_p, handler_type, c_ulong, POINTER(EventTypeSpec),
                                               c_void_p, POINTER(c_void_p)]
        carbon.RemoveEventHandler.argtypes = [c_void_p]
        carbon.RegisterEventHotKey.restype = c_int32
        carbon.RegisterEventHotKey.argtypes = [c_uint32, c_uint32, EventHotKeyID, c_void_p, c_uint32,
                                               POINTER(c_void_p)]
        carbon.UnregisterEventHotKey.restype = c_int32
        carbon.UnregisterEventHotKey.argtypes = [c_void_p]
        carbon.GetEventParameter.restype = c_int32
        carbon.GetEventParameter.argtypes = [c_void_p, c_uint32, c_uint32, c_void_p, c_ulong, c_void_p, c_void_p]
        self._ctypes = ctypes
        self._carbon = carbon
        self._HotKeyID = EventHotKeyID
        self._next_id = 1

        def on_event(_call_ref, event, _user_data):
            hkid = EventHotKeyID()
            status = carbon.GetEventParameter(event, K_EVENT_PARAM_DIRECT_OBJECT, TYPE_EVENT_HOTKEY_ID, None,
                                              ctypes.sizeof(hkid), None, ctypes.byref(hkid))
            if status == NO_ERR and hkid.signature == HOTKEY_SIGNATURE:
                self._dispatch(hkid.id)
            return NO_ERR

        self._handler = handler_type(on_event)  # kept alive as long as the backend
        spec = EventTypeSpec(K_EVENT_CLASS_KEYBOARD, K_EVENT_HOTKEY_PRESSED)
        self._handler_ref = c_void_p()
        status = carbon.InstallEventHandler(carbon.GetApplicationEventTarget(), self._handler, 1,
                                            ctypes.byref(spec), None, ctypes.byref(self._handler_ref))
        if status != NO_ERR:
            raise HotkeyUnsupported(f"InstallEventHandler failed ({status})")

    def _dispatch(self, hotkey_id: int) -> None:
        name = self._name_where(lambda handle: handle[0] == hotkey_id)
        if name is not None:
            self._activate(name)

    def _grab(self, name: str, seq: KeySequence) -> tuple[int, object]:
        """``(hot key id, EventHotKeyRef)``: the id names the press, the ref releases it."""
        mods, code = carbon_binding(seq)
        hotkey_id = self._next_id
        self._next_id += 1
        ref = self._ctypes.c_void_p()
        status = self._carbon.RegisterEventHotKey(code, mods, self._HotKeyID(HOTKEY_SIGNATURE, hotkey_id),
                                                  self._carbon.GetApplicationEventTarget(), 0,
                                                  self._ctypes.byref(ref))
        if status == EVENT_HOTKEY_EXISTS_ERR:
            raise HotkeyConflict(f"{display_text(seq)} is already used by another application")
        if status != NO_ERR:
            raise HotkeyUnsupported(f"{display_text(seq)}: RegisterEventHotKey failed ({status})")
        return hotkey_id, ref

    def _ungrab(self, name: str, registration: Registration) -> None:
        self._carbon.UnregisterEventHotKey(registration.handle[1])

    def close(self) -> None:
        self.unregister_all()
        if self._handler_ref:
            self._carbon.RemoveEventHandler(self._handler_ref)
            self._handler_ref = self._ctypes.c_void_p()
