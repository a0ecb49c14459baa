"""Administration of the rules and the catalogue, in four languages.

The plain modeltranslation admin is used (the tabbed one loads jQuery UI from a CDN). Rules in
force are read-only: a published points table that has taken effect, a wage figure in use, and
the rule fields of a catalogue entry in force. A change is a new version with a later date.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from talent_portal.core.errors import DomainError

from . import actions
from .models import (
    AssessmentRecord,
    Band,
    ClaimEvidence,
    Criterion,
    DirectCriterion,
    Factor,
    LocalAverageWage,
    PointsTable,
    RecognitionClaim,
    ShortagePost,
    TalentCategory,
)


class LockedWithTableMixin:
    """Inlines of a points table (or of a factor) are read-only once the table is in force."""

    def _locked(self, obj) -> bool:
        table = getattr(obj, "table", obj)
        return table is not None and table.is_locked

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class FactorInline(LockedWithTableMixin, TranslationStackedInline):
    model = Factor
    extra = 0
    fields = ("code", "position", "kind", "max_points", "label", "explanation")
    show_change_link = True


class DirectCriterionInline(LockedWithTableMixin, TranslationStackedInline):
    model = DirectCriterion
    extra = 0
    fields = (
        "code",
        "grants_class",
        "is_derived",
        "min_education",
        "min_experience_years",
        "age_below",
        "evidence",
    )


@admin.register(PointsTable)
class PointsTableAdmin(TranslationAdmin):
    list_display = ("version", "title", "effective_from", "is_published", "threshold_a", "threshold_b")
    list_filter = ("is_published",)
    readonly_fields = ("is_published", "created_at", "updated_at")
    inlines = [FactorInline, DirectCriterionInline]
    actions = ["copy_as_draft", "publish"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Copy as a draft of a new version"))
    def copy_as_draft(self, request, queryset):
        tomorrow = timezone.localdate() + timedelta(days=1)
        for table in queryset:
            count = PointsTable.objects.filter(version__startswith=f"{table.version}-draft").count()
            try:
                copy = actions.points_table_copy(
                    actor=request.user,
                    table=table,
                    version=f"{table.version}-draft-{count + 1}"[:20],
                    effective_from=tomorrow,
                )
            except DomainError as error:
                self.message_user(request, str(error.message), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Draft %(version)s created: set its name and date of effect, edit it, then publish it.")
                    % {"version": copy.version},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Publish (it takes effect on its date)"))
    def publish(self, request, queryset):
        for table in queryset:
            try:
                actions.points_table_publish(actor=request.user, table=table)
            except DomainError as error:
                self.message_user(request, f"{table.version}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(version)s is published.") % {"version": table.version})


class BandInline(LockedWithTableMixin, admin.TabularInline):
    model = Band
    extra = 0
    fields = ("input", "lower", "upper", "choice", "points")


@admin.register(Factor)
class FactorAdmin(TranslationAdmin):
    list_display = ("table", "position", "code", "kind", "max_points", "label")
    list_filter = ("table",)
    inlines = [BandInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.table.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.table.is_locked:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(LocalAverageWage)
class LocalAverageWageAdmin(admin.ModelAdmin):
    list_display = ("year", "annual_amount_cny", "effective_from", "source", "is_example")
    list_filter = ("is_example",)

    def has_change_permission(self, request, obj=None):
        # A figure in use is corrected by entering a new one with a later date.
        if obj is not None and obj.effective_from <= timezone.localdate():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class InForceReadOnlyMixin:
    """Once an entry is in force its rule fields are fixed; its texts may still be corrected."""

    rule_fields: tuple = ()

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.effective_from <= timezone.localdate():
            return fields + self.rule_fields
        return fields


class CriterionInline(TranslationStackedInline):
    model = Criterion
    extra = 0
    fields = ("position", "text", "evidence")


@admin.register(TalentCategory)
class TalentCategoryAdmin(InForceReadOnlyMixin, TranslationAdmin):
    list_display = (
        "code",
        "name",
        "grants_class",
        "green_channel",
        "effective_from",
        "effective_until",
        "is_example",
    )
    list_filter = ("grants_class", "is_example")
    search_fields = ("code", "name")
    inlines = [CriterionInline]
    rule_fields = (
        "code",
        "grants_class",
        "green_channel",
        "max_validity_years",
        "uses_shortage_posts",
        "effective_from",
    )


@admin.register(ShortagePost)
class ShortagePostAdmin(InForceReadOnlyMixin, TranslationAdmin):
    list_display = ("code", "title", "industry", "effective_from", "effective_until", "is_example")
    list_filter = ("industry", "is_example")
    search_fields = ("code", "title")
    rule_fields = ("code", "industry", "min_education", "min_experience_years", "effective_from")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentRecord)
class AssessmentRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "table_version",
        "points",
        "computed_category",
        "claimed_category",
        "confirmed_category",
        "created_at",
    )
    list_filter = ("computed_category", "table_version")


class ClaimEvidenceInline(admin.TabularInline):
    model = ClaimEvidence
    extra = 0
    fields = ("original_name", "content_type", "size", "uploaded_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RecognitionClaim)
class RecognitionClaimAdmin(ReadOnlyAdmin):
    """Officers decide claims on the portal's pages; the admin only lists them."""

    list_display = ("pk", "applicant", "category", "organization", "status", "created_at", "decided_at")
    list_filter = ("status", "category__code")
    search_fields = ("applicant__email", "organization__uscc")
    inlines = [ClaimEvidenceInline]
