"""A local emulator of the TimeCrowd API v1 (and its OAuth2 provider).

It speaks HTTP only (Starlette + uvicorn) and knows nothing of Qt. Used by the
demo mode and by the tests; see ``store.py`` for the rules it applies and the
assumptions it makes about the real server, and ``faults.py`` for fault
injection.
"""

from .app import create_app
from .faults import ConnectionDropped, Faults
from .seed import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_TOKEN,
    OUTSIDER_TOKEN,
    TEAMMATE_TOKEN,
)
from .server import EmulatorServer
from .store import EmulatorState

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_TOKEN",
    "OUTSIDER_TOKEN",
    "TEAMMATE_TOKEN",
    "ConnectionDropped",
    "EmulatorServer",
    "EmulatorState",
    "Faults",
    "create_app",
]
