"""Work-arounds for known defects of the Qt bindings, applied once at start-up.

PySide6/shiboken6 6.12.0 on Python 3.11 returns ``None`` from every method
that returns ``void`` without taking a reference to it: each such call
(``setText``, ``fill``, ``addPixmap``, ``QTimer.setInterval``...) lowers
``None``'s reference count by one, and after a few thousand calls the
interpreter aborts with "Fatal Python error: none_dealloc". Python 3.12 and
later make ``None`` immortal, and earlier bindings (6.11.x) are correct.

:func:`guard_none_refcount` makes ``None`` effectively immortal on an affected
interpreter (as 3.12 does for every interpreter) by adding a large constant
to its reference count; it logs a warning so the real fix (another
PySide6 version) is not forgotten.

Every PySide6 version also reads the whole source of each module imported
after it (``inspect.getsource``) to learn whether the module mentions
"PySide6" (for its opt-in ``__feature__`` switches), and that read leaves every
line in :mod:`linecache` for the life of the process: about 12 MiB of strings
for this app's few hundred modules, a tenth of its memory.
:func:`stop_module_source_caching` gives the binding the same answer from the
file's bytes, which are dropped once read.
"""

from __future__ import annotations

import logging
import sys
from types import ModuleType

log = logging.getLogger(__name__)

AFFECTED = {"6.12.0"}
_BOOST = 1 << 40
_applied = False


def binding_version() -> str:
    try:
        import shiboken6

        return str(getattr(shiboken6, "__version__", ""))
    except ImportError:  # pragma: no cover
        return ""


def none_refcount_is_leaky() -> bool:
    """True when this interpreter and binding lose a reference to None on void calls."""
    return sys.version_info < (3, 12) and binding_version() in AFFECTED


def guard_none_refcount() -> bool:
    """Keep ``None`` alive whatever the binding does; True when the guard was needed (once per process)."""
    global _applied
    if _applied or not none_refcount_is_leaky():
        return _applied
    import ctypes

    # CPython < 3.12, non-debug build: ob_refcnt is the first field of every object.
    refcount = ctypes.c_ssize_t.from_address(id(None))
    refcount.value += _BOOST
    _applied = True
    log.warning("PySide6 %s on Python %d.%d leaks references to None on every void call; guarded. "
                "Install another PySide6-Essentials version (6.11.x is not affected).",
                binding_version(), *sys.version_info[:2])
    return True


def _mentions_pyside(module: ModuleType) -> bool:
    """What shiboken's ``feature._mod_uses_pyside`` answers, without keeping the source in linecache."""
    import inspect

    try:
        path = inspect.getsourcefile(module)
    except TypeError:  # a built-in module
        return False
    if not path:  # no source file (a frozen or bundled module): the binding's answer too
        return False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def stop_module_source_caching() -> bool:
    """Have the binding look at each newly imported module without caching its lines; True when installed.

    Call it before the first Qt import: modules imported earlier were looked at already.
    """
    try:
        import shiboken6  # noqa: F401  (loads the binding's support package, with its import hook)
    except ImportError:  # pragma: no cover
        return False
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        log.debug("shiboken's feature module has changed shape; module sources stay cached")
        return False
    feature._mod_uses_pyside = _mentions_pyside
    return True
