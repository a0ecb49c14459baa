"""Forms of the guided application: one form per step, validated on the server."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from talent_portal.accounts.models import District
from talent_portal.accounts.validators import clean_uscc
from talent_portal.core.countries import country_choices
from talent_portal.core.forms import PortalForm

from . import deadlines
from .classify import age_on
from .models import BusinessType, ChangeKind, DeltaOrigin, DocumentKind, Education, Route, Sex, TalentClass

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Letters of any script, spaces, hyphens, apostrophes and dots, as printed in passports.
NAME_PATTERN = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")
PASSPORT_PATTERN = re.compile(r"^[A-Z0-9]{5,20}$")
MINIMUM_AGE = 18
EXTRAS = [
    ("top_university", _("A degree from one of the world's top universities")),
    ("fortune_500", _("Work experience at a Fortune 500 company")),
    ("patent", _("Own patent or other intellectual property")),
    ("five_years_in_china", _("At least 5 years' continuous work in China")),
]


def _name_field(label):
    return forms.CharField(label=label, max_length=100, help_text=_("As printed in the passport."))


class StartForm(PortalForm):
    """An applicant starts an application and names the employer by its code."""

    business_type = forms.ChoiceField(label=_("What do you apply for?"), choices=BusinessType.choices)
    employer_uscc = forms.CharField(
        label=_("Employer's unified social credit code"),
        max_length=30,
        required=False,
        help_text=_(
            "Ask your employer's HR department; it is printed on the business licence. "
            "Not needed to ask for the cancellation of your own permit."
        ),
    )
    route = forms.ChoiceField(
        label=_("Route"),
        choices=[c for c in Route.choices if c[0] != Route.ENTREPRENEUR],
        initial=Route.ORDINARY,
    )
    source_permit = forms.ChoiceField(label=_("Permit it starts from"), required=False)

    def __init__(self, *args, permits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_permit"].choices = [("", "—")] + [
            (str(permit.pk), f"{permit.number} · {permit.organization.name_zh} · {permit.get_kind_display()}")
            for permit in permits
        ]

    def clean_employer_uscc(self):
        value = self.cleaned_data["employer_uscc"]
        return clean_uscc(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        cancellation = cleaned.get("business_type") == BusinessType.CANCELLATION
        if cancellation and not cleaned.get("source_permit"):
            self.add_error("source_permit", _("Choose the permit to cancel."))
        if not cancellation and not cleaned.get("employer_uscc") and "employer_uscc" not in self.errors:
            self.add_error("employer_uscc", _("Give your employer's unified social credit code."))
        return cleaned


class EmployerStartForm(PortalForm):
    """HR staff start an application and invite the employee."""

    business_type = forms.ChoiceField(
        label=_("What does the employee apply for?"), choices=BusinessType.choices
    )
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices, initial=Route.ORDINARY)
    employee_email = forms.EmailField(label=_("Employee's e-mail address"))
    employee_language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        help_text=_("The employee reads the invitation in this language."),
    )
    source_permit = forms.ChoiceField(label=_("Permit it starts from"), required=False)
    team = forms.ChoiceField(label=_("Founders' team"), required=False)

    def __init__(self, *args, permits=(), teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_permit"].choices = [("", "—")] + [
            (str(permit.pk), f"{permit.number} · {permit.holder_name} · {permit.get_kind_display()}")
            for permit in permits
        ]
        self.fields["team"].choices = [("", "—")] + [(str(team.pk), team.name) for team in teams]


class TeamForm(PortalForm):
    name = forms.CharField(label=_("Team or project name"), max_length=200)


class IdentityForm(PortalForm):
    surname = _name_field(_("Surname"))
    given_names = _name_field(_("Given names"))
    nationality = forms.ChoiceField(label=_("Nationality"))
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE_WIDGET)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    passport_number = forms.CharField(label=_("Passport number"), max_length=20)
    passport_expiry = forms.DateField(label=_("Passport valid until"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = [("", "—"), *country_choices()]

    def _clean_name(self, field):
        value = " ".join(self.cleaned_data[field].split())
        if not NAME_PATTERN.match(value):
            raise ValidationError(_("Use letters only, with spaces, hyphens or apostrophes between names."))
        return value

    def clean_surname(self):
        return self._clean_name("surname")

    def clean_given_names(self):
        return self._clean_name("given_names")

    def clean_passport_number(self):
        value = "".join(self.cleaned_data["passport_number"].split()).upper()
        if not PASSPORT_PATTERN.match(value):
            raise ValidationError(_("A passport number has 5 to 20 letters and digits."))
        return value

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = deadlines.today()
        if born >= today:
            raise ValidationError(_("The date of birth must be in the past."))
        if age_on(born, today) < MINIMUM_AGE:
            raise ValidationError(
                _("Work permits are for adults aged %(age)d or over.") % {"age": MINIMUM_AGE}
            )
        return born

    def clean_passport_expiry(self):
        expiry = self.cleaned_data["passport_expiry"]
        if expiry <= deadlines.today():
            raise ValidationError(_("This passport has expired. Renew it before applying."))
        return expiry


class BackgroundForm(PortalForm):
    education = forms.ChoiceField(label=_("Highest education"), choices=Education.choices)
    degree_taught_in_chinese = forms.BooleanField(label=_("My degree was taught in Chinese"), required=False)
    related_experience_years = forms.IntegerField(
        label=_("Related work experience (full years)"), min_value=0, max_value=60
    )
    months_in_china_per_year = forms.IntegerField(
        label=_("Months a year you will work in China"), min_value=0, max_value=12
    )
    hsk_level = forms.TypedChoiceField(
        label=_("Chinese proficiency (HSK level)"),
        coerce=int,
        choices=[(0, _("None"))] + [(level, f"HSK {level}") for level in range(1, 7)],
    )
    former_chinese_national = forms.BooleanField(label=_("I was formerly a Chinese national"), required=False)
    # Optional: compared by the pre-check with the salary the employer entered (``salary_mismatch``).
    declared_salary_cny = forms.IntegerField(
        label=_("Annual salary in your contract (CNY, optional)"),
        required=False,
        min_value=1,
        max_value=100_000_000,
        help_text=_(
            "The annual salary stated in your contract, as you understand it, before tax. We compare "
            "it with the salary your employer entered, so that a difference is caught before an "
            "officer sees the file."
        ),
    )


class TalentForm(PortalForm):
    extras = forms.MultipleChoiceField(
        label=_("Additional points (any that apply)"),
        choices=EXTRAS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    claimed_class = forms.ChoiceField(
        label=_("The class you believe you qualify for"),
        choices=[("", _("I don't know — assess it for me")), *TalentClass.choices],
        required=False,
    )
    direct_a_criteria = forms.MultipleChoiceField(
        label=_("Class-A criteria you meet (evidence required)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    direct_b_criteria = forms.MultipleChoiceField(
        label=_("Class-B criteria you meet (evidence required)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shortage_post_code = forms.ChoiceField(label=_("Post in Shanghai's shortage catalogue"), required=False)

    def __init__(self, *args, criteria_a=(), criteria_b=(), shortage_posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direct_a_criteria"].choices = list(criteria_a)
        self.fields["direct_b_criteria"].choices = list(criteria_b)
        self.fields["shortage_post_code"].choices = [("", "—"), *shortage_posts]


class SituationForm(PortalForm):
    in_china = forms.BooleanField(label=_("I am in China now"), required=False)
    changing_employer = forms.BooleanField(
        label=_("I am changing from another employer in China"), required=False
    )


class PostForm(PortalForm):
    post_title = forms.CharField(label=_("Post"), max_length=200)
    duties = forms.CharField(label=_("Duties"), widget=forms.Textarea(attrs={"rows": 4}))
    annual_salary_cny = forms.IntegerField(
        label=_("Annual salary paid in China (CNY)"),
        min_value=1,
        max_value=100_000_000,
        help_text=_("Before tax, including bonuses paid in China."),
    )


class ContractForm(PortalForm):
    contract_start = forms.DateField(label=_("Contract start"), widget=DATE_WIDGET)
    contract_end = forms.DateField(label=_("Contract end"), widget=DATE_WIDGET)
    work_district = forms.ChoiceField(label=_("District of the place of work"), choices=District.choices)
    work_address = forms.CharField(label=_("Address of the place of work"), max_length=300)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("contract_start"), cleaned.get("contract_end")
        if start and end and end <= start:
            self.add_error("contract_end", _("The contract must end after it starts."))
        if end and end <= deadlines.today():
            self.add_error("contract_end", _("The contract has already ended."))
        return cleaned


class RecognitionForm(PortalForm):
    delta_origin = forms.ChoiceField(label=_("Permit issued in"), choices=DeltaOrigin.choices)
    delta_permit_number = forms.RegexField(
        label=_("Permit number"),
        regex=r"^\d{18}$",
        error_messages={"invalid": _("A permit number has 18 digits.")},
    )
    delta_permit_class = forms.ChoiceField(
        label=_("Class of that permit"), choices=[c for c in TalentClass.choices if c[0] in ("A", "B")]
    )
    delta_permit_valid_until = forms.DateField(label=_("That permit is valid until"), widget=DATE_WIDGET)


class CancellationForm(PortalForm):
    job_end_date = forms.DateField(label=_("Last day of employment"), widget=DATE_WIDGET)


class ChangeForm(PortalForm):
    change_kinds = forms.MultipleChoiceField(
        label=_("What changes"), choices=ChangeKind.choices, widget=forms.CheckboxSelectMultiple
    )


class DocumentUploadForm(PortalForm):
    kind = forms.ChoiceField(choices=DocumentKind.choices, widget=forms.HiddenInput)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))
    issue_date = forms.DateField(label=_("Date of issue"), required=False, widget=DATE_WIDGET)
    # Required for sensitive documents (health, criminal record); the action checks it.
    consent = forms.BooleanField(
        label=_("I consent to the processing of this sensitive personal information."), required=False
    )


class PassportReadingForm(PortalForm):
    """Pre-fill the identity step from the passport: upload its data page, or type the MRZ."""

    file = forms.FileField(label=_("Passport data page (JPEG, PNG or PDF)"), required=False)
    mrz = forms.CharField(
        label=_("Or type the two lines at the bottom of the data page"),
        required=False,
        max_length=200,
        widget=forms.Textarea(
            attrs={"rows": 2, "class": "form-control font-monospace", "spellcheck": "false"}
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("mrz") or "").strip():
            raise forms.ValidationError(_("Upload the passport's data page or type its two MRZ lines."))
        return data


class SponsorshipForm(PortalForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("We sponsor this application")), ("decline", _("We decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the applicant"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StatusLookupForm(PortalForm):
    reference = forms.CharField(
        label=_("Application reference"), max_length=24, help_text=_("For example SH2026-7K3M-Q9TX.")
    )
    date_of_birth = forms.DateField(label=_("Applicant's date of birth"), widget=DATE_WIDGET)


class EntryForm(PortalForm):
    entry_date = forms.DateField(label=_("Date of entry into China"), widget=DATE_WIDGET)


def _as_form_value(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def clean_part_data(application, step_list, data: dict) -> tuple[dict, dict]:
    """Validate a partial update of one party's part with the same forms as the pages.

    Fields not sent keep their stored values; errors are reported for the fields that were sent
    (and for rules that span fields). Returns (cleaned values of the sent fields, errors).
    """
    cleaned, errors = {}, {}
    known = {name for step in step_list for name in step.fields()}
    for name in set(data) - known:
        errors[name] = [str(_("This field cannot be changed here."))]
    for step in step_list:
        names = step.fields()
        sent = [name for name in names if name in data]
        if not sent:
            continue
        values = {name: _as_form_value(getattr(application, name)) for name in names}
        values.update({name: data[name] for name in sent})
        kwargs = {}
        if step.slug == "talent":
            from services.classification.selectors import application_choices

            kwargs = application_choices(on=None)
        form = step.form_class(values, **kwargs)
        form.is_valid()
        for name, messages in form.errors.items():
            if name in sent or name == "__all__":
                errors[name if name != "__all__" else "non_field_errors"] = list(messages)
        cleaned.update({name: form.cleaned_data[name] for name in sent if name in form.cleaned_data})
    return cleaned, errors


class VerifyForm(PortalForm):
    number = forms.RegexField(
        label=_("Permit number"),
        regex=r"^\s*\d{18}\s*$",
        error_messages={"invalid": _("A permit number has 18 digits.")},
    )
    date_of_birth = forms.DateField(label=_("Holder's date of birth"), widget=DATE_WIDGET)


class CancellationRequestForm(PortalForm):
    """A new employer names a permit that its former employer never cancelled."""

    permit_number = forms.RegexField(
        label=_("Permit number"),
        regex=r"^\s*\d{18}\s*$",
        error_messages={"invalid": _("A permit number has 18 digits.")},
    )
    holder_date_of_birth = forms.DateField(label=_("Holder's date of birth"), widget=DATE_WIDGET)
