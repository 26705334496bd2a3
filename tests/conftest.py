"""Session-wide test setup.

Qt runs offscreen unless a test starts its own virtual screen (tests/e2e).
Tests that need outside tools (a virtual screen, a tray host, a Secret
Service) call :func:`support.tools.require`: under CI
(``TIMECROWD_TRAY_REQUIRE_ALL=1``) a missing tool fails the test; on a
developer's machine it skips with a loud reason.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Settings, caches and the outbox of a test run never touch the developer's own files.
_home = tempfile.mkdtemp(prefix="timecrowd-tray-tests-")
for _var, _sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                   ("XDG_STATE_HOME", "state")):
    os.environ[_var] = os.path.join(_home, _sub)

