"""The commands the task palette offers beside the tasks, as a launcher does ("Today…").

Typed words find a command the way they find a task: the same ranking
(:class:`timecrowd_tray.core.fuzzy.FuzzyIndex`) over the command's title and
its keywords, in both languages whatever the one shown ("today", "今日",
"pending", "未送信"), with the word-start abbreviations the tasks have
("pc" for "pending changes"). The scores are the tasks' scores, so the palette
can rank a command against the tasks and never put it above a task that
matches better.

Each command names the tray controller's method that runs it (``open_today``),
as the global shortcuts do (:data:`timecrowd_tray.ui.controls.SHORTCUTS`): the
palette emits that name, the controller calls the method.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from ..core.fuzzy import FuzzyIndex, normalize

# A command needs this many typed characters (spaces aside): a one-letter query is the start of
# almost any task, and a command taking its Enter would surprise.
MIN_QUERY_CHARS = 2

# Words that name the command itself, in both languages; not words a task title often starts with
# ("log", "sync"): an exact keyword outranks a task that only holds the word.
TODAY_KEYWORDS = ("today", "entries", "今日", "きょう", "作業記録")
PENDING_KEYWORDS = ("pending changes", "outbox", "未送信の変更")


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    intent: str                  # the TrayController method that runs it: "open_today", "open_pending"
    title: str
    subtitle: str                # what it does
    keywords: tuple[str, ...] = ()


def tray_commands(pending_count: int) -> list[PaletteCommand]:
    """The tray's commands: "Today…", and "Pending changes (n)" while something waits (as in the menu)."""
    commands = [PaletteCommand(
        "open_today", QCoreApplication.translate("PaletteCommands", "Today…"),
        QCoreApplication.translate("PaletteCommands", "Open the day's entries: see, fix and add"),
        TODAY_KEYWORDS)]
    if pending_count > 0:
        commands.append(PaletteCommand(
            "open_pending",
            QCoreApplication.translate("PaletteCommands", "Pending changes (%1)").replace("%1", str(pending_count)),
            QCoreApplication.translate("PaletteCommands", "What waits to be sent, and why"),
            PENDING_KEYWORDS))
    return commands


class CommandIndex:
    """Commands ranked for a query, with the tasks' scores (higher is better)."""

    def __init__(self, commands: Sequence[PaletteCommand] = ()) -> None:
        self.commands = list(commands)
        # One entry per searchable text: a command scores as its best title or keyword.
        names = [(command, text) for command in self.commands for text in (command.title, *command.keywords)]
        self._index: FuzzyIndex[tuple[PaletteCommand, str]] = FuzzyIndex(names, title_of=lambda name: name[1])

    def search(self, query: str) -> list[tuple[PaletteCommand, int]]:
        """The commands ``query`` finds, best first, each with its score; none for a short query."""
        if len("".join(normalize(query).split())) < MIN_QUERY_CHARS:
            return []
        best: dict[str, tuple[PaletteCommand, int]] = {}
        for match in self._index.search(query, limit=None):  # best first: a command's first is its best
            command = match.item[0]
            best.setdefault(command.intent, (command, match.score))
        return list(best.values())
