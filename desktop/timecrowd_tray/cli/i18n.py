"""The shell's words in the user's language (Japanese or English), without Qt.

Every line a shell command prints goes through here:

* :func:`tr` for the shell's own texts: an English literal at the call site (or a
  constant marked with :func:`N_`), its ``{placeholders}`` filled *after* translation;
* :func:`relay` for a message that comes from below (the timer service, the running
  app's answer, an exception of the settings, keyring, sign-in or single-instance
  code): translated when it is one of the English texts listed in
  :data:`FROM_BELOW` (or a service message of ``services/messages.py``), printed
  as it is otherwise, so the server's own words (Japanese, often) are never touched;
* :func:`api_message` / :func:`api_detail` for an API error: the server's words,
  else a translated text chosen by the kind of error.

The language is the ``language`` setting, read for each message (from the settings
file itself on Linux: cheap, and a ``config set language`` shows at the next line);
``system`` follows ``$LANGUAGE``, ``$LC_ALL``, ``$LC_MESSAGES`` and ``$LANG`` as Qt
does for the app (Windows and macOS: Qt's system locale).

The texts are the ``Shell`` context of the app's own catalog
(``resources/translations/timecrowd_tray_ja.ts``: one file for translators), read from
the compiled ``.qm`` by :func:`read_qm`, not by QTranslator: on the way to the running
app a command imports no Qt at all, and importing PySide6.QtCore alone takes longer
(~160 ms) than the whole command; reading the ``.qm`` takes about a millisecond.

lupdate does not read cli/: ``python -m timecrowd_tray.cli.i18n`` lists every text
marked here (``tr("...")`` and ``N_("...")`` in cli/*.py and core/status.py, and
:data:`FROM_BELOW`) in ``ui/shell_strings.py``, where lupdate finds them (a test fails
while that list is out of date); then ``scripts/translations.sh`` as usual.

Long for one module because most of it is data: the list of English texts that
reach the shell from below (:data:`FROM_BELOW`), kept beside the code that
recognises them so that one edit adds a text and its translation path.
"""

from __future__ import annotations

import functools
import os
import re
import struct
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import APP_ID

if TYPE_CHECKING:
    from ..api import errors

CONTEXT = "Shell"
SUPPORTED = ("ja", "en")
FALLBACK = "en"


def N_(text: str) -> str:  # noqa: N802 - gettext's name for "translated later"
    """Mark ``text`` for the catalog; it is translated where it is printed (:func:`tr`)."""
    return text


# -- messages from below -------------------------------------------------------------------
#
# English texts the shell prints but does not write: other layers' messages, as they come
# (f-string parts as {placeholders}). A placeholder named in _RELAYED is itself relayed
# (a reason that is one of these texts); the others are kept as they are (paths, names,
# the server's words). A test checks that the messages of those modules are all here.

