"""What the app tells the user about bad local state (a ``services.events.StorageProblem``).

One notice, through the tray's notifier: what was lost, what is kept where, what to do.
The strings are in the translation context "App" (that of the composition root, where they
were first written; the .ts files keep them there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from ..services.events import StorageProblem
    from .notifier import Notifier


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate("App", text, disambiguation, n)


def storage_problem_notice(problem: StorageProblem) -> tuple[str, str | None] | None:
    """The notice for ``problem``: (message, title), or None when there is nothing to say."""
    title: str | None = None
    parts: list[str] = []
    unwritable = problem.outbox_unwritable
    if unwritable is not None:
        title = tr("Your actions are not saved on this computer")
        parts.append(tr("TimeCrowd Tray cannot write to {path} ({reason}). It keeps working, but the actions "
                        "you make now are kept in memory only: those not yet sent to TimeCrowd are lost if "
                        "you quit the app. Make the folder writable, then restart TimeCrowd Tray.").format(
            path=unwritable.path.parent, reason=unwritable.reason))
        if unwritable.waiting_count is None:
            parts.append(tr("The actions already waiting there could not be counted. They stay there and are "
                            "sent once the folder can be written."))
        elif unwritable.waiting_count:
            parts.append(tr("%n action(s) already waiting there stay there and are sent once the folder "
                            "can be written.", "", unwritable.waiting_count))
    damage = problem.damage
    if damage is not None:
        title = title or tr("The list of your unsent actions was damaged")
        parts.append(tr("The file keeping your actions until they reach TimeCrowd was damaged. A new one "
                        "was started; the damaged one is kept at {path}.").format(path=damage.path))
        if damage.recovered_count:
            parts.append(tr("%n action(s) were recovered from it and will be sent.", "", damage.recovered_count))
        if damage.unreadable_count is None:
            parts.append(tr("An unknown number of actions could not be read from it: they will not be sent."))
        elif damage.unreadable_count:
            parts.append(tr("%n action(s) could not be read from it: they will not be sent.", "",
                            damage.unreadable_count))
        elif not damage.recovered_count:
            parts.append(tr("No action waiting to be sent was lost."))
    if problem.unreadable_count:
        title = title or tr("Some of your unsent actions could not be read")
        parts.append(tr("%n action(s) waiting to be sent could not be read: they will not be sent. They are "
                        "kept for inspection in {path}.", "", problem.unreadable_count).format(
            path=problem.outbox_path))
    if problem.cache_dir is not None:
        title = title or tr("TimeCrowd Tray cannot write its cache")
        parts.append(tr("TimeCrowd Tray cannot write to {path} ({reason}): your recent tasks and the running "
                        "timer are not remembered for the next start. Everything else works.").format(
            path=problem.cache_dir, reason=problem.cache_reason))
    if not parts:
        return None
    return "\n".join(parts), title


def show_storage_problem(notifier: Notifier, problem: StorageProblem | None) -> None:
    """Tell the user what is wrong with this computer's files (None: nothing), in one notice."""
    if problem is None:
        return
    notice = storage_problem_notice(problem)
    if notice is not None:
        notifier.error(*notice)
