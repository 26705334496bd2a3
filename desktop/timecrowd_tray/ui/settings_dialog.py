"""The settings dialog: every key of :data:`timecrowd_tray.core.settings.SCHEMA`.

Values are validated by the same parsers as ``timecrowd-tray config set``: a
value the shell refuses, the dialog refuses too, with the same message, and
nothing is written until every field is valid. ``settings_changed`` carries the
keys that really changed, with their new values, for the app to apply.

Under each shortcut field the dialog shows the problem the app met with that
shortcut (another application holds it, or this desktop has no global
shortcuts and a desktop shortcut must run ``timecrowd-tray toggle``), as
``shortcut_problems`` says; editing the field hides it.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.settings import POLL_INTERVAL_MAX, POLL_INTERVAL_MIN, SCHEMA, InvalidSetting, parse_setting
from ..platform.settings_store import SettingsStore

log = logging.getLogger(__name__)


def _hotkey_edit() -> QKeySequenceEdit:
    edit = QKeySequenceEdit()
    edit.setMaximumSequenceLength(1)
    edit.setClearButtonEnabled(True)
    return edit


def _problem_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("color: #b54708;")
    label.hide()
    return label


class SettingsDialog(QDialog):
    settings_changed = Signal(dict)  # {key: new value}

    def __init__(self, store: SettingsStore, parent: QWidget | None = None, *,
                 shortcut_problems: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings - TimeCrowd Tray"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(460)

        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.api_base = QLineEdit()
        self.api_base.setObjectName("api_base")
        form.addRow(self.tr("TimeCrowd server:"), self.api_base)
        server_hint = QLabel(self.tr("A new server applies at once: TimeCrowd Tray leaves the current one (its "
                                     "sign-in stays saved) and signs in to the new server, or asks you to."))
        server_hint.setWordWrap(True)
        server_hint.setEnabled(False)
        form.addRow("", server_hint)

        self.hotkey_toggle = _hotkey_edit()
        self.hotkey_toggle.setObjectName("hotkey.toggle")
        form.addRow(self.tr("Start/stop shortcut:"), self.hotkey_toggle)
        self.hotkey_toggle_problem = _problem_label("hotkey.toggle.problem")
        form.addRow("", self.hotkey_toggle_problem)
        self.hotkey_palette = _hotkey_edit()
        self.hotkey_palette.setObjectName("hotkey.palette")
        form.addRow(self.tr("Task palette shortcut:"), self.hotkey_palette)
        self.hotkey_palette_problem = _problem_label("hotkey.palette.problem")
        form.addRow("", self.hotkey_palette_problem)

        self.poll_interval = QSpinBox()
        self.poll_interval.setObjectName("poll_interval")
        self.poll_interval.setRange(POLL_INTERVAL_MIN, POLL_INTERVAL_MAX)
        self.poll_interval.setSuffix(self.tr(" s"))
        form.addRow(self.tr("Check the server every:"), self.poll_interval)

        self.comment_on_stop = QCheckBox(self.tr("Ask for a comment when the timer stops"))
        self.comment_on_stop.setObjectName("comment_on_stop")
        form.addRow("", self.comment_on_stop)
        self.notifications = QCheckBox(self.tr("Notify on every start and stop (errors are always shown)"))
        self.notifications.setObjectName("notifications")
        form.addRow("", self.notifications)

        self.language = QComboBox()
        self.language.setObjectName("language")
        # Language names are written in their own language, so anyone can find theirs.
        self.language.addItem(self.tr("System default"), "system")
        self.language.addItem("日本語", "ja")
        self.language.addItem("English", "en")
        form.addRow(self.tr("Language:"), self.language)

        self.autostart = QCheckBox(self.tr("Start TimeCrowd Tray when I log in"))
        self.autostart.setObjectName("autostart")
        form.addRow("", self.autostart)
        layout.addLayout(form)

        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet("color: #d92d20;")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        where = QLabel(self.tr("Stored in %1").replace("%1", store.location))
        where.setObjectName("locationLabel")
        where.setWordWrap(True)
        where.setEnabled(False)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.RestoreDefaults)
        self.buttons.accepted.connect(self.apply_and_close)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        layout.addWidget(self.buttons)
        self.load(store.all())
        self.show_shortcut_problems(shortcut_problems or {})
        # A problem is about the combination it was found with: editing the field makes it moot.
        self.hotkey_toggle.keySequenceChanged.connect(lambda *_: self.hotkey_toggle_problem.hide())
        self.hotkey_palette.keySequenceChanged.connect(lambda *_: self.hotkey_palette_problem.hide())

    def show_shortcut_problems(self, problems: dict[str, str]) -> None:
        """Show ``problems`` ({"toggle" or "palette": text}) under their shortcut fields."""
        for name, label in (("toggle", self.hotkey_toggle_problem), ("palette", self.hotkey_palette_problem)):
            text = problems.get(name, "")
            label.setText(text)
            label.setVisible(bool(text))

    # -- values ---------------------------------------------------------------------------

    def load(self, values: dict[str, Any]) -> None:
        self.api_base.setText(str(values["api_base"]))
        self.hotkey_toggle.setKeySequence(QKeySequence.fromString(values["hotkey.toggle"],
                                                                  QKeySequence.SequenceFormat.PortableText))
        self.hotkey_palette.setKeySequence(QKeySequence.fromString(values["hotkey.palette"],
                                                                   QKeySequence.SequenceFormat.PortableText))
        self.poll_interval.setValue(int(values["poll_interval"]))
        self.comment_on_stop.setChecked(bool(values["comment_on_stop"]))
        self.notifications.setChecked(bool(values["notifications"]))
        index = self.language.findData(values["language"])
        self.language.setCurrentIndex(max(0, index))
        self.autostart.setChecked(bool(values["autostart"]))

    def raw_values(self) -> dict[str, Any]:
        """What the fields hold, before validation."""
        portable = QKeySequence.SequenceFormat.PortableText
        return {
            "api_base": self.api_base.text().strip(),
            "hotkey.toggle": self.hotkey_toggle.keySequence().toString(portable),
            "hotkey.palette": self.hotkey_palette.keySequence().toString(portable),
            "poll_interval": self.poll_interval.value(),
            "comment_on_stop": self.comment_on_stop.isChecked(),
            "notifications": self.notifications.isChecked(),
            "language": self.language.currentData(),
            "autostart": self.autostart.isChecked(),
        }

    def restore_defaults(self) -> None:
        self.load({key: setting.default for key, setting in SCHEMA.items()})

    def _field(self, key: str) -> QWidget:
        return {
            "api_base": self.api_base, "hotkey.toggle": self.hotkey_toggle, "hotkey.palette": self.hotkey_palette,
            "poll_interval": self.poll_interval, "comment_on_stop": self.comment_on_stop,
            "notifications": self.notifications, "language": self.language, "autostart": self.autostart,
        }[key]

    def _explain(self, key: str) -> str:
        """A translated message for an invalid field (the fields that are not free text cannot be)."""
        if key == "api_base":
            return self.tr("The server URL must start with https:// (http:// only for 127.0.0.1, ::1 or localhost) and have no user name, password, query or fragment.")  # noqa: E501
        if key.startswith("hotkey."):
            return self.tr("A global shortcut needs at least one modifier (Ctrl, Alt, Shift or Meta) and a key.")
        return self.tr("This value is not valid.")

    def apply_and_close(self) -> None:
        raw = self.raw_values()
        parsed: dict[str, Any] = {}
        for key, value in raw.items():
            try:
                parsed[key] = parse_setting(key, value)
            except InvalidSetting as exc:
                log.info("settings dialog: refused %s", exc)
                self.error_label.setText(self._explain(key))
                self.error_label.show()
                self._field(key).setFocus()
                return
        if parsed["hotkey.toggle"] and parsed["hotkey.toggle"] == parsed["hotkey.palette"]:
            self.error_label.setText(self.tr("The two shortcuts must be different."))
            self.error_label.show()
            self.hotkey_palette.setFocus()
            return
        current = self._store.all()
        changed = {key: value for key, value in parsed.items() if value != current[key]}
        try:
            for key, value in changed.items():
                self._store.set(key, value)
        except (OSError, InvalidSetting) as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        if changed:
            log.info("settings changed: %s", ", ".join(sorted(changed)))
            self.settings_changed.emit(changed)
        self.accept()
