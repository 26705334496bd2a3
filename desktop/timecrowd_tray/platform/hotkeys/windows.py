"""Windows global shortcuts: ``RegisterHotKey`` through ctypes, ``WM_HOTKEY`` through a Qt native event filter.

The hot keys are registered for the GUI thread (no window handle), so Windows
posts ``WM_HOTKEY`` to that thread's queue, where Qt's event dispatcher hands
it to every native event filter as a ``windows_generic_MSG``. A combination
another program registered fails with ``ERROR_HOTKEY_ALREADY_REGISTERED``:
that is raised as :class:`HotkeyConflict`.

The tables and :func:`win32_binding` are pure and tested on every platform;
the backend itself only runs on Windows.
"""

from __future__ import annotations

import sys

from .base import HotkeyBackend, HotkeyConflict, HotkeyUnsupported, KeySequence, Registration

MOD_ALT, MOD_CONTROL, MOD_SHIFT, MOD_WIN, MOD_NOREPEAT = 0x0001, 0x0002, 0x0004, 0x0008, 0x4000
WM_HOTKEY = 0x0312
ERROR_HOTKEY_ALREADY_REGISTERED = 1409

MODIFIER_FLAGS = {"Ctrl": MOD_CONTROL, "Alt": MOD_ALT, "Shift": MOD_SHIFT, "Meta": MOD_WIN}

VIRTUAL_KEYS: dict[str, int] = {
    "Space": 0x20, "Tab": 0x09, "Return": 0x0D, "Enter": 0x0D, "Escape": 0x1B, "Backspace": 0x08,
    "Insert": 0x2D, "Delete": 0x2E, "Home": 0x24, "End": 0x23, "PgUp": 0x21, "PgDown": 0x22,
    "Left": 0x25, "Up": 0x26, "Right": 0x27, "Down": 0x28, "Print": 0x2C, "Pause": 0x13,
    # VK_OEM_* keys: their US-layout characters
    ";": 0xBA, "=": 0xBB, ",": 0xBC, "-": 0xBD, ".": 0xBE, "/": 0xBF, "`": 0xC0,
    "[": 0xDB, "\\": 0xDC, "]": 0xDD, "'": 0xDE,
}
VIRTUAL_KEYS.update({chr(c): c for c in range(ord("A"), ord("Z") + 1)})
VIRTUAL_KEYS.update({chr(c): c for c in range(ord("0"), ord("9") + 1)})
VIRTUAL_KEYS.update({f"F{i}": 0x70 + i - 1 for i in range(1, 25)})


def win32_binding(seq: KeySequence) -> tuple[int, int]:
    """(fsModifiers, vk) for ``RegisterHotKey``; MOD_NOREPEAT keeps a held key from repeating."""
    mods = MOD_NOREPEAT
    for m in seq.modifiers:
        mods |= MODIFIER_FLAGS[m]
    try:
        return mods, VIRTUAL_KEYS[seq.key]
    except KeyError:
        raise HotkeyUnsupported(f"{seq.text}: no Windows virtual key for {seq.key}") from None


def hotkey_id_from_message(message_type: int, wparam: int) -> int | None:
    """The hot key id a message carries, or None when it is not WM_HOTKEY."""
    return int(wparam) if message_type == WM_HOTKEY else None


class WindowsBackend(HotkeyBackend):  # pragma: no cover - runs on Windows only
    name = "windows"
    label = "Windows"
    grabs_keys = True

    def __init__(self) -> None:
        super().__init__()
        if sys.platform != "win32":
            raise HotkeyUnsupported("the Windows shortcut backend runs on Windows only")
        import ctypes
        from ctypes import wintypes

        from PySide6.QtCore import QAbstractNativeEventFilter, QCoreApplication

        self._ctypes = ctypes
        self._user32 = ctypes.WinDLL("user32", use_last_error=True)
        self._user32.RegisterHotKey.argtypes = [wintypes.HWND, ctypes.c_int, wintypes.UINT, wintypes.UINT]
        self._user32.RegisterHotKey.restype = wintypes.BOOL
        self._user32.UnregisterHotKey.argtypes = [wintypes.HWND, ctypes.c_int]
        self._user32.UnregisterHotKey.restype = wintypes.BOOL
        self._msg_type = wintypes.MSG
        self._next_id = 1
        backend = self

        class _Filter(QAbstractNativeEventFilter):
            def nativeEventFilter(self, event_type, message):  # noqa: N802 - Qt's name
                if bytes(event_type) == b"windows_generic_MSG":
                    msg = backend._msg_type.from_address(int(message))
                    hotkey = hotkey_id_from_message(msg.message, msg.wParam)
                    if hotkey is not None and backend._dispatch(hotkey):
                        return True, 0
                return False, 0

        self._filter = _Filter()
        app = QCoreApplication.instance()
        if app is None:
            raise HotkeyUnsupported("no Qt application to receive WM_HOTKEY")
        app.installNativeEventFilter(self._filter)

    def _dispatch(self, hotkey_id: int) -> bool:
        name = self._name_where(lambda hid: hid == hotkey_id)
        return name is not None and self._activate(name)

    def _grab(self, name: str, seq: KeySequence) -> int:
        mods, vk = win32_binding(seq)
        hotkey_id = self._next_id
        self._next_id += 1
        if not self._user32.RegisterHotKey(None, hotkey_id, mods, vk):
            err = self._ctypes.get_last_error()
            if err == ERROR_HOTKEY_ALREADY_REGISTERED:
                raise HotkeyConflict(f"{seq.text} is already used by another application")
            raise HotkeyUnsupported(f"{seq.text}: RegisterHotKey failed (error {err})")
        return hotkey_id

    def _ungrab(self, name: str, registration: Registration) -> None:
        self._user32.UnregisterHotKey(None, registration.handle)

    def close(self) -> None:
        from PySide6.QtCore import QCoreApplication

        self.unregister_all()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeNativeEventFilter(self._filter)
