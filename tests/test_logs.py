"""Log redaction: the filter's rules, the set-up, and a whole debug-level session grepped for secrets."""

from __future__ import annotations

import asyncio
import logging
import logging.handlers
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from timecrowd_tray.emulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TOKEN, EmulatorServer, EmulatorState
from timecrowd_tray.logs import REDACTED, RedactingFilter, redact, register_secret, setup_logging
from timecrowd_tray.services.credentials import CredentialStore
from timecrowd_tray.services.session import SessionManager

SECRET = "s3cr3t-Value_0123456789.abc~XYZ"


@pytest.fixture
def root_logging():
    """Put the root logger back as it was after a test that calls setup_logging."""
    root = logging.getLogger()
    saved_level, saved_handlers = root.level, list(root.handlers)
    saved_levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    yield root
    for handler in list(root.handlers):
        if handler not in saved_handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(saved_level)
    for name, level in saved_levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("text", [
    f"Authorization: Bearer {SECRET}",
    f"headers={{'authorization': 'Bearer {SECRET}', 'accept': 'application/json'}}",
    f"[(b'Authorization', b'Bearer {SECRET}')]",
    f"Authorization: Basic {SECRET}",
    f"sent bearer {SECRET} again",
    f"GET /cb?code={SECRET}&state=abc",
    f"grant_type=refresh_token&refresh_token={SECRET}&client_id=x&client_secret={SECRET}",
    f"https://h/x?access_token={SECRET}",
    f'{{"access_token": "{SECRET}", "token_type": "Bearer", "refresh_token": "{SECRET}"}}',
    f"{{'client_secret': '{SECRET}'}}",
])
def test_patterns(text):
    redacted = redact(text)
    assert SECRET not in redacted and REDACTED in redacted


def test_ordinary_text_is_left_alone():
    for text in ("GET /api/v1/user/info -> 200", "started task 42 in team 14", "client_id=my-app"):
        assert redact(text) == text


def test_registered_secrets_anywhere():
    value = "plain-looking-value-f00ba7"
    assert redact(f"x {value} y") == f"x {value} y"
    register_secret(value)
    register_secret("short")  # too short to be a real secret: ignored
    assert redact(f"x {value} y, x{value}y") == f"x {REDACTED} y, x{REDACTED}y"
    assert redact("a short word") == "a short word"


def test_filter_redacts_args_and_tracebacks():
    record_logger = logging.getLogger("test.redaction")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(message)s"))
    record_logger.addHandler(handler)
    record_logger.propagate = False
    try:
        record_logger.warning("request %s", {"Authorization": f"Bearer {SECRET}"})
        try:
            raise ValueError(f"refresh_token={SECRET}")
        except ValueError:
            record_logger.exception("failed")
        record_logger.error("stack", stack_info=True, extra={"x": 1})
    finally:
        record_logger.removeHandler(handler)
        record_logger.propagate = True
    text = "\n".join(handler.format(r) for r in records)
    assert SECRET not in text and text.count(REDACTED) >= 2


def test_setup_logging_filters_every_handler(tmp_path, root_logging):
    other = logging.getLogger("test.own-handler")
    own = logging.StreamHandler()
    other.addHandler(own)
    try:
        path = setup_logging(True, tmp_path / "logs" / "app.log")
        assert path == tmp_path / "logs" / "app.log"
        handlers = [h for h in root_logging.handlers if getattr(h, "_timecrowd_tray_handler", False)]
        assert any(isinstance(h, logging.handlers.RotatingFileHandler) for h in handlers)
        for handler in [*root_logging.handlers, own]:
            assert any(isinstance(f, RedactingFilter) for f in handler.filters), handler
        assert logging.getLogger("httpcore").getEffectiveLevel() >= logging.WARNING
        logging.getLogger("test.setup").info("token %s", f"Bearer {SECRET}")
        for handler in handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
        assert "test.setup" in text and SECRET not in text
        # Calling it again replaces its own handlers instead of adding more.
        setup_logging(False, path)
        assert len([h for h in root_logging.handlers if getattr(h, "_timecrowd_tray_handler", False)]) == 2
    finally:
        other.removeHandler(own)


