"""The one module that talks HTTP to the portal: a status change POSTed as JSON, signed, with its idempotency key.

What the receiver gets (one request per change; the same bytes and key at every attempt of that change):

    POST <HOSO_PORTAL_URL>
    Content-Type: application/json; charset=utf-8
    Idempotency-Key: 5b0c…-…            stable per change: a receiver that sees it again drops the second
    X-Hoso-Signature: sha256=<hex>       HMAC-SHA256 of the body with HOSO_PORTAL_SECRET
    {"at":"2026-12-02T20:31:05.123+00:00","centre":"…"|null,"code":"HS-…","key":"5b0c…","procedure":"…"|null,
     "status":"reviewed"}                 (one line; keys sorted; UTF-8; status "deleted" when it is deleted)

Any 2xx answer acknowledges the change; anything else (another status, a redirect, no answer within the
timeout, a refused connection) is `PortalUnavailable`, and the change is sent again later.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
from urllib.parse import urlsplit

from schemas.errors import ConfigError, PortalUnavailable

SIGNATURE_HEADER = "X-Hoso-Signature"
KEY_HEADER = "Idempotency-Key"
_MAX_ANSWER = 64 * 1024  # of the answer's body, read so the connection closes cleanly; never kept


def signature(secret: str, body: bytes) -> str:
    """The signature header's value: `sha256=` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """What a receiver does with the header (here for tests and for the portal's side to copy)."""
    return header is not None and hmac.compare_digest(signature(secret, body), header)


def post_change(url: str, secret: str, *, key: str, body: str, timeout_s: float) -> int:
    """POST one change; the HTTP status when acknowledged (2xx), else PortalUnavailable saying why."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"HOSO_PORTAL_URL={url!r} is not an http:// or https:// address")
    data = body.encode("utf-8")
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout_s)
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout_s)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        KEY_HEADER: key,
        SIGNATURE_HEADER: signature(secret, data),
        "User-Agent": "hoso",
    }
    try:
        connection.request("POST", path, body=data, headers=headers)
        answer = connection.getresponse()
        answer.read(_MAX_ANSWER)
    except TimeoutError as exc:  # socket.timeout: connecting or waiting for the answer
        raise PortalUnavailable(f"the portal did not answer within {timeout_s:g} s") from exc
    except (OSError, http.client.HTTPException) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise PortalUnavailable(f"the portal could not be reached: {reason}") from exc
    finally:
        connection.close()
    if not 200 <= answer.status < 300:
        raise PortalUnavailable(f"the portal answered HTTP {answer.status} {answer.reason}".rstrip())
    return int(answer.status)
