"""What Linux's /proc says about a process and its children: memory, CPU time, wake-ups.

Every reading covers the whole process tree under ``pid`` (the process, its
threads, and any child process with theirs), so work moved to a helper
process is not hidden.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (that are still alive)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return out


def _status(pid: int) -> dict[str, str]:
    return _status_path(Path(f"/proc/{pid}/status"))


def _kb(value: str | None) -> int:
    return int(value.split()[0]) if value else 0


def rss_mb(pid: int) -> float:
    """Resident memory now (VmRSS), MiB, summed over the tree."""
    return sum(_kb(_status(p).get("VmRSS")) for p in tree(pid)) / 1024


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM, the high-water mark), MiB, summed over the tree."""
    return sum(_kb(_status(p).get("VmHWM")) for p in tree(pid)) / 1024


@dataclass(frozen=True)
class ThreadSample:
    name: str
    cpu: float       # seconds on a CPU so far (schedstat, nanosecond resolution)
    switches: int    # voluntary context switches so far


def threads(pid: int) -> dict[tuple[int, int], ThreadSample]:
    """Every live thread of the tree, keyed by (pid, tid).

    CPU time comes from ``/proc/PID/task/TID/schedstat`` (nanoseconds on the CPU): an
    idle app uses a few milliseconds a minute, below the 10 ms tick of utime/stime.
    Voluntary context switches: a thread switches out voluntarily each time it blocks
    (poll, sleep, futex), and each one is followed by a wake-up, so their count over a
    window is the number of wake-ups in it (timers, sockets, X events alike).
    ``/proc/PID/status`` counts the main thread only; each ``task/TID/status`` its own.
    """
    out = {}
    for p in tree(pid):
        try:
            tasks = list(Path(f"/proc/{p}/task").iterdir())
        except (FileNotFoundError, ProcessLookupError):
            continue
        for task in tasks:
            status = _status_path(task / "status")
            try:
                cpu = int((task / "schedstat").read_text().split()[0]) / 1e9
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue
            out[(p, int(task.name))] = ThreadSample(status.get("Name", "?"), cpu,
                                                    int(status.get("voluntary_ctxt_switches", "0") or 0))
    return out


@dataclass(frozen=True)
class Window:
    cpu: float                      # seconds
    switches: int
    by_thread: dict[str, int]       # switches per thread name
    threads_gone: int               # threads that ended in the window (their share is not counted)


def window(before: dict[tuple[int, int], ThreadSample], after: dict[tuple[int, int], ThreadSample]) -> Window:
    """What the threads did between two :func:`threads` readings.

    Per thread: a thread that started in the window counts from zero; one that ended
    in it is lost with its counters (``threads_gone`` says how many), so compare
    readings over windows where threads do not come and go (an idle window).
    """
    cpu, switches, by_thread = 0.0, 0, Counter()
    for key, a in after.items():
        b = before.get(key)
        dc = a.cpu - (b.cpu if b else 0.0)
        ds = a.switches - (b.switches if b else 0)
        cpu += dc
        switches += ds
        if ds:
            by_thread[a.name] += ds
    gone = sum(1 for key in before if key not in after)
    return Window(cpu, switches, dict(by_thread.most_common()), gone)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the tree so far, every thread that ever ran included (10 ms ticks)."""
    total = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        # after "pid (comm)": fields[0] is state (field 3); utime, stime, cutime, cstime are fields 14-17
        utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        total += utime + stime + cutime + cstime
    return total / CLK_TCK


def _status_path(path: Path) -> dict[str, str]:
    values = {}
    try:
        for line in path.read_text().splitlines():
            key, _, value = line.partition(":")
            values[key] = value.strip()
    except (FileNotFoundError, ProcessLookupError):
        pass
    return values


def thread_count(pid: int) -> int:
    return sum(int(_status(p).get("Threads", "0") or 0) for p in tree(pid))
