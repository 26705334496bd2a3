"""The X11 backend on a real (virtual) X server: grabs, xdotool presses, conflicts.

The backend talks to the server through libX11 (ctypes); "another client" is
python-xlib (a test dependency), which speaks the protocol itself, so the two
share nothing but the server.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

import pytest

pytest.importorskip("Xlib")

from Xlib import XK, X, error as xerror  # noqa: E402
from Xlib.display import Display  # noqa: E402

from timecrowd_tray.platform.hotkeys import HotkeyConflict, HotkeyUnsupported, InvalidKeySequence, x11  # noqa: E402
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


def try_grab(d: Display, key: str, mask: int) -> bool:
    """Grab as another client would; False (and nothing grabbed) when the server says BadAccess."""
    catcher = xerror.CatchError(xerror.BadAccess)
    keycode = d.keysym_to_keycode(XK.string_to_keysym(key))
    d.screen().root.grab_key(keycode, mask, True, X.GrabModeAsync, X.GrabModeAsync, onerror=catcher)
    d.sync()
    return catcher.get_error() is None


def ungrab(d: Display, key: str, mask: int) -> None:
    d.screen().root.ungrab_key(d.keysym_to_keycode(XK.string_to_keysym(key)), mask)
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
    mask = X.ControlMask | X.Mod1Mask | X.ShiftMask
    assert not try_grab(other_client, "t", mask), "the other client should have got BadAccess"
    backend.unregister("toggle")
    assert try_grab(other_client, "t", mask)
    ungrab(other_client, "t", mask)


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


LOCKS = (0, X.Mod2Mask, X.LockMask, X.Mod2Mask | X.LockMask)  # NumLock is Mod2 on Xvfb


@pytest.mark.parametrize("held", LOCKS)
def test_a_conflict_on_any_lock_variant_leaves_nothing_grabbed(backend, other_client, held):
    ctrl_alt = X.ControlMask | X.Mod1Mask
    assert try_grab(other_client, "k", ctrl_alt | held)  # the other app holds one of the four states
    try:
        with pytest.raises(HotkeyConflict, match="already used by another application"):
            backend.register("palette", "Ctrl+Alt+K", lambda: None)
        assert "palette" not in repr(backend)
        # Every other state is free: none of the backend's grabs stayed behind.
        for state in LOCKS:
            if state != held:
                assert try_grab(other_client, "k", ctrl_alt | state), hex(state)
                ungrab(other_client, "k", ctrl_alt | state)
    finally:
        ungrab(other_client, "k", ctrl_alt | held)
    # Once the other app let go, the combination is the backend's, all four states of it.
    backend.register("palette", "Ctrl+Alt+K", lambda: None)
    for state in LOCKS:
        assert not try_grab(other_client, "k", ctrl_alt | state), hex(state)


@pytest.fixture
def sentinel_handler():
    """A Xlib error handler installed before the test (as Qt installs its own); the calls it got."""
    lib = x11.load_libx11()
    calls = []
    handler = x11.XErrorHandler(lambda display, event: calls.append(event.contents.error_code) or 0)
    address = ctypes.cast(handler, ctypes.c_void_p).value
    original = lib.XSetErrorHandler(address)
    try:
        yield address, calls
    finally:
        lib.XSetErrorHandler(original)


def current_error_handler() -> int:
    """The installed Xlib error handler (XSetErrorHandler answers the previous one; it is put back)."""
    lib = x11.load_libx11()
    current = lib.XSetErrorHandler(None)
    lib.XSetErrorHandler(current)
    return current


def test_the_previous_error_handler_is_restored(backend, other_client, sentinel_handler):
    address, calls = sentinel_handler
    backend.register("toggle", "Ctrl+Alt+Shift+T", lambda: None)
    assert current_error_handler() == address
    grab(other_client, "j", X.ControlMask | X.Mod1Mask)
    try:
        with pytest.raises(HotkeyConflict):
            backend.register("palette", "Ctrl+Alt+J", lambda: None)
    finally:
        ungrab(other_client, "j", X.ControlMask | X.Mod1Mask)
    assert current_error_handler() == address
    backend.unregister("toggle")
    backend.close()
    assert current_error_handler() == address
    assert calls == [], "the backend's BadAccess must not reach the handler it replaced"


def test_errors_of_other_connections_go_to_the_previous_handler(backend, sentinel_handler):
    address, calls = sentinel_handler
    with backend._trapping_errors() as errors:
        event = x11.XErrorEvent(type=0, display=0x1234, serial=1, error_code=x11.BAD_ACCESS)
        # libX11 calls the installed handler with the display the error came from
        installed = x11.XErrorHandler(current_error_handler())
        installed(0x1234, ctypes.pointer(event))
    assert calls == [x11.BAD_ACCESS] and errors == []
    assert current_error_handler() == address


def test_a_callback_may_close_the_backend(backend, x_display, qtbot):
    fired = []

    def close_it():
        fired.append(1)
        backend.close()

    backend.register("toggle", "Ctrl+Alt+Shift+T", close_it)
    backend.register("palette", "Ctrl+Alt+Shift+Space", lambda: fired.append("palette"))
    xdotool(x_display, "key", "ctrl+alt+shift+t", "ctrl+alt+shift+space")
    qtbot.waitUntil(lambda: fired == [1], timeout=5000)
    backend.close()  # twice is fine
    with pytest.raises(HotkeyUnsupported):
        backend.register("toggle", "Ctrl+Alt+Shift+T", lambda: None)


def test_closing_releases_every_grab(x_display, qapp, other_client):
    b = X11Backend(x_display)
    b.register("toggle", "Ctrl+Alt+Shift+T", lambda: None)
    assert not try_grab(other_client, "t", X.ControlMask | X.Mod1Mask | X.ShiftMask)
    b.close()
    assert try_grab(other_client, "t", X.ControlMask | X.Mod1Mask | X.ShiftMask)
    ungrab(other_client, "t", X.ControlMask | X.Mod1Mask | X.ShiftMask)


def test_no_libx11_is_unsupported(qapp, monkeypatch):
    def missing(name, *args, **kwargs):
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(x11, "_libx11", None)
    monkeypatch.setattr(x11.ctypes, "CDLL", missing)
    import ctypes.util

    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    with pytest.raises(HotkeyUnsupported, match="libX11"):
        X11Backend(":0")


def test_the_backend_needs_no_python_xlib(x_display, tmp_path):
    """The point of the ctypes binding: grabbing loads no Xlib package (it cost ~3 MiB for the day)."""
    script = """
