"""Who a Bearer token speaks for: personal tokens, the OAuth2 grants that issue tokens.

How long tokens live is one of the guesses listed in ``store.py``. The HTTP
side of the OAuth2 provider is ``oauth.py``.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from .errors import OAuthError, Unauthenticated
from .records import AccountRecords, Record


def _is_loopback_redirect(uri: str) -> bool:
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return False
    return parts.scheme == "http" and parts.hostname in {"127.0.0.1", "localhost", "::1"}


class TokenRules(AccountRecords):
    """Issuing, checking, revoking the account's access tokens."""

    def add_token(self, token: str, user_id: int, expires_at: float | None = None) -> None:
        with self.lock:
            self.tokens[token] = {"user_id": user_id, "expires_at": expires_at, "revoked": False}

    def revoke_token(self, token: str) -> None:
        with self.lock:
            if token in self.tokens:
                self.tokens[token]["revoked"] = True
            for record in self.refresh_tokens.values():
                if record["access_token"] == token:
                    record["revoked"] = True

    def authenticate(self, token: str | None) -> int:
        """The user id behind a Bearer token, else Unauthenticated."""
        with self.lock:
            if not token:
                raise Unauthenticated("You need to sign in or sign up before continuing.")
            record = self.tokens.get(token)
            if record is None:
                raise Unauthenticated("The access token is invalid")
            if record["revoked"]:
                raise Unauthenticated("The access token was revoked")
            if record["expires_at"] is not None and self.clock() >= record["expires_at"]:
                raise Unauthenticated("The access token expired")
            return int(record["user_id"])

    # -- OAuth2 provider --------------------------------------------------------

    def add_oauth_client(self, client_id: str, secret: str, name: str) -> None:
        with self.lock:
            self.oauth_clients[client_id] = {"secret": secret, "name": name}

    def check_authorize_request(self, client_id: str | None, redirect_uri: str | None) -> None:
        """Raise OAuthError when /oauth/authorize must not redirect at all."""
        with self.lock:
            if not client_id or client_id not in self.oauth_clients:
                raise OAuthError("invalid_client", "Client authentication failed due to unknown client.")
            if not redirect_uri or not _is_loopback_redirect(redirect_uri):
                raise OAuthError(
                    "invalid_redirect_uri",
                    "The redirect uri included is not valid: only http://127.0.0.1 or "
                    "http://localhost redirect URIs are accepted by the emulator.",
                )

    def issue_code(self, client_id: str, redirect_uri: str) -> str:
        with self.lock:
            self.check_authorize_request(client_id, redirect_uri)
            code = secrets.token_urlsafe(24)
            self.oauth_codes[code] = {
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "user_id": self.oauth_user_id or self.me_id,
                "expires_at": self.clock() + self.oauth_code_expires_in,
                "used": False,
            }
            return code

    def _check_client(self, client_id: str | None, client_secret: str | None) -> None:
        client = self.oauth_clients.get(client_id or "")
        if client is None or not client_secret or not secrets.compare_digest(
            client["secret"], client_secret
        ):
            raise OAuthError(
                "invalid_client",
                "Client authentication failed due to unknown client, no client "
                "authentication included, or unsupported authentication method.",
                status=401,
            )

    def _grant_tokens(self, user_id: int, client_id: str) -> Record:
        now = self.now()
        access = secrets.token_urlsafe(32)
        refresh = secrets.token_urlsafe(32)
        self.add_token(access, user_id, expires_at=now + self.token_expires_in)
        self.refresh_tokens[refresh] = {
            "user_id": user_id,
            "client_id": client_id,
            "access_token": access,
            "revoked": False,
        }
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.token_expires_in,
            "refresh_token": refresh,
            "scope": "public",
            "created_at": now,
        }

    def exchange_code(
        self, code: str | None, redirect_uri: str | None, client_id: str | None, client_secret: str | None
    ) -> Record:
        with self.lock:
            self._check_client(client_id, client_secret)
            record = self.oauth_codes.get(code or "")
            if (
                record is None
                or record["used"]
                or record["client_id"] != client_id
                or record["redirect_uri"] != redirect_uri
                or self.clock() >= record["expires_at"]
            ):
                raise OAuthError(
                    "invalid_grant",
                    "The provided authorization grant is invalid, expired, revoked, does not "
                    "match the redirection URI used in the authorization request, or was "
                    "issued to another client.",
                )
            record["used"] = True  # codes are one-shot
            return self._grant_tokens(record["user_id"], client_id or "")

    def refresh(self, refresh_token: str | None, client_id: str | None, client_secret: str | None) -> Record:
        with self.lock:
            self._check_client(client_id, client_secret)
            record = self.refresh_tokens.get(refresh_token or "")
            if record is None or record["revoked"] or record["client_id"] != client_id:
                raise OAuthError(
                    "invalid_grant",
                    "The provided authorization grant is invalid, expired, revoked, or was "
                    "issued to another client.",
                )
            # ASSUMPTION: refresh tokens rotate (Doorkeeper's common setup); the old
            # access token stays valid until it expires.
            record["revoked"] = True
            return self._grant_tokens(record["user_id"], client_id or "")
