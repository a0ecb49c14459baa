"""Outreach events, the registrations for them and the hiring intentions agreed at recruitment fairs.

Times are stored as moments (UTC in the database) and shown in Asia/Shanghai, the portal's time
zone. Title, description and venue are written by staff in four languages (``translation.py``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from talent_portal.accounts.models import Organization
from talent_portal.core.models import TimeStampedModel


class EventType(models.TextChoices):
    ONLINE_GATHERING = "online_gathering", _("Online gathering")
    INTERNATIONAL_SALON = "international_salon", _("International salon")
    SITE_VISIT = "site_visit", _("Site visit")
    SYMPOSIUM = "symposium", _("Symposium with city leaders")
    TRAINING = "training", _("Policy or culture training")
    RECRUITMENT_FAIR = "recruitment_fair", _("Overseas recruitment fair")
    COMPETITION = "competition", _("Innovation and entrepreneurship competition")


class Audience(models.TextChoices):
    """Who may register. Employers are active members of an organisation; foreign experts are
    people who register for themselves without being an organisation's staff."""

    ALL = "all", _("Everyone")
    FOREIGN_EXPERTS = "foreign_experts", _("Foreign experts only")
    EMPLOYERS = "employers", _("Employers only")
    INVITED = "invited", _("Invited guests only")


# Events of these audiences are listed publicly and in the iCalendar feed; invited-only ones are
# seen by their guests alone.
PUBLIC_AUDIENCES = (Audience.ALL, Audience.FOREIGN_EXPERTS, Audience.EMPLOYERS)


class Language(models.TextChoices):
    """Languages an event is held in, or a service station's staff speak."""

    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    JAPANESE = "ja", _("Japanese")
    KOREAN = "ko", _("Korean")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    SPANISH = "es", _("Spanish")
    RUSSIAN = "ru", _("Russian")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Event(TimeStampedModel):
    """An outreach event: a gathering, salon, visit, symposium, training, fair or competition."""

    event_type = models.CharField(_("type"), max_length=30, choices=EventType.choices)
    series = models.SlugField(
        _("series"),
        max_length=60,
        blank=True,
        help_text=_('Events that recur under one name, e.g. "go-to-shanghai"; reports count per series.'),
    )
    edition = models.PositiveSmallIntegerField(_("edition"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"))
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    cancellation_until = models.DateTimeField(
        _("registrations may be cancelled until"),
        null=True,
        blank=True,
        help_text=_("Empty: until the event starts."),
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.ALL)
    languages = models.JSONField(_("languages of the event"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"], name="event_listing")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_window_valid",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_has_places"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="event_publication_is_dated",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def is_public(self) -> bool:
        return self.audience in PUBLIC_AUDIENCES

    @property
    def cancellation_deadline(self):
        return self.cancellation_until or self.starts_at

    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [labels[code] for code in self.languages if code in labels]


class EventInvitation(models.Model):
    """A guest of an invited-only event, by e-mail address (their account uses that address)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))

    class Meta:
        verbose_name = _("invited guest")
        verbose_name_plural = _("invited guests")
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="event_invitation_once")]

    def __str__(self):
        return self.email


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_REGISTRATION_STATES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


class Registration(TimeStampedModel):
    """One person's place (or place in the queue) at one event. Cancelling keeps the row; registering
    again re-opens it at the end of the queue."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    # Order of the waiting list: when the person (last) joined.
    queued_at = models.DateTimeField(_("queued at"))
    # Short code a person gives an employer at a fair; the check-in token signs it.
    code = models.CharField(_("registration code"), max_length=12, unique=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("promoted from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "queued_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "queued_at"], name="registration_queue")]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_once_per_event"),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_checked_in_is_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.event_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_REGISTRATION_STATES


class SalaryBand(models.TextChoices):
    UNDER_200K = "under_200k", _("Under CNY 200,000 a year")
    FROM_200K = "200k_400k", _("CNY 200,000 to 400,000 a year")
    FROM_400K = "400k_600k", _("CNY 400,000 to 600,000 a year")
    FROM_600K = "600k_1m", _("CNY 600,000 to 1 million a year")
    OVER_1M = "over_1m", _("CNY 1 million a year or more")


class IntentionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the talent's confirmation")
    CONFIRMED = "confirmed", _("Confirmed by the talent")
    DECLINED = "declined", _("Declined by the talent")


class HiringIntention(TimeStampedModel):
    """An intention to hire agreed at a recruitment fair, recorded by the employer and confirmed by
    the talent. Reports count confirmed intentions."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="hiring_intentions")
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="hiring_intentions")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="hiring_intentions")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    post = models.CharField(_("post"), max_length=200)
    salary_band = models.CharField(_("intended salary"), max_length=20, choices=SalaryBand.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=IntentionStatus.choices, default=IntentionStatus.PROPOSED
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("hiring intention")
        verbose_name_plural = _("hiring intentions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["event", "status"], name="intention_report")]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "organization"],
                condition=Q(status__in=["proposed", "confirmed"]),
                name="intention_once_per_employer_and_talent",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(answered_at__isnull=False),
                name="intention_answer_is_dated",
            ),
        ]

    def __str__(self):
        return f"{self.organization} → {self.registration.user} ({self.status})"
