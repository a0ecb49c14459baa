"""The client's address, as far as it can be trusted.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each appends the address it received the request
from to ``X-Forwarded-For``; the client's address is the one the outermost trusted proxy
appended. Anything further left was written by the client and can be forged, so it is never used.
Without proxies (the default) only the socket's address counts. Throttles, the sign-in
lock-out and the audit log all use this one function (DRF's throttles use the same count).
"""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    return forwarded[-min(count, len(forwarded))]
