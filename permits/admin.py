"""Admin of the permits app. The case history, notices and audit trail are read-only here:
state changes go through the actions, never through the admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import Application, Permit, PermitHolder, ReasonCode, Transition, WrittenNotice


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows nobody edits or deletes, not even a superuser."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReasonCode)
class ReasonCodeAdmin(TranslationAdmin):
    """Administrators add reason codes in four languages; codes in use are retired, not deleted."""

    list_display = ("code", "kind", "text", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "text")

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    fields = (
        "at",
        "actor",
        "actor_role",
        "action",
        "from_state",
        "to_state",
        "reason_codes",
        "comment",
        "internal",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "business_type",
        "route",
        "state",
        "organization",
        "passport",
        "target_date",
        "statutory_limit",
    )
    list_filter = ("state", "business_type", "route")
    search_fields = ("reference", "organization__name_zh", "surname", "given_names")
    exclude = ("passport_number", "passport_digest", "invitation_token_digest")
    inlines = [TransitionInline]

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or request.user.has_perm("permits.view_application")

    @admin.display(description=_("passport number"))
    def passport(self, obj):
        # Lists show only the ends of the number (core.masking); the case page shows it to its officers.
        return obj.masked_passport_number


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ("at", "application", "action", "from_state", "to_state", "actor", "actor_role")
    list_filter = ("action", "actor_role")
    search_fields = ("application__reference",)


@admin.register(Permit)
class PermitAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "holder_name", "organization", "talent_class", "valid_until", "state")
    list_filter = ("state", "kind", "talent_class")
    search_fields = ("number", "holder_name")
    exclude = ("passport_digest",)


@admin.register(PermitHolder)
class PermitHolderAdmin(ReadOnlyAdmin):
    list_display = ("number", "nationality", "date_of_birth", "user")
    search_fields = ("number",)
    exclude = ("passport_digests",)


@admin.register(WrittenNotice)
class WrittenNoticeAdmin(ReadOnlyAdmin):
    list_display = ("application", "kind", "language", "created_at")
    list_filter = ("kind",)