async def _browser(url: str) -> None:
    async with httpx.AsyncClient(trust_env=False) as web:
        consent = await web.get(url)
        location = urlsplit(consent.headers["location"])
        query = urlencode(dict(parse_qsl(location.query)))
        await web.get(urlunsplit((location.scheme, location.netloc, location.path, query, "")))


def test_whole_session_at_debug_level_leaks_no_secret(tmp_path, root_logging):
    """Sign in (token and browser), start, comment, stop, a 401, a refresh: grep the log."""
    log_file = setup_logging(True, tmp_path / "session.log")

    class Clock:
        now = 1_761_022_800.0

        def __call__(self):
            return self.now

    clock = Clock()
    state = EmulatorState.seeded(clock=clock)
    store_data: dict = {}

    class Backend:
        def get_password(self, service, username):
            return store_data.get((service, username))

        def set_password(self, service, username, password):
            store_data[(service, username)] = password

        def delete_password(self, service, username):
            store_data.pop((service, username), None)

    team_id, task_id = next((t["team_id"], t["id"]) for t in state.tasks.values()
                            if t["team_id"] in state.users[state.me_id]["team_ids"] and not t["deleted_at"])

    with EmulatorServer(state, host="127.0.0.1", port=0) as server:
        session = SessionManager(server.url, CredentialStore(backend=Backend()), clock=clock)

        async def scenario():
            # 1. A pasted token, then an API call or two.
            _user, client = await session.sign_in_with_token(DEMO_TOKEN)
            await client.working_users()
            # 2. A browser sign-in with the user's OAuth application.
            tasks = []
            _user, client = await session.sign_in_with_browser(
                DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, timeout=20,
                open_url=lambda url: tasks.append(asyncio.create_task(_browser(url))))
            await asyncio.gather(*tasks)
            # 3. Start, comment, stop.
            entry = await client.start_task(team_id, task_id)
            await client.add_comment(entry.id, "ログ確認 / checking the log")
            await client.stop_entry(entry.id)
            # 4. The server's clock runs ahead: the token is refused, refreshed once, the call goes through.
            issued = clock.now
            state.clock = lambda: issued + state.token_expires_in + 5
            await client.working_users()
            # 5. Ahead of expiry on our side too: refreshed before the request.
            clock.now = issued + state.token_expires_in - 30
            state.clock = lambda: clock.now
            await client.user_info()
            # 6. Somebody logs a header or a grant by mistake.
            logging.getLogger("careless").debug("headers %r", client._http.headers)  # noqa: SLF001
            logging.getLogger("careless").debug("sent %s", {"Authorization": f"Bearer {DEMO_TOKEN}"})
            grant = session._grant.credentials  # noqa: SLF001
            logging.getLogger("careless").debug("grant %s", grant.to_json())
            logging.getLogger("careless").debug("bare values %s %s", grant.access_token, grant.refresh_token)
            try:
                raise RuntimeError(f"failed with {grant.client_secret}")
            except RuntimeError:
                logging.getLogger("careless").exception("oops")
            await session.aclose()

        asyncio.run(scenario())

    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "renewed the sign-in" in text and "HTTP Request" in text and "/start" in text
    secrets = {DEMO_TOKEN, DEMO_CLIENT_SECRET, *state.tokens, *state.refresh_tokens, *state.oauth_codes}
    assert len(state.refresh_tokens) >= 3  # the code exchange and two refreshes
    leaked = [s for s in secrets if s in text]
    assert leaked == [], f"{len(leaked)} secret(s) in the log"
    assert "Authorization" not in text or f"Authorization': '{REDACTED}" in text or REDACTED in text
