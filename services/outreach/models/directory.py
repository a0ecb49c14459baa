"""The directory: overseas liaison offices and talent service stations, maintained by
administrators in four languages; and the service requests foreign experts send to stations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talent_portal.accounts.models import District
from talent_portal.core.models import TimeStampedModel


class LiaisonOffice(TimeStampedModel):
    """An overseas liaison office of the commission."""

    name = models.CharField(_("name"), max_length=200)
    # ISO 3166-1 alpha-3 codes; names are shown in the reader's language (core.countries).
    countries = models.JSONField(_("countries covered"), default=list)
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    services = models.TextField(_("what the office helps with"))
    established_year = models.PositiveSmallIntegerField(_("established"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("overseas liaison office")
        verbose_name_plural = _("overseas liaison offices")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class StationOperator(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    EMPLOYER = "employer", _("Employer or park")


class RequestTopic(models.TextChoices):
    PERMITS = "permits", _("Permits")
    HOUSING = "housing", _("Housing")
    SCHOOLING = "schooling", _("Schooling")
    MEDICAL = "medical", _("Medical care")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    OTHER = "other", _("Other")


class ServiceStation(TimeStampedModel):
    """A talent service station (the two-level city and district service network)."""

    name = models.CharField(_("name"), max_length=200)
    operator = models.CharField(
        _("run by"), max_length=20, choices=StationOperator.choices, default=StationOperator.DISTRICT
    )
    district = models.CharField(_("district"), max_length=20, choices=District.choices)
    address = models.CharField(_("address"), max_length=300)
    hours = models.CharField(_("opening hours"), max_length=200)
    services = models.TextField(_("services offered"))
    # Request topics the station handles (RequestTopic codes), for the directory's filter.
    topics = models.JSONField(_("topics handled"), default=list, blank=True)
    # Languages the staff speak (Language codes).
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="service_stations",
        verbose_name=_("staff"),
        help_text=_("People with the service-station staff duty who answer this station's requests."),
    )

    class Meta:
        verbose_name = _("service station")
        verbose_name_plural = _("service stations")
        ordering = ["position", "district", "pk"]

    def __str__(self):
        return self.name


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the station")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class ServiceRequest(TimeStampedModel):
    """A foreign expert's request for help to one service station."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_requests"
    )
    station = models.ForeignKey(ServiceStation, on_delete=models.PROTECT, related_name="requests")
    topic = models.CharField(_("topic"), max_length=30, choices=RequestTopic.choices)
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    last_activity_at = models.DateTimeField(_("last activity"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["station", "status", "last_activity_at"], name="service_request_queue"),
            models.Index(fields=["requester", "last_activity_at"], name="service_request_mine"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="service_request_closure_is_dated",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.subject}"


class ServiceRequestMessage(TimeStampedModel):
    """A message in a service request: the expert's question or follow-up, or the station's reply."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_station = models.BooleanField(_("from the station"), default=False)
    body = models.TextField(_("message"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["request", "created_at", "pk"]

    def __str__(self):
        return f"#{self.request_id}: {self.body[:40]}"