import sys
sys.modules["Xlib"] = None  # importing python-xlib would fail
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
from timecrowd_tray.platform.hotkeys.x11 import X11Backend
b = X11Backend(sys.argv[1])
b.register("toggle", "Ctrl+Alt+Shift+T", lambda: None)
b.close()
print("ok")
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", script, x_display], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_qts_own_error_handler_survives_under_the_xcb_platform(x_display):
    """Qt's xcb plugin installs a process-wide Xlib error handler; a conflict must leave it in place."""
    script = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
from timecrowd_tray.platform.hotkeys import HotkeyConflict, x11
from Xlib import X, XK
from Xlib.display import Display
lib = x11.load_libx11()
def current():
    handler = lib.XSetErrorHandler(None)
    lib.XSetErrorHandler(handler)
    return handler
qts = current()
other = Display(sys.argv[1])
other.screen().root.grab_key(other.keysym_to_keycode(XK.string_to_keysym("k")), X.ControlMask | X.Mod1Mask,
                             True, X.GrabModeAsync, X.GrabModeAsync)
other.sync()
b = x11.X11Backend(sys.argv[1])
b.register("toggle", "Ctrl+Alt+Shift+T", lambda: None)
try:
    b.register("palette", "Ctrl+Alt+K", lambda: None)
except HotkeyConflict:
    pass
else:
    sys.exit("no conflict")
b.close()
other.close()
print(app.platformName(), current() == qts)
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": x_display}
    out = subprocess.run([sys.executable, "-c", script, x_display], env=env, capture_output=True, text=True,
                         timeout=60)
    if out.returncode != 0 and "platform plugin" in out.stderr:
        pytest.skip(f"Qt's xcb platform plugin does not load here: {out.stderr.strip()[-300:]}")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["xcb", "True"]
