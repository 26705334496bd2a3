"""``toggle``, ``start``, ``stop``, ``status``, ``palette``: the timer from a shell.

Each command goes to the running app first, through its per-user local
socket (:mod:`timecrowd_tray.platform.single_instance`), so the tray, its
outbox and its comment dialog stay the one source of truth. When no app runs,
``toggle``/``start``/``stop`` run the same timer service here, once
(:mod:`.local_engine`: the outbox, the time typed, the same answers);
``status`` asks the TimeCrowd API with the sign-in stored in the keyring;
``palette`` needs the app.

What each prints and its exit code follow the answer (:mod:`..services.commands`):
done 0, queued 6 (sent later with the time it was typed), refused 1 (3 when not
signed in, 4 when the server or the keyring cannot be reached).

``status --json`` prints one JSON object (see docs/controls.md)::

    {"state": "running"|"idle"|"signed_out"|"offline",
     "task": {"id": 1, "title": "...", "team": "..."} | null,
     "started_at": "2025-10-21T09:00:00+09:00" | null,
     "elapsed_seconds": 2530 | null, "pending": 0, "source": "app"|"api"}

No Qt is imported on the way to the running app; the API fallback imports
QtCore only (for the settings file).
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any

from . import EXIT_AUTH, EXIT_ERROR, EXIT_NOT_RUNNING, EXIT_OK, EXIT_QUEUED, EXIT_UNREACHABLE, EXIT_USAGE
from .i18n import N_, api_message, relay, tr
from .output import err, out
from .session import run_with_session

#: A stored sign-in the server no longer accepts ({api_base}, {reason}).
_REJECTED = N_("the server rejected the sign-in stored for {api_base} ({reason}); sign in again "
               "(timecrowd-tray login --with-token)")

#: The app's error codes (single-instance answers) -> exit codes.
APP_CODES = {
    "signed_out": EXIT_AUTH,
    "bad_request": EXIT_USAGE,
    "not_found": EXIT_ERROR,
    "not_running": EXIT_ERROR,
    "refused": EXIT_ERROR,
    "unreachable": EXIT_UNREACHABLE,
    "failed": EXIT_ERROR,
    "invalid_times": EXIT_ERROR,
    "overlap": EXIT_ERROR,
    "conflict": EXIT_ERROR,
    "no_app": EXIT_NOT_RUNNING,
}


def register(subparsers: argparse._SubParsersAction) -> None:
    toggle = subparsers.add_parser(
        "toggle", help=N_("start the most recent task, or stop the running one"),
        description=N_("Idle: start the most recent task. Running: stop it (the running app then asks for a "
                       "comment when that setting is on). Bind a desktop shortcut to this command where "
                       "global shortcuts do not work."))
    toggle.set_defaults(handler=_toggle)

    start = subparsers.add_parser(
        "start", help=N_("start a task (the best match of QUERY, or --task ID, or the most recent one)"),
        description=N_("Start timing a task: the best fuzzy match of QUERY among recent tasks (then the "
                       "server's suggestions), the task with --task ID, or without either the most recent task."))
    start.add_argument("query", nargs="*", metavar="QUERY", help=N_("words of the task's title"))
    start.add_argument("--task", type=int, metavar="ID", dest="task_id", help=N_("the task's id"))
    start.add_argument("--at", metavar="TIME", help=N_("backdated: the time it started (HH:MM, 905, or -15m)"))
    start.add_argument("--allow-overlap", action="store_true",
                       help=N_("with --at: start even when the time overlaps another entry"))
    start.set_defaults(handler=_start)

    stop = subparsers.add_parser("stop", help=N_("stop the running timer"),
                                 description=N_("Stop the running timer, optionally adding a comment to the entry."))
    stop.add_argument("--comment", metavar="TEXT", help=N_("add this comment to the stopped entry"))
    stop.set_defaults(handler=_stop)

    status = subparsers.add_parser(
        "status", help=N_("show what is being timed (--json for status bars)"),
        description=N_("Print the timer's state: one line, or with --json one JSON object for status bars "
                       "(waybar, polybar, i3blocks). Exits 0 whenever it could tell the state."))
    status.add_argument("--json", action="store_true", help=N_("print one JSON object"))
    status.set_defaults(handler=_status)

    palette = subparsers.add_parser("palette", help=N_("open the running app's task palette"),
                                    description=N_("Open the task palette of the running app."))
    palette.set_defaults(handler=_palette)


# -- output --------------------------------------------------------------------

def _print_status(doc: dict[str, Any], as_json: bool) -> None:
    from ..core.status import format_status

    if as_json:
        out(json.dumps(doc, ensure_ascii=False))
    else:
        out(format_status(doc, tr))


def describe_task(task: dict[str, Any] | None) -> str:
    if not task:
        return ""
    title = task.get("title") or tr("task {id}", id=task.get("id"))
    team = task.get("team")
    return tr("{title} ({team})", title=title, team=team) if team else title  # as core.labels.task_label


def clock_of(iso: str | None) -> str:
    """``HH:MM`` of an ISO 8601 moment in its own offset, "" when there is none.

    Never the machine's zone: the answers carry their times in the zone the shell prints and
    reads them in (the account's, else the machine's: ``core.today.user_timezone``).
    """
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%H:%M")
    except ValueError:
        return ""


#: Why a queued action waits, for the one line the shell prints.
WAITING = {
    "network": N_("TimeCrowd cannot be reached now"),
    "sign_in": N_("the app is not signed in now (sign in again to send it)"),
    "server": N_("TimeCrowd has not confirmed it yet"),
}


def _report_action(action: str | None, before: dict[str, Any] | None, after: dict[str, Any],
                   answer: dict[str, Any] | None = None) -> None:
    """One line on stdout for what was done (or queued: with the time it will carry)."""
    from ..core.durations import format_hms

    answer = answer or {}
    queued = answer.get("outcome") == "queued"
    task = answer.get("task") or after.get("task")
    at = clock_of(answer.get("acted_at"))
    why = tr(WAITING.get(str(answer.get("waiting_for")), WAITING["server"]))
    if action in ("started", "switched"):
        if queued:
            line = tr("⏸ queued: started {task}; it will be sent with the time you asked ({at}): {why}",
                      task=describe_task(task), at=at, why=why)
        else:
            line = tr("▶ started {task}", task=describe_task(task))
    elif action == "moved_start":
        moved = describe_task(task)
        since = clock_of((answer.get("entry") or {}).get("started_at"))
        if queued:
            line = tr("⏸ queued: {task} is already running; its start will be moved to {since}: {why}",
                      task=moved, since=since, why=why)
        else:
            line = tr("▶ {task} was already running: its start is now {since}", task=moved, since=since)
    elif action == "already_running":
        line = tr("▶ already running {task}", task=describe_task(after.get("task")))
    elif action == "stopped":
        if before and before.get("task"):
            stopped = describe_task(before["task"])
            elapsed = before.get("elapsed_seconds")
            if queued:
                line = tr("⏸ queued: stopped {task}; it will be sent with the time you asked ({at}): {why}",
                          task=stopped, at=at, why=why)
            elif elapsed is not None:
                line = tr("■ stopped {task} {elapsed}", task=stopped, elapsed=format_hms(elapsed))
            else:
                line = tr("■ stopped {task}", task=stopped)
        elif queued:
            line = tr("⏸ queued: stopped; it will be sent with the time you asked ({at}): {why}", at=at, why=why)
        else:
            line = tr("■ stopped")
    elif action == "not_running":
        line = tr("■ not running (nothing to stop)")
    else:
        line = ""
    if line:
        out(line)


# -- the running app -------------------------------------------------------------

class NoApp(Exception):
    """No app answers on the socket: fall back to the API."""


def ask_app(request: dict[str, Any]) -> dict[str, Any] | int:
    """The app's answer; an exit code after an error was printed; NoApp when none runs."""
    from ..platform.instance.client import send_request
    from ..platform.instance.errors import InstanceError, NoAnswer, UntrustedSocket

    try:
        answer = send_request(request)
    except UntrustedSocket as exc:
        err(tr("ignoring the app socket: {reason}", reason=relay(str(exc))))
        raise NoApp() from None
    except NoAnswer as exc:
        err(tr("TimeCrowd Tray is running but {reason}", reason=relay(str(exc))))
        return EXIT_ERROR
    except InstanceError as exc:
        err(relay(str(exc), sentence=True))
        return EXIT_ERROR
    if answer is None:
        raise NoApp()
    return answer


