"""What every global-shortcut backend shares (its interface, registry and dispatch), and the key-sequence parser.

Settings store shortcuts as Qt's portable text (``Ctrl+Alt+Shift+T``). This
module turns that text into a :class:`KeySequence` (a set of modifiers and one
canonical key name) with no Qt and no platform code, so each backend's own
translation table (X keysyms, Windows virtual keys, Carbon key codes, the XDG
shortcuts-spec triggers of the portal) can be tested on any machine.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MODIFIERS = ("Ctrl", "Alt", "Shift", "Meta")
_MODIFIER_ALIASES = {
    "ctrl": "Ctrl", "control": "Ctrl",
    "alt": "Alt", "option": "Alt",
    "shift": "Shift",
    "meta": "Meta", "super": "Meta", "win": "Meta", "cmd": "Meta", "logo": "Meta",
}

#: Named keys every backend can translate (Qt's portable names), besides A-Z, 0-9 and F1-F24.
NAMED_KEYS = (
    "Space", "Tab", "Return", "Enter", "Escape", "Backspace", "Insert", "Delete", "Home", "End",
    "PgUp", "PgDown", "Left", "Right", "Up", "Down", "Print", "Pause",
)
#: Punctuation keys that need no Shift on a US layout.
PUNCTUATION = (",", ".", "/", ";", "'", "[", "]", "\\", "-", "=", "`")

_NAMED_ALIASES = {name.lower(): name for name in NAMED_KEYS}
_NAMED_ALIASES.update({
    "esc": "Escape", "del": "Delete", "ins": "Insert", "pageup": "PgUp", "pagedown": "PgDown",
    "prior": "PgUp", "next": "PgDown", "backtab": "Tab", "sysreq": "Print",
})
FUNCTION_KEYS = tuple(f"F{i}" for i in range(1, 25))


class HotkeyError(Exception):
    """A global shortcut could not be set up; the message is for the user."""


class HotkeyConflict(HotkeyError):
    """The combination is already used by another application (or the desktop)."""


class HotkeyUnsupported(HotkeyError):
    """This desktop (or this backend) cannot provide that global shortcut at all."""


class InvalidKeySequence(HotkeyUnsupported, ValueError):
    """The text is not a shortcut this app can register (no modifier, an unknown key...)."""


@dataclass(frozen=True, slots=True)
class KeySequence:
    """One key with its modifiers. ``key`` is a canonical name: ``T``, ``5``, ``F5``, ``Space``, ``,``."""

    modifiers: frozenset[str]
    key: str

    @property
    def text(self) -> str:
        """Back to the portable text, modifiers in Qt's order: ``Ctrl+Alt+Shift+T``."""
        return "+".join([m for m in MODIFIERS if m in self.modifiers] + [self.key])

    def __str__(self) -> str:
        return self.text


def canonical_key(name: str) -> str:
    """The canonical name of one key, or :class:`InvalidKeySequence`."""
    text = name.strip()
    if len(text) == 1:
        if text in string.ascii_letters or text in string.digits:
            return text.upper()
        if text in PUNCTUATION:
            return text
        raise InvalidKeySequence(f"the key {text!r} cannot be used in a global shortcut")
    lower = text.lower()
    if lower in _NAMED_ALIASES:
        return _NAMED_ALIASES[lower]
    if lower.startswith("f") and lower[1:].isdigit() and 1 <= int(lower[1:]) <= 24:
        return f"F{int(lower[1:])}"
    raise InvalidKeySequence(f"unknown key {text!r} in the shortcut")


def parse_sequence(text: str) -> KeySequence:
    """``"Ctrl+Alt+Shift+T"`` -> ``KeySequence({"Ctrl", "Alt", "Shift"}, "T")``.

    Accepts what the settings accept (and a few aliases: Super, Win, Cmd, Esc,
    PageUp); raises :class:`InvalidKeySequence` (a :class:`HotkeyUnsupported`
    and a :class:`ValueError`) with a message for the user otherwise.
    """
    raw = str(text).strip()
    if not raw:
        raise InvalidKeySequence("the shortcut is empty")
    # "Ctrl+Alt++" would mean the plus key; it needs Shift on most layouts: refused below.
    parts = [p.strip() for p in raw.split("+")]
    if any(not p for p in parts):
        raise InvalidKeySequence(f"{raw!r} is not a shortcut such as Ctrl+Alt+T")
    *mods, key = parts
    modifiers = set()
    for m in mods:
        canonical = _MODIFIER_ALIASES.get(m.lower())
        if canonical is None:
            raise InvalidKeySequence(f"unknown modifier {m!r}: use Ctrl, Alt, Shift or Meta")
        modifiers.add(canonical)
    if key.lower() in _MODIFIER_ALIASES:
        raise InvalidKeySequence("the shortcut needs a key after its modifiers, such as Ctrl+Alt+T")
    if not modifiers:
        raise InvalidKeySequence("a global shortcut needs at least one modifier (Ctrl, Alt, Shift or Meta)")
    if modifiers == {"Shift"}:
        raise InvalidKeySequence("Shift alone is not enough for a global shortcut: add Ctrl, Alt or Meta")
    return KeySequence(frozenset(modifiers), canonical_key(key))


