"""The real xdg-desktop-portal frontend on a private bus, over a scripted GlobalShortcuts implementation.

    with PrivateSessionBus() as bus, ShortcutsBackend(bus) as backend, PortalFrontend(bus, tmp) as frontend:
        backend.bind_answer = BindAnswer(refuse={"palette"})   # what the "desktop" answers next
        ... the app's PortalBackend talks to org.freedesktop.portal.Desktop ...
        backend.activate("toggle")                             # the "user" presses the keys

The frontend is Debian's ``/usr/libexec/xdg-desktop-portal`` (1.16 on Debian 12). It reads
backend descriptions from ``$XDG_DESKTOP_PORTAL_DIR`` and uses those whose ``UseIn`` names
``$XDG_CURRENT_DESKTOP``: :meth:`PortalFrontend.start` writes one for :data:`BACKEND_NAME`.
The backend plays ``org.freedesktop.impl.portal.GlobalShortcuts`` (and the ``Session`` /
``Request`` objects the frontend closes) on its own jeepney connection and thread, as a
desktop such as KDE does, recording every call. Every wait is bounded and waits on a condition.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .sni_host import PrivateSessionBus, call
from .virtual_screen import _stop, wait_for

FRONTEND_CANDIDATES = ("/usr/libexec/xdg-desktop-portal", "/usr/lib/xdg-desktop-portal/xdg-desktop-portal")
BACKEND_NAME = "org.freedesktop.impl.portal.Test"
TEST_DESKTOP = "tctest"
PORTAL_BUS_NAME = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
IMPL_SHORTCUTS = "org.freedesktop.impl.portal.GlobalShortcuts"
IMPL_SESSION = "org.freedesktop.impl.portal.Session"
IMPL_REQUEST = "org.freedesktop.impl.portal.Request"
PROPERTIES = "org.freedesktop.DBus.Properties"


def frontend_binary() -> str | None:
    """The installed frontend, or None (Debian: xdg-desktop-portal)."""
    for path in FRONTEND_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    return shutil.which("xdg-desktop-portal")


def frontend_version(binary: str) -> str:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
    return (out.stdout or out.stderr).strip().rsplit(" ", 1)[-1]


@dataclass
class BindAnswer:
    """What the desktop answers to BindShortcuts: a response code, and ids it does not bind (taken keys).

    ``hold``: no answer at all (the desktop's dialog stays open), until the frontend goes.
    """

    response: int = 0
    refuse: set[str] = field(default_factory=set)
    hold: bool = False


@dataclass
class Recorded:
    member: str
    body: tuple[Any, ...]


class ShortcutsBackend:
    """``org.freedesktop.impl.portal.GlobalShortcuts`` answered from a thread, scripted by the test.

    ``mute=True``: every call is recorded and none answered (owning :data:`PORTAL_BUS_NAME`, a
    frontend that hangs).
    """

    def __init__(self, bus: PrivateSessionBus, name: str = BACKEND_NAME, mute: bool = False) -> None:
        self.bus = bus
        self.name = name
        self.mute = mute
        self.create_response = 0
        self.bind_answer = BindAnswer()
        self.calls: list[Recorded] = []
        #: {session handle: [(id, trigger description)]} as last bound, and the sessions closed since.
        self.sessions: dict[str, list[tuple[str, str]]] = {}
        self.closed_sessions: list[str] = []
        self._send_lock = threading.Lock()
        self._stop = threading.Event()
        self._conn: Any = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> ShortcutsBackend:
        from jeepney.bus_messages import message_bus

        self._conn = self.bus.connect()
        reply = self._conn.send_and_get_reply(message_bus.RequestName(self.name, 4), timeout=10)  # 4: do not queue
        if reply.body != (1,):
            raise RuntimeError(f"could not own {self.name}: {reply.body}")
        self._thread = threading.Thread(target=self._run, name="portal-test-backend", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._conn is not None:
            self._conn.close()
        self._conn = self._thread = None

    def __enter__(self) -> ShortcutsBackend:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what the test does -----------------------------------------------------------

    def calls_to(self, member: str) -> list[Recorded]:
        return [c for c in list(self.calls) if c.member == member]

    def live_sessions(self) -> list[str]:
        return [s for s in list(self.sessions) if s not in self.closed_sessions]

    def activate(self, shortcut_id: str, session: str | None = None, timestamp: int = 1234) -> None:
        """The user pressed a bound shortcut: Activated then Deactivated, as a desktop emits them."""
        session = session or self.live_sessions()[-1]
        for member in ("Activated", "Deactivated"):
            self._signal(member, "osta{sv}", (session, shortcut_id, timestamp, {}))

    # -- the bus side -----------------------------------------------------------------

    def _send(self, message: Any) -> None:
        with self._send_lock:
            self._conn.send(message)

    def _signal(self, member: str, signature: str, body: tuple[Any, ...]) -> None:
        from jeepney import DBusAddress, new_signal

        self._send(new_signal(DBusAddress(PORTAL_PATH, interface=IMPL_SHORTCUTS), member, signature, body))

    def _run(self) -> None:
        from jeepney.low_level import MessageType

        while not self._stop.is_set():
            try:
                message = self._conn.receive(timeout=0.1)
            except TimeoutError:
                continue
            except Exception:  # noqa: BLE001 - the connection closed: the test is over
                return
            if message.header.message_type == MessageType.method_call:
                self._answer(message)

    def _answer(self, message: Any) -> None:
        from jeepney import new_error, new_method_return
        from jeepney.low_level import HeaderFields

        fields = message.header.fields
        interface, member = fields.get(HeaderFields.interface), fields.get(HeaderFields.member)
        self.calls.append(Recorded(str(member), tuple(message.body)))
        if self.mute:
            return
        handler = {
            (IMPL_SHORTCUTS, "CreateSession"): self._create_session,
            (IMPL_SHORTCUTS, "BindShortcuts"): self._bind_shortcuts,
            (IMPL_SHORTCUTS, "ListShortcuts"): self._list_shortcuts,
            (IMPL_SESSION, "Close"): lambda m: self._close_session(str(m.header.fields[HeaderFields.path])),
            (IMPL_REQUEST, "Close"): lambda m: ("", ()),
            (PROPERTIES, "GetAll"): lambda m: ("a{sv}", ({"version": ("u", 1)},)),
            (PROPERTIES, "Get"): lambda m: ("v", (("u", 1),)),
        }.get((interface, member))
        if handler is None:
            self._send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s",
                                 (f"the test backend has no {interface}.{member}",)))
            return
        answer = handler(message)
        if answer is not None:  # None: held, never answered
            signature, body = answer
            self._send(new_method_return(message, signature or None, body))

    def _create_session(self, message: Any) -> tuple[str, tuple[Any, ...]]:
        _handle, session, _app_id, _options = message.body
        if self.create_response == 0:
            self.sessions[str(session)] = []
        # 1.16 copies "shortcuts" out of these results unconditionally: always send it.
        return "ua{sv}", (self.create_response, {"shortcuts": ("a(sa{sv})", [])})

    def _bind_shortcuts(self, message: Any) -> tuple[str, tuple[Any, ...]] | None:
        _handle, session, shortcuts, _parent, _options = message.body
        answer = self.bind_answer
        if answer.hold:
            return None
        if answer.response != 0:
            return "ua{sv}", (answer.response, {})
        bound = []
        for shortcut_id, info in shortcuts:
            if shortcut_id in answer.refuse:
                continue
            trigger = info.get("preferred_trigger", ("s", ""))[1]
            bound.append((shortcut_id, {"description": info["description"],
                                        "trigger_description": ("s", f"Press {trigger}")}))
        self.sessions[str(session)] = [(sid, info["trigger_description"][1]) for sid, info in bound]
        return "ua{sv}", (0, {"shortcuts": ("a(sa{sv})", bound)})

    def _list_shortcuts(self, message: Any) -> tuple[str, tuple[Any, ...]]:
        _handle, session = message.body
        listed = [(sid, {"trigger_description": ("s", text)}) for sid, text in self.sessions.get(str(session), [])]
        return "ua{sv}", (0, {"shortcuts": ("a(sa{sv})", listed)})

    def _close_session(self, path: str) -> tuple[str, tuple[Any, ...]]:
        self.closed_sessions.append(path)
        return "", ()


class PortalFrontend:
    """``xdg-desktop-portal`` on the private bus, configured to use :class:`ShortcutsBackend` only.

    :meth:`start` runs it as the test's child; :meth:`export_activation_environment` instead lets
    the bus start it on the first call, as a desktop session does (``org.freedesktop.portal.Desktop.service``).
    """

    def __init__(self, bus: PrivateSessionBus, workdir: Path, backend_name: str = BACKEND_NAME) -> None:
        self.bus = bus
        self.workdir = workdir
        self.backend_name = backend_name
        self.portals = workdir / "portals"
        self.log_path = workdir / "xdg-desktop-portal.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._conn: Any = bus.connect()

    def write_portal_file(self, interfaces: str = IMPL_SHORTCUTS) -> None:
        """The backend description the frontend reads: this desktop's backend provides ``interfaces``."""
        self.portals.mkdir(parents=True, exist_ok=True)
        (self.portals / "tctest.portal").write_text(
            f"[portal]\nDBusName={self.backend_name}\nInterfaces={interfaces}\nUseIn={TEST_DESKTOP}\n")

    def settings(self) -> dict[str, str]:
        """The variables that point the frontend at :attr:`portals` and keep it off the machine's own files."""
        runtime = self.workdir / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        return {"XDG_DESKTOP_PORTAL_DIR": str(self.portals), "XDG_CURRENT_DESKTOP": TEST_DESKTOP,
                "XDG_RUNTIME_DIR": str(runtime), "XDG_DATA_HOME": str(self.workdir / "data"),
                "XDG_CONFIG_HOME": str(self.workdir / "config"), "GIO_USE_VFS": "local",
                "G_MESSAGES_DEBUG": "all",
                # No system bus in a test: the frontend then skips what it reads from there.
                "DBUS_SYSTEM_BUS_ADDRESS": "unix:path=" + str(self.workdir / "no-system-bus")}

    def env(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "GTK_", "GIO_"))}
        return self.bus.env(base) | self.settings()

    def start(self, timeout: float = 20.0, expect_shortcuts: bool = True) -> PortalFrontend:
        binary = frontend_binary()
        if binary is None:
            raise RuntimeError("xdg-desktop-portal is not installed")
        if self._conn is None:  # started again after stop()
            self._conn = self.bus.connect()
        if not (self.portals / "tctest.portal").exists():
            self.write_portal_file()
        with self.log_path.open("wb") as log:
            self._proc = subprocess.Popen([binary, "--verbose"], env=self.env(), stdout=log,
                                          stderr=subprocess.STDOUT)
        # Ask nothing of org.freedesktop.portal.Desktop before it has an owner: the call would make
        # the bus start the machine's own frontend (its .service file), which would take the name.
        ready = ((lambda: self.version() if self.owner() else None) if expect_shortcuts
                 else (lambda: self.owner() or None))
        what = "org.freedesktop.portal.GlobalShortcuts" if expect_shortcuts else PORTAL_BUS_NAME
        wait_for(lambda: ready() is not None or self._proc is None or self._proc.poll() is not None,
                 timeout, f"xdg-desktop-portal to export {what}")
        if ready() is None:
            status = "running" if self._proc.poll() is None else f"exit status {self._proc.returncode}"
            raise RuntimeError(f"xdg-desktop-portal ({status}) exported no {what}:\n" + self.log())
        return self

    def export_activation_environment(self) -> None:
        """What a desktop session does at login: the bus starts the frontend with these variables."""
        call(self._conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
             "UpdateActivationEnvironment", "a{ss}", (self.settings(),))

    def owner(self) -> str:
        try:
            (owner,) = call(self._conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                            "GetNameOwner", "s", (PORTAL_BUS_NAME,), timeout=2)
        except Exception:  # noqa: BLE001 - not owned
            return ""
        return str(owner)

    def version(self) -> int | None:
        try:
            (value,) = call(self._conn, PORTAL_BUS_NAME, PORTAL_PATH, PROPERTIES, "Get", "ss",
                            ("org.freedesktop.portal.GlobalShortcuts", "version"), timeout=2)
        except Exception:  # noqa: BLE001 - not (yet) there
            return None
        return int(value[1])

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop_activated(self) -> None:
        """End the frontend the bus started (found by its bus name's process id)."""
        owner = self.owner()
        if owner:
            (pid,) = call(self._conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          "GetConnectionUnixProcessID", "s", (owner,))
            os.kill(int(pid), signal.SIGTERM)
            wait_for(lambda: not self.owner(), 10, "the bus-started xdg-desktop-portal to exit")

    def stop(self) -> None:
        _stop(self._proc)
        self._proc = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> PortalFrontend:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def bare_bus_config(directory: Path) -> str:
    """A session bus configuration that can start no service: a machine without any portal installed."""
    services = directory / "no-services"
    services.mkdir(exist_ok=True)
    path = directory / "bare-session.conf"
    path.write_text(f"""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
""")
    return str(path)
