from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Invitation, Membership, Organization, User


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
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal information"), {"fields": ("full_name", "preferred_language", "email_verified_at")}),
        (_("Duties and permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "token_key", "created", "expiry")
    search_fields = ("user__email", "name", "token_key")
    fields = ("name", "user", "token_key", "created", "expiry")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
