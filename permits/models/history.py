"""The case history: one immutable row per state change."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Transition(models.Model):
    """Who did what to a case, when, from which state to which, and why. Never changed."""

    application = models.ForeignKey(
        "permits.Application", on_delete=models.PROTECT, related_name="transitions"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The capacity the actor acted in (applicant, employer, officer …), shown on the timeline.
    actor_role = models.CharField(max_length=30)
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    reason_codes = models.JSONField(default=list, blank=True)
    comment = models.TextField(blank=True)
    # Officers' internal remarks never reach the applicant's timeline.
    internal = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)
    # Which track of a single-window case: "" for the case itself (the work-permit track),
    # "residence" for the residence track.
    track = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "at"])]

    def __str__(self):
        return f"{self.application_id}: {self.from_state} → {self.to_state} ({self.action})"


class Pause(models.Model):
    """The clock stopped while waiting for the applicant: from the request's day to the answer's.

    The request's day is the last counted day; counting resumes the working day after the answer.
    """

    application = models.ForeignKey("permits.Application", on_delete=models.PROTECT, related_name="pauses")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    requested_kinds = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("pause of the clock")
        verbose_name_plural = _("pauses of the clock")
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="pause_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(ended_on__isnull=True),
                name="pause_one_open_per_case",
            ),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.started_on} – {self.ended_on or '…'}"
