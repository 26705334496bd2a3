"""Which API servers the client may talk to."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

DEFAULT_API_BASE = "https://timecrowd.net"


class InvalidApiBase(ValueError):
    """The URL cannot be used as an API server (scheme, credentials, not loopback over HTTP)."""


def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalize_api_base(url: str) -> str:
    """Validate an API base URL and return it without a trailing slash.

    HTTPS is required because the token travels in every request; plain HTTP is
    allowed only to a loopback address (the emulator, a local proxy).
    """
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidApiBase(f"not a valid URL: {exc}") from None
    if parts.scheme not in ("https", "http"):
        raise InvalidApiBase("the API server URL must start with https://")
    if not parts.hostname:
        raise InvalidApiBase("the API server URL has no host name")
    if parts.username is not None or parts.password is not None:
        raise InvalidApiBase("the API server URL must not contain a user name or password")
    if parts.query or parts.fragment:
        raise InvalidApiBase("the API server URL must not contain a query or a fragment")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise InvalidApiBase("plain http:// is allowed only for loopback addresses (127.0.0.1, ::1, localhost); use https://")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
