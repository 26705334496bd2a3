"""Qt translators for the chosen language (system, Japanese or English).

The app's own strings come from ``resources/translations/timecrowd_tray_<lang>.qm``
(built from the ``.ts`` sources by ``scripts/translations.sh``); Qt's own
(standard buttons, the key sequence editor) from Qt's ``qtbase_<lang>.qm``.
The service's messages (:mod:`timecrowd_tray.services.messages`) go through the
same translator, in the ``TimerService`` context.

"system" picks Japanese when the first of the desktop's UI languages that we
have is Japanese (``$LANGUAGE``, ``$LC_ALL``, ``$LC_MESSAGES``, ``$LANG`` on
Linux), English otherwise.

``TIMECROWD_TRAY_STRETCH_STRINGS=1`` (:data:`STRETCH_ENV`) doubles every
translated text ("Save" reads "Save Save"), in either language, to see which
window clips or overlaps a longer text (as Vorta's switch): run the app with it
and look; ``tests/ui/test_layouts.py`` does the same with every window.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from .resources import TRANSLATIONS

log = logging.getLogger(__name__)

SUPPORTED = ("ja", "en")
FALLBACK = "en"
CATALOG = "timecrowd_tray"
STRETCH_ENV = "TIMECROWD_TRAY_STRETCH_STRINGS"  # "1": every text doubled, to stress the layouts


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


class StretchedTranslator(QTranslator):
    """What the translators ``others`` say (else the source text), doubled: ``text + " " + text``.

    Installed after them, it is asked first. Key names (context ``QShortcut``) stay as they are:
    shortcuts are read back from them.
    """

    def __init__(self, others: list[QTranslator], parent: QCoreApplication | None = None) -> None:
        super().__init__(parent)
        self._others = list(others)

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        for other in reversed(self._others):  # as Qt asks them: the last installed first
            text = other.translate(context, source, disambiguation, n)
            if text:
                break
        else:
            text = source
        return text if context == "QShortcut" or not text else f"{text} {text}"

    def isEmpty(self) -> bool:  # noqa: N802 (Qt naming)
        return False


class Translations:
    """Installs and swaps the translators of one QCoreApplication.

    ``stretch``: install a :class:`StretchedTranslator` over them (default: ``$TIMECROWD_TRAY_STRETCH_STRINGS``).
    """

    def __init__(self, app: QCoreApplication | None = None, *, stretch: bool | None = None) -> None:
        self._app = app or QCoreApplication.instance()
        self._installed: list[QTranslator] = []
        self.language: str | None = None
        self.stretch = os.environ.get(STRETCH_ENV, "") not in ("", "0") if stretch is None else stretch

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
        if self.stretch:
            self._install(StretchedTranslator(self._installed, self._app))
        self.language = language
        QLocale.setDefault(QLocale(QLocale.Language.Japanese if language == "ja" else QLocale.Language.English))
        from ..services import messages

        messages.set_translator(lambda text: QCoreApplication.translate(messages.CONTEXT, text))
        log.info("user interface language: %s (setting %s)", language, setting)
        return language

    def _install(self, translator: QTranslator) -> None:
        QCoreApplication.installTranslator(translator)
        self._installed.append(translator)
