"""Qt translators for the chosen language (system, Japanese or English).

The app's own strings come from ``resources/translations/timecrowd_tray_<lang>.qm``
(built from the ``.ts`` sources by ``scripts/translations.sh``); Qt's own
(standard buttons, the key sequence editor) from Qt's ``qtbase_<lang>.qm``.
The service's messages (:mod:`timecrowd_tray.services.messages`) go through the
same translator, in the ``TimerService`` context.

"system" picks Japanese when the first of the desktop's UI languages that we
have is Japanese (``$LANGUAGE``, ``$LC_ALL``, ``$LC_MESSAGES``, ``$LANG`` on
Linux), English otherwise.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from .resources import TRANSLATIONS

log = logging.getLogger(__name__)

SUPPORTED = ("ja", "en")
FALLBACK = "en"
CATALOG = "timecrowd_tray"


def resolve_language(setting: str) -> str:
    """The language to show for the ``language`` setting: "ja" or "en"."""
    if setting in SUPPORTED:
        return setting
    for tag in QLocale.system().uiLanguages():
        primary = tag.replace("_", "-").split("-")[0].lower()
        if primary in SUPPORTED:
            return primary
    return FALLBACK


def qm_path(language: str):
    return TRANSLATIONS / f"{CATALOG}_{language}.qm"


class Translations:
    """Installs and swaps the translators of one QCoreApplication."""

    def __init__(self, app: QCoreApplication | None = None) -> None:
        self._app = app or QCoreApplication.instance()
        self._installed: list[QTranslator] = []
        self.language: str | None = None

    def apply(self, setting: str) -> str:
        """Switch to the language for ``setting``; returns "ja" or "en"."""
        language = resolve_language(setting)
        if language == self.language:
            return language
        for translator in self._installed:
            QCoreApplication.removeTranslator(translator)
        self._installed.clear()
        own = QTranslator(self._app)
        if own.load(str(qm_path(language))):
            self._install(own)
        else:
            log.warning("no translation file %s: showing the English texts", qm_path(language))
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt = QTranslator(self._app)
        if language != "en" and qt.load(f"qtbase_{language}", qt_dir):
            self._install(qt)
        self.language = language
        QLocale.setDefault(QLocale(QLocale.Language.Japanese if language == "ja" else QLocale.Language.English))
        from ..services import messages

        messages.set_translator(lambda text: QCoreApplication.translate(messages.CONTEXT, text))
        log.info("user interface language: %s (setting %s)", language, setting)
        return language

    def _install(self, translator: QTranslator) -> None:
        QCoreApplication.installTranslator(translator)
        self._installed.append(translator)
