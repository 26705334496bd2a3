"""A string that never shows itself by accident."""

from __future__ import annotations

from typing import NoReturn


class Secret:
    """Wraps a token or a client secret so that ``repr``, ``str``, f-strings, tracebacks with
    locals and ``__dict__`` dumps show ``***`` instead of the value. Call :meth:`reveal` at the
    one place the value must go on the wire or into the keyring."""

    __slots__ = ("_value",)

    def __init__(self, value: str | Secret) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        self._value = str(value)

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return "***"

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret is not pickled")
