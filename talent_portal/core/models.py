"""Shared building blocks: the abstract base model, the audit log, idempotency keys and the
administrators' entries of the working-day calendar."""

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base of every domain model: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One security-relevant event. Append-only: PostgreSQL refuses UPDATE and DELETE on it.

    The case history lives in ``permits.Transition``; this is the one log of everything else
    (sign-ins, duty grants, verifications, document views, token use…).
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The actor's duties when it happened (a duty granted or withdrawn later changes nothing here).
    # Nullable, and no index below: adding them to the large, live audit table takes no lock
    # beyond a catalogue update (rows written before have NULL / "").
    actor_duties = models.JSONField(_("duties of the actor"), default=list, blank=True, null=True)
    # The X-Request-ID of the request (also in the logs), empty for tasks and commands.
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_default="")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class IdempotencyKey(models.Model):
    """The first answer to a create request carrying an ``Idempotency-Key`` header.

    A repeated request with the same key, user and endpoint gets the stored answer back
    instead of creating a duplicate.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True)
    key = models.CharField(max_length=128)
    scope = models.CharField(max_length=200)
    request_fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "scope"], name="idempotency_unique_key")
        ]

    def __str__(self):
        return f"{self.scope} {self.key}"


class CalendarOverride(TimeStampedModel):
    """A day an administrator declares a holiday or a working day, whatever the library says.

    For a State Council decision the ``holidays`` package does not have yet, or an emergency
    closure. ``core.workdays`` lets it win over every other rule.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday (offices closed)")
        WORKING_DAY = "working_day", _("working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # Required: an override moves statutory deadlines, so it must say on what authority.
    note = models.CharField(
        _("note"),
        max_length=200,
        help_text=_("The notice (its number and date) or the reason for the closure."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "working_day"]),
                name="core_calendaroverride_kind_valid",
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.kind}"


class CalendarYear(TimeStampedModel):
    """An administrator's statement that a year's holiday schedule is, or is not, published.

    Without a row, ``core.workdays`` trusts the ``holidays`` package: a year is published when
    the package ships the State Council's schedule for it.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    published = models.BooleanField(
        _("schedule published"),
        default=True,
        help_text=_(
            "Tick once every day of the State Council's schedule for this year is in the "
            "calendar (enter what is missing as calendar overrides). Untick to show the "
            "year's deadlines as provisional."
        ),
    )
    source_note = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("The State Council notice (its number and date), or why the year is provisional."),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        constraints = [
            # A guard against typing "206" for 2026; the portal has no cases outside this range.
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="core_calendaryear_year_range",
            )
        ]

    def __str__(self):
        return str(self.year)


@receiver([post_save, post_delete], sender=CalendarOverride, dispatch_uid="core_workdays_override")
@receiver([post_save, post_delete], sender=CalendarYear, dispatch_uid="core_workdays_year")
def _calendar_changed(sender, using, **kwargs):
    # Cache bookkeeping, not a business rule: the in-memory calendar must follow every change
    # however it is made (admin, shell), so the receivers sit beside the models and are connected
    # in every process that loads them. ``workdays`` imports these models, hence the late import.
    from .workdays import calendar_changed

    calendar_changed(using=using)
