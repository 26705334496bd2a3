"""What a user may read of the emulated account, answered as copies of the records.

Users may read entries of teams they belong to (``visible_entry``); a team
they are not in looks like a missing one (404).
"""

from __future__ import annotations

import copy

from .errors import Forbidden, NotFound
from .records import AccountRecords, Record


class ReadRules(AccountRecords):
    """The account's read-only questions (the write rules reuse its lookups)."""

    def _team_ids(self, user_id: int) -> list[int]:
        return list(self.users[user_id]["team_ids"])

    def _alive_entry(self, entry_id: int) -> Record:
        entry = self.entries.get(entry_id)
        if entry is None or entry["deleted_at"] is not None:
            raise NotFound(f"Couldn't find TimeEntry with 'id'={entry_id}")
        return entry

    def _own_entry(self, user_id: int, entry_id: int) -> Record:
        entry = self._alive_entry(entry_id)
        if entry["user_id"] != user_id:
            raise Forbidden()
        return entry

    def _member_team(self, user_id: int, team_id: int) -> Record:
        team = self.teams.get(team_id)
        if team is None or team_id not in self.users[user_id]["team_ids"]:
            # ASSUMPTION: a team you are not in looks like a missing one.
            raise NotFound(f"Couldn't find Team with 'id'={team_id}")
        return team

    def _running(self, user_id: int) -> Record | None:
        for entry in self.entries.values():
            if entry["user_id"] == user_id and entry["stopped_at"] is None and entry["deleted_at"] is None:
                return entry
        return None

    def running_entry(self, user_id: int) -> Record | None:
        with self.lock:
            entry = self._running(user_id)
            return copy.deepcopy(entry) if entry else None

    def entries_of(self, user_id: int) -> list[Record]:
        with self.lock:
            mine = [
                e for e in self.entries.values() if e["user_id"] == user_id and e["deleted_at"] is None
            ]
            return copy.deepcopy(newest_first(mine))

    def entry(self, entry_id: int) -> Record | None:
        with self.lock:
            entry = self.entries.get(entry_id)
            if entry is None or entry["deleted_at"] is not None:
                return None
            return copy.deepcopy(entry)

    def comment_of(self, entry: Record) -> Record | None:
        with self.lock:
            if entry.get("comment_id") is None:
                return None
            return copy.deepcopy(self.comments.get(entry["comment_id"]))

    def visible_entry(self, user_id: int, entry_id: int) -> Record:
        with self.lock:
            entry = self._alive_entry(entry_id)
            if entry["user_id"] != user_id and entry["team_id"] not in self.users[user_id]["team_ids"]:
                raise Forbidden()
            return copy.deepcopy(entry)

    def list_entries(
        self,
        user_id: int,
        *,
        only_user_id: int | None = None,
        team_id: int | None = None,
        task_id: int | None = None,
        category_id: int | None = None,
        started_since: int | None = None,
        started_until: int | None = None,
        input_type: str | None = None,
    ) -> list[Record]:
        """Entries of the caller's teams (and the caller's own), newest first."""
        with self.lock:
            teams = set(self.users[user_id]["team_ids"])
            found = []
            for entry in self.entries.values():
                if entry["deleted_at"] is not None:
                    continue
                if entry["user_id"] != user_id and entry["team_id"] not in teams:
                    continue
                if only_user_id is not None and entry["user_id"] != only_user_id:
                    continue
                if team_id is not None and entry["team_id"] != team_id:
                    continue
                if task_id is not None and entry["task_id"] != task_id:
                    continue
                if category_id is not None and self.tasks[entry["task_id"]]["category_id"] != category_id:
                    continue
                if started_since is not None and entry["started_at"] < started_since:
                    continue
                if started_until is not None and entry["started_at"] > started_until:
                    continue
                if input_type is not None and entry["input_type"] != input_type:
                    continue
                found.append(entry)
            return copy.deepcopy(newest_first(found))

    def teams_of(self, user_id: int) -> list[Record]:
        with self.lock:
            return [copy.deepcopy(self.teams[t]) for t in self.users[user_id]["team_ids"]]

    def categories_of(self, user_id: int, team_id: int | None = None) -> list[Record]:
        with self.lock:
            if team_id is not None:
                self._member_team(user_id, team_id)
            teams = [team_id] if team_id is not None else self._team_ids(user_id)
            found = [
                c for c in self.categories.values() if c["team_id"] in teams and c["deleted_at"] is None
            ]
            return copy.deepcopy(sorted(found, key=lambda c: (c["team_id"], c["position"], c["id"])))

    def _task_usable(self, task: Record) -> bool:
        category = self.categories.get(task["category_id"]) if task["category_id"] else None
        return task["deleted_at"] is None and (category is None or category["deleted_at"] is None)

    def team_tasks(self, user_id: int, team_id: int) -> list[Record]:
        with self.lock:
            self._member_team(user_id, team_id)
            found = [t for t in self.tasks.values() if t["team_id"] == team_id and self._task_usable(t)]
            return copy.deepcopy(sorted(found, key=lambda t: t["id"]))

    def suggest_tasks(self, user_id: int, title: str, category_id: int | None = None) -> list[Record]:
        """Case-insensitive substring match over the caller's live tasks.

        ASSUMPTION: ordered by the caller's most recent use, then newest task.
        """
        with self.lock:
            needle = title.casefold()
            teams = set(self.users[user_id]["team_ids"])
            last_used: dict[int, int] = {}
            for entry in self.entries.values():
                if entry["user_id"] == user_id and entry["deleted_at"] is None:
                    last_used[entry["task_id"]] = max(last_used.get(entry["task_id"], 0), entry["started_at"])
            found = [
                t
                for t in self.tasks.values()
                if t["team_id"] in teams
                and self._task_usable(t)
                and needle in t["title"].casefold()
                and (category_id is None or t["category_id"] == category_id)
            ]
            found.sort(key=lambda t: (-last_used.get(t["id"], 0), -t["id"]))
            return copy.deepcopy(found)

    def task_total_seconds(self, task_id: int) -> float:
        with self.lock:
            now = self.clock()
            total = 0.0
            for entry in self.entries.values():
                if entry["task_id"] == task_id and entry["deleted_at"] is None:
                    total += (entry["stopped_at"] if entry["stopped_at"] is not None else now) - entry["started_at"]
            return total

    def working_users(self, user_id: int) -> list[tuple[Record, Record]]:
        """(user, running entry) for everyone tracking time in the caller's teams."""
        with self.lock:
            teams = set(self.users[user_id]["team_ids"])
            rows = []
            for entry in self.entries.values():
                if entry["stopped_at"] is not None or entry["deleted_at"] is not None:
                    continue
                if entry["user_id"] == user_id or entry["team_id"] in teams:
                    rows.append((copy.deepcopy(self.users[entry["user_id"]]), copy.deepcopy(entry)))
            # ASSUMPTION: most recently started first.
            rows.sort(key=lambda row: (-row[1]["started_at"], -row[1]["id"]))
            return rows


def newest_first(entries: list[Record]) -> list[Record]:
    return sorted(entries, key=lambda e: (e["started_at"], e["id"]), reverse=True)
