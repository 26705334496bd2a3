"""One app per user, reachable from the shell through a local socket.

Each module does one job:

* :mod:`.paths`: where the socket lives, per user, and whether a file there is the user's;
* :mod:`.protocol`: the wire format (one JSON object per line);
* :mod:`.errors`: what can go wrong, one exception tree;
* :mod:`.client`: asking the running app (the shell commands, the hand-over);
* :mod:`.server`: the app's end, :class:`~.server.InstanceServer`, over one of
  :mod:`.unix_server` (POSIX) and :mod:`.qt_server` (Windows);
* :mod:`.takeover`: a socket name that is taken: refused, or freed when stale;
* :mod:`.lock`: the lock that decides which process is the app;
* :mod:`.holder`: who holds the lock, and waking it;
* :mod:`.claim`: the app's start-up: the lock, or the command handed over.

Nothing is imported here: import the module that does the job.
"""
