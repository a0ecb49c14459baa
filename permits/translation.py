"""Staff-written content of the permits app, translated per field."""

from modeltranslation.translator import TranslationOptions, register

from .models import ReasonCode


@register(ReasonCode)
class ReasonCodeTranslation(TranslationOptions):
    fields = ("text", "legal_basis")
