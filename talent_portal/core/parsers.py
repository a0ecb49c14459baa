"""The API's body parsers: DRF's, refusing NUL characters anywhere in the data (keys and values).

PostgreSQL cannot store a NUL in a text or JSON column; DRF's ``CharField`` refuses them already,
but free-form data (``DictField``, JSON fields, audit data) would reach the database and fail
with a server error. Refused here, a NUL is a 400 with the portal's error format.
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_contains_nul(item) for item in value)
    return False


def _refuse_nul(data):
    if _contains_nul(data):
        raise exceptions.ValidationError(
            {"non_field_errors": [_("The request contains a NUL character, which is not allowed.")]}
        )
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _refuse_nul(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul(dict(data.lists()))
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _refuse_nul(dict(result.data.lists()))
        return result
