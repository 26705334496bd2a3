"""Key-sequence parsing and every backend's translation tables: pure, run on any machine."""

from __future__ import annotations

import pytest

from timecrowd_tray.core.settings import SCHEMA, parse_setting
from timecrowd_tray.platform.hotkeys import (
    FALLBACK_HINT,
    HotkeyUnsupported,
    InvalidKeySequence,
    KeySequence,
    NullBackend,
    backend_candidates,
    create_hotkey_backend,
    macos,
    parse_sequence,
    windows,
)
from timecrowd_tray.platform.hotkeys.base import FUNCTION_KEYS, NAMED_KEYS, PUNCTUATION, HotkeyBackend
from timecrowd_tray.platform.hotkeys.keysyms import keysym_name, xdg_trigger
from timecrowd_tray.platform.hotkeys.x11 import (
    CONTROL_MASK,
    LOCK_MASK,
    MOD1_MASK,
    MOD2_MASK,
    MOD4_MASK,
    SHIFT_MASK,
    lock_variants,
    x11_binding,
)

ALL_KEYS = [chr(c) for c in range(ord("A"), ord("Z") + 1)] + [str(d) for d in range(10)] + list(NAMED_KEYS) \
    + list(FUNCTION_KEYS) + list(PUNCTUATION)


def seq(mods: set[str], key: str) -> KeySequence:
    return KeySequence(frozenset(mods), key)


# -- parsing -------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Ctrl+Alt+Shift+T", seq({"Ctrl", "Alt", "Shift"}, "T")),
    ("ctrl+alt+shift+t", seq({"Ctrl", "Alt", "Shift"}, "T")),
    ("Ctrl+Alt+Shift+Space", seq({"Ctrl", "Alt", "Shift"}, "Space")),
    (" Meta + F12 ", seq({"Meta"}, "F12")),
    ("Super+Return", seq({"Meta"}, "Return")),
    ("Alt+PageUp", seq({"Alt"}, "PgUp")),
    ("Ctrl+Esc", seq({"Ctrl"}, "Escape")),
    ("Ctrl+,", seq({"Ctrl"}, ",")),
    ("Ctrl+Alt+5", seq({"Ctrl", "Alt"}, "5")),
])
def test_parse_sequence(text, expected):
    assert parse_sequence(text) == expected


@pytest.mark.parametrize("text, words", [
    ("", "empty"),
    ("T", "modifier"),
    ("Shift+T", "Shift alone"),
    ("Ctrl+Alt", "needs a key"),
    ("Hyper+T", "unknown modifier"),
    ("Ctrl+Alt+Banana", "unknown key"),
    ("Ctrl+Alt++", "not a shortcut"),
    ("Ctrl+é", "cannot be used"),
])
def test_parse_sequence_refuses_with_a_reason(text, words):
    with pytest.raises(InvalidKeySequence, match=words):
        parse_sequence(text)


def test_invalid_sequences_are_unsupported_and_value_errors():
    assert issubclass(InvalidKeySequence, HotkeyUnsupported)
    assert issubclass(InvalidKeySequence, ValueError)


def test_round_trip_of_the_portable_text():
    for text in ("Ctrl+Alt+Shift+T", "Ctrl+Alt+Shift+Space", "Alt+Meta+F5", "Ctrl+Shift+/"):
        assert parse_sequence(text).text == text


def test_settings_defaults_parse_and_every_setting_value_the_schema_accepts_parses():
    for key in ("hotkey.toggle", "hotkey.palette"):
        default = SCHEMA[key].default
        assert parse_sequence(default).modifiers == {"Ctrl", "Alt", "Shift"}
        for text in ("super+alt+k", "ctrl+shift+alt+f9", "Meta+Space"):
            assert parse_sequence(parse_setting(key, text)) == parse_sequence(text)


# -- X11 and the XDG shortcuts spec ---------------------------------------------------


def test_every_key_has_an_x_keysym_name():
    from Xlib import XK

    for key in ALL_KEYS:
        name = keysym_name(key)
        assert XK.string_to_keysym(name) != 0, (key, name)


@pytest.mark.parametrize("key, name", [("T", "t"), ("5", "5"), ("Space", "space"), ("PgUp", "Prior"),
                                       ("PgDown", "Next"), ("Backspace", "BackSpace"), (",", "comma"),
                                       ("F24", "F24"), ("Enter", "KP_Enter")])
def test_keysym_names(key, name):
    assert keysym_name(key) == name


def test_x11_binding_and_lock_variants():
    assert x11_binding(parse_sequence("Ctrl+Alt+Shift+T")) == (CONTROL_MASK | MOD1_MASK | SHIFT_MASK, "t")
    assert x11_binding(parse_sequence("Meta+Space")) == (MOD4_MASK, "space")
    # NumLock and CapsLock must not disable the shortcut: four grabs per combination.
    assert lock_variants() == (0, MOD2_MASK, LOCK_MASK, MOD2_MASK | LOCK_MASK)
    # a server whose Alt sits on Mod3 (the real map is read at run time)
    masks = {"Ctrl": CONTROL_MASK, "Alt": 1 << 5, "Shift": SHIFT_MASK, "Meta": MOD4_MASK}
    assert x11_binding(parse_sequence("Alt+T"), masks) == (1 << 5, "t")


