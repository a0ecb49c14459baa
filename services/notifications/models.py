"""The outbox and the inbox in one table: a notification row per recipient and message."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talent_portal.core.models import TimeStampedModel


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Channel(models.TextChoices):
    EMAIL_AND_INBOX = "email_and_inbox", _("E-mail and inbox")
    INBOX = "inbox", _("Inbox only")
    EMAIL = "email", _("E-mail only")


class Notification(TimeStampedModel):
    """Written in the same transaction as the change that causes it; delivered after commit.

    The recipient is a user, or an e-mail address with a language for someone without an account.
    ``context`` holds plain values only: this app knows no other app's models but the user.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    kind = models.CharField(max_length=60, db_index=True)
    context = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL_AND_INBOX)
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When the sweeper may hand a pending row to Celery again (pushed forward by each attempt).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the SMTP server accepted the mail (empty: no e-mail went out, e.g. switched off).
    emailed_at = models.DateTimeField(null=True, blank=True)
    # When the in-app entry became visible in the recipient's inbox.
    visible_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Where the in-app entry leads (a path without language prefix, e.g. /applications/…/).
    link = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(email=""),
                name="notification_has_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="notification_outbox"),
            models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox"),
            # The sweeper's query: pending rows whose next attempt is due.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="notification_due",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id or self.email} ({self.status})"


class Preference(models.Model):
    """A person's choice to receive one kind by e-mail or not (no row: e-mail on).

    Legal notices ignore it (see ``kinds.Kind.legal``); the inbox entry is always kept.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=60)
    email = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {'e-mail' if self.email else 'inbox only'}"
