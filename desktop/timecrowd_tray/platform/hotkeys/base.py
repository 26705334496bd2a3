"""The interface every global-shortcut backend implements, and the key-sequence parser.

Settings store shortcuts as Qt's portable text (``Ctrl+Alt+Shift+T``). This
module turns that text into a :class:`KeySequence` (a set of modifiers and one
canonical key name) with no Qt and no platform code, so each backend's own
translation table (X keysyms, Windows virtual keys, Carbon key codes, the XDG
shortcuts-spec triggers of the portal) can be tested on any machine.
"""

from __future__ import annotations

import string
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

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


class HotkeyBackend(ABC):
    """A way to receive global shortcuts on one kind of desktop.

    ``register`` raises :class:`HotkeyConflict` when the combination is taken,
    :class:`HotkeyUnsupported` when this backend cannot provide it. Callbacks
    run on the Qt/asyncio main thread. A backend whose desktop answers later
    (the portal) reports late problems through :attr:`on_problem`.
    """

    #: Short id used in logs and the settings dialog: "x11", "portal", "windows", "macos", "none".
    name: str = "?"
    #: True when shortcuts are grabbed by this app (and so can conflict); False when the desktop
    #: asks the user to confirm or pick the keys (the portal).
    grabs_keys: bool = True

    def __init__(self) -> None:
        self.on_problem: ProblemReporter | None = None

    @abstractmethod
    def register(self, name: str, sequence: str, callback: Callback) -> None:
        """Bind ``sequence`` (portable text) to ``callback`` under ``name``, replacing an earlier one."""

    @abstractmethod
    def unregister(self, name: str) -> None:
        """Release the shortcut registered under ``name``; unknown names are ignored."""

    @abstractmethod
    def unregister_all(self) -> None:
        """Release every shortcut this backend holds."""

    def close(self) -> None:
        """Release everything and any connection; the backend is unusable afterwards."""
        self.unregister_all()

    def _report_problem(self, name: str, error: HotkeyError) -> None:
        if self.on_problem is not None:
            self.on_problem(name, error)


FALLBACK_HINT = ("no global shortcut on this desktop: bind a desktop shortcut to "
                 "`timecrowd-tray toggle` (and `timecrowd-tray palette`)")


class NullBackend(HotkeyBackend):
    """Where no backend works: every registration says what to do instead."""

    name = "none"
    grabs_keys = False

    def __init__(self, reason: str = "") -> None:
        super().__init__()
        self.reason = reason

    def register(self, name: str, sequence: str, callback: Callback) -> None:
        parse_sequence(sequence)  # a bad value is still reported as such
        raise HotkeyUnsupported(FALLBACK_HINT)

    def unregister(self, name: str) -> None:
        pass

    def unregister_all(self) -> None:
        pass
