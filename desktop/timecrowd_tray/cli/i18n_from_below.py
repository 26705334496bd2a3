"""The English texts that reach the shell from below (:data:`FROM_BELOW`), marked for the catalog.

Other layers' messages, as they come (f-string parts as ``{placeholders}``), which
:func:`.i18n.relay` translates. Kept as data, one entry a text, so that one edit adds
a text and its translation path: ``python -m timecrowd_tray.cli.i18n`` finds the
:func:`N_` calls here and lists them for lupdate (``ui/shell_strings.py``).
"""

from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802 - gettext's name for "translated later"
    """Mark ``text`` for the catalog; it is translated where it is printed (:func:`.i18n.tr`)."""
    return text


# A placeholder named in i18n._RELAYED is itself relayed (a reason that is one of these texts); the
# others are kept as they are (paths, names, the server's words). A test checks that the messages of
# those modules are all here.

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
    N_("the running entry is not known here yet; move its start with `timecrowd-tray edit ID --from HH:MM` "
       "(`timecrowd-tray log` shows its ID)"),
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


#: The settings' own help texts (``Setting.help`` in core/settings.py), marked for the catalog: ``config``'s
#: description lists them, translated when the help is laid out. A test checks that every key's is here.
SETTING_HELP: tuple[str, ...] = (
    N_("TimeCrowd server URL (https, or http on loopback)"),
    N_("global shortcut: start/stop the timer"),
    N_("global shortcut: open the task palette"),
    N_("seconds between checks of the running entry"),
    N_("ask for a comment when the timer stops"),
    N_("also notify on your own starts/stops (errors and changes made elsewhere are always shown)"),
    N_("user interface language: system, ja or en"),
    N_("start TimeCrowd Tray at login"),
    N_("ask what to do with the time away after this many minutes without input (0: off)"),
    N_("remind to start the timer after this many active minutes not tracking (0: off)"),
    N_("working hours for reminders, such as 09:00-18:00"),
    N_("working days for reminders, such as mon-fri"),
    N_("offer to end a timer running longer than this many hours (0: only across the night)"),
)
