"""The portal backend's D-Bus messages, built with jeepney and parsed back: no bus needed."""

from __future__ import annotations

from jeepney.low_level import HeaderFields, Message, Parser

from timecrowd_tray.platform.hotkeys import create_hotkey_backend, parse_sequence, portal


def round_trip(message: Message) -> Message:
    data = message.serialise(serial=1)
    assert isinstance(data, bytes)
    parser = Parser()
    parser.add_data(data)
    parsed = parser.get_next_message()
    assert parsed is not None
    return parsed


def test_bind_shortcuts_marshals_and_round_trips():
    shortcuts = [portal.portal_shortcut("toggle", parse_sequence("Ctrl+Alt+Shift+T")),
                 portal.portal_shortcut("palette", parse_sequence("Ctrl+Alt+Shift+Space"))]
    session = "/org/freedesktop/portal/desktop/session/1_42/session_abc"
    message = portal.bind_shortcuts_message(session, shortcuts, "timecrowd_0123")
    parsed = round_trip(message)

    assert parsed.header.fields[HeaderFields.signature] == "oa(sa{sv})sa{sv}"
    assert parsed.header.fields[HeaderFields.member] == "BindShortcuts"
    assert parsed.header.fields[HeaderFields.interface] == "org.freedesktop.portal.GlobalShortcuts"
    assert parsed.header.fields[HeaderFields.destination] == "org.freedesktop.portal.Desktop"
    assert parsed.header.fields[HeaderFields.path] == "/org/freedesktop/portal/desktop"
    session_out, items, parent, options = parsed.body
    assert session_out == session
    assert parent == ""
    assert options == {"handle_token": ("s", "timecrowd_0123")}
    assert items == [
        ("toggle", {"description": ("s", "TimeCrowd: start or stop the timer"),
                    "preferred_trigger": ("s", "CTRL+ALT+SHIFT+t")}),
        ("palette", {"description": ("s", "TimeCrowd: open the task palette"),
                     "preferred_trigger": ("s", "CTRL+ALT+SHIFT+space")}),
    ]


def test_create_session_and_close_messages():
    parsed = round_trip(portal.create_session_message("timecrowd_a", "session_b"))
    assert parsed.header.fields[HeaderFields.signature] == "a{sv}"
    assert parsed.body == ({"handle_token": ("s", "timecrowd_a"), "session_handle_token": ("s", "session_b")},)
    closed = round_trip(portal.close_session_message("/org/freedesktop/portal/desktop/session/1_42/s"))
    assert closed.header.fields[HeaderFields.interface] == "org.freedesktop.portal.Session"
    assert closed.header.fields[HeaderFields.member] == "Close"


def test_version_probe_reads_the_property():
    parsed = round_trip(portal.version_message())
    assert parsed.header.fields[HeaderFields.member] == "Get"
    assert parsed.body == ("org.freedesktop.portal.GlobalShortcuts", "version")


def test_request_path_is_known_before_the_call():
    assert portal.request_path(":1.42", "timecrowd_ab") == \
        "/org/freedesktop/portal/desktop/request/1_42/timecrowd_ab"
    token = portal.new_token()
    assert token.startswith("timecrowd_") and token.replace("_", "").isalnum()


def test_bound_ids_from_a_response():
    results = {"shortcuts": ("a(sa{sv})", [
        ("toggle", {"description": ("s", "x"), "trigger_description": ("s", "Ctrl+Alt+Shift+T")}),
        ("palette", {"description": ("s", "y")}),
    ])}
    assert portal.bound_ids(results) == {"toggle": "Ctrl+Alt+Shift+T", "palette": ""}
    assert portal.bound_ids({}) == {}


def test_a_portal_that_cannot_be_reached_is_reported_not_raised(qloop, qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    backend = portal.PortalBackend()
    problems = []
    backend.on_problem = lambda name, exc: problems.append((name, str(exc)))
    backend.register("toggle", "Ctrl+Alt+Shift+T", lambda: None)
    backend.register("palette", "Ctrl+Alt+Shift+Space", lambda: None)
    qtbot.waitUntil(lambda: backend.bind_done is not None and backend.bind_done.done(), timeout=5000)
    assert len(problems) == 1  # both registrations were bound (and failed) together
    assert problems[0][0] == "*" and "portal" in problems[0][1]
    backend.close()


def test_choosing_the_portal_backend_opens_no_connection(monkeypatch, tmp_path):
    """The UI thread picks the backend: nothing may wait on D-Bus there, so nothing is sent yet."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    backend = create_hotkey_backend(["portal"])
    assert isinstance(backend, portal.PortalBackend)
    assert backend._conn is None and backend.version is None
    backend.close()


def test_without_a_session_bus_the_portal_is_missing(qloop, qtbot, monkeypatch):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    backend = portal.PortalBackend()
    problems = []
    backend.on_problem = lambda name, exc: problems.append((name, exc))
    backend.register("toggle", "Ctrl+Alt+Shift+T", lambda: None)
    qtbot.waitUntil(lambda: bool(problems), timeout=5000)
    ((name, exc),) = problems
    assert name == "*" and isinstance(exc, portal.PortalMissing) and "session bus" in str(exc)
    backend.close()
