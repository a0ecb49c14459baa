"""Administration of events, awards, the directory and supervising units, in four languages.

The plain modeltranslation admin is used (the tabbed one loads jQuery UI from a CDN). State
changes go through the actions: publishing or cancelling an event, promoting the waiting list
when places are added, flagging a supervising unit. Registrations, nominations and service
requests are worked on the portal's pages; the admin only lists them.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from talent_portal.accounts.models import Duty
from talent_portal.core.countries import country_choices
from talent_portal.core.errors import DomainError

from . import actions
from .models import (
    Award,
    AwardGrant,
    AwardRound,
    Event,
    EventInvitation,
    EventStatus,
    HiringIntention,
    Language,
    LiaisonOffice,
    MaterialKind,
    Nomination,
    Registration,
    RequestTopic,
    ServiceRequest,
    ServiceStation,
    SupervisingUnit,
)


class ListChoiceField(forms.MultipleChoiceField):
    """A JSON list of codes edited as check boxes (or a multiple select for long lists)."""

    def __init__(self, *, choices, checkboxes=True, **kwargs):
        kwargs.setdefault("required", False)
        widget = forms.CheckboxSelectMultiple if checkboxes else forms.SelectMultiple(attrs={"size": 10})
        super().__init__(choices=choices, widget=widget, **kwargs)


class EventAdminForm(forms.ModelForm):
    languages = ListChoiceField(choices=Language.choices, label=_("Languages of the event"))

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("venue_zh_hans") or cleaned.get("venue_en") or cleaned.get("online_url")):
            self.add_error("online_url", _("Give a venue or an online link."))
        return cleaned


class EventInvitationInline(admin.TabularInline):
    model = EventInvitation
    extra = 1


def _run(modeladmin, request, queryset, action, success):
    for obj in queryset:
        try:
            action(actor=request.user, event=obj)
        except DomainError as error:
            message = "; ".join(str(m) for ms in error.fields.values() for m in ms) or str(error.message)
            modeladmin.message_user(request, f"{obj}: {message}", messages.ERROR)
        else:
            modeladmin.message_user(request, success % {"event": obj}, messages.SUCCESS)


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    form = EventAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "event_type", "starts_at", "capacity", "audience", "status")
    list_filter = ("status", "event_type", "audience")
    search_fields = ("title", "series")
    date_hierarchy = "starts_at"
    readonly_fields = ("status", "published_at", "cancelled_at")
    exclude = ("created_by",)
    inlines = [EventInvitationInline]
    actions = ["publish_events", "cancel_events"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data and obj.status == EventStatus.PUBLISHED:
            try:
                promoted = actions.event_fill_places(actor=request.user, event=obj)
            except DomainError as error:
                self.message_user(request, str(error.message), messages.ERROR)
            else:
                if promoted:
                    self.message_user(
                        request,
                        _("%(count)d people were promoted from the waiting list.") % {"count": len(promoted)},
                    )

    @admin.action(description=_("Publish the selected events"))
    def publish_events(self, request, queryset):
        _run(self, request, queryset, actions.event_publish, _("%(event)s is published."))

    @admin.action(description=_("Cancel the selected events (registrants are told)"))
    def cancel_events(self, request, queryset):
        _run(self, request, queryset, actions.event_cancel, _("%(event)s is cancelled."))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("event", "user", "status", "queued_at", "checked_in_at")
    list_filter = ("status",)
    search_fields = ("user__email", "code")
    list_select_related = ("event", "user")


@admin.register(HiringIntention)
class HiringIntentionAdmin(ReadOnlyAdmin):
    list_display = ("event", "organization", "post", "salary_band", "status", "created_at")
    list_filter = ("status", "salary_band")
    list_select_related = ("event", "organization")


class AwardAdminForm(forms.ModelForm):
    required_materials = ListChoiceField(choices=MaterialKind.choices, label=_("Required materials"))


@admin.register(Award)
class AwardAdmin(TranslationAdmin):
    form = AwardAdminForm
    list_display = (
        "name",
        "level",
        "prerequisite",
        "years_after_prerequisite",
        "min_years_in_shanghai",
        "max_ranked_per_round",
        "single_channel",
    )


@admin.register(AwardRound)
class AwardRoundAdmin(admin.ModelAdmin):
    list_display = ("award", "year", "nominations_open_on", "nominations_close_on")
    list_filter = ("award", "year")


@admin.register(AwardGrant)
class AwardGrantAdmin(admin.ModelAdmin):
    """Laureates of past years are entered here; the commission's outcome adds later ones."""

    list_display = ("laureate", "award", "year")
    list_filter = ("award", "year")
    search_fields = ("laureate__email", "laureate__full_name")
    raw_id_fields = ("laureate",)
    readonly_fields = ("nomination",)


@admin.register(SupervisingUnit)
class SupervisingUnitAdmin(admin.ModelAdmin):
    list_display = ("organization", "is_active", "flagged_by")
    list_filter = ("is_active",)
    raw_id_fields = ("organization",)
    readonly_fields = ("flagged_by",)

    def save_model(self, request, obj, form, change):
        actions.supervising_unit_flag(
            actor=request.user, organization=obj.organization, is_active=obj.is_active
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    """Nominations are filed, endorsed and reviewed on the portal's pages; the admin only lists them."""

    list_display = ("pk", "round", "nominee", "organization", "status", "rank", "created_at")
    list_filter = ("status", "round__award")
    list_select_related = ("round__award", "nominee", "organization")


class LiaisonOfficeAdminForm(forms.ModelForm):
    countries = ListChoiceField(choices=country_choices, checkboxes=False, label=_("Countries covered"))


@admin.register(LiaisonOffice)
class LiaisonOfficeAdmin(TranslationAdmin):
    form = LiaisonOfficeAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "city", "email", "position", "is_active")
    list_filter = ("is_active",)


class ServiceStationAdminForm(forms.ModelForm):
    languages = ListChoiceField(choices=Language.choices, label=_("Languages spoken"))
    topics = ListChoiceField(choices=RequestTopic.choices, label=_("Topics handled"))


@admin.register(ServiceStation)
class ServiceStationAdmin(TranslationAdmin):
    form = ServiceStationAdminForm
    list_display = ("name", "district", "operator", "hours", "is_active")
    list_filter = ("district", "operator", "is_active")
    filter_horizontal = ("staff",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "staff":
            from django.contrib.auth import get_user_model

            kwargs["queryset"] = get_user_model().objects.filter(
                groups__name=Duty.SERVICE_STATION_STAFF.value, is_active=True
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "station", "topic", "status", "last_activity_at")
    list_filter = ("status", "topic", "station")
    list_select_related = ("station",)
