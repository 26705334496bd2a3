"""The sign-in window: paste a token (checked live), or sign in with the browser.

Shown at first start and whenever the server refuses the sign-in. Nothing here
waits on the network or the keyring on the UI thread: every call to the
:class:`SessionManager` runs as an asyncio task on the qasync loop, and a
pending check is cancelled when the text changes or the window closes.

The token field has the focus when the window opens (a paste right away lands
there). The account a pasted token belongs to is shown before the sign-in button
enables; "Signed in as ..." only once a sign-in succeeded. When the keyring cannot
keep the sign-in, the window says why and what to do, and offers to use it for
this session only; it never falls back to a file. A page that cannot be opened
in a browser is said here, with its address to copy.

Every message label wraps, and the window grows to fit a message that appears
(it never clips one; it does not shrink what the user resized), up to the
screen's height: past it the body scrolls (:class:`~.scrolling_body.ScrollingBody`)
to the message, and the Close button stays on the screen. What it says is in
:mod:`.signin_texts`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..api import errors
from ..core.token_format import TokenFormatError, strip_token, token_problem
from ..services.credentials import CredentialsUnavailable
from ..services.oauth_loopback import OAuthError
from ..services.session import SessionManager
from .scrolling_body import ScrollingBody
from .signin_texts import (
    keyring_problem_text,
    link_problem_text,
    oauth_error_text,
    sign_in_error_text,
    signed_in_text,
    token_format_text,
    token_owner_text,
)

log = logging.getLogger(__name__)

VALIDATE_DELAY_MS = 500


def _open_in_browser(url: str) -> bool:
    return QDesktopServices.openUrl(QUrl(url))


def _message_label(name: str) -> QLabel:
    """A label for a message the window says (wrapped, plain text, selectable to copy it)."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return label


