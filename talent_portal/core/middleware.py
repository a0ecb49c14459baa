"""Language selection: the URL prefix decides; without one, the stored preference, else the browser.

``/api/`` follows ``Accept-Language`` only, so that an HR system gets the language it asks for
whatever cookie a browser session left behind.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

UNPREFIXED_PATHS = ("/api/", "/verify/", "/healthz", "/metrics")


def language_from_accept_header(request) -> str:
    """The best supported language named by ``Accept-Language``, else the default."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class PortalLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        language = translation.get_language_from_path(request.path_info)
        if not language:
            user = getattr(request, "user", None)
            if request.path_info.startswith("/api/"):
                language = language_from_accept_header(request)
            elif user is not None and user.is_authenticated and user.preferred_language:
                language = user.preferred_language
            else:
                language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
