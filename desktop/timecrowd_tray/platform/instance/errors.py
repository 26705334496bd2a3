"""What can go wrong with the single-instance socket and lock: one exception tree, each message for the user.

:class:`InstanceError` is the root: a caller that only wants to say what went
wrong catches it; the subclasses name what the caller may do about it.
"""

from __future__ import annotations

from ... import APP_NAME


class InstanceError(Exception):
    """The single-instance socket could not be used; the message is for the user."""


class AlreadyRunning(InstanceError):
    """Another instance of the app answers on the socket."""


class UntrustedSocket(InstanceError):
    """The socket path exists but belongs to another user: it is never used."""


class NoAnswer(InstanceError):
    """An app holds the socket but did not answer in time."""


class UntrustedLock(InstanceError):
    """The lock file is a symbolic link, not a regular file, or another user's: never used."""


class NotAnswering(InstanceError):
    """Another process holds the lock but its socket does not answer: the message is for the user."""

    def __init__(self, pid: int | None, name: str, reason: str) -> None:
        self.pid = pid
        self.name = name
        self.reason = reason
        who = f"pid {pid}" if pid else "pid unknown"
        kill = f" (kill {pid})" if pid else ""
        super().__init__(f"{APP_NAME} is already running ({who}) but does not answer on its control socket "
                         f"{name} ({reason}); quit it or kill it{kill}, then start it again.")
