"""``timecrowd-tray idle keep|discard|continue``: answer the running app's away prompt from a shell.

For a status bar or a desktop shortcut (``status --json`` shows ``"idle":
{"since", "seconds"}`` while the prompt waits; times in the account's zone,
with its offset, and printed as they are). Exit codes: 0 done, 6 queued
(the stop is kept and sent later, ending when you left), 1 when no away time
waits for an answer or the entry changed meanwhile, 5 when no app runs.
"""

from __future__ import annotations

import argparse

from . import EXIT_ERROR, EXIT_OK, EXIT_QUEUED
from .i18n import N_, tr
from .output import err, out

CHOICES = ("keep", "discard", "continue")


def register(subparsers: argparse._SubParsersAction) -> None:
    idle = subparsers.add_parser(
        "idle", help=N_("answer the away prompt: keep, discard or continue"),
        description=N_("Answer the running app's prompt about time away from the computer: keep it, discard it "
                       "(the entry ends when you left) or continue (it ends when you left and the same task starts "
                       "now). Exits 1 when no away time waits for an answer."))
    idle.add_argument("answer", choices=CHOICES)
    idle.set_defaults(handler=_idle)


def _idle(args: argparse.Namespace) -> int:
    from .control import ask_running_app, clock_of

    answer = ask_running_app({"cmd": "idle", "answer": args.answer},
                             tr("TimeCrowd Tray is not running: no away time waits for an answer"))
    if isinstance(answer, int):
        return answer
    if not answer.get("ok"):
        code = str(answer.get("code"))
        if code == "no_idle":
            err(tr("no away time waits for an answer"))
        elif code == "changed":
            err(tr("the running entry changed since you left (on the web or another computer): nothing was done"))
        elif code == "stopped_here":
            err(tr("you stopped the timer after you left: nothing runs to continue; answer keep or discard"))
        elif code == "stopped_elsewhere":
            err(tr("the timer was stopped since you left (on the web or another computer): nothing was done"))
        else:
            err(tr("nothing was done: {reason}", reason=str(answer.get("error") or code)))
        return EXIT_ERROR
    action, at = answer.get("action"), clock_of(answer.get("at"))
    queued = answer.get("outcome") == "queued"
    if action == "kept":
        out(tr("kept the time away"))
    elif queued:
        out(tr("⏸ queued: the entry ends at {at}, when you left; it will be sent with that time", at=at))
    elif action == "continued":
        out(tr("■ the entry ended at {at}, when you left; ▶ the same task started now", at=at))
    else:
        out(tr("■ the entry ended at {at}, when you left", at=at))
    return EXIT_QUEUED if queued else EXIT_OK
