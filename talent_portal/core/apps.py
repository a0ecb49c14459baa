from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "talent_portal.core"
    label = "core"
    verbose_name = _("Core building blocks")

    def ready(self):
        # The admin (earlier in INSTALLED_APPS) has discovered every ModelAdmin by now.
        from django.contrib import admin

        from . import checks  # noqa: F401 - registers the deployment checks
        from .admin_audit import audit_admin_site

        audit_admin_site(admin.site)
