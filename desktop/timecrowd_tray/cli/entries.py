"""``log``, ``add``, ``edit``, ``delete``, ``today``: the day's entries from a shell.

Like the timer commands (:mod:`.control`), each goes to the running app first and,
when none runs, to the same timer service run here once (``today`` needs the app:
it opens its entries window). Every change goes through the outbox: done (exit 0),
queued (6: kept, sent later with the values typed), refused (1, the reason on
stderr: a rule broken, an overlap, a change made elsewhere meanwhile, the server's
own words), bad input (2), not signed in (3), unreachable (4), no app (5).

``log --json`` prints a list of ``{"id", "task": {"id", "title", "team"},
"started_at", "stopped_at" (null while running), "duration_seconds", "comment",
"pending", "ref"}`` with ISO 8601 times with offsets (``ref``: what ``edit``/``delete``
take, the id or ``local-N`` for an add not sent yet); ``add``/``edit``/``delete`` with
``--json`` print the answer (``outcome``, ``action``, ``entry``, ``error``, ``code``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from . import EXIT_ERROR, EXIT_OK, EXIT_QUEUED, EXIT_UNREACHABLE, EXIT_USAGE
from .control import APP_CODES, WAITING, answer_of, app_result, ask_running_app, clock_of, describe_task, refusal_line
from .i18n import N_, relay, tr
from .output import err, out


def register(subparsers: argparse._SubParsersAction) -> None:
    log = subparsers.add_parser(
        "log", help=N_("list a day's entries (--json for scripts)"),
        description=N_("Print the entries of a day (default today, in your TimeCrowd time zone), with the "
                       "changes not sent yet on top, and the day's total."))
    log.add_argument("--date", metavar="DATE", help=N_("YYYY-MM-DD, today (default) or yesterday"))
    log.add_argument("--json", action="store_true", help=N_("print a JSON list of the entries"))
    log.set_defaults(handler=_log)

    add = subparsers.add_parser(
        "add", help=N_("add a forgotten entry: a task, from, to"),
        description=N_("Add a finished entry for a task (the best match of QUERY, or --task ID)."))
    add.add_argument("query", nargs="*", metavar="QUERY", help=N_("words of the task's title"))
    add.add_argument("--task", type=int, metavar="ID", dest="task_id", help=N_("the task's id"))
    add.add_argument("--from", dest="start", metavar="HH:MM", required=True, help=N_("when it started"))
    add.add_argument("--to", dest="end", metavar="HH:MM", required=True, help=N_("when it ended"))
    add.add_argument("--date", metavar="DATE", help=N_("YYYY-MM-DD, today (default) or yesterday"))
    add.add_argument("--comment", metavar="TEXT", help=N_("a comment on the entry"))
    _common(add)
    add.set_defaults(handler=_add)

    edit = subparsers.add_parser(
        "edit", help=N_("change an entry's start, end, task or comment"),
        description=N_("Change the given fields of the entry ENTRY_ID (the running one's start and comment "
                       "too)."))
    edit.add_argument("entry_id", type=_entry_ref, metavar="ENTRY_ID",
                      help=N_("the id `log` shows (local-N: an add not sent yet)"))
    edit.add_argument("--from", dest="start", metavar="HH:MM", help=N_("its new start (9:05, 905, -15m)"))
    edit.add_argument("--to", dest="end", metavar="HH:MM", help=N_("its new end"))
    edit.add_argument("--task", type=int, metavar="ID", dest="task_id", help=N_("its new task"))
    edit.add_argument("--comment", metavar="TEXT", help=N_("its new comment"))
    _common(edit)
    edit.set_defaults(handler=_edit)

    delete = subparsers.add_parser("delete", help=N_("delete an entry"),
                                   description=N_("Delete the entry ENTRY_ID."))
    delete.add_argument("entry_id", type=_entry_ref, metavar="ENTRY_ID",
                        help=N_("the id `log` shows (local-N: an add not sent yet)"))
    delete.add_argument("--json", action="store_true", help=N_("print the answer as JSON"))
    delete.set_defaults(handler=_delete)

    today = subparsers.add_parser("today", help=N_("open the running app's entries window"),
                                  description=N_("Open the entries window of the running app."))
    today.set_defaults(handler=_today)


def _entry_ref(text: str) -> str:
    """A server id (``1234``) or an add not sent yet (``local-12``), as ``log`` shows them."""
    number = text[len("local-"):] if text.startswith("local-") else text
    if not number.isdigit():
        raise argparse.ArgumentTypeError(
            tr("not an entry id: {value} (an id, or local-N from `log`)", value=repr(text)))
    return text


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-overlap", action="store_true",
                        help=N_("keep it even when it overlaps another entry"))
    parser.add_argument("--json", action="store_true", help=N_("print the answer as JSON"))


# -- output --------------------------------------------------------------------------

def _span(entry: dict[str, Any]) -> str:
    end = clock_of(entry.get("stopped_at")) if entry.get("stopped_at") else "…"
    return tr("{start}–{end}").format(start=clock_of(entry.get("started_at")), end=end)  # ja: 〜


def _hms(seconds: Any) -> str:
    from ..core.durations import format_hms

    return format_hms(float(seconds or 0))


def _entry_line(entry: dict[str, Any]) -> str:
    parts = [_span(entry), _hms(entry.get("duration_seconds")), describe_task(entry.get("task"))]
    if entry.get("id") is not None:
        parts.insert(0, f"#{entry['id']}")
    elif entry.get("ref"):
        parts.insert(0, str(entry["ref"]))  # not sent yet: `edit`/`delete` take this
    line = "  ".join(parts)
    if entry.get("stopped_at") is None:
        line += "  " + tr("▶ running")
    if entry.get("pending"):
        line += "  " + tr("⏸ not sent yet")
    if entry.get("comment"):
        line += "  — " + str(entry["comment"])
    return line


def _result(answer: dict[str, Any] | int, as_json: bool) -> int:
    """Print what an add, edit or delete did; the exit code."""
    if isinstance(answer, int):
        return answer
    if as_json:
        out(json.dumps({k: v for k, v in answer.items() if k != "status"}, ensure_ascii=False))
    if not answer.get("ok"):
        err(refusal_line(answer))
        return APP_CODES.get(str(answer.get("code")), EXIT_ERROR)
    queued = answer.get("outcome") == "queued"
    if not as_json:
        entry = answer.get("entry") or {}
        what = tr("{task} {span}", task=describe_task(entry.get("task")), span=_span(entry)) if entry else ""
        why = tr(WAITING.get(str(answer.get("waiting_for")), WAITING["server"]))
        action = answer.get("action")
        if action == "unchanged":
            out(tr("nothing to change: {entry}", entry=what))
        elif queued:
            texts = {"added": N_("⏸ queued: add {entry}; it will be sent as you typed it: {why}"),
                     "edited": N_("⏸ queued: change {entry}; it will be sent as you typed it: {why}"),
                     "deleted": N_("⏸ queued: delete {entry}; it will be sent: {why}")}
            out(tr(texts.get(str(action), texts["edited"]), entry=what, why=why))
        else:
            texts = {"added": N_("+ added {entry}"), "edited": N_("✎ changed {entry}"),
                     "deleted": N_("✕ deleted {entry}")}
            out(tr(texts.get(str(action), texts["edited"]), entry=what))
    return EXIT_QUEUED if queued else EXIT_OK


# -- commands --------------------------------------------------------------------------

def _log(args: argparse.Namespace) -> int:
    answer = answer_of(args, {"cmd": "log", "date": args.date})
    if isinstance(answer, int):
        return answer
    if not answer.get("ok"):
        return app_result(answer)
    entries = answer.get("entries") or []
    if args.json:
        out(json.dumps(entries, ensure_ascii=False))
    else:
        for entry in entries:
            out(_entry_line(entry))
        if not entries:
            out(tr("no entries on {day}", day=answer.get("day")))
        out(tr("total {total}", total=_hms(answer.get("total_seconds"))))
    if not answer.get("complete"):
        err(relay(str(answer.get("error") or ""), sentence=True))
        # what is listed is what was read before (as last confirmed), with the changes not sent yet
        err(tr("⚠ the entries listed may be incomplete or out of date: they are what was read earlier, "
               "with the changes not sent yet on top"))
        return EXIT_UNREACHABLE
    return EXIT_OK


def _add(args: argparse.Namespace) -> int:
    query = " ".join(args.query).strip() or None
    if query and args.task_id is not None:
        err(tr("give either QUERY or --task ID, not both"))
        return EXIT_USAGE
    if not query and args.task_id is None:
        err(tr("give the task: QUERY or --task ID"))
        return EXIT_USAGE
    return _result(answer_of(args, {"cmd": "add", "query": query, "task_id": args.task_id, "from": args.start,
                                    "to": args.end, "date": args.date, "comment": args.comment,
                                    "allow_overlap": args.allow_overlap}), args.json)


def _edit(args: argparse.Namespace) -> int:
    if args.start is None and args.end is None and args.task_id is None and args.comment is None:
        err(tr("nothing to change: give --from, --to, --task or --comment"))
        return EXIT_USAGE
    return _result(answer_of(args, {"cmd": "edit", "entry_id": args.entry_id, "from": args.start, "to": args.end,
                                    "task_id": args.task_id, "comment": args.comment,
                                    "allow_overlap": args.allow_overlap}), args.json)


def _delete(args: argparse.Namespace) -> int:
    return _result(answer_of(args, {"cmd": "delete", "entry_id": args.entry_id}), args.json)


def _today(args: argparse.Namespace) -> int:
    answer = ask_running_app(
        {"cmd": "today"},
        tr("TimeCrowd Tray is not running: start it with `timecrowd-tray` (the entries window needs the app)"))
    if isinstance(answer, int):
        return answer
    if not answer.get("ok"):
        return app_result(answer)
    return EXIT_OK