FROM_BELOW: tuple[str, ...] = (
    # services/commands.py: the answers to the timer commands (the app's, or the shell's own engine)
    N_("not signed in: sign in from the tray menu or with `timecrowd-tray login`"),
    N_("nothing was done: sign in first"),
    N_("nothing was done"),
    N_("TimeCrowd refused it"),
    N_("no recent task to start: use `timecrowd-tray start QUERY`"),
    N_("not a task id: {value}"),
    N_("cannot look the task up on TimeCrowd now ({reason}); nothing was started"),
    N_("TimeCrowd did not answer within {seconds} s to look the task up; nothing was started"),
    N_("task {id} is not one of your teams' tasks"),
    N_("no task matches {query}"),
    N_("no recent task to start: give a QUERY or --task ID"),
    N_("TimeCrowd cannot be reached and what runs there is not known here; nothing was stopped"),
    N_("the timer is not running: the comment was not added"),
    N_("the comment is {length} characters long; the limit is {limit} (the timer was not stopped)"),
    # services/entry_commands.py: log, add, edit, delete, start --at, today
    N_("not a time: {value} (use 9:05, 905 or -15m)"),
    N_("TimeCrowd did not answer within {seconds} s to look the task up; nothing was done"),
    N_("cannot look the task up on TimeCrowd now ({reason}); nothing was done"),
    N_("give a QUERY or --task ID"),
    N_("the entries window needs the running app"),
    N_("not a date: {value} (use YYYY-MM-DD, today or yesterday)"),
    N_("TimeCrowd did not answer within {seconds} s"),
    N_("an entry needs --from and --to"),
    N_("there is no entry {id} on TimeCrowd"),
    N_("entry {id} cannot be read from TimeCrowd now; nothing was done"),
    N_("not an entry id: {value}"),
    N_("local-{id} is not waiting here; if it was sent since, `timecrowd-tray log` lists it by its id"),
    # ui/controls.py and ui/sign_in_flow.py: the running app's answers
    N_("not signed in"),
    N_("unknown command {command}"),
    N_("unknown setting {key}; known settings: {keys}"),
    N_("this app cannot apply changed settings"),
    N_("could not apply them: {reason}"),
    N_("the running app is in demo mode, which never uses the keyring"),
    N_("the running app is still starting; try again in a moment"),
    N_("the server changed meanwhile"),
    N_("a newer sign-in, a sign-out or a server switch came first"),
    N_("the sign-in failed ({name})"),
    N_("{api_base} did not accept the stored sign-in"),
    # api/client.py: what went wrong with a request, when the server said nothing
    N_("{what}: cannot reach the server ({name})"),
    N_("{what}: network error ({name})"),
    N_("{what}: the server did not answer in time ({reason})"),
    N_("no complete answer in {seconds} s"),
    N_("{what}: HTTP {status}"),
    N_("{what}: HTTP {status}: the token was rejected"),
    N_("{what}: HTTP {status}: unexpected status"),
    N_("{what}: the server's answer is not valid JSON ({kind})"),
    N_("{what}: the server's answer is larger than {size}; it was not read"),
    # platform/instance/: the running app's socket and lock
    N_("the running app does not accept connections"),
    N_("the running app did not answer within {seconds} s"),
    N_("the running app closed the connection without answering"),
    N_("the running app's answer is too long"),
    N_("the running app answered something that is not JSON"),
    N_("the running app answered something that is not a JSON object"),
    N_("cannot connect to {path}: {reason}"),
    N_("{path} belongs to another user (uid {uid}); not using it"),
    N_("cannot make the lock file {path}: {reason}"),
    N_("cannot open the lock file {path}: {reason}"),
    N_("cannot lock {path}: the file keeps changing"),
    N_("cannot lock {path}: {reason}"),
    N_("the lock file {path} is a symbolic link: not using it (remove it)"),
    N_("the lock file {path} is not a regular file: not using it (remove it)"),
    N_("the lock file {path} belongs to another user (uid {uid}): not using it (remove it, or set "
       "XDG_RUNTIME_DIR to a private directory)"),
    N_("cannot create the mutex {name} (error {code})"),
    # core/settings.py and core/endpoint.py: why a value is refused
    N_("expected true or false"),
    N_("expected a whole number of seconds"),
    N_("expected between {low} and {high} seconds"),
    N_("expected one of: {values}"),
    N_("expected a shortcut such as Ctrl+Alt+T (or an empty value for none)"),
    # the away-time and reminder settings (core/settings.py, core/reminders.py)
    N_("expected a whole number of minutes (0: off)"),
    N_("expected a whole number of hours (0: off)"),
    N_("expected between {low} and {high} minutes (0: off)"),
    N_("expected between {low} and {high} hours (0: off)"),
    N_("expected working hours such as 09:00-18:00"),
    N_("the end of the working hours must come after their start"),
    N_("expected days such as mon-fri or mon,wed,fri"),
    N_("expected at least one day, such as mon-fri"),
    N_("unknown modifier {name}: use Ctrl, Alt, Shift or Meta"),
    N_("a global shortcut needs at least one modifier (Ctrl, Alt, Shift or Meta)"),
    N_("the shortcut needs a key after its modifiers, such as Ctrl+Alt+T"),
    N_("not a valid URL: {detail}"),
    N_("the API server URL must start with https://"),
    N_("the API server URL has no host name"),
    N_("the API server URL must not contain a user name or password"),
    N_("the API server URL must not contain a query or a fragment"),
    N_("plain http:// is allowed only for loopback addresses (127.0.0.1, ::1, localhost); use https://"),
    N_("api_base: {reason}"),
    N_("--api-base: {reason}"),
    N_("TIMECROWD_API_BASE: {reason}"),
    # platform/settings_store.py and platform/autostart/: what could not be written
    N_("cannot write the settings file {path} ({reason}); {key} was not changed"),
    N_("cannot write the settings file {path} ({reason}); {key} was not reset"),
    N_("Qt reports {status}"),
    N_("it did not keep the value"),
    N_("cannot write the autostart entry {path}: {reason}"),
    N_("cannot remove the autostart entry {path}: {reason}"),
    N_("cannot write {path}: {reason}"),
    N_("cannot remove {path}: {reason}"),
    N_("cannot change {path}: {reason}"),
    # services/credentials.py: the keyring
    N_("No system keyring is available to keep your sign-in. Install and start a Secret Service provider such "
       "as GNOME Keyring (package gnome-keyring) or KWallet, then try again."),
    N_("Your system keyring is locked. Unlock it (log in to your desktop session, or open your keyring manager "
       "such as Passwords and Keys and unlock the login keyring), then try again."),
    N_("Access to the system keyring was refused. Allow TimeCrowd Tray to use the keyring when your system "
       "asks, then try again."),
    N_("The keyring did not answer within {seconds} s (is it waiting for an unlock prompt?). Unlock your "
       "keyring (log in to your desktop session, or open your keyring manager such as Passwords and Keys), or "
       "make sure it runs, then try again."),
    N_("The system keyring could not be used ({detail}). Try again."),
    N_("The configured keyring backend ({name}) keeps secrets in a plain file, which TimeCrowd Tray refuses to "
       "use. Configure a system keyring (GNOME Keyring, KWallet, macOS Keychain or Windows Credential Locker) "
       "instead, for example by removing the PYTHON_KEYRING_BACKEND variable or the default-keyring line of "
       "keyringrc.cfg."),
    N_("The keyring is disabled in your keyring configuration (null backend). Enable a system keyring such as "
       "GNOME Keyring or KWallet."),
    N_("The configured keyring backend ({name}) is not one TimeCrowd Tray trusts. Use a system keyring (GNOME "
       "Keyring, KWallet, macOS Keychain or Windows Credential Locker)."),
    N_("The keyring backend named in PYTHON_KEYRING_BACKEND or keyringrc.cfg cannot be used ({name}). Fix or "
       "remove that setting."),
    # services/oauth_loopback.py and services/session.py: the browser sign-in
    N_("The browser did not come back in time. Sign in again."),
    N_("The browser came back with a sign-in this app did not start (the state did not match). Nothing was "
       "saved. Sign in again."),
    N_("The server refused the sign-in: {detail}"),
    N_("The browser came back without an authorization code."),
    N_("The server did not accept the client id and secret. Check them on your TimeCrowd OAuth application "
       "page."),
    N_("The server refused the authorization (it expired, was revoked or was already used). Sign in again."),
    N_("The server refused the sign-in (HTTP {status})."),
    N_("The server refused the sign-in (HTTP {status}, {detail})."),
    N_("The server's answer to the sign-in was not understood (HTTP {status})."),
    N_("The server's answer to the sign-in had no access token."),
    # core/token_format.py: a pasted token that cannot be one (the others are the sign-in window's texts)
    N_("This is too long to be an access token (more than {limit} characters). Copy only the token itself."),
)

