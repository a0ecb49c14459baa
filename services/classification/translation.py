"""Fields written by staff in four languages (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Criterion, DirectCriterion, Factor, PointsTable, ShortagePost, TalentCategory


@register(PointsTable)
class PointsTableTranslation(TranslationOptions):
    fields = ("title", "source_note")


@register(Factor)
class FactorTranslation(TranslationOptions):
    fields = ("label", "explanation")


@register(DirectCriterion)
class DirectCriterionTranslation(TranslationOptions):
    fields = ("evidence",)


@register(TalentCategory)
class TalentCategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("text", "evidence")


@register(ShortagePost)
class ShortagePostTranslation(TranslationOptions):
    fields = ("title", "requirements")
