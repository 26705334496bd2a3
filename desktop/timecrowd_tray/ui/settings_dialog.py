"""The settings dialog: every key of :data:`timecrowd_tray.core.settings.SCHEMA`.

Values are validated by the same parsers as ``timecrowd-tray config set``: a
value the shell refuses, the dialog refuses too, with the same message, and
nothing is written until every field is valid. ``settings_changed`` carries the
keys that really changed, with their new values, for the app to apply. A
message about the values goes as soon as they are valid again (a second
field edited, Restore Defaults).

The two global shortcuts are :class:`~.shortcut_field.ShortcutField`\\ s: they
record only what is pressed while they have the focus, keep their shortcut
until a whole combination is pressed, and are emptied only on purpose (Clear,
Backspace, Delete), which OK saves as "off"; an empty shortcut that was not
cleared on purpose is never saved. While one records, the app's own global
shortcuts are suspended (through :func:`~.shortcut_field.shortcut_channel`),
so that the combination this app holds reaches the field instead of opening
the palette over the dialog.

Under each shortcut field the dialog shows the problem the app met with the
*saved* shortcut (another application holds it, or this desktop has no global
shortcuts and a desktop shortcut must run ``timecrowd-tray toggle``), as
``shortcut_problems`` said at opening and the app reports again after each
recording; a field holding another combination shows none, or says that it
is the other shortcut's.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..core.settings import POLL_INTERVAL_MAX, POLL_INTERVAL_MIN, SCHEMA, InvalidSetting, parse_setting
from ..platform.settings_store import SettingsStore
from .scrolling_body import ScrollingBody
from .settings_fields import field_name, show_value, value_text
from .shortcut_field import ShortcutField, shortcut_channel

log = logging.getLogger(__name__)

# The shortcut fields: their name in ``Controls.problems``, their setting key.
SHORTCUT_KEYS = {"toggle": "hotkey.toggle", "palette": "hotkey.palette"}
# The width the dialog opens with (more when its content needs it).
PREFERRED_WIDTH = 520


def _wrapped_label(text: str = "", *, name: str = "") -> QLabel:
    """A label that wraps (Japanese too) and takes the height its text needs at its width, no more."""
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    label.setSizePolicy(policy)
    return label


def _problem_label(name: str) -> QLabel:
    label = _wrapped_label(name=name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("color: #b54708;")
    label.hide()
    return label


def _form_label(text: str, field: QWidget) -> QLabel:
    """A form label as tall as the first line of its field, so that their texts line up."""
    label = QLabel(text)
    label.setBuddy(field)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return label


def _cell(*widgets: QWidget) -> QWidget:
    """One field of the form with what goes under it (a hint, a problem), in one cell.

    A form row of its own without a label would keep its wrapped label's width-less height
    (QFormLayout floors a label-less row at the size hint): a cell takes only what its text
    needs at the width it gets, and a hidden problem takes no room at all.
    """
    cell = QWidget()
    column = QVBoxLayout(cell)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    for widget in widgets:
        column.addWidget(widget)
    return cell


def _unclipped(box: QCheckBox) -> QCheckBox:
    """A check box never narrower than its text (a check box does not wrap)."""
    box.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
    return box


class SettingsDialog(QDialog):
    settings_changed = Signal(dict)  # {key: new value}

    def __init__(self, store: SettingsStore, parent: QWidget | None = None, *,
                 shortcut_problems: dict[str, str] | None = None, demo_server: str | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._problems: dict[str, str] = dict(shortcut_problems or {})
        self._last_shortcut = "palette"  # the shortcut field edited last: where "the other one's" is said
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings - TimeCrowd Tray"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(460)

        outer = QVBoxLayout(self)
        # The rows scroll on a screen too short for them; the messages and the buttons stay in view.
        self.body = ScrollingBody()
        outer.addWidget(self.body, 1)
        layout = QVBoxLayout(self.body.content)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.form = form
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.api_base = QLineEdit()
        self.api_base.setObjectName("api_base")
        if demo_server:  # the demo talks to the built-in emulator, whatever this field says
            hint = self.tr("Demo mode: connected to the built-in emulator at %1, not to this server. The server "
                           "here applies when TimeCrowd Tray starts without --demo.").replace("%1", demo_server)
        else:
            hint = self.tr("A new server applies at once: TimeCrowd Tray leaves the current one (its sign-in "
                           "stays saved) and signs in to the new server, or asks you to.")
        server_hint = _wrapped_label(hint, name="serverHint")
        server_hint.setEnabled(False)
        self._row(self.tr("TimeCrowd server:"), _cell(self.api_base, server_hint))

        self.hotkey_toggle = ShortcutField()
        self.hotkey_toggle.setObjectName("hotkey.toggle")
        self.hotkey_toggle_problem = _problem_label("hotkey.toggle.problem")
        self._row(self.tr("Start/stop shortcut:"), _cell(self.hotkey_toggle, self.hotkey_toggle_problem))
        self.hotkey_palette = ShortcutField()
        self.hotkey_palette.setObjectName("hotkey.palette")
        self.hotkey_palette_problem = _problem_label("hotkey.palette.problem")
        self._row(self.tr("Task palette shortcut:"), _cell(self.hotkey_palette, self.hotkey_palette_problem))

        self.poll_interval = QSpinBox()
        self.poll_interval.setObjectName("poll_interval")
        self.poll_interval.setRange(POLL_INTERVAL_MIN, POLL_INTERVAL_MAX)
        self.poll_interval.setSuffix(self.tr(" s"))
        self.poll_interval.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._row(self.tr("Check the server every:"), self.poll_interval)

        self.comment_on_stop = _unclipped(QCheckBox(self.tr("Ask for a comment when the timer stops")))
        self.comment_on_stop.setObjectName("comment_on_stop")
        self.notifications = _unclipped(QCheckBox(self.tr("Notify on every start and stop")))
        self.notifications.setObjectName("notifications")
        notifications_hint = _wrapped_label(self.tr("Errors and changes made elsewhere are always shown."),
                                            name="notificationsHint")
        notifications_hint.setEnabled(False)
        style = self.notifications.style()  # the hint starts where the check box's text does
        notifications_hint.setContentsMargins(
            style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, self.notifications)
            + style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing, None, self.notifications), 0, 0, 0)
        self.autostart = _unclipped(QCheckBox(self.tr("Start TimeCrowd Tray when I log in")))
        self.autostart.setObjectName("autostart")
        self._row(self.tr("Behavior:"), _cell(self.comment_on_stop, self.notifications, notifications_hint,
                                                self.autostart))

        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        # Language names are written in their own language, so anyone can find theirs.
        self.language.addItem(self.tr("System default"), "system")
        self.language.addItem("日本語", "ja")
        self.language.addItem("English", "en")
        self._row(self.tr("Language:"), self.language)
        from .away_settings import AwaySettingsFields  # away time and reminders (issue #15)

        self.away = AwaySettingsFields(self._row, self)
        layout.addLayout(form)

        # `timecrowd-tray config set` changed the file while the dialog was open (show_new_settings).
        self.elsewhere_label = _wrapped_label(name="changedElsewhereLabel")
        self.elsewhere_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.elsewhere_label.hide()
        outer.addWidget(self.elsewhere_label)

        self.error_label = _wrapped_label(name="errorLabel")
        self.error_label.setStyleSheet("color: #d92d20;")
        self.error_label.hide()
        outer.addWidget(self.error_label)

        where = _wrapped_label(self.tr("Stored in %1").replace("%1", store.location), name="locationLabel")
        where.setEnabled(False)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)
        layout.addStretch(1)  # a taller window keeps its rows together, the buttons at the bottom

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.RestoreDefaults)
        self.buttons.accepted.connect(self.apply_and_close)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        outer.addWidget(self.buttons)
        self.load(store.all())
        self._shown = self.raw_values()  # what the fields show of the file: a field that differs was edited

        for name, field in self._shortcut_fields().items():
            field.sequence_changed.connect(lambda _text, name=name: self._shortcut_edited(name))
            field.notice_changed.connect(lambda *_: self._refresh_problems())
        self.api_base.textChanged.connect(self._revalidate)
        self.poll_interval.valueChanged.connect(self._revalidate)
        # After a recording the app registers the saved shortcuts again and says what went wrong.
        shortcut_channel().problems.connect(self.show_shortcut_problems)
        self._refresh_problems()

    def _row(self, text: str, field: QWidget) -> None:
        """A form row whose label lines up with the first line of ``field`` (its first widget, in a cell)."""
        label = _form_label(text, field)
        layout = field.layout()
        first = layout.itemAt(0).widget() if layout is not None and layout.count() else field
        label.setFixedHeight(max(label.sizeHint().height(), first.sizeHint().height()))
        self.form.addRow(label, field)

    # -- the shortcuts' problems ------------------------------------------------------------

    def _shortcut_fields(self) -> dict[str, ShortcutField]:
        return {"toggle": self.hotkey_toggle, "palette": self.hotkey_palette}

    def show_shortcut_problems(self, problems: dict[str, str]) -> None:
        """What the app met with the saved shortcuts ({"toggle" or "palette": text}), shown under their fields."""
        self._problems = {str(k): str(v) for k, v in dict(problems).items() if v}
        self._refresh_problems()

    def _shortcut_edited(self, name: str) -> None:
        self._last_shortcut = name
        self._refresh_problems()
        self._revalidate()

    def _refresh_problems(self) -> None:
        fields = self._shortcut_fields()
        labels = {"toggle": self.hotkey_toggle_problem, "palette": self.hotkey_palette_problem}
        same = fields["toggle"].sequence() != "" and fields["toggle"].sequence() == fields["palette"].sequence()
        for name, field in fields.items():
            text = field.notice
            if not text and same and name == self._last_shortcut:
                text = (self.tr("This is already the task palette shortcut: choose another one.") if name == "toggle"
                        else self.tr("This is already the start/stop shortcut: choose another one."))
            if not text and field.sequence() and field.sequence() == self._store.get(SHORTCUT_KEYS[name]):
                text = self._problems.get(name, "")  # it was found with the saved combination
            labels[name].setText(text)
            labels[name].setVisible(bool(text))
        self._fit()

    # -- values ---------------------------------------------------------------------------

    def load(self, values: dict[str, Any]) -> None:
        self.api_base.setText(str(values["api_base"]))
        self.hotkey_toggle.set_sequence(str(values["hotkey.toggle"]))
        self.hotkey_palette.set_sequence(str(values["hotkey.palette"]))
        self.poll_interval.setValue(int(values["poll_interval"]))
        self.comment_on_stop.setChecked(bool(values["comment_on_stop"]))
        self.notifications.setChecked(bool(values["notifications"]))
        index = self.language.findData(values["language"])
        self.language.setCurrentIndex(max(0, index))
        self.autostart.setChecked(bool(values["autostart"]))
        self.away.load(values)
        self._revalidate()

    def raw_values(self) -> dict[str, Any]:
        """What the fields hold, before validation."""
        return {
            "api_base": self.api_base.text().strip(),
            "hotkey.toggle": self.hotkey_toggle.sequence(),
            "hotkey.palette": self.hotkey_palette.sequence(),
            "poll_interval": self.poll_interval.value(),
            "comment_on_stop": self.comment_on_stop.isChecked(),
            "notifications": self.notifications.isChecked(),
            "language": self.language.currentData(),
            "autostart": self.autostart.isChecked(),
            **self.away.raw_values(),
        }

    # -- changed elsewhere -------------------------------------------------------------------

    def show_new_settings(self, changed: dict[str, Any]) -> None:
        """The settings file now holds ``changed`` ({key: new value}): ``timecrowd-tray config set`` wrote it.

        A field the user has not touched shows the new value at once. A field they edited keeps
        what they typed (OK saves it over the new value, Cancel keeps the new value), and the
        dialog says so, naming the field and the new value. (What this dialog saved itself is what
        its fields show already: nothing to say.)
        """
        raw = self.raw_values()
        updated: list[str] = []
        kept: list[str] = []
        for key, value in changed.items():
            if key not in self._shown:
                continue
            field = self._field(key)
            edited = raw[key] != self._shown[key] or (isinstance(field, ShortcutField) and field.is_recording())
            if raw[key] == value:
                pass  # it already shows the new value
            elif edited:
                kept.append(self.tr("%1 was changed elsewhere to \u201c%2\u201d while you were editing it: OK "
                                    "saves your value, Cancel keeps the new one.")
                            .replace("%1", field_name(self.form, field)).replace("%2", value_text(field, value)))
            else:
                show_value(field, value)
                updated.append(field_name(self.form, field))
            self._shown[key] = self.raw_values()[key] if not edited else value
        lines = []
        if updated:
            lines.append(self.tr("Updated from the settings file: %1.").replace("%1", self.tr(", ").join(updated)))
        lines += kept
        if lines:
            self.elsewhere_label.setText("\n".join(lines))
            self.elsewhere_label.show()
        self._refresh_problems()
        self._revalidate()

    def restore_defaults(self) -> None:
        self.load({key: setting.default for key, setting in SCHEMA.items()})

    def _field(self, key: str) -> QWidget:
        return {
            "api_base": self.api_base, "hotkey.toggle": self.hotkey_toggle, "hotkey.palette": self.hotkey_palette,
            "poll_interval": self.poll_interval, "comment_on_stop": self.comment_on_stop,
            "notifications": self.notifications, "language": self.language, "autostart": self.autostart,
            **self.away.fields(),
        }[key]

    def _explain(self, key: str) -> str:
        """A translated message for an invalid field (the fields that are not free text cannot be)."""
        if key == "api_base":
            return self.tr("The server URL must start with https:// (http:// only for 127.0.0.1, ::1 or localhost) and have no user name, password, query or fragment.")  # noqa: E501
        if key.startswith("hotkey."):
            return self.tr("A global shortcut needs at least one modifier (Ctrl, Alt, Shift or Meta) and a key.")
        return self.away.explain(key) or self.tr("This value is not valid.")

    def _validate(self) -> tuple[dict[str, Any], str, str]:
        """The parsed values, or the first problem: (values, message, key of the field to fix)."""
        parsed: dict[str, Any] = {}
        for key, value in self.raw_values().items():
            try:
                parsed[key] = parse_setting(key, value)
            except InvalidSetting as exc:
                log.info("settings dialog: refused %s", exc)
                return parsed, self._explain(key), key
        for name, key in SHORTCUT_KEYS.items():
            field = self._shortcut_fields()[name]
            if not parsed[key] and self._store.get(key) and not field.cleared_on_purpose:
                # Empty, yet nobody pressed Clear: a lost key press, not a choice. Never saved.
                return parsed, self.tr("Press the new shortcut in the field, or press Clear to turn it off."), key
        if parsed["hotkey.toggle"] and parsed["hotkey.toggle"] == parsed["hotkey.palette"]:
            return parsed, self.tr("The two shortcuts must be different."), "hotkey." + self._last_shortcut
        return parsed, "", ""

    def _revalidate(self, *_: object) -> None:
        """A message about the values goes once they are valid (and follows them meanwhile)."""
        if not self.error_label.text():
            return
        _, message, _key = self._validate()
        self._show_error(message)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        self._fit()

    def _fit(self) -> None:
        if self.isVisible():
            self.fit_height()

    def needed_height(self) -> int:
        """How tall the content is at the dialog's width (wrapped texts included)."""
        layout = self.layout()
        if layout is None:
            return self.height()
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        if needed <= 0:
            needed = layout.totalSizeHint().height()
        return max(needed, layout.totalMinimumSize().height())

    def fit_height(self, *, grow_only: bool = False) -> None:
        """The window as tall as its content needs at its width (after a message appeared or went).

        Never taller than its screen: past that, the rows scroll.
        """
        needed = min(self.needed_height(), ScrollingBody.room(self))
        if needed > self.height() or (needed < self.height() and not grow_only):
            self.resize(self.width(), needed)

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        # Qt gives a window no minimum height for its wrapped texts: made narrower, it would clip them.
        if event.size().width() != event.oldSize().width():
            QTimer.singleShot(0, self, lambda: self.fit_height(grow_only=True))

    def sizeHint(self) -> QSize:
        # Wide enough that the hints take a few lines; the height follows the content (fit_height).
        hint = super().sizeHint()
        return QSize(max(hint.width(), PREFERRED_WIDTH), hint.height())

    def showEvent(self, event) -> None:  # noqa: ANN001
        super().showEvent(event)
        self.fit_height()

    def apply_and_close(self) -> None:
        parsed, message, key = self._validate()
        if message:
            self._show_error(message)
            if not key.startswith("hotkey."):  # a shortcut field would start recording: it waits for a click
                self._field(key).setFocus()
            return
        self._show_error("")
        current = self._store.all()
        changed = {key: value for key, value in parsed.items() if value != current[key]}
        try:
            for key, value in changed.items():
                self._store.set(key, value)
        except (OSError, InvalidSetting) as exc:
            self._show_error(str(exc))
            return
        if changed:
            log.info("settings changed: %s", ", ".join(sorted(changed)))
            self.settings_changed.emit(changed)
        self.accept()