@pytest.mark.parametrize("text, trigger", [
    ("Ctrl+Alt+Shift+T", "CTRL+ALT+SHIFT+t"),
    ("Ctrl+Alt+Shift+Space", "CTRL+ALT+SHIFT+space"),
    ("Meta+Return", "LOGO+Return"),
    ("Alt+F5", "ALT+F5"),
])
def test_portal_triggers_follow_the_xdg_shortcuts_spec(text, trigger):
    assert xdg_trigger(parse_sequence(text)) == trigger


# -- Windows -------------------------------------------------------------------------


def test_windows_bindings():
    mods, vk = windows.win32_binding(parse_sequence("Ctrl+Alt+Shift+T"))
    assert mods == windows.MOD_CONTROL | windows.MOD_ALT | windows.MOD_SHIFT | windows.MOD_NOREPEAT
    assert vk == ord("T")
    assert windows.win32_binding(parse_sequence("Meta+Space")) == (windows.MOD_WIN | windows.MOD_NOREPEAT, 0x20)
    assert windows.win32_binding(parse_sequence("Ctrl+F1"))[1] == 0x70
    assert windows.win32_binding(parse_sequence("Ctrl+F24"))[1] == 0x87
    assert windows.win32_binding(parse_sequence("Ctrl+Alt+9"))[1] == 0x39
    assert windows.win32_binding(parse_sequence("Ctrl+Alt+/"))[1] == 0xBF  # VK_OEM_2


def test_every_key_has_a_windows_virtual_key_and_they_are_distinct_where_they_should_be():
    codes = {key: windows.VIRTUAL_KEYS[key] for key in ALL_KEYS}
    assert len(set(codes.values())) == len(codes) - 1  # Return and Enter share VK_RETURN
    assert codes["Return"] == codes["Enter"] == 0x0D


def test_windows_message_filter_recognises_wm_hotkey_only():
    assert windows.hotkey_id_from_message(windows.WM_HOTKEY, 7) == 7
    assert windows.hotkey_id_from_message(0x0100, 7) is None  # WM_KEYDOWN


def test_windows_backend_refuses_to_run_elsewhere():
    import sys

    if sys.platform == "win32":
        pytest.skip("on Windows the backend really runs")
    with pytest.raises(HotkeyUnsupported):
        windows.WindowsBackend()


# -- macOS ---------------------------------------------------------------------------


def test_macos_bindings_follow_qt_ctrl_is_command():
    mods, code = macos.carbon_binding(parse_sequence("Ctrl+Alt+Shift+T"))
    assert mods == macos.CMD_KEY | macos.OPTION_KEY | macos.SHIFT_KEY
    assert code == 0x11  # kVK_ANSI_T
    assert macos.carbon_binding(parse_sequence("Meta+Space")) == (macos.CONTROL_KEY, 0x31)
    assert macos.carbon_binding(parse_sequence("Ctrl+F1"))[1] == 0x7A
    assert macos.display_text(parse_sequence("Ctrl+Alt+Shift+T")) == "⌥⇧⌘T"


def test_macos_key_codes_are_distinct_and_unsupported_keys_say_so():
    assert len(set(macos.KEY_CODES.values())) == len(macos.KEY_CODES)
    with pytest.raises(HotkeyUnsupported, match="no macOS key code"):
        macos.carbon_binding(parse_sequence("Ctrl+Print"))
    assert macos.fourcc("keyb") == 0x6B657962
    assert macos.TYPE_EVENT_HOTKEY_ID == 0x686B6964


# -- picking a backend ------------------------------------------------------------------


@pytest.mark.parametrize("platform, env, expected", [
    ("linux", {"DISPLAY": ":0"}, ["x11", "portal"]),
    ("linux", {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, ["portal"]),  # XWayland grabs are useless
    ("linux", {"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, ["portal"]),
    ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, ["portal"]),
    ("linux", {}, ["portal"]),
    ("win32", {}, ["windows"]),
    ("darwin", {}, ["macos"]),
    ("linux", {"DISPLAY": ":0", "TIMECROWD_TRAY_HOTKEY_BACKEND": "none"}, ["none"]),
])
def test_backend_candidates(platform, env, expected):
    assert backend_candidates(platform, env) == expected


class _Fake(HotkeyBackend):
    name = "fake"

    def register(self, name, sequence, callback):
        pass

    def unregister(self, name):
        pass

    def unregister_all(self):
        pass


def test_the_first_backend_that_starts_wins_and_failures_fall_through():
    def factory(name):
        if name == "x11":
            raise HotkeyUnsupported("cannot open the X display")
        if name == "boom":
            raise RuntimeError("broken")
        return _Fake()

    assert isinstance(create_hotkey_backend(["boom", "x11", "portal"], factory), _Fake)
    null = create_hotkey_backend(["x11"], factory)
    assert isinstance(null, NullBackend)
    assert "cannot open the X display" in null.reason


def test_null_backend_tells_what_to_do_instead():
    backend = NullBackend("wayland without the portal")
    with pytest.raises(HotkeyUnsupported) as info:
        backend.register("toggle", "Ctrl+Alt+Shift+T", lambda: None)
    assert "timecrowd-tray toggle" in str(info.value)
    assert str(info.value) == FALLBACK_HINT
    with pytest.raises(InvalidKeySequence):
        backend.register("toggle", "T", lambda: None)
