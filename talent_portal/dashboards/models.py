"""The statistics summary: figures pre-aggregated per Shanghai day, refreshed periodically.

The commission's statistics (``statistics.py``) read these rows instead of scanning the
applications table; ``summary.py`` writes them (a beat task and ``manage.py refresh_statistics``).
Labels (country names, class names, defect texts) are applied when read, in the reader's language.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    # Keyed by the Shanghai day the application was received (submitted).
    RECEIVED = "received", _("Applications received")
    SINGLE_WINDOW = "single_window", _("Single-window applications received")
    BY_BUSINESS_TYPE = "by_business_type", _("Received by business type")
    BY_TALENT_CLASS = "by_talent_class", _("Received by talent class")
    BY_ROUTE = "by_route", _("Received by route")
    BY_NATIONALITY = "by_nationality", _("Received by nationality")
    BY_DISTRICT = "by_district", _("Received by district")
    BY_INDUSTRY = "by_industry", _("Received by industry")
    RETURNS = "returns", _("Returns of the applications received")
    RETURNED_CASES = "returned_cases", _("Applications received and returned at least once")
    RETURN_REASON = "return_reason", _("Returns citing a defect")
    # Keyed by the Shanghai day of the decision; ``key`` is the acceptance day (ISO date).
    WORK_DECISIONS = "work_decisions", _("Work-permit decisions")
    RESIDENCE_DECISIONS = "residence_decisions", _("Residence-permit decisions")
    # Keyed by the Shanghai day of the issuance.
    ISSUED = "issued", _("Permits issued")


class DailyFigure(models.Model):
    """One pre-aggregated count: a measure on a Shanghai day, for one value of its dimension."""

    measure = models.CharField(_("measure"), max_length=32, choices=Measure.choices)
    day = models.DateField(_("day"))
    # The dimension's value (a business type, a country code, a defect code, an acceptance day),
    # or "" for a plain count.
    key = models.CharField(_("key"), max_length=64, blank=True, default="")
    count = models.PositiveIntegerField(_("count"), default=0)
    # Decisions only: decided no later than the stored statutory limit; without a stored limit.
    on_time = models.PositiveIntegerField(_("on time"), default=0)
    without_limit = models.PositiveIntegerField(_("without a stored limit"), default=0)

    class Meta:
        verbose_name = _("daily statistics figure")
        verbose_name_plural = _("daily statistics figures")
        constraints = [
            models.UniqueConstraint(fields=["measure", "day", "key"], name="dashboards_dailyfigure_unique")
        ]
        indexes = [
            models.Index(
                fields=["measure", "day"],
                include=["key", "count", "on_time", "without_limit"],
                name="dashboards_dailyfigure_read",
            )
        ]

    def __str__(self):
        return f"{self.measure} {self.day} {self.key}: {self.count}"


class StatisticsRefresh(models.Model):
    """The state of the summary (a single row): when it was refreshed, and from where to go on."""

    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    # The next incremental refresh looks at rows changed since this moment (the start of the
    # previous refresh, less a margin for transactions still open then) ...
    changed_since = models.DateTimeField(_("changes since"), null=True, blank=True)
    # ... and at history entries (append-only) after this id.
    last_transition_id = models.BigIntegerField(_("last history entry"), default=0)
    full_refreshed_at = models.DateTimeField(_("last full refresh"), null=True, blank=True)

    class Meta:
        verbose_name = _("statistics refresh")
        verbose_name_plural = _("statistics refreshes")

    def __str__(self):
        return f"statistics refreshed at {self.refreshed_at}"
