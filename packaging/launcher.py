"""PyInstaller entry point of the frozen ``timecrowd-tray`` executable.

PyInstaller runs its entry script as ``__main__``, so it cannot be the
package's own ``__main__.py`` (whose relative import needs a package). This
file does exactly what the ``timecrowd-tray`` console script does.
"""

import sys

from timecrowd_tray.cli import main

if __name__ == "__main__":
    sys.exit(main())