#: What TimeCrowd refused, by the answer's action ({task}: the task's title, {reason}: the server's words).
_REFUSED_OF_TASK = {
    "started": N_("TimeCrowd refused the start of “{task}”: {reason}"),
    "switched": N_("TimeCrowd refused the start of “{task}”: {reason}"),
    "stopped": N_("TimeCrowd refused the stop of “{task}”: {reason}"),
    "moved_start": N_("TimeCrowd refused the new start time of “{task}”: {reason}"),
}
_REFUSED = {
    "started": N_("TimeCrowd refused the start: {reason}"),
    "switched": N_("TimeCrowd refused the start: {reason}"),
    "stopped": N_("TimeCrowd refused the stop: {reason}"),
    "moved_start": N_("TimeCrowd refused the new start time: {reason}"),
    "added": N_("TimeCrowd refused the new entry: {reason}"),
    "edited": N_("TimeCrowd refused the change to the entry: {reason}"),
    "deleted": N_("TimeCrowd refused the deletion of the entry: {reason}"),
}
#: How to insist on a start that overlaps another entry.
OVERLAP_HINT = N_("(use --allow-overlap to start anyway)")


def refusal_line(answer: dict[str, Any]) -> str:
    """The line for a refused answer: what TimeCrowd refused, then its words verbatim (an answer with an
    ``action`` was sent and refused there); the service's own reason as it is otherwise."""
    error = answer.get("error")
    reason = relay(str(error)) if error else ""
    action = str(answer.get("action") or "")
    if action in _REFUSED:
        task = answer.get("task") or (answer.get("stopped") or {}).get("task")
        title = (task or {}).get("title")
        if title and action in _REFUSED_OF_TASK:
            return tr(_REFUSED_OF_TASK[action], task=title, reason=reason)
        return tr(_REFUSED[action], reason=reason)
    return relay(str(error), sentence=True) if error else tr("the running app refused the command")


