"""The TimeCrowd API over HTTP (httpx). Knows nothing of Qt."""

from ..core.endpoint import DEFAULT_API_BASE, InvalidApiBase, is_loopback_host, normalize_api_base
from .client import DEFAULT_TIMEOUT, USER_AGENT, TimeCrowdClient, TokenRefresher
from .errors import (
    ApiError,
    ApiTimeout,
    AuthError,
    Forbidden,
    NetworkError,
    NotFound,
    ProtocolError,
    RateLimited,
    ServerError,
    TransientError,
    Unauthorized,
    ValidationFailed,
)

__all__ = [
    "DEFAULT_API_BASE", "DEFAULT_TIMEOUT", "USER_AGENT", "TimeCrowdClient", "TokenRefresher",
    "InvalidApiBase", "is_loopback_host", "normalize_api_base",
    "ApiError", "ApiTimeout", "AuthError", "Forbidden", "NetworkError", "NotFound", "ProtocolError",
    "RateLimited", "ServerError", "TransientError", "Unauthorized", "ValidationFailed",
]
