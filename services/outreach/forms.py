"""HTML forms of outreach. They validate input; the actions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from talent_portal.accounts.models import District
from talent_portal.core.countries import country_choices
from talent_portal.core.forms import PortalForm

from .models import EventType, Language, MaterialKind, RequestTopic, SalaryBand

ANY = [("", _("Any"))]


class EventFilterForm(PortalForm):
    event_type = forms.ChoiceField(label=_("Type"), choices=ANY + EventType.choices, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=ANY + Language.choices, required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"event_type": "", "language": ""}
        return {"event_type": self.cleaned_data["event_type"], "language": self.cleaned_data["language"]}


class CheckInForm(PortalForm):
    token = forms.CharField(
        label=_("Check-in code"),
        max_length=200,
        help_text=_("Scan the QR code with the scanner, or type the code shown under it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "spellcheck": "false"}),
    )


class HiringIntentionForm(PortalForm):
    code = forms.CharField(
        label=_("The talent's registration code"),
        max_length=12,
        help_text=_("The talent shows it on their registration page, under the QR code."),
    )
    post = forms.CharField(label=_("Post"), max_length=200)
    salary_band = forms.ChoiceField(label=_("Intended salary"), choices=SalaryBand.choices)
    organization = forms.TypedChoiceField(label=_("Organisation"), coerce=int)

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(o.pk, o.display_name) for o in organizations]


class NominationForm(PortalForm):
    round = forms.TypedChoiceField(label=_("Award and year"), coerce=int)
    organization = forms.TypedChoiceField(label=_("Nominating organisation"), coerce=int)
    nominee_email = forms.EmailField(
        label=_("The expert's e-mail address"),
        help_text=_("The address of the expert's account on the portal."),
    )
    post = forms.CharField(label=_("The expert's post"), max_length=200)
    citation = forms.CharField(
        label=_("Contributions"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )
    shanghai_since = forms.DateField(
        label=_("Working in Shanghai since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For the Magnolia Silver Award: normally at least 2 years. Attach the evidence below."),
    )
    exception_reason = forms.CharField(
        label=_("Reason for fewer years in Shanghai (if so)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    supervising_unit = forms.TypedChoiceField(label=_("Supervising unit"), coerce=int)

    def __init__(self, *args, rounds=(), organizations=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [(r.pk, f"{r.award.name} {r.year}") for r in rounds]
        self.fields["organization"].choices = [(o.pk, o.display_name) for o in organizations]
        self.fields["supervising_unit"].choices = [(u.pk, u.organization.display_name) for u in units]
        for kind, label in MaterialKind.choices:
            self.fields[f"material_{kind}"] = forms.FileField(
                label=label,
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "application/pdf,image/jpeg,image/png", "class": "form-control"}
                ),
                help_text=_("PDF, JPEG or PNG, at most 10 MB."),
            )

    def materials(self) -> list[tuple[str, object]]:
        return [
            (kind, self.cleaned_data[f"material_{kind}"])
            for kind in MaterialKind.values
            if self.cleaned_data.get(f"material_{kind}")
        ]


class NoteForm(PortalForm):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(PortalForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(PortalForm):
    DECISIONS = [("recommend", _("Recommend")), ("reject", _("Do not recommend"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    rank = forms.IntegerField(
        label=_("Rank"),
        required=False,
        min_value=1,
        help_text=_("Required for the Friendship Award (at most 4 ranked nominees per round)."),
    )
    note = forms.CharField(
        label=_("Note (the reason, if not recommended)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OutcomeForm(PortalForm):
    OUTCOMES = [("awarded", _("Awarded")), ("not_awarded", _("Not awarded"))]

    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, widget=forms.RadioSelect)


class LiaisonOfficeFilterForm(PortalForm):
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = ANY + list(country_choices())


class StationFilterForm(PortalForm):
    district = forms.ChoiceField(label=_("District"), choices=ANY + District.choices, required=False)
    language = forms.ChoiceField(label=_("Language spoken"), choices=ANY + Language.choices, required=False)
    topic = forms.ChoiceField(label=_("Helps with"), choices=ANY + RequestTopic.choices, required=False)


class ServiceRequestForm(PortalForm):
    station = forms.TypedChoiceField(label=_("Service station"), coerce=int)
    topic = forms.ChoiceField(label=_("Topic"), choices=RequestTopic.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Your question"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )

    def __init__(self, *args, stations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [(s.pk, f"{s.name} ({s.get_district_display()})") for s in stations]


class MessageForm(PortalForm):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
