"""People and organisations.

Roles are duties, not account types: anyone signed in may apply; employer staff are members of
organisations; officers' duties are groups an administrator grants.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from talent_portal.core.crypto import EncryptedTextField
from talent_portal.core.models import TimeStampedModel


class Duty(models.TextChoices):
    """Officer duties. Each is a ``Group`` of the same name, granted by an administrator."""

    WORK_PERMIT_OFFICER = "work_permit_officer", _("Work-permit officer")
    LEAD_OFFICER = "lead_officer", _("Lead officer")
    EXIT_ENTRY_OFFICER = "exit_entry_officer", _("Exit-entry officer")
    SERVICE_STATION_STAFF = "service_station_staff", _("Service-station staff")
    ADMINISTRATOR = "administrator", _("Portal administrator")


OFFICER_DUTIES = frozenset(
    {Duty.WORK_PERMIT_OFFICER, Duty.LEAD_OFFICER, Duty.EXIT_ENTRY_OFFICER, Duty.ADMINISTRATOR}
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("email_verified_at", timezone.now())
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    email_verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("may use the administration site"),
        default=False,
        help_text=_("Officers and administrators who maintain data in the administration site."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    two_factor_enrolment_until = models.DateTimeField(
        _("two-factor enrolment open until"),
        null=True,
        blank=True,
        help_text=_("Until then the person may add an authenticator app at sign-in."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @cached_property
    def duties(self) -> frozenset:
        """The officer duties this person holds (group names that are duties)."""
        if not self.is_active or not self.pk:
            return frozenset()
        names = {group.name for group in self.groups.all()}
        return frozenset(Duty(name) for name in names if name in Duty.values)

    def has_duty(self, duty: Duty) -> bool:
        return duty in self.duties

    @property
    def is_officer(self) -> bool:
        return bool(self.duties & OFFICER_DUTIES)


class OrganizationKind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    INCUBATOR = "incubator", _("Incubator")
    PARK = "park", _("Industrial or science park")


class District(models.TextChoices):
    """The sixteen districts of Shanghai."""

    HUANGPU = "huangpu", _("Huangpu")
    XUHUI = "xuhui", _("Xuhui")
    CHANGNING = "changning", _("Changning")
    JINGAN = "jingan", _("Jing'an")
    PUTUO = "putuo", _("Putuo")
    HONGKOU = "hongkou", _("Hongkou")
    YANGPU = "yangpu", _("Yangpu")
    MINHANG = "minhang", _("Minhang")
    BAOSHAN = "baoshan", _("Baoshan")
    JIADING = "jiading", _("Jiading")
    PUDONG = "pudong", _("Pudong New Area")
    JINSHAN = "jinshan", _("Jinshan")
    SONGJIANG = "songjiang", _("Songjiang")
    QINGPU = "qingpu", _("Qingpu")
    FENGXIAN = "fengxian", _("Fengxian")
    CHONGMING = "chongming", _("Chongming")


class Industry(models.TextChoices):
    INTEGRATED_CIRCUITS = "integrated_circuits", _("Integrated circuits")
    BIOMEDICINE = "biomedicine", _("Biomedicine")
    ARTIFICIAL_INTELLIGENCE = "artificial_intelligence", _("Artificial intelligence")
    FINANCE = "finance", _("Finance")
    INFORMATION_TECHNOLOGY = "information_technology", _("Information technology")
    MANUFACTURING = "manufacturing", _("Advanced manufacturing")
    RESEARCH = "research", _("Scientific research")
    EDUCATION = "education", _("Education")
    HEALTHCARE = "healthcare", _("Healthcare")
    TRADE = "trade", _("Trade and logistics")
    CULTURE = "culture", _("Culture, media and sport")
    PROFESSIONAL_SERVICES = "professional_services", _("Professional services")
    OTHER = "other", _("Other")


class Zone(models.TextChoices):
    """Designated zones; single-window eligibility for class B depends on them."""

    NONE = "none", _("None")
    PUDONG_FREE_TRADE_ZONE = "pudong_ftz", _("China (Shanghai) Pilot Free Trade Zone")
    LINGANG = "lingang", _("Lingang Special Area")
    HONGQIAO = "hongqiao", _("Hongqiao International Central Business District")
    YANGTZE_DELTA_DEMO_ZONE = "yrd_demo_zone", _("Yangtze River Delta Demonstration Zone (Qingpu)")


class CreditStanding(models.TextChoices):
    GOOD = "good", _("Good")
    ORDINARY = "ordinary", _("Ordinary")
    BLACKLISTED = "blacklisted", _("Blacklisted")


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REFUSED = "refused", _("Verification refused")


class Organization(TimeStampedModel):
    """An employer, incubator or park identified by its unified social credit code."""

    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name_zh = models.CharField(_("name in Chinese"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    district = models.CharField(_("district"), max_length=20, choices=District.choices)
    address = models.CharField(_("address"), max_length=300)
    industry = models.CharField(_("industry"), max_length=40, choices=Industry.choices)
    zone = models.CharField(_("zone"), max_length=20, choices=Zone.choices, default=Zone.NONE)
    credit_standing = models.CharField(
        _("credit standing"),
        max_length=20,
        choices=CreditStanding.choices,
        default=CreditStanding.ORDINARY,
    )
    credit_reason = models.TextField(_("reason for the credit standing"), blank=True)
    verification_status = models.CharField(
        _("verification"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
        db_index=True,
    )
    verification_note = models.TextField(_("verification note"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_zh"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(credit_standing="blacklisted") | ~models.Q(credit_reason=""),
                name="organization_blacklist_has_reason",
            ),
        ]

    def __str__(self):
        return self.name_zh

    @property
    def display_name(self) -> str:
        return f"{self.name_zh} ({self.name_en})" if self.name_en else self.name_zh

    @property
    def may_sponsor_entrepreneurs(self) -> bool:
        return self.kind in (OrganizationKind.INCUBATOR, OrganizationKind.PARK)

    def sponsorship_refusal(self):
        """Why this organisation may not sponsor anyone now, or None when it may."""
        if self.credit_standing == CreditStanding.BLACKLISTED:
            return _("This organisation is on the blacklist and may not sponsor foreign staff.")
        if self.verification_status != VerificationStatus.VERIFIED:
            return _(
                "This organisation has not been verified by the commission yet and may not "
                "sponsor foreign staff."
            )
        return None


class MembershipRole(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Organisation administrator")
    HR_STAFF = "hr_staff", _("HR staff")


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class Membership(TimeStampedModel):
    """A person's place in an organisation. Ending it keeps the row as history."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=models.Q(ended_at__isnull=True),
                name="membership_one_active_per_organization",
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Invitation(TimeStampedModel):
    """An e-mailed invitation to join an organisation as HR staff. Single use, expiring."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.HR_STAFF
    )
    language = models.CharField(_("language of the invitation"), max_length=10, choices=settings.LANGUAGES)
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiToken(AbstractAuthToken):
    """A personal API token (knox: only a hash is stored; it expires; revoking deletes it)."""

    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(
        _("scope"),
        max_length=20,
        choices=TokenScope.choices,
        default=TokenScope.READ,
        help_text=_("A read-only token can look things up but never change anything."),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.token_key}…)"


# Personal data under the PIPL (consents, correction requests): their own module, same app.
class FormDraft(models.Model):
    """What a person had typed in a form when their session was about to end, to restore after
    they sign in again. Encrypted at rest; one per person and page; restored once, then deleted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="form_drafts")
    path = models.CharField(_("page"), max_length=300)
    data = EncryptedTextField(_("fields"))
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("form draft")
        verbose_name_plural = _("form drafts")
        constraints = [models.UniqueConstraint(fields=["user", "path"], name="form_draft_one_per_page")]

    def __str__(self):
        return f"{self.user_id} {self.path}"


from .privacy_models import (  # noqa: E402, F401
    CLOSED_CORRECTION_STATUSES,
    ConsentPurpose,
    CorrectionRequest,
    CorrectionStatus,
    CorrectionSubject,
    PrivacyConsent,
)
