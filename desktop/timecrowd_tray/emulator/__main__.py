"""``python -m timecrowd_tray.emulator``: serve the seeded demo account.

Prints the URL and the demo token (flushed, one line each, so a parent process
can read them) and serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from . import DEMO_TOKEN, EmulatorServer, EmulatorState
from .server import is_loopback_host


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m timecrowd_tray.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default)")
    args = parser.parse_args(argv)
    if not is_loopback_host(args.host):
        parser.error(f"--host must be a loopback address (127.0.0.1, ::1 or localhost), not {args.host!r}")

    stop = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    with EmulatorServer(EmulatorState.seeded(), host=args.host, port=args.port) as server:
        print(f"TimeCrowd emulator listening on {server.url}", flush=True)
        # Not a secret: the emulator's fixed demo token (emulator/seed.py), accepted by
        # this loopback emulator only, printed so that `timecrowd-tray login` can be tried against it.
        print(f"Demo token: {DEMO_TOKEN}", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
