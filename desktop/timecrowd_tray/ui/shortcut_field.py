"""A field that records a global shortcut, and never loses the one it holds.

:class:`ShortcutField` shows the shortcut (``Off`` when there is none), a
**Record** button and a **Clear** button. It records while its key box has the
focus (a click on it, Tab, or Record): the keys pressed then are the new
shortcut, and until a whole combination (Ctrl, Alt or Meta, maybe Shift, and
one key) has been pressed the field keeps the shortcut it had. Modifiers alone,
a key without a modifier, or a key no global shortcut can use change nothing
(the last two are explained in :attr:`ShortcutField.notice`). Escape cancels
the recording (the shortcut from before it comes back); Backspace or Delete,
like Clear, turn the shortcut off on purpose (:attr:`ShortcutField.cleared_on_purpose`).
A click never clears anything.

While a field records, this app's own global shortcuts must let the keys
through (an X11 grab of ``Ctrl+Alt+Shift+Space`` would otherwise open the task
palette instead of reaching the field): every field says so on the
process-wide :func:`shortcut_channel`, which :class:`~.controls.Controls`
listens to (it suspends its shortcuts, and registers the saved ones again
once no field records). Controls also reports there what went wrong with the
saved shortcuts after registering them, for the settings dialog to show. A
combination another application grabbed is not delivered to this app at
all on X11: the field then simply keeps its shortcut.
"""

from __future__ import annotations

import functools
import logging

from PySide6.QtCore import QEvent, QKeyCombination, QObject, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QSizePolicy, QToolButton, QWidget

from ..platform.hotkeys.base import InvalidKeySequence, parse_sequence

log = logging.getLogger(__name__)

_PORTABLE = QKeySequence.SequenceFormat.PortableText
_NATIVE = QKeySequence.SequenceFormat.NativeText
# The modifiers a global shortcut is made of (the keypad and AltGr flags are dropped).
_MODIFIER_MASK = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                  | Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.MetaModifier)
# Keys that are (or act as) modifiers: pressing them alone records nothing.
_MODIFIER_KEYS = {
    Qt.Key.Key_Control: Qt.KeyboardModifier.ControlModifier,
    Qt.Key.Key_Alt: Qt.KeyboardModifier.AltModifier,
    Qt.Key.Key_Shift: Qt.KeyboardModifier.ShiftModifier,
    Qt.Key.Key_Meta: Qt.KeyboardModifier.MetaModifier,
    Qt.Key.Key_Super_L: Qt.KeyboardModifier.MetaModifier,
    Qt.Key.Key_Super_R: Qt.KeyboardModifier.MetaModifier,
    Qt.Key.Key_Hyper_L: Qt.KeyboardModifier.MetaModifier,
    Qt.Key.Key_Hyper_R: Qt.KeyboardModifier.MetaModifier,
    Qt.Key.Key_AltGr: Qt.KeyboardModifier.NoModifier,
    Qt.Key.Key_CapsLock: Qt.KeyboardModifier.NoModifier,
    Qt.Key.Key_NumLock: Qt.KeyboardModifier.NoModifier,
    Qt.Key.Key_ScrollLock: Qt.KeyboardModifier.NoModifier,
    Qt.Key.Key_unknown: Qt.KeyboardModifier.NoModifier,
}
# Without a modifier these keep their usual job: move the focus, press the dialog's default button.
_PASS_THROUGH = {Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Return, Qt.Key.Key_Enter}
_CLEAR_KEYS = {Qt.Key.Key_Backspace, Qt.Key.Key_Delete}


class ShortcutChannel(QObject):
    """Between the shortcut fields and the app's global shortcuts, for the whole process.

    ``recording(True)`` when a first field starts recording keys, ``recording(False)`` when
    none records any more. ``problems({"toggle": text, ...})``: what went wrong with the saved
    shortcuts, each time the app (re)registered them.
    """

    recording = Signal(bool)
    problems = Signal(dict)

    def __init__(self) -> None:
        super().__init__()
        self._recorders: set[int] = set()

    @property
    def active(self) -> bool:
        return bool(self._recorders)

    def begin(self, recorder: int) -> None:
        first = not self._recorders
        self._recorders.add(recorder)
        if first:
            self.recording.emit(True)

    def end(self, recorder: int, *_: object) -> None:
        if recorder not in self._recorders:
            return
        self._recorders.discard(recorder)
        if not self._recorders:
            self.recording.emit(False)


_channel: ShortcutChannel | None = None


def shortcut_channel() -> ShortcutChannel:
    """The process's one :class:`ShortcutChannel`."""
    global _channel
    if _channel is None:
        _channel = ShortcutChannel()
    return _channel


