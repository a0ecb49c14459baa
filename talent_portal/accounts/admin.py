from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import actions
from .models import (
    CLOSED_CORRECTION_STATUSES,
    ApiToken,
    CorrectionRequest,
    Invitation,
    Membership,
    Organization,
    PrivacyConsent,
    User,
)


class PortalUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "preferred_language")


class PortalUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"  # noqa: DJ007 - the admin shows the whole user to administrators


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Officers and administrators are created here; duties are the groups they are given."""

    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "preferred_language", "is_active", "is_staff", "email_verified_at")
    list_filter = ("is_active", "is_staff", "groups", "preferred_language")
    search_fields = ("email", "full_name")
    readonly_fields = ("last_login", "date_joined", "two_factor_enrolment_until")
    actions = ["open_two_factor_enrolment", "reset_two_factor"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal information"), {"fields": ("full_name", "preferred_language", "email_verified_at")}),
        (_("Duties and permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Two-factor sign-in"), {"fields": ("two_factor_enrolment_until",)}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "preferred_language", "password1", "password2"),
            },
        ),
    )

    @admin.action(description=_("Open two-factor enrolment (a new officer or administrator)"))
    def open_two_factor_enrolment(self, request, queryset):
        for user in queryset:
            actions.two_factor_open_enrolment(actor=request.user, user=user, request=request)
        self.message_user(request, _("Enrolment is open: they add an authenticator at their next sign-in."))

    @admin.action(description=_("Reset two-factor sign-in (lost phone) and open enrolment again"))
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            actions.two_factor_reset(actor=request.user, user=user, request=request)
        self.message_user(
            request, _("Two-factor sign-in was reset. They add a new authenticator at their next sign-in.")
        )


# Second factors are managed only through the actions above (audited); the plugins' own admin
# pages would let anyone with the administration site read a person's secret key.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "ended_at")
    raw_id_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = (
        "name_zh",
        "name_en",
        "uscc",
        "kind",
        "district",
        "zone",
        "verification_status",
        "credit_standing",
    )
    list_filter = ("kind", "verification_status", "credit_standing", "zone", "district", "industry")
    search_fields = ("name_zh", "name_en", "uscc")
    readonly_fields = ("verified_at", "verified_by", "created_at", "updated_at")
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organization", "role", "invited_by", "expires_at", "accepted_at", "revoked_at")
    search_fields = ("email", "organization__name_zh")
    exclude = ("token_digest",)
    readonly_fields = (
        "organization",
        "email",
        "role",
        "language",
        "invited_by",
        "expires_at",
        "accepted_at",
        "accepted_by",
    )

    def has_add_permission(self, request):
        # Invitations are sent by an organisation's administrator, with a mailed token; one added
        # here (every field is read-only) could never be accepted and failed with a server error.
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "token_key", "created", "expiry")
    search_fields = ("user__email", "name", "token_key")
    fields = ("name", "user", "token_key", "created", "expiry")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


# --- Personal data (PIPL) ------------------------------------------------------------------------


class CorrectionRequestAdminForm(forms.ModelForm):
    class Meta:
        model = CorrectionRequest
        fields = ("status", "answer")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") in CLOSED_CORRECTION_STATUSES and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", _("Tell the person what was done, or why not."))
        return cleaned


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    """People's requests to correct their data: administrators answer them here (audited)."""

    form = CorrectionRequestAdminForm
    list_display = ("id", "created_at", "user", "subject", "reference", "status", "handled_by")
    list_filter = ("status", "subject")
    search_fields = ("user__email", "reference")
    list_select_related = ("user", "handled_by")
    fields = (
        "user",
        "subject",
        "reference",
        "what_is_wrong",
        "what_it_should_be",
        "status",
        "answer",
        "handled_by",
        "handled_at",
        "created_at",
    )
    readonly_fields = (
        "user",
        "subject",
        "reference",
        "what_is_wrong",
        "what_it_should_be",
        "handled_by",
        "handled_at",
        "created_at",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through the action: guard, lock, audit row in the same transaction.
        from .actions import correction_request_answer

        correction_request_answer(actor=request.user, correction=obj, status=obj.status, answer=obj.answer)


@admin.register(PrivacyConsent)
class PrivacyConsentAdmin(admin.ModelAdmin):
    """Read-only: who agreed to which version of the privacy notice, and when."""

    list_display = ("user", "purpose", "notice_version", "consented_at")
    list_filter = ("purpose", "notice_version")
    search_fields = ("user__email",)
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
