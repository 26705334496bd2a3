"""TimeCrowd Tray: a system-tray timer for the TimeCrowd time-tracking service."""

__version__ = "0.1.0"
APP_NAME = "TimeCrowd Tray"
APP_ID = "timecrowd-tray"
# The id of the packaged .desktop file (packaging/net.timecrowd.TimeCrowdTray.desktop).
DESKTOP_FILE_ID = "net.timecrowd.TimeCrowdTray"
