from django.contrib import admin
from django.db import transaction
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import workdays
from .audit import audit_record
from .models import AuditEvent, CalendarOverride, CalendarYear


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody edits or deletes the audit log, not even a superuser."""

    list_display = ("at", "actor", "action", "object_type", "object_id", "ip_address", "request_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor__email", "action", "request_id")
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
    # Nothing to audit: it cannot be changed (see ``admin_audit``).
    audits_itself = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _AuditedCalendarAdmin(admin.ModelAdmin):
    """Calendar entries move statutory deadlines, so every change goes into the audit log."""

    audit_fields: tuple[str, ...] = ()
    # Audits in its own words (see ``admin_audit``).
    audits_itself = True

    def _audit(self, request, obj, verb):
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}_{verb}",
            target=obj,
            data={field: str(getattr(obj, field)) for field in self.audit_fields},
            request=request,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._audit(request, obj, "changed" if change else "added")

    def delete_model(self, request, obj):
        # Before the delete: afterwards the object has lost its primary key.
        self._audit(request, obj, "deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The bulk "delete selected" action runs outside the admin's own transaction.
        with transaction.atomic():
            for obj in queryset:
                self._audit(request, obj, "deleted")
            super().delete_queryset(request, queryset)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(_AuditedCalendarAdmin):
    """Days the State Council or an emergency made different from what the library knows."""

    list_display = ("date", "weekday", "kind", "note", "created_at")
    list_filter = ("kind",)
    search_fields = ("note",)
    date_hierarchy = "date"
    ordering = ("-date",)
    audit_fields = ("date", "kind", "note")

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj):
        return date_format(obj.date, "l")


@admin.register(CalendarYear)
class CalendarYearAdmin(_AuditedCalendarAdmin):
    """Whether each year's schedule is published; the computed special days help check it."""

    list_display = ("year", "published", "library_schedule", "source_note", "updated_at")
    list_filter = ("published",)
    readonly_fields = ("library_schedule", "computed_special_days")
    audit_fields = ("year", "published", "source_note")

    @admin.display(description=_("schedule in the holidays library"), boolean=True)
    def library_schedule(self, obj):
        if obj is None or obj.year is None:
            return None
        return workdays.library_has_schedule(obj.year)

    @admin.display(description=_("special days as computed"))
    def computed_special_days(self, obj):
        if obj is None or obj.year is None:
            return ""
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} ({}): {}</li>",
                (
                    (
                        date_format(day, "SHORT_DATE_FORMAT"),
                        date_format(day, "l"),
                        _("working day") if is_working else _("day off"),
                    )
                    for day, is_working in workdays.special_days(obj.year).items()
                ),
            ),
        )
