"""The guided form: which steps each party goes through, for each kind of application."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import forms
from .models import BusinessType, Route
from .workflow import Party


@dataclass(frozen=True)
class FormStep:
    slug: str
    title: object
    party: Party
    form_class: type

    def fields(self) -> list[str]:
        return list(self.form_class.base_fields)


IDENTITY = FormStep("identity", _("Identity and passport"), Party.APPLICANT, forms.IdentityForm)
BACKGROUND = FormStep(
    "background", _("Education, experience and Chinese"), Party.APPLICANT, forms.BackgroundForm
)
TALENT = FormStep("talent", _("Talent class"), Party.APPLICANT, forms.TalentForm)
SITUATION = FormStep("situation", _("Where you are now"), Party.APPLICANT, forms.SituationForm)
POST = FormStep("post", _("Post and salary"), Party.SPONSOR, forms.PostForm)
CONTRACT = FormStep("contract", _("Contract and place of work"), Party.SPONSOR, forms.ContractForm)
RECOGNITION = FormStep(
    "recognition", _("Permit issued in the demonstration zone"), Party.SPONSOR, forms.RecognitionForm
)
CANCELLATION = FormStep("cancellation", _("End of employment"), Party.SPONSOR, forms.CancellationForm)
HOLDER_CANCELLATION = FormStep(
    "end-of-employment", _("End of employment"), Party.APPLICANT, forms.CancellationForm
)
CHANGE = FormStep("change", _("What changes"), Party.SPONSOR, forms.ChangeForm)

ALL_STEPS = {
    step.slug: step
    for step in (
        IDENTITY,
        BACKGROUND,
        TALENT,
        SITUATION,
        POST,
        CONTRACT,
        RECOGNITION,
        CANCELLATION,
        HOLDER_CANCELLATION,
        CHANGE,
    )
}


def steps_for(application, party: Party) -> list[FormStep]:
    """The steps of one party's part, in order, for this kind of application."""
    business_type = application.business_type
    if application.is_holder_request:
        # The one who asked fills in the end of employment: the holder, or the new employer.
        asker = Party.SPONSOR if application.requested_by_id else Party.APPLICANT
        if party != asker:
            return []
        return [CANCELLATION] if asker == Party.SPONSOR else [HOLDER_CANCELLATION]
    if party == Party.APPLICANT:
        if business_type == BusinessType.CANCELLATION:
            return []
        if business_type in (
            BusinessType.REISSUE,
            BusinessType.CHANGE,
            BusinessType.EXTENSION,
            BusinessType.NEW_CARD,
        ):
            return [IDENTITY]
        return [IDENTITY, BACKGROUND, TALENT, SITUATION]
    if business_type == BusinessType.CANCELLATION:
        return [CANCELLATION]
    if business_type == BusinessType.REISSUE:
        return []
    if business_type == BusinessType.CHANGE:
        return [CHANGE, POST, CONTRACT]
    steps = [POST, CONTRACT]
    if application.route == Route.DELTA_RECOGNITION:
        steps.append(RECOGNITION)
    return steps