class SignInWindow(QDialog):
    """Sign in to ``session.api_base``; emits ``signed_in(user, client)`` and closes on success.

    ``expired`` shows that the server refused the previous sign-in.
    ``open_url`` opens a web page (the browser by default; tests script it); when it returns
    False (no browser could open it), the window says so and shows the address.
    """

    signed_in = Signal(object, object)

    def __init__(self, session: SessionManager, parent: QWidget | None = None, *, expired: bool = False,
                 open_url: Callable[[str], object] | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._open_url = open_url or _open_in_browser
        self._tasks: set[asyncio.Task[Any]] = set()
        self._validation: asyncio.Task[Any] | None = None
        self._browser_task: asyncio.Task[Any] | None = None
        self._validated: tuple[str, Any] | None = None  # (text, user) the server accepted
        self._busy = False
        self._focused_once = False

        self.setObjectName("signInWindow")
        self.setWindowTitle(self.tr("Sign in - TimeCrowd Tray"))
        self.setMinimumWidth(460)

        outer = QVBoxLayout(self)
        self.body = ScrollingBody()  # on a short screen the body scrolls: Close stays on the screen
        outer.addWidget(self.body, 1)
        layout = QVBoxLayout(self.body.content)
        layout.setContentsMargins(0, 0, 0, 0)
        self.expired_label = QLabel(self.tr("The server no longer accepts your sign-in. Please sign in again."))
        self.expired_label.setObjectName("expiredLabel")
        self.expired_label.setWordWrap(True)
        self.expired_label.setVisible(expired)
        layout.addWidget(self.expired_label)
        self.server_label = QLabel(self.tr("Server: %1").replace("%1", session.api_base))
        self.server_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.server_label)

        # -- a pasted token ----------------------------------------------------
        token_box, token_layout = self._section(layout, self.tr("Access token"))
        instructions = QLabel(self.tr(
            "On the TimeCrowd website, open your OAuth applications, choose (or register) an "
            "application and press \u201cNew token\u201d. Copy the token and paste it below."))
        instructions.setWordWrap(True)
        token_layout.addWidget(instructions)
        self.open_page_button = QPushButton(self.tr("Open the token page"))
        self.open_page_button.setObjectName("openTokenPageButton")
        self.open_page_button.clicked.connect(self._open_token_page)
        token_layout.addLayout(self._row(self.open_page_button, stretch_before=False))
        self.link_label = _message_label("linkProblemLabel")  # the token page could not be opened
        self.link_label.setVisible(False)
        token_layout.addWidget(self.link_label)

        row = QHBoxLayout()
        self.token_edit = QLineEdit()
        self.token_edit.setObjectName("tokenEdit")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("Paste your access token"))
        self.token_edit.setClearButtonEnabled(True)
        row.addWidget(self.token_edit, 1)
        self.show_check = QCheckBox(self.tr("Show"))
        self.show_check.setObjectName("showTokenCheck")
        self.show_check.toggled.connect(self._toggle_echo)
        row.addWidget(self.show_check)
        token_layout.addLayout(row)

        self.status_label = _message_label("statusLabel")
        token_layout.addWidget(self.status_label)

        self.sign_in_button = QPushButton(self.tr("Sign in"))
        self.sign_in_button.setObjectName("saveButton")
        self.sign_in_button.setEnabled(False)
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self._save_clicked)
        token_layout.addLayout(self._row(self.sign_in_button))

        # -- the keyring -------------------------------------------------------
        self.remember_check = QCheckBox(self.tr("Remember on this computer (OS keyring)"))
        self.remember_check.setObjectName("rememberCheck")
        self.remember_check.setChecked(session.store is not None)
        self.remember_check.setEnabled(session.store is not None)
        # A check box's text does not wrap: the window is never narrower than it (no cut-off text).
        self.remember_check.setMinimumWidth(self.remember_check.sizeHint().width())
        layout.addWidget(self.remember_check)

        self.keyring_box = QFrame()
        self.keyring_box.setObjectName("keyringBox")
        self.keyring_box.setFrameShape(QFrame.Shape.StyledPanel)
        keyring_layout = QVBoxLayout(self.keyring_box)
        self.keyring_label = _message_label("keyringLabel")
        keyring_layout.addWidget(self.keyring_label)
        buttons = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("Try again"))
        self.retry_button.setObjectName("retryKeyringButton")
        self.retry_button.clicked.connect(lambda: self._spawn(self._finish_pending(remember=True)))
        self.session_only_button = QPushButton(self.tr("Use for this session only"))
        self.session_only_button.setObjectName("sessionOnlyButton")
        self.session_only_button.clicked.connect(lambda: self._spawn(self._finish_pending(remember=False)))
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.session_only_button)
        keyring_layout.addLayout(buttons)
        self.keyring_box.setVisible(False)
        layout.addWidget(self.keyring_box)

        # -- the browser -------------------------------------------------------
        _browser_box, browser_layout = self._section(layout, self.tr("Sign in with browser"))
        browser_help = QLabel(self.tr(
            "For your own OAuth application: register http://127.0.0.1/callback as its redirect "
            "URI, then enter its client ID and secret."))
        browser_help.setWordWrap(True)
        browser_layout.addWidget(browser_help)
        form = QFormLayout()
        self.client_id_edit = QLineEdit()
        self.client_id_edit.setObjectName("clientIdEdit")
        form.addRow(self.tr("Client ID"), self.client_id_edit)
        self.client_secret_edit = QLineEdit()
        self.client_secret_edit.setObjectName("clientSecretEdit")
        self.client_secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Client secret"), self.client_secret_edit)
        browser_layout.addLayout(form)
        self.browser_status_label = _message_label("browserStatusLabel")
        browser_layout.addWidget(self.browser_status_label)
        self.browser_button = QPushButton(self.tr("Sign in with browser"))
        self.browser_button.setObjectName("browserButton")
        self.browser_button.setEnabled(False)
        self.browser_button.clicked.connect(self._browser_clicked)
        browser_layout.addLayout(self._row(self.browser_button))

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        outer.addWidget(close)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(VALIDATE_DELAY_MS)
        self._debounce.timeout.connect(self._validate_now)
        self.token_edit.textChanged.connect(self._token_changed)
        self.client_id_edit.textChanged.connect(self._browser_fields_changed)
        self.client_secret_edit.textChanged.connect(self._browser_fields_changed)
        # A paste right after the window opens goes to the token (not to the first button, which
        # QDialog would focus otherwise).
        self.token_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- plumbing --------------------------------------------------------------

    @staticmethod
    def _row(widget: QWidget, *, stretch_before: bool = True) -> QHBoxLayout:
        """A button on its own row, right- (or left-) aligned by a stretch."""
        row = QHBoxLayout()
        if stretch_before:
            row.addStretch(1)
        row.addWidget(widget)
        if not stretch_before:
            row.addStretch(1)
        return row

    @staticmethod
    def _section(parent: QVBoxLayout, title: str) -> tuple[QFrame, QVBoxLayout]:
        """A titled panel (a QFrame: QGroupBox gets word-wrapped labels' heights wrong)."""
        heading = QLabel(title)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        parent.addWidget(heading)
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        parent.addWidget(frame)
        return frame, QVBoxLayout(frame)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            log.error("sign-in window: unexpected %s", type(exc).__name__, exc_info=exc)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.token_edit.setReadOnly(busy)
        self.remember_check.setEnabled(not busy and self._session.store is not None)
        self.retry_button.setEnabled(not busy)
        self.session_only_button.setEnabled(not busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        text = strip_token(self.token_edit.text())
        ok = self._validated is not None and self._validated[0] == text
        self.sign_in_button.setEnabled(ok and not self._busy)
        browser_ready = bool(self.client_id_edit.text().strip() and self.client_secret_edit.text().strip())
        waiting = self._browser_task is not None
        self.browser_button.setEnabled(waiting or (browser_ready and not self._busy))

    def _grow_to_fit(self) -> None:
        """Make room for a message or a panel that just appeared (up to the screen: then the body scrolls)."""
        ScrollingBody.fit_window(self)

    def _say(self, label: QLabel, text: str) -> None:
        """Show ``text`` in ``label`` (a message), scrolled into view when the body scrolls."""
        label.setText(text)
        if text:
            self.body.show_widget(label)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest and self.isVisible():
            self._grow_to_fit()  # a label's text changed somewhere in the window
        return handled

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._grow_to_fit()
        if not self._focused_once:
            self._focused_once = True
            self.token_edit.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def _open_link(self, url: str, label: QLabel | None = None) -> object:
        """Open ``url`` in the browser; when that fails, say so in ``label`` (the link label by default)."""
        opened = self._open_url(url)
        if opened is False:
            log.warning("sign-in window: no browser could open a page")
            target = label if label is not None else self.link_label
            target.setVisible(True)
            self._say(target, link_problem_text(url))
        elif label is None:
            self.link_label.setVisible(False)
        return opened

    def _signed_in(self, user: Any, client: Any) -> None:
        self.status_label.setText(signed_in_text(user))  # true now: the window closes with it
        self.signed_in.emit(user, client)
        self.accept()

    # The texts (tests and the error-text checks read them here too).
    _api_error_text = staticmethod(sign_in_error_text)
    _token_format_text = staticmethod(token_format_text)
    _keyring_text = staticmethod(keyring_problem_text)
    _oauth_error_text = staticmethod(oauth_error_text)

    def _show_keyring_problem(self, exc: CredentialsUnavailable) -> None:
        self.keyring_label.setText(self._keyring_text(exc))
        self.keyring_box.setVisible(True)
        self._grow_to_fit()
        self.body.show_widget(self.keyring_box)
        self.session_only_button.setFocus()

    # -- the token -------------------------------------------------------------

    def _toggle_echo(self, shown: bool) -> None:
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    def _open_token_page(self) -> None:
        self._open_link(self._session.token_page_url)

    def _token_changed(self, _text: str) -> None:
        if self._validation is not None:
            self._validation.cancel()
            self._validation = None
        self._validated = None
        self.status_label.clear()
        self._update_buttons()
        self._debounce.start()

    def _validate_now(self) -> None:
        raw = self.token_edit.text()
        problem = token_problem(raw)
        if problem == "empty":
            return
        if problem is not None:  # not worth asking the server: say what is wrong with it
            self._say(self.status_label, self._token_format_text(problem))
            return
        token = strip_token(raw)
        self._say(self.status_label, self.tr("Checking the token\u2026"))
        self._validation = self._spawn(self._validate(token))

    async def _validate(self, token: str) -> None:
        try:
            user = await self._session.validate_token(token)
        except errors.ApiError as exc:
            text = self._api_error_text(exc)
            user = None
        except TokenFormatError as exc:
            text = self._token_format_text(exc.problem)
            user = None
        except ValueError:
            return
        if strip_token(self.token_edit.text()) != token:
            return  # changed meanwhile: a newer check is on its way
        self._validation = None
        if user is None:
            self._say(self.status_label, text)
            return
        self._validated = (token, user)
        self._say(self.status_label, token_owner_text(user))
        self._update_buttons()

    def _save_clicked(self) -> None:
        if self._validated is None or self._busy:
            return
        self._spawn(self._save(self._validated[0]))

    async def _save(self, token: str) -> None:
        self._set_busy(True)
        try:
            user, client = await self._session.sign_in_with_token(token, remember=self.remember_check.isChecked())
        except CredentialsUnavailable as exc:
            self._show_keyring_problem(exc)
            return
        except errors.ApiError as exc:
            self._validated = None
            self._say(self.status_label, self._api_error_text(exc))
            return
        finally:
            self._set_busy(False)
        self._signed_in(user, client)

    async def _finish_pending(self, *, remember: bool) -> None:
        if not self._session.has_pending:
            self.keyring_box.setVisible(False)
            return
        self._set_busy(True)
        try:
            user, client = await self._session.finish_pending(remember=remember)
        except CredentialsUnavailable as exc:
            self._show_keyring_problem(exc)
            return
        finally:
            self._set_busy(False)
        self.keyring_box.setVisible(False)
        self._signed_in(user, client)

    # -- the browser -----------------------------------------------------------

    def _browser_fields_changed(self, _text: str) -> None:
        self._update_buttons()

    def _browser_clicked(self) -> None:
        if self._browser_task is not None:
            self._browser_task.cancel()
            return
        self._browser_task = self._spawn(self._browser_sign_in(
            self.client_id_edit.text().strip(), self.client_secret_edit.text().strip()))
        self.browser_button.setText(self.tr("Cancel"))
        self._update_buttons()

    async def _browser_sign_in(self, client_id: str, client_secret: str) -> None:
        self._say(self.browser_status_label, self.tr(
            "Finish signing in in your browser\u2026 (this window waits up to 5 minutes)"))
        self._set_busy(True)
        result = None
        try:
            result = await self._session.sign_in_with_browser(
                client_id, client_secret,
                open_url=lambda url: self._open_link(url, self.browser_status_label),
                remember=self.remember_check.isChecked())
        except asyncio.CancelledError:
            self._say(self.browser_status_label, self.tr("Browser sign-in cancelled."))
        except OAuthError as exc:
            self._say(self.browser_status_label, self._oauth_error_text(exc))
        except CredentialsUnavailable as exc:
            self.browser_status_label.clear()
            self._show_keyring_problem(exc)
        except errors.ApiError as exc:
            self._say(self.browser_status_label, self._api_error_text(exc))
        finally:
            self._browser_task = None
            self.browser_button.setText(self.tr("Sign in with browser"))
            self._set_busy(False)
        if result is not None:
            self.browser_status_label.clear()
            self._signed_in(*result)

    # -- closing ---------------------------------------------------------------

    def done(self, result: int) -> None:
        self._debounce.stop()
        for task in list(self._tasks):
            task.cancel()
        if result != QDialog.DialogCode.Accepted:
            self._session.discard_pending()
        super().done(result)
