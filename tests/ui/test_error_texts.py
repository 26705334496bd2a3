"""Errors reach people as words in their language; the server's own words verbatim.

One mapping for API errors (services.messages.api_error_text), one for keyring
problems (ui.service_strings.keyring_text): the service, the app's notices and
the sign-in window all use them.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from timecrowd_tray.api import errors
from timecrowd_tray.core.timer import Phase
from timecrowd_tray.services import messages as M
from timecrowd_tray.services.credentials import CredentialsUnavailable
from timecrowd_tray.ui.i18n import Translations
from timecrowd_tray.ui.service_strings import keyring_text

from .conftest import run_async

CASES = [
    (errors.Unauthorized("user info: HTTP 401: the token was rejected"), M.SESSION_EXPIRED, {}),
    (errors.Forbidden("create task: HTTP 403"), M.API_FORBIDDEN, {}),
    (errors.NotFound("stop time entry: HTTP 404"), M.API_NOT_FOUND, {}),
    (errors.ValidationFailed("start: HTTP 422"), M.API_INVALID, {}),
    (errors.RateLimited("poll: HTTP 429"), M.API_RATE_LIMITED, {}),
    (errors.ServerError("user info: HTTP 502", status=502), M.API_SERVER_ERROR, {"status": 502}),
    (errors.NetworkError("user info: cannot reach the server (ConnectError)"), M.API_UNREACHABLE, {}),
    (errors.ApiTimeout("user info: the server did not answer in time"), M.API_TIMEOUT, {}),
    (errors.ProtocolError("user info: the server's answer is not valid JSON", status=200), M.API_NOT_UNDERSTOOD, {}),
    (errors.ProtocolError("start: HTTP 409: unexpected status", status=409), M.REJECTED_NO_MESSAGE, {"status": 409}),
    (errors.ApiError("something"), M.API_FAILED, {}),
]


@pytest.mark.parametrize(("exc", "text", "fields"), CASES, ids=[type(c[0]).__name__ + str(c[0].status) for c in CASES])
def test_an_error_without_a_server_message_is_told_by_its_kind(exc, text, fields):
    assert M.api_error_text(exc) == text.format(**fields)
    assert exc.message not in M.api_error_text(exc)


def test_the_servers_own_words_stay_verbatim():
    exc = errors.ValidationFailed("start: HTTP 422", messages=(" タスクは既にアーカイブされています ", ""))
    assert M.api_error_text(exc) == "タスクは既にアーカイブされています"


def test_in_japanese(qapp):
    translations = Translations(qapp)
    english_locked = keyring_text(CredentialsUnavailable("locked"))
    try:
        translations.apply("ja")
        text = M.api_error_text(errors.NotFound("stop time entry: HTTP 404"))
        assert text == QCoreApplication.translate("TimerService", M.API_NOT_FOUND) and text != M.API_NOT_FOUND
        assert "503" in M.api_error_text(errors.ServerError("x: HTTP 503", status=503))
        locked = keyring_text(CredentialsUnavailable("locked"))
        assert locked and locked != english_locked and "keyring" not in locked.lower()
        assert "Timeout" in keyring_text(CredentialsUnavailable("other", "Timeout"))
    finally:
        translations.apply("en")


def test_a_rejection_without_a_server_message_is_notified_in_words(qtbot, app_under_test):
    app = app_under_test
    app.emulator.faults.fail_next(status=404, html=True)  # a 404 with an HTML page: no message of the server
    app.tray.toggle()
    qtbot.waitUntil(lambda: any(n.kind == "error" for n in app.tray.notifier.history), timeout=5000)
    notice = next(n for n in app.tray.notifier.history if n.kind == "error")
    assert notice.message == M.tr(M.API_NOT_FOUND)
    assert "HTTP" not in notice.message


def test_the_signed_out_reason_is_in_words(qtbot, app_under_test):
    app = app_under_test
    app.emulator.faults.fail_next(status=401, html=True)
    with pytest.raises(errors.AuthError):
        run_async(qtbot, app.service.sign_in(app.client))
    assert app.service.state.phase is Phase.SIGNED_OUT
    assert app.service.state.signed_out_reason == M.tr(M.SESSION_EXPIRED)


def test_the_keyring_texts(qapp):
    assert "locked" in keyring_text(CredentialsUnavailable("locked"))
    assert "refused" in keyring_text(CredentialsUnavailable("denied"))
    assert "GNOME Keyring" in keyring_text(CredentialsUnavailable("no_backend"))
    # a configuration the service explains itself (it names the backend and the setting)
    plain = CredentialsUnavailable("no_backend", "keyrings.alt.file.PlaintextKeyring", user_message="plain file")
    assert keyring_text(plain) == "plain file"


def test_the_sign_in_window_uses_the_shared_keyring_text(qapp):
    from timecrowd_tray.services.session import SessionManager
    from timecrowd_tray.ui.signin_window import SignInWindow

    window = SignInWindow(SessionManager("https://timecrowd.example", None))
    try:
        exc = CredentialsUnavailable("locked", "InitError")
        assert window._keyring_text(exc).startswith(keyring_text(exc))
        assert window._api_error_text(errors.ProtocolError("user info: not JSON", status=200)) == \
            M.tr(M.API_NOT_UNDERSTOOD)
    finally:
        window.deleteLater()
