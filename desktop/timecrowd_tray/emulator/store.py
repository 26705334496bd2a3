"""The emulated TimeCrowd account, put together from its rules.

No HTTP here: the routes in ``app.py`` translate the exceptions of
``errors.py`` into status codes and render records with ``views.py``.

Stored records are plain dicts (documented on ``AccountRecords`` in
``records.py``). Every public method takes ``self.lock`` (re-entrant), so tests
may read the state from the main thread while uvicorn serves from its own
thread; readers get copies.

Every rule reads and writes the same records under the same lock (a start stops
the running entry, a stop checks the owner, a comment replaces the shown one),
so the rules are classes over the one storage of ``records.py``, not objects of
their own: ``token_rules.py`` (who a token speaks for), ``read_rules.py`` (what
a user may read), ``write_rules.py`` (what a user may change). The seed data
(``seed.py``), the HTTP mapping (``app.py``, ``views.py``) and the faults
(``faults.py``) live apart too.

Behaviours that are guesses about the real server, not documented facts:

* Starting a task (or creating a running entry) stops the user's running entry
  at the same instant: one running entry per user.
* An entry created from times (``time_entry: {started_at, stopped_at, ...}``) has
  ``input_type`` "manual" (issue #14; the reference page's one example shows
  "realtime", the API's own value list has "manual" for entries typed in).
* Stopping an entry that is already stopped answers 200 with the entry
  unchanged: ``stopped_at`` does not move.
* A new comment replaces the one shown on the entry (entries show one comment).
* Users may read entries of teams they belong to; writing (stop, update,
  delete, comment) is reserved to the entry's owner (403 otherwise).
* Personal tokens (``add_token`` without ``expires_at``) never expire; OAuth
  access tokens expire after ``token_expires_in`` seconds of the clock.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .read_rules import newest_first
from .seed import populate
from .token_rules import TokenRules
from .write_rules import WriteRules


class EmulatorState(WriteRules, TokenRules):
    """The whole emulated account (record shapes: ``records.AccountRecords``)."""

    @classmethod
    def seeded(cls, clock: Callable[[], float] | None = None) -> EmulatorState:
        """A store holding the demo account (``seed.py``)."""
        state = cls(clock)
        populate(state)
        return state

    # -- admin ------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Plain-JSON picture of the mutable state, for /_emulator/state."""
        with self.lock:
            running = {str(uid): copy.deepcopy(self._running(uid)) for uid in sorted(self.users)}
            return {
                "now": self.clock(),
                "me_id": self.me_id,
                "entries": copy.deepcopy(newest_first(list(self.entries.values()))),
                "running": running,
                "comments": copy.deepcopy(sorted(self.comments.values(), key=lambda c: c["id"])),
                "requests": [
                    {"method": m, "path": p, "json": b, "monotonic": t} for (m, p, b, t) in self.requests
                ],
                "faults": self.faults.describe(),
            }
