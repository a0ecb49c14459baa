"""The Content-Security-Policy on every answer, in every mode.

django-csp leaves Django's debug 404 and 500 pages (``DEBUG=True`` only) without a policy,
because they use inline styles and scripts. We keep the one policy there too: development then
behaves like production (a page that needs inline code breaks at once, not after deployment),
and the debug pages stay readable, only unstyled.
"""

from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings


class PortalCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        response = super().process_response(request, response)
        if settings.DEBUG and HEADER not in response and not getattr(response, "_csp_exempt", False):
            policy = build_policy(**asdict(self.get_policy_parts(request=request, response=response)))
            if policy:
                response[HEADER] = policy
        return response
