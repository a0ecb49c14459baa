from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the portal: metrics, reference-data files, backup and restore (top floor)."""

    name = "talent_portal.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self):
        from talent_portal.core import metrics

        from . import gauges

        metrics.register_collector(gauges.cases)
        metrics.register_collector(gauges.notifications)
