from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "services.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from talent_portal.core import outbox
        from talent_portal.core.views import register_health_check

        from . import kinds  # noqa: F401 - declares the kinds
        from .actions import notification_create
        from .health import backlog_check

        # Lower floors (accounts) notify through the core port; see talent_portal/core/outbox.py.
        outbox.register(notification_create)
        register_health_check("notifications", backlog_check)
