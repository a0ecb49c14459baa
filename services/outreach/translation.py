"""Fields written by staff in four languages (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Award, Event, LiaisonOffice, ServiceStation


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description", "venue")


@register(Award)
class AwardTranslation(TranslationOptions):
    fields = ("name", "description", "source_note")


@register(LiaisonOffice)
class LiaisonOfficeTranslation(TranslationOptions):
    fields = ("name", "city", "address", "services")


@register(ServiceStation)
class ServiceStationTranslation(TranslationOptions):
    fields = ("name", "address", "hours", "services")