def ask_running_app(request: dict[str, Any], not_running: str) -> dict[str, Any] | int:
    """The answer of the running app to what only it can do; ``EXIT_NOT_RUNNING``, having said
    ``not_running``, when none runs; an exit code after an error was printed."""
    try:
        return ask_app(request)
    except NoApp:
        err(not_running)
        return EXIT_NOT_RUNNING


def app_result(answer: dict[str, Any], *, as_json: bool = False, status_only: bool = False) -> int:
    """Print what the app says happened; the exit code: done 0, queued 6, refused by its reason."""
    doc = answer.get("status")
    if not answer.get("ok"):
        err(refusal_line(answer))
        return APP_CODES.get(str(answer.get("code")), EXIT_ERROR)
    if status_only:
        if isinstance(doc, dict):
            _print_status(doc, as_json)
        return EXIT_OK
    if isinstance(doc, dict):
        _report_action(answer.get("action"), answer.get("stopped"), doc, answer)
    if answer.get("comment_error"):
        err(tr("the comment was not added: {reason}", reason=relay(str(answer["comment_error"]))))
        return EXIT_ERROR
    return EXIT_QUEUED if answer.get("outcome") == "queued" else EXIT_OK


def _via_app_or_engine(args: argparse.Namespace, request: dict[str, Any]) -> int:
    """``request`` to the running app, else to the same timer service run here (cli.local_engine)."""
    answer = answer_of(args, request)
    if isinstance(answer, int):
        return answer
    return app_result(answer)


def answer_of(args: argparse.Namespace, request: dict[str, Any]) -> dict[str, Any] | int:
    """The answer to ``request`` of the running app, else of the timer service run here; an exit code
    when neither could answer (already said on stderr)."""
    try:
        answer = ask_app(request)
    except NoApp:
        from .local_engine import run_command

        holder: dict[str, Any] = {}

        async def body(session) -> int:
            holder["answer"] = await run_command(session, request)
            return EXIT_OK

        code = run_with_session(args, body, rejected=_REJECTED, interrupted=N_("interrupted"))
        if "answer" not in holder:
            return code  # the keyring or the server URL failed: already said
        answer = holder["answer"]
    return answer


