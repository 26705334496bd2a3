"""Whether the panel the tray icon sits on is dark (:func:`panel_is_dark`), as the platform says."""

from __future__ import annotations

import os
import sys

from PySide6.QtGui import QGuiApplication

PANEL_ENV = "TIMECROWD_TRAY_PANEL"  # "light" or "dark": overrides the guess


def panel_is_dark() -> bool:
    """Whether the panel the icon sits on is dark, where the platform says.

    ``$TIMECROWD_TRAY_PANEL`` (light/dark) overrides. Windows: the taskbar's
    own setting. GNOME's and Unity's top bars are dark whatever the theme.
    Elsewhere (KDE, Xfce...) the desktop theme's colours as Qt has them (a dark
    window colour means a dark theme, panel included); on X11 the tray view
    then looks at the panel's real pixels once the icon is docked (:mod:`.panel_pixels`).
    """
    forced = os.environ.get(PANEL_ENV, "").strip().lower()
    if forced in ("light", "dark"):
        return forced == "dark"
    if sys.platform == "win32":
        try:
            import winreg

            with winreg.OpenKey(winreg.HKEY_CURRENT_USER,
                                r"Software\Microsoft\Windows\CurrentVersion\Themes\Personalize") as key:
                return winreg.QueryValueEx(key, "SystemUsesLightTheme")[0] == 0
        except OSError:
            return True
    desktop = os.environ.get("XDG_CURRENT_DESKTOP", "").upper()
    if "GNOME" in desktop or "UNITY" in desktop:
        return True
    if QGuiApplication.instance() is None:
        return True
    # The palette rather than styleHints().colorScheme(): the latter's enum costs 30 ms at start-up.
    return QGuiApplication.palette().window().color().lightness() < 128
