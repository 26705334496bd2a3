"""OAuth2 provider routes (authorization code grant + refresh), auto-approving.

There is no human in front of the emulator, so /oauth/authorize approves at
once for ``state.oauth_user_id`` (the demo user by default) and redirects back.
It only ever redirects to a loopback http:// URI, and never for an unknown
client: those get a 400 HTML page, as a real provider would not redirect them.
"""

from __future__ import annotations

import base64
import html
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from .errors import OAuthError
from .store import EmulatorState


def _error_page(error: OAuthError) -> HTMLResponse:
    body = (
        "<!DOCTYPE html>\n<html><head><title>Authorization error</title></head><body>"
        f"<h1>An error has occurred</h1><p>{html.escape(error.description)}</p>"
        f"<p><code>{html.escape(error.error)}</code></p></body></html>\n"
    )
    return HTMLResponse(body, status_code=400)


def _with_query(uri: str, params: dict[str, str]) -> str:
    parts = urlsplit(uri)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _client_credentials(request: Request, form: dict[str, str]) -> tuple[str | None, str | None]:
    # RFC 6749 allows HTTP Basic as well as body parameters; accept both.
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:]).decode()
            client_id, _, secret = decoded.partition(":")
            return client_id, secret
        except (ValueError, UnicodeDecodeError):
            return None, None
    return form.get("client_id"), form.get("client_secret")


def oauth_routes(state: EmulatorState) -> list[Route]:
    async def authorize(request: Request) -> Response:
        params = request.query_params
        client_id = params.get("client_id")
        redirect_uri = params.get("redirect_uri")
        try:
            state.check_authorize_request(client_id, redirect_uri)
        except OAuthError as exc:
            return _error_page(exc)
        assert client_id and redirect_uri
        extra = {"state": params["state"]} if "state" in params else {}
        if params.get("response_type") != "code":
            # The redirect URI is trusted by now, so errors go back to the client.
            error = {"error": "unsupported_response_type", **extra}
            return RedirectResponse(_with_query(redirect_uri, error), status_code=302)
        code = state.issue_code(client_id, redirect_uri)
        return RedirectResponse(_with_query(redirect_uri, {"code": code, **extra}), status_code=302)

    async def token(request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            try:
                raw = await request.json()
            except ValueError:
                raw = {}
            form = {k: str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
        else:
            # Parsed by hand: Starlette's form parser needs python-multipart,
            # which the project does not otherwise depend on.
            raw_body = (await request.body()).decode("utf-8", errors="replace")
            form = dict(parse_qsl(raw_body, keep_blank_values=True))
        client_id, client_secret = _client_credentials(request, form)
        grant_type = form.get("grant_type")
        try:
            if grant_type == "authorization_code":
                body = state.exchange_code(form.get("code"), form.get("redirect_uri"), client_id, client_secret)
            elif grant_type == "refresh_token":
                body = state.refresh(form.get("refresh_token"), client_id, client_secret)
            else:
                raise OAuthError(
                    "unsupported_grant_type",
                    "The authorization grant type is not supported by the authorization server.",
                )
        except OAuthError as exc:
            headers = {"WWW-Authenticate": 'Basic realm="Doorkeeper"'} if exc.status == 401 else None
            return JSONResponse(
                {"error": exc.error, "error_description": exc.description},
                status_code=exc.status,
                headers=headers,
            )
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    return [
        Route("/oauth/authorize", authorize, methods=["GET"]),
        Route("/oauth/token", token, methods=["POST"]),
    ]
