"""``/metrics``: Prometheus text, only for allowed networks or with the bearer token; 404 for others."""

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from talent_portal.core import metrics as portal_metrics
from talent_portal.core.net import client_ip

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _networks():
    return [ipaddress.ip_network(value, strict=False) for value in settings.METRICS_ALLOWED_NETWORKS]


def _token_ok(request) -> bool:
    expected = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not expected or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer ") :].strip().encode(), expected.encode())


def _network_ok(request) -> bool:
    # A request relayed by a proxy the portal does not count (TRUSTED_PROXY_COUNT=0) shows the
    # proxy's address, often 127.0.0.1: it is never trusted by address, only by the token.
    relayed = "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_X_FORWARDED_PROTO" in request.META
    if relayed and settings.TRUSTED_PROXY_COUNT <= 0:
        return False
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in network for network in _networks())


def metrics_allowed(request) -> bool:
    return _token_ok(request) or _network_ok(request)


@never_cache
@require_safe
def metrics(request):
    if not metrics_allowed(request):
        raise Http404
    return HttpResponse(portal_metrics.exposition(), content_type=CONTENT_TYPE)