Callback = Callable[[], None]
#: Told about problems that surface after register() returned (the portal answers later).
ProblemReporter = Callable[[str, HotkeyError], None]


@dataclass(slots=True)
class Registration:
    """One shortcut a backend holds: its keys, its action, and what the OS gave for it (``handle``)."""

    sequence: KeySequence
    callback: Callback
    handle: Any = None


class HotkeyBackend:
    """A way to receive global shortcuts on one kind of desktop.

    ``register`` raises :class:`HotkeyConflict` when the combination is taken,
    :class:`HotkeyUnsupported` when this backend cannot provide it. Callbacks
    run on the Qt/asyncio main thread. A backend whose desktop answers later
    (the portal) reports late problems through :attr:`on_problem`.

    The registry (name -> sequence -> callback) and the dispatch live here; a
    backend does only its OS mechanism: :meth:`_grab` one key (returning its
    handle, or raising), :meth:`_ungrab` it, and hand each press it receives to
    :meth:`_activate` (by name; :meth:`_name_where` finds it from the handle).
    """

    #: Short id used in logs and the settings dialog: "x11", "portal", "windows", "macos", "none".
    name: str = "?"
    #: The backend as messages name it: "the X11 shortcut backend was closed".
    label: str = "?"
    #: True when shortcuts are grabbed by this app (and so can conflict); False when the desktop
    #: asks the user to confirm or pick the keys (the portal).
    grabs_keys: bool = True
    #: True when the desktop binds the whole set at once (the portal): a name registered again
    #: keeps its place, and its old keys until the new set is bound. False: its old keys are
    #: released first (gone even when the new ones fail).
    binds_together: bool = False

    def __init__(self) -> None:
        self.on_problem: ProblemReporter | None = None
        self._registered: dict[str, Registration] = {}
        #: Set by a backend's close() when nothing may be registered afterwards.
        self._closed = False

    def register(self, name: str, sequence: str, callback: Callback) -> None:
        """Bind ``sequence`` (portable text) to ``callback`` under ``name``, replacing an earlier one."""
        self._check_open()
        seq = parse_sequence(sequence)
        if not self.binds_together:
            self.unregister(name)
        for other_name, other in self._registered.items():
            if other.sequence == seq and other_name != name:
                raise HotkeyConflict(f"{seq.text} is already used by this app for {other_name}")
        handle = self._grab(name, seq)
        self._registered[name] = Registration(seq, callback, handle)

    def unregister(self, name: str) -> None:
        """Release the shortcut registered under ``name``; unknown names are ignored."""
        registration = self._registered.pop(name, None)
        if registration is not None and not self._closed:
            self._ungrab(name, registration)

    def unregister_all(self) -> None:
        """Release every shortcut this backend holds."""
        for name in list(self._registered):
            self.unregister(name)

    def close(self) -> None:
        """Release everything and any connection; the backend is unusable afterwards."""
        self.unregister_all()

    # -- what each backend does --------------------------------------------------------

    def _grab(self, name: str, seq: KeySequence) -> Any:
        """Ask the OS for ``seq`` (for ``name``): the handle to keep, or raise a :class:`HotkeyError`."""
        raise NotImplementedError(f"{type(self).__name__} grabs no keys")

    def _ungrab(self, name: str, registration: Registration) -> None:
        """Give the OS back what :meth:`_grab` got for ``name`` (``registration.handle``)."""
        raise NotImplementedError(f"{type(self).__name__} grabs no keys")

    # -- what the base does for them -----------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise HotkeyUnsupported(f"the {self.label} shortcut backend was closed")

    def _name_where(self, matches: Callable[[Any], bool]) -> str | None:
        """The name of the first shortcut whose handle ``matches`` (what an OS event names), or None."""
        for name, registration in self._registered.items():
            if matches(registration.handle):
                return name
        return None

    def _activate(self, name: str) -> bool:
        """The shortcut ``name`` was pressed: run its action. False when no shortcut has that name.

        An action that raises is logged (under the backend's own module) and the shortcuts go on.
        """
        registration = self._registered.get(name)
        if registration is None:
            return False
        try:
            registration.callback()
        except Exception:  # noqa: BLE001 - one failing action must not stop the shortcuts
            logging.getLogger(type(self).__module__).exception("the action of the %s shortcut failed", name)
        return True

    def _report_problem(self, name: str, error: HotkeyError) -> None:
        if self.on_problem is not None:
            self.on_problem(name, error)


FALLBACK_HINT = ("no global shortcut on this desktop: bind a desktop shortcut to "
                 "`timecrowd-tray toggle` (and `timecrowd-tray palette`)")


class NullBackend(HotkeyBackend):
    """Where no backend works: every registration says what to do instead."""

    name = "none"
    label = "none"
    grabs_keys = False

    def __init__(self, reason: str = "") -> None:
        super().__init__()
        self.reason = reason

    def _grab(self, name: str, seq: KeySequence) -> Any:
        raise HotkeyUnsupported(FALLBACK_HINT)  # after parsing: a bad value is still reported as such
