from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .actions import notification_cancel, notification_resend, stuck_notifications
from .models import Notification, Status


class StuckFilter(admin.SimpleListFilter):
    """Pending rows overdue by more than NOTIFICATIONS_BACKLOG_ALERT_SECONDS: no worker delivers them."""

    title = _("delivery")
    parameter_name = "stuck"

    def lookups(self, request, model_admin):
        return [("yes", _("Stuck (pending too long)"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=stuck_notifications().values("pk"))
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, read-only. Failed rows are listed here (filter by status) and can be sent again."""

    list_display = ("created_at", "kind", "recipient", "email", "language", "status", "attempts", "sent_at")
    list_filter = ("status", StuckFilter, "kind", "channel", "language")
    search_fields = ("dedupe_key", "recipient__email", "email", "kind")
    date_hierarchy = "created_at"
    # The context may hold a one-time link until the message is sent: it is not shown.
    exclude = ("context",)
    readonly_fields = [field.name for field in Notification._meta.fields if field.name != "context"]
    actions = ["send_again", "cancel_pending"]
    list_select_related = ("recipient",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected failed messages again"), permissions=["view"])
    def send_again(self, request, queryset):
        ids = list(queryset.filter(status=Status.FAILED).values_list("pk", flat=True))
        count = notification_resend(actor=request.user, notification_ids=ids)
        self.message_user(
            request,
            ngettext("%(count)d message will be sent again.", "%(count)d messages will be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Cancel the selected pending messages (mark them failed)"), permissions=["view"]
    )
    def cancel_pending(self, request, queryset):
        ids = list(queryset.filter(status=Status.PENDING).values_list("pk", flat=True))
        count = notification_cancel(
            actor=request.user, notification_ids=ids, reason="Cancelled by an administrator."
        )
        self.message_user(
            request,
            ngettext("%(count)d message was cancelled.", "%(count)d messages were cancelled.", count)
            % {"count": count},
            messages.SUCCESS,
        )
