"""HTML forms of sign-up, sign-in and organisation management. They validate; actions write."""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from talent_portal.core.forms import PortalForm, PortalFormMixin

from .models import (
    CorrectionSubject,
    CreditStanding,
    District,
    Industry,
    OrganizationKind,
    TokenScope,
    User,
    Zone,
)
from .privacy import PRIVACY_NOTICE_VERSION
from .validators import clean_uscc


class PasswordFieldsMixin(PortalForm):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password and not only digits."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords do not match."))
        elif first:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PrivacyConsentMixin(PortalForm):
    """The required consent to the privacy notice on the sign-up forms (PIPL art. 13-14)."""

    privacy_consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my personal data is processed as it describes."
        ),
        error_messages={
            "required": _("To create an account, read the privacy notice and tick the box to agree to it.")
        },
    )

    @property
    def privacy_notice_version(self) -> str:
        """The version of the notice the person agreed to (the one the form was shown with)."""
        return PRIVACY_NOTICE_VERSION


class RegistrationForm(PrivacyConsentMixin, PasswordFieldsMixin):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("As printed in your passport."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    field_order = ["full_name", "email", "preferred_language", "password1", "password2", "privacy_consent"]


class OrganizationForm(PortalForm):
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=OrganizationKind.choices)
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        help_text=_("The 18-character code on the business licence."),
    )
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    district = forms.ChoiceField(label=_("District"), choices=District.choices)
    address = forms.CharField(label=_("Address"), max_length=300)
    industry = forms.ChoiceField(label=_("Industry"), choices=Industry.choices)
    zone = forms.ChoiceField(
        label=_("Zone"),
        choices=Zone.choices,
        help_text=_("Single-window applications for class B staff depend on the zone."),
    )

    def clean_uscc(self):
        return clean_uscc(self.cleaned_data["uscc"])


class EmployerRegistrationForm(PrivacyConsentMixin, PasswordFieldsMixin, OrganizationForm):
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    email = forms.EmailField(label=_("Your work e-mail address"))
    preferred_language = forms.ChoiceField(label=_("Your preferred language"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The consent comes last, just above the button.
        self.order_fields([name for name in self.fields if name != "privacy_consent"] + ["privacy_consent"])


class SignInForm(PortalForm):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            self.user = authenticate(self.request, email=email, password=password)
            if self.user is None:
                raise ValidationError(
                    _("The e-mail address or the password is not correct."), code="invalid_login"
                )
        return cleaned


class TwoFactorForm(PortalForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )


class ProfileForm(PortalForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)


class EmailChangeForm(PortalForm):
    new_email = forms.EmailField(label=_("New e-mail address"))


class InvitationForm(PortalForm):
    email = forms.EmailField(label=_("E-mail address of the new HR staff member"))
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        help_text=_("The invitation e-mail is written in this language."),
    )


class ApiTokenForm(PortalForm):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("For example the name of the HR system that uses it.")
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("Give write access only to a system that must file or change things for you."),
    )


class VerificationDecisionForm(PortalForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verify", _("Verify")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CreditStandingForm(PortalForm):
    standing = forms.ChoiceField(label=_("Credit standing"), choices=CreditStanding.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class PortalPasswordChangeForm(PortalFormMixin, PasswordChangeForm):
    pass


class PortalPasswordResetForm(PortalFormMixin, PasswordResetForm):
    pass


class PortalSetPasswordForm(PortalFormMixin, SetPasswordForm):
    pass


class CorrectionRequestForm(PortalForm):
    subject = forms.ChoiceField(label=_("What is it about?"), choices=CorrectionSubject.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=40,
        required=False,
        help_text=_("The application's reference or the permit's number, if it is about one."),
    )
    what_is_wrong = forms.CharField(
        label=_("What is wrong"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    what_it_should_be = forms.CharField(
        label=_("What it should be"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