#: Placeholders of FROM_BELOW whose value is itself a message from below.
_RELAYED = frozenset({"reason"})
#: How a Japanese sentence may end (relay(sentence=True) adds "。" otherwise).
_SENTENCE_ENDS = ("。", "？", "！", "…")


# -- the language ----------------------------------------------------------------------------

def language() -> str:
    """The language to print in: "ja" or "en", from the ``language`` setting."""
    setting = _language_setting()
    return setting if setting in SUPPORTED else system_language()


def system_language(environ: dict[str, str] | None = None) -> str:
    """The language ``system`` stands for: the first of the locale's languages we have, else English.

    As Qt reads them for the app (``QLocale.system().uiLanguages()``): ``$LANGUAGE`` (a list,
    ``ja:en``) when set, else the first of ``$LC_ALL``, ``$LC_MESSAGES``, ``$LANG``.
    Windows and macOS keep the language elsewhere: Qt tells, there.
    """
    env = os.environ if environ is None else environ
    names = [n for n in env.get("LANGUAGE", "").split(":") if n]
    if not names:
        names = [next((env[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(v)), "")]
    if names == [""] and environ is None and sys.platform in ("win32", "darwin"):
        from ..ui.i18n import resolve_language  # QtCore only

        return resolve_language("system")
    for name in names:
        primary = re.split(r"[-_.@]", name, maxsplit=1)[0].lower()
        if primary in SUPPORTED:
            return primary
    return FALLBACK


def _language_setting() -> str:
    from ..core.settings import SCHEMA, InvalidSetting

    value = _stored_language()
    try:
        return str(SCHEMA["language"].parse(value)) if value is not None else "system"
    except InvalidSetting:
        return "system"


def settings_file() -> Path:
    """Where QSettings keeps the settings on Linux (and the BSDs): an INI file under $XDG_CONFIG_HOME."""
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    folder = Path(base) if os.path.isabs(base) else Path.home() / ".config"
    return folder / APP_ID / f"{APP_ID}.conf"


def _stored_language() -> Any:
    """The stored ``language`` value (None when absent): QSettings when QtCore is loaded anyway (or
    the settings are not a file), else the INI file read here."""
    if "PySide6.QtCore" in sys.modules or sys.platform in ("win32", "darwin"):
        from PySide6.QtCore import QSettings

        return QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, APP_ID, APP_ID).value("language")
    return ini_value(settings_file(), "language")


