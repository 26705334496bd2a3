"""Key names of X11 and of the XDG shortcuts specification (xkb keysym names), pure data.

Shared by the X11 backend (``XStringToKeysym``) and the portal backend, whose
``preferred_trigger`` uses the same names (``CTRL+ALT+SHIFT+t``).
"""

from __future__ import annotations

from .base import FUNCTION_KEYS, InvalidKeySequence, KeySequence

_NAMED = {
    "Space": "space", "Tab": "Tab", "Return": "Return", "Enter": "KP_Enter", "Escape": "Escape",
    "Backspace": "BackSpace", "Insert": "Insert", "Delete": "Delete", "Home": "Home", "End": "End",
    "PgUp": "Prior", "PgDown": "Next", "Left": "Left", "Right": "Right", "Up": "Up", "Down": "Down",
    "Print": "Print", "Pause": "Pause",
    ",": "comma", ".": "period", "/": "slash", ";": "semicolon", "'": "apostrophe",
    "[": "bracketleft", "]": "bracketright", "\\": "backslash", "-": "minus", "=": "equal", "`": "grave",
}
_NAMED.update({f: f for f in FUNCTION_KEYS})


def keysym_name(key: str) -> str:
    """The X keysym name of a canonical key: ``T`` -> ``t``, ``Space`` -> ``space``, ``PgUp`` -> ``Prior``.

    Letters map to their lower-case keysym: X grabs key codes, and the code
    of ``t`` is the code of ``T``; Shift is a modifier of the grab.
    """
    if len(key) == 1 and key.isascii() and key.isalnum():
        return key.lower()
    try:
        return _NAMED[key]
    except KeyError:
        raise InvalidKeySequence(f"no X11 key for {key!r}") from None


#: XDG shortcuts specification modifier names, in the order the spec writes them.
XDG_MODIFIERS = {"Ctrl": "CTRL", "Alt": "ALT", "Shift": "SHIFT", "Meta": "LOGO"}


def xdg_trigger(seq: KeySequence) -> str:
    """The XDG shortcuts-spec trigger of a sequence: ``CTRL+ALT+SHIFT+t``."""
    mods = [XDG_MODIFIERS[m] for m in ("Ctrl", "Alt", "Shift", "Meta") if m in seq.modifiers]
    return "+".join(mods + [keysym_name(seq.key)])
