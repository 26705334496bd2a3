"""The X11 backend on a real (virtual) X server: grabs, xdotool presses, conflicts."""

from __future__ import annotations

import os
import subprocess

import pytest

pytest.importorskip("Xlib")

from Xlib import X, XK  # noqa: E402
from Xlib.display import Display  # noqa: E402

from timecrowd_tray.platform.hotkeys import HotkeyConflict, HotkeyUnsupported, InvalidKeySequence  # noqa: E402
from timecrowd_tray.platform.hotkeys.x11 import X11Backend  # noqa: E402


def xdotool(display: str, *args: str) -> None:
    subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display}, check=True, timeout=10)


@pytest.fixture
def backend(x_display, qapp):
    b = X11Backend(x_display)
    yield b
    b.close()


@pytest.fixture
def other_client(x_display):
    """Another X client (as another app would be), with its own connection."""
    d = Display(x_display)
    yield d
    d.close()


def grab(d: Display, key: str, mask: int) -> None:
    keycode = d.keysym_to_keycode(XK.string_to_keysym(key))
    d.screen().root.grab_key(keycode, mask, True, X.GrabModeAsync, X.GrabModeAsync)
    d.sync()


def test_xdotool_key_fires_the_callback(backend, x_display, qtbot):
    fired = []
    backend.register("toggle", "Ctrl+Alt+Shift+T", lambda: fired.append("toggle"))
    backend.register("palette", "Ctrl+Alt+Shift+Space", lambda: fired.append("palette"))
    xdotool(x_display, "key", "ctrl+alt+shift+t")
    qtbot.waitUntil(lambda: fired == ["toggle"], timeout=5000)
    xdotool(x_display, "key", "ctrl+alt+shift+space")
    qtbot.waitUntil(lambda: fired == ["toggle", "palette"], timeout=5000)


def test_other_modifiers_do_not_fire(backend, x_display, qtbot):
    fired = []
    backend.register("toggle", "Ctrl+Alt+Shift+T", lambda: fired.append("toggle"))
    backend.register("probe", "Ctrl+Alt+Shift+U", lambda: fired.append("probe"))
    xdotool(x_display, "key", "ctrl+alt+t")  # not grabbed by us: goes nowhere
    xdotool(x_display, "key", "ctrl+alt+shift+u")  # a later event proves the first was handled
    qtbot.waitUntil(lambda: fired == ["probe"], timeout=5000)


def test_it_still_fires_with_numlock_and_capslock_on(backend, x_display, qtbot):
    fired = []
    backend.register("toggle", "Ctrl+Alt+Shift+T", lambda: fired.append(1))
    xdotool(x_display, "key", "Num_Lock", "Caps_Lock")
    try:
        xdotool(x_display, "key", "ctrl+alt+shift+t")
        qtbot.waitUntil(lambda: fired == [1], timeout=5000)
    finally:
        xdotool(x_display, "key", "Num_Lock", "Caps_Lock")


def test_a_combination_another_client_grabbed_is_a_conflict(backend, other_client):
    grab(other_client, "k", X.ControlMask | X.Mod1Mask)
    with pytest.raises(HotkeyConflict, match="already used by another application"):
        backend.register("palette", "Ctrl+Alt+K", lambda: None)
    # nothing half-grabbed stays behind: another combination still works
    backend.register("palette", "Ctrl+Alt+L", lambda: None)


def test_our_grab_blocks_other_clients_and_unregister_releases_it(backend, other_client):
    backend.register("toggle", "Ctrl+Alt+Shift+T", lambda: None)
    failed = []
    keycode = other_client.keysym_to_keycode(XK.string_to_keysym("t"))
    mask = X.ControlMask | X.Mod1Mask | X.ShiftMask
    other_client.screen().root.grab_key(keycode, mask, True, X.GrabModeAsync, X.GrabModeAsync,
                                        onerror=lambda err, req: failed.append(err))
    other_client.sync()
    assert failed, "the other client should have got BadAccess"
    backend.unregister("toggle")
    failed.clear()
    other_client.screen().root.grab_key(keycode, mask, True, X.GrabModeAsync, X.GrabModeAsync,
                                        onerror=lambda err, req: failed.append(err))
    other_client.sync()
    assert not failed


def test_one_combination_for_two_actions_is_refused(backend):
    backend.register("toggle", "Ctrl+Alt+Shift+T", lambda: None)
    with pytest.raises(HotkeyConflict, match="already used by this app"):
        backend.register("palette", "ctrl+shift+alt+t", lambda: None)


def test_re_registering_a_name_replaces_its_combination(backend, x_display, qtbot):
    fired = []
    backend.register("toggle", "Ctrl+Alt+Shift+T", lambda: fired.append("old"))
    backend.register("toggle", "Ctrl+Alt+Shift+Y", lambda: fired.append("new"))
    xdotool(x_display, "key", "ctrl+alt+shift+t", "ctrl+alt+shift+y")
    qtbot.waitUntil(lambda: fired == ["new"], timeout=5000)


def test_a_failing_callback_does_not_stop_the_shortcuts(backend, x_display, qtbot, caplog):
    fired = []

    def broken():
        fired.append("broken")
        raise RuntimeError("boom")

    backend.register("toggle", "Ctrl+Alt+Shift+T", broken)
    backend.register("palette", "Ctrl+Alt+Shift+Space", lambda: fired.append("palette"))
    xdotool(x_display, "key", "ctrl+alt+shift+t", "ctrl+alt+shift+space")
    qtbot.waitUntil(lambda: fired == ["broken", "palette"], timeout=5000)
    assert "boom" in caplog.text


def test_bad_sequences_and_closed_backends(backend):
    with pytest.raises(InvalidKeySequence):
        backend.register("toggle", "T", lambda: None)
    backend.close()
    with pytest.raises(HotkeyUnsupported):
        backend.register("toggle", "Ctrl+Alt+Shift+T", lambda: None)


def test_no_display_is_unsupported(qapp):
    with pytest.raises(HotkeyUnsupported):
        X11Backend(":987")
