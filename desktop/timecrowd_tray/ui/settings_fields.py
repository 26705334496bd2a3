"""The settings dialog's fields by their kind: how one shows a value, names itself, words a value.

A field of the settings dialog is a standard widget (a line edit, a check box, a combo box
whose items carry the values as data, a spin box) or a :class:`~.shortcut_field.ShortcutField`.
These functions work on any of them, so a new row of the dialog (a new key of the schema)
needs nothing here: the dialog can show what ``timecrowd-tray config set`` wrote into it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from .shortcut_field import ShortcutField, native_text


def tr(text: str) -> str:
    return QCoreApplication.translate("SettingsDialog", text)


def show_value(field: QWidget, value: Any) -> None:
    """Show ``value`` (as the settings file has it) in ``field``."""
    if isinstance(field, ShortcutField):
        field.set_sequence(str(value))
    elif isinstance(field, QLineEdit):
        field.setText(str(value))
    elif isinstance(field, QCheckBox):
        field.setChecked(bool(value))
    elif isinstance(field, QComboBox):
        field.setCurrentIndex(max(0, field.findData(value)))
    elif isinstance(field, QSpinBox | QDoubleSpinBox):
        field.setValue(value)
    else:
        raise TypeError(f"settings dialog: no way to show a value in a {type(field).__name__}")


def field_name(form: QFormLayout, field: QWidget) -> str:
    """The name the user sees for ``field``: a check box's text, else its form row's label (no colon)."""
    if isinstance(field, QCheckBox):
        return field.text()
    widget: QWidget | None = field
    while widget is not None:
        label = form.labelForField(widget)
        if isinstance(label, QLabel):
            return label.text().rstrip(":\uff1a ")
        widget = widget.parentWidget()
    return field.objectName()


def value_text(field: QWidget, value: Any) -> str:
    """``value`` as ``field`` shows it (a check box: on or off; a list: the item's text)."""
    if isinstance(field, ShortcutField):
        return native_text(str(value)) if value else tr("Off")
    if isinstance(field, QCheckBox):
        return tr("On") if value else tr("Off")
    if isinstance(field, QComboBox):
        index = field.findData(value)
        return field.itemText(index) if index >= 0 else str(value)
    return str(value)