def ini_value(path: Path, key: str) -> str | None:
    """``key`` of the ``[General]`` section of a QSettings INI file (None: no file, no such key)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    section = "General"
    found = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == "General" and "=" in line and not line.startswith(";"):
            name, _, value = line.partition("=")
            if name.strip() == key:
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] == '"':
                    value = value[1:-1]
                found = value
    return found


# -- the catalog ------------------------------------------------------------------------------

_QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
_QM_MESSAGES = 0x69
_TAG_END, _TAG_TRANSLATION, _TAG_OBSOLETE1, _TAG_SOURCE, _TAG_CONTEXT, _TAG_COMMENT = 1, 3, 5, 6, 7, 8


def read_qm(data: bytes) -> dict[tuple[str, str], str]:
    """The messages of a compiled Qt catalog: ``(context, source) -> translation`` (the first form).

    Reads what ``lrelease`` writes (sources and contexts kept); anything else ends the reading
    with what was read so far (a message missing from it is printed in English).
    """
    found: dict[tuple[str, str], str] = {}
    if not data.startswith(_QM_MAGIC):
        return found
    pos, messages = len(_QM_MAGIC), b""
    while pos + 5 <= len(data):
        tag, length = data[pos], struct.unpack_from(">I", data, pos + 1)[0]
        if tag == _QM_MESSAGES:
            messages = data[pos + 5:pos + 5 + length]
        pos += 5 + length
    pos = 0
    current: dict[int, Any] = {}
    while pos < len(messages):
        tag = messages[pos]
        pos += 1
        if tag == _TAG_END:
            forms = current.get(_TAG_TRANSLATION)
            if forms and _TAG_SOURCE in current:
                found.setdefault((current.get(_TAG_CONTEXT, ""), current[_TAG_SOURCE]), forms[0])
            current = {}
            continue
        if tag == _TAG_OBSOLETE1:
            pos += 4
            continue
        if tag not in (_TAG_TRANSLATION, _TAG_SOURCE, _TAG_CONTEXT, _TAG_COMMENT) or pos + 4 > len(messages):
            break
        length = struct.unpack_from(">I", messages, pos)[0]
        pos += 4
        if tag == _TAG_TRANSLATION:
            if length == 0xFFFFFFFF:  # a null translation
                length = 0
            current.setdefault(tag, []).append(messages[pos:pos + length].decode("utf-16-be", errors="replace"))
        else:
            current[tag] = messages[pos:pos + length].decode("utf-8", errors="replace")
        pos += length
    return found


def qm_file(lang: str) -> Path:
    from ..ui.resources import TRANSLATIONS  # paths only, no Qt

    return TRANSLATIONS / f"timecrowd_tray_{lang}.qm"


@functools.lru_cache(maxsize=4)
def catalog(lang: str) -> dict[tuple[str, str], str]:
    """The app's catalog for ``lang`` (empty for English, the source language, or without a .qm)."""
    if lang == "en":
        return {}
    try:
        return read_qm(qm_file(lang).read_bytes())
    except OSError:
        return {}


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


# -- the list lupdate reads (ui/shell_strings.py) ---------------------------------------------

PACKAGE = Path(__file__).resolve().parents[1]
#: The sources whose tr("...") / N_("...") texts are the Shell context.
SOURCES = (*sorted((PACKAGE / "cli").glob("*.py")), PACKAGE / "core" / "status.py")
LISTING = PACKAGE / "ui" / "shell_strings.py"
GENERATED_BEGIN = "        # BEGIN generated by: python -m timecrowd_tray.cli.i18n"
GENERATED_END = "        # END generated"
LINE_LENGTH = 120


def shell_texts() -> list[str]:
    """Every text of the Shell context, in the order of the sources (each once)."""
    import ast

    found: dict[str, None] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("tr", "N_")
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, None)
    return list(found)


def generated_lines() -> list[str]:
    import json

    lines = []
    for text in shell_texts():
        call = f"        translate({json.dumps(CONTEXT)}, {json.dumps(text, ensure_ascii=False)}),"
        lines.append(call + ("  # noqa: E501" if len(call) > LINE_LENGTH else ""))
    return lines


def current_lines(source: str) -> list[str]:
    from ..ui.generated_block import block

    return block(source, GENERATED_BEGIN, GENERATED_END)


def main(argv: list[str]) -> int:
    """Write the list into ui/shell_strings.py (``--check``: only say whether it is current)."""
    from ..ui.generated_block import refresh

    return refresh(LISTING, GENERATED_BEGIN, GENERATED_END, generated_lines(), check="--check" in argv,
                   command="python -m timecrowd_tray.cli.i18n", what="shell text(s)")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