def _via_app_or_api(args: argparse.Namespace, request: dict[str, Any], api_body, **result_kw) -> int:
    try:
        answer = ask_app(request)
    except NoApp:
        return _run_api(args, api_body)
    if isinstance(answer, int):
        return answer
    return app_result(answer, **result_kw)


# -- straight to the API -----------------------------------------------------------

class _Api:
    """One signed-in API client and what the commands need from it."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._user = None

    async def user(self):
        if self._user is None:
            self._user = await self.client.user_info()
        return self._user

    async def running(self):
        return await self.client.running_entry((await self.user()).id)

    def doc(self, entry, *, state: str | None = None) -> dict[str, Any]:
        from ..core.status import status_document
        from ..core.today import user_timezone

        names = {t.id: t.name for t in (self._user.teams if self._user else ())}
        if entry is None:
            return status_document(state=state or "idle", source="api")
        task = entry.task
        return status_document(state=state or "running", task=task, team=names.get(task.team_id or entry.team_id, ""),
                               started_at=entry.started_at, now=datetime.now(UTC), source="api",
                               zone=user_timezone(self._user))  # the account's, as `log` prints


def _run_api(args: argparse.Namespace, body) -> int:
    """Run ``body(api, api_base)`` with the stored sign-in (``api`` is None when there is none)."""

    async def with_api(session) -> int:
        client = await session.restore()
        return await body(_Api(client) if client is not None else None, session.api_base)

    return run_with_session(args, with_api, rejected=_REJECTED, interrupted=N_("interrupted"))


# -- commands ------------------------------------------------------------------

def _toggle(args: argparse.Namespace) -> int:
    return _via_app_or_engine(args, {"cmd": "toggle"})


def _start(args: argparse.Namespace) -> int:
    query = " ".join(args.query).strip() or None
    if query and args.task_id is not None:
        err(tr("give either QUERY or --task ID, not both"))
        return EXIT_USAGE
    request = {"cmd": "start", "query": query, "task_id": args.task_id}
    if args.at:
        request.update(at=args.at, allow_overlap=args.allow_overlap)
    answer = answer_of(args, request)
    if isinstance(answer, int):
        return answer
    if not answer.get("ok") and answer.get("code") == "overlap" and answer.get("error"):
        answer = {**answer, "error": f"{relay(str(answer['error']), sentence=True)} {tr(OVERLAP_HINT)}"}
    return app_result(answer)


def _stop(args: argparse.Namespace) -> int:
    comment = args.comment.strip() if args.comment else None
    if args.comment is not None and not comment:
        err(tr("--comment needs some text"))
        return EXIT_USAGE
    return _via_app_or_engine(args, {"cmd": "stop", "comment": comment})


def _status(args: argparse.Namespace) -> int:
    from ..api import errors

    async def body(api: _Api | None, api_base: str) -> int:
        from ..core.status import status_document

        if api is None:
            _print_status(status_document(state="signed_out", source="api"), args.json)
            return EXIT_OK
        try:
            running = await api.running()
        except errors.AuthError:
            _print_status(status_document(state="signed_out", source="api"), args.json)
            return EXIT_OK
        except errors.TransientError as exc:
            err(tr("cannot reach {api_base}: {reason}", api_base=api_base, reason=api_message(exc)))
            _print_status(status_document(state="offline", source="api"), args.json)
            return EXIT_OK
        _print_status(api.doc(running), args.json)
        return EXIT_OK

    return _via_app_or_api(args, {"cmd": "status"}, body, as_json=args.json, status_only=True)


def _palette(args: argparse.Namespace) -> int:
    answer = ask_running_app(
        {"cmd": "palette"},
        tr("TimeCrowd Tray is not running: start it with `timecrowd-tray` (the palette needs the app)"))
    if isinstance(answer, int):
        return answer
    return app_result(answer)


# The old private names (tests and benchmarks call them).
_app_result = app_result
_ask_app = ask_app
_NoApp = NoApp
_clock_of = clock_of