def combination_text(modifiers: Qt.KeyboardModifier, key: int) -> str:
    """Qt's portable text for ``modifiers`` + ``key`` (``Ctrl+Alt+Shift+T``)."""
    return QKeySequence(QKeyCombination(modifiers & _MODIFIER_MASK, Qt.Key(key))).toString(_PORTABLE)


def held_text(modifiers: Qt.KeyboardModifier) -> str:
    """The modifiers held so far, as this platform writes them, waiting for a key: ``Ctrl+Alt+…``."""
    with_a_key = QKeySequence(QKeyCombination(modifiers & _MODIFIER_MASK, Qt.Key.Key_A)).toString(_NATIVE)
    return with_a_key[:-1] + "…"


def native_text(portable: str) -> str:
    """A shortcut as this platform writes it (``⌘⌥⇧T`` on macOS)."""
    return QKeySequence.fromString(portable, _PORTABLE).toString(_NATIVE) or portable


class _KeyBox(QLineEdit):
    """The read-only box the keys are typed into; every key it gets goes to its :class:`ShortcutField`."""

    def __init__(self, field: ShortcutField) -> None:
        super().__init__(field)
        self._field = field
        self.setReadOnly(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def _text_width(self) -> int:
        """Room for the widest text this box shows: the shortcut, a long one, the prompt."""
        metrics = self.fontMetrics()
        samples = (self.text(), native_text("Ctrl+Alt+Shift+Space"), self._field.prompt_text())
        return max(metrics.horizontalAdvance(sample) for sample in samples)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        # QLineEdit's hint is 17 "x" wide plus its frame and margins: the same frame, around our text.
        frame = hint.width() - self.fontMetrics().horizontalAdvance("x") * 17
        return QSize(max(hint.width(), self._text_width() + frame), hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(self.sizeHint().width(), hint.height())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            # While recording, the dialog's own shortcuts (mnemonics, Escape) must not take the keys.
            if self._field.wants_key(event):
                event.accept()
                return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if self._field.key_pressed(event):
                event.accept()
                return True
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                return super().event(event)  # the focus moves on (once: the event stays accepted)
            event.ignore()
            return False  # Return/Enter: on to the dialog's default button
        if event.type() == QEvent.Type.KeyRelease and isinstance(event, QKeyEvent):
            self._field.key_released(event)
            event.accept()
            return True
        return super().event(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._field.start_recording()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._field.stop_recording()

    def mousePressEvent(self, event) -> None:  # noqa: ANN001 - a click records, never clears
        super().mousePressEvent(event)
        self._field.start_recording()


class ShortcutField(QWidget):
    """A global shortcut: shown, recorded, cleared on purpose (see the module doc)."""

    # The shortcut changed (portable text, "" when off).
    sequence_changed = Signal(str)
    # Recording started (True) or ended (False).
    recording_changed = Signal(bool)
    # :attr:`notice` changed: why the last keys pressed were not taken ("" when they were).
    notice_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sequence = ""
        self._recording = False
        self._before = ("", False)     # (shortcut, cleared_on_purpose) when this recording began
        self._held = Qt.KeyboardModifier.NoModifier  # modifiers held during a recording, nothing else yet
        self._pressed = False          # a whole combination was pressed during this recording
        # True when the user turned the shortcut off (Clear, Backspace, Delete), not a lost key press.
        self.cleared_on_purpose = False
        # Why the last keys pressed were not taken as the shortcut ("" when nothing to say).
        self.notice = ""

        self.key_box = _KeyBox(self)
        self.key_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.record_button = QToolButton(self)
        self.record_button.setText(self.tr("Record"))
        self.record_button.setObjectName("record")
        # The button must not take the focus from the key box: a click on it starts recording there.
        self.record_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.record_button.clicked.connect(self.start_recording)
        self.clear_button = QToolButton(self)
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setObjectName("clear")
        self.clear_button.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.key_box, 1)
        layout.addWidget(self.record_button)
        layout.addWidget(self.clear_button)
        self.setFocusProxy(self.key_box)
        # A field deleted while it records must not keep the app's shortcuts suspended.
        self.destroyed.connect(functools.partial(shortcut_channel().end, id(self)))
        self._render()

    # -- the value ------------------------------------------------------------------------

    def sequence(self) -> str:
        """The shortcut, as Qt's portable text (``Ctrl+Alt+Shift+T``); "" when off."""
        return self._sequence

    def set_sequence(self, text: str) -> None:
        """Show ``text`` (portable text, "" for off), as loaded: not a choice of the user."""
        self.stop_recording()
        self.cleared_on_purpose = False
        self._set_notice("")
        self._set(str(text or "").strip())

    def clear(self) -> None:
        """Turn the shortcut off, on purpose (the Clear button, Backspace, Delete)."""
        self.cleared_on_purpose = True
        self._pressed = True  # the recording has its answer: "off"
        self._held = Qt.KeyboardModifier.NoModifier
        self._set_notice("")
        self._set("")

    def _set(self, text: str) -> None:
        changed = text != self._sequence
        self._sequence = text
        self._render()
        if changed:
            self.sequence_changed.emit(text)

    # -- recording ------------------------------------------------------------------------

    def is_recording(self) -> bool:
        return self._recording

    def start_recording(self) -> None:
        """Record the next keys (the app's global shortcuts are suspended meanwhile)."""
        if not self._recording:
            self._recording = True
            self._before = (self._sequence, self.cleared_on_purpose)
            self._held = Qt.KeyboardModifier.NoModifier
            self._pressed = False
            shortcut_channel().begin(id(self))
            self._render()
            self.recording_changed.emit(True)
        if not self.key_box.hasFocus():
            self.key_box.setFocus(Qt.FocusReason.OtherFocusReason)

    def stop_recording(self) -> None:
        """Keep what was recorded (if anything) and let the app's shortcuts work again."""
        if not self._recording:
            return
        self._recording = False
        self._held = Qt.KeyboardModifier.NoModifier
        shortcut_channel().end(id(self))
        self._render()
        self.recording_changed.emit(False)

    def cancel_recording(self) -> None:
        """Escape: the shortcut from before this recording comes back."""
        if not self._recording:
            return
        sequence, cleared = self._before
        self.cleared_on_purpose = cleared
        self._set_notice("")
        self._set(sequence)
        self.stop_recording()
        if self.key_box.hasFocus():
            self.key_box.clearFocus()

    def hideEvent(self, event) -> None:  # noqa: ANN001 - the dialog closed: the app's shortcuts come back
        self.stop_recording()
        super().hideEvent(event)

    # -- keys (from the key box) ------------------------------------------------------------

    def wants_key(self, event: QKeyEvent) -> bool:
        """Whether a key is for the recording (not for the dialog's shortcuts or the focus chain)."""
        modifiers = event.modifiers() & _MODIFIER_MASK
        if event.key() in _PASS_THROUGH and modifiers in (Qt.KeyboardModifier.NoModifier,
                                                           Qt.KeyboardModifier.ShiftModifier):
            return False
        return True

    def key_pressed(self, event: QKeyEvent) -> bool:
        """One key press in the key box; False when it is not for the recording (Tab, Return)."""
        if not self.wants_key(event):
            return False
        key = event.key()
        modifiers = event.modifiers() & _MODIFIER_MASK
        if not self._recording:
            self.start_recording()
        if key == Qt.Key.Key_Escape and not modifiers:
            self.cancel_recording()
            return True
        if key in _CLEAR_KEYS and not modifiers:
            self.clear()
            return True
        if key in _MODIFIER_KEYS:
            self._held = modifiers | _MODIFIER_KEYS[Qt.Key(key)]
            self._render()
            return True
        text = combination_text(modifiers, key)
        try:
            sequence = parse_sequence(text).text
        except InvalidKeySequence as exc:
            log.debug("shortcut field: %s refused (%s)", text, exc)
            self._held = modifiers
            self._set_notice(self.tr("“%1” cannot be a global shortcut. Use Ctrl, Alt or Meta (and Shift if you "
                                     "like) with a letter, a digit, a function key or Space.")
                             .replace("%1", native_text(text) if modifiers else text))
            self._render()
            return True
        self._held = modifiers
        self._pressed = True
        self.cleared_on_purpose = False
        self._set_notice("")
        self._set(sequence)
        return True

    def key_released(self, event: QKeyEvent) -> None:
        key = event.key()
        modifiers = event.modifiers() & _MODIFIER_MASK
        released = _MODIFIER_KEYS.get(Qt.Key(key)) if key in _MODIFIER_KEYS else None
        if released is not None:
            modifiers &= ~released
        self._held = modifiers
        self._render()

    def _set_notice(self, text: str) -> None:
        if text != self.notice:
            self.notice = text
            self.notice_changed.emit(text)

    # -- what is shown --------------------------------------------------------------------

    def prompt_text(self) -> str:
        return self.tr("Press the keys…")

    def display_text(self) -> str:
        return self.key_box.text()

    def _render(self) -> None:
        recording = self._recording
        if recording and self._held != Qt.KeyboardModifier.NoModifier and not self._pressed:
            text = held_text(self._held)
        elif recording and not self._pressed:
            text = self.prompt_text()
        elif self._sequence:
            text = native_text(self._sequence)
        else:
            text = self.tr("Off")
        if text != self.key_box.text():
            self.key_box.setText(text)
            self.key_box.updateGeometry()
        self.record_button.setEnabled(not recording)
        self.clear_button.setEnabled(bool(self._sequence))
        self.key_box.setToolTip(self.tr("Esc: cancel. Backspace or Delete: turn this shortcut off.")
                                if recording else self.tr("Click here, or press Record, then press the keys."))

