"""The shell's words in the user's language (Japanese or English), without Qt.

Every line a shell command prints goes through here:

* :func:`tr` for the shell's own texts: an English literal at the call site (or a
  constant marked with :func:`N_`), its ``{placeholders}`` filled *after* translation;
* :func:`relay` for a message that comes from below (the timer service, the running
  app's answer, an exception of the settings, keyring, sign-in or single-instance
  code): translated when it is one of the English texts listed in
  :data:`~.i18n_from_below.FROM_BELOW` (or a service message of ``services/messages.py``),
  printed as it is otherwise, so the server's own words (Japanese, often) are never touched;
* :func:`api_message` / :func:`api_detail` for an API error: the server's words,
  else a translated text chosen by the kind of error.

The language is :func:`.i18n_language.language`, read for each message; the texts are
the ``Shell`` context of the app's catalog, read without Qt by :mod:`.i18n_catalog`.

``python -m timecrowd_tray.cli.i18n`` writes the list of the shell's texts that lupdate
reads (:mod:`.i18n_listing`).
"""

from __future__ import annotations

import functools
import re
import sys
from typing import TYPE_CHECKING, Any

from .i18n_catalog import CONTEXT, catalog
from .i18n_from_below import FROM_BELOW, N_ as N_  # N_: the marker the shell's modules import from here
from .i18n_language import language

if TYPE_CHECKING:
    from ..api import errors

#: Placeholders of FROM_BELOW whose value is itself a message from below.
_RELAYED = frozenset({"reason"})
#: How a Japanese sentence may end (relay(sentence=True) adds "。" otherwise).
_SENTENCE_ENDS = ("。", "？", "！", "…")


# -- translating -------------------------------------------------------------------------------

def tr(text: str, **values: Any) -> str:
    """``text`` (one of the shell's English texts) in the user's language, ``values`` filled in."""
    return _format(catalog(language()).get((CONTEXT, text), text), text, values)


def relay(text: str, *, sentence: bool = False) -> str:
    """A message from below in the user's language when it is a known English text; else as it is.

    ``sentence``: the line stands alone, so a translated clause gets its "。".
    """
    if not text:
        return text
    lang = language()
    if lang == "en":
        return text
    translated = _relay(text, lang, 0)
    if translated is None:
        return text
    if sentence and not translated.endswith(_SENTENCE_ENDS):
        translated += "。"
    return translated


def api_message(exc: errors.ApiError) -> str:
    """What to say about an API error, a sentence: the server's words, else a translated text by kind.

    English: the error's own message, as the shell always printed it.
    """
    if language() == "en":
        return exc.user_message
    from ..services import messages

    install_service_translator()
    return messages.api_error_text(exc)


def api_detail(exc: errors.ApiError) -> str:
    """An API error in a few words, for between parentheses: the server's words, else what went wrong."""
    if language() == "en":
        return exc.user_message
    from ..services import messages

    said = messages.server_message(exc)
    if said:
        return said
    translated = _relay(exc.message, language(), 0)
    if translated is not None:
        return translated
    return f"HTTP {exc.status}" if exc.status is not None else api_message(exc)


def install_service_translator() -> None:
    """The service's own messages (``TimerService`` context) in the user's language, in this process."""
    from ..services import messages

    lang = language()
    if lang == "en":
        return  # the source texts (or what the app installed, in its own process)
    texts = catalog(lang)
    messages.set_translator(lambda text: texts.get((messages.CONTEXT, text), text))


def _format(template: str, source: str, values: dict[str, Any]) -> str:
    if not values:
        return template
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):  # a broken translation: the English text
        return source.format(**values)


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    parts, seen, pos = [], set(), 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[pos:match.start()]))
        name = match.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        pos = match.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("".join(parts), re.DOTALL)


@functools.lru_cache(maxsize=1)
def _templates() -> list[tuple[str, str, re.Pattern[str]]]:
    """(context, template, pattern) of every message from below with placeholders, most literal text first."""
    from ..services import messages

    service = [v for k, v in vars(messages).items() if k.isupper() and isinstance(v, str) and k != "CONTEXT"]
    found = [(CONTEXT, t) for t in FROM_BELOW] + [(messages.CONTEXT, t) for t in service]
    templated = [(c, t) for c, t in found if _PLACEHOLDER.search(t)]
    templated.sort(key=lambda ct: -len(_PLACEHOLDER.sub("", ct[1])))
    return [(c, t, _pattern(t)) for c, t in templated]


@functools.lru_cache(maxsize=4)
def _exact(lang: str) -> dict[str, str]:
    """Source -> translation over every context: the shell's first, then the service's, then the rest."""
    from ..services import messages

    order = {CONTEXT: 0, messages.CONTEXT: 1}
    found: dict[str, str] = {}
    for (_context, source), text in sorted(catalog(lang).items(), key=lambda item: order.get(item[0][0], 2)):
        if "{" not in source and "%" not in source:
            found.setdefault(source, text)
    return found


def _relay(text: str, lang: str, depth: int) -> str | None:
    texts = catalog(lang)
    exact = _exact(lang).get(text)
    if exact is not None:
        return exact
    for context, template, pattern in _templates():
        match = pattern.fullmatch(text)
        if match is None or (context, template) not in texts:
            continue
        values = {}
        for name, value in match.groupdict().items():
            inner = _relay(value, lang, depth + 1) if name in _RELAYED and depth < 3 else None
            values[name] = value if inner is None else inner
        return _format(texts[(context, template)], template, values)
    return None




if __name__ == "__main__":
    from .i18n_listing import main

    sys.exit(main(sys.argv[1:]))
