from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "services.outreach"
    label = "outreach"
    verbose_name = _("Outreach and services")

    def ready(self):
        from services.notifications.kinds import register

        from .kinds import KINDS

        for kind in KINDS:
            register(kind)
