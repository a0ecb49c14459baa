"""Pages of the single window's residence side: the exit-entry officers' queue and track page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from talent_portal.accounts.models import Duty
from talent_portal.core.errors import DomainError
from talent_portal.core.forms import PortalForm
from talent_portal.core.views import apply_domain_error, officer_required

from . import actions, deadlines, residence, residence_api, selectors
from .models import ReasonKind, ResidenceType, State
from .workflow import FILERS


@officer_required(Duty.EXIT_ENTRY_OFFICER)
def residence_queue(request):
    assigned = request.GET.get("assigned", "")
    state = request.GET.get("state", "")
    overdue = request.GET.get("overdue") in ("1", "true", "on")
    tracks = selectors.residence_queue(request.user, assigned=assigned, state=state, overdue=overdue)[:200]
    states = [(value, label) for value, label in State.choices if value in selectors.RESIDENCE_QUEUE_STATES]
    return render(
        request,
        "permits/residence_queue.html",
        {
            "tracks": tracks,
            "assigned": assigned,
            "state": state,
            "overdue": overdue,
            "states": states,
            "today": deadlines.today(),
        },
    )


@officer_required(Duty.EXIT_ENTRY_OFFICER)
def residence_track(request, public_id):
    """The residence side of a case: residence data, shared documents, its own history and buttons."""
    track = selectors.residence_track_for(request.user, public_id)
    if track is None:
        raise Http404
    return render(
        request,
        "permits/residence_track.html",
        {
            "track": track,
            "application": track.application,
            "documents": selectors.shared_documents(track.application),
            "timeline": selectors.residence_timeline(request.user, track),
            "allowed": selectors.residence_desk_steps(request.user, track),
            "refusal_reasons": selectors.reasons(ReasonKind.REFUSAL),
            "defect_reasons": selectors.reasons(ReasonKind.DEFECT),
            "document_kinds": residence_api.DocumentKind.choices,
        },
    )


@require_POST
def residence_decide(request, public_id, action):
    """One door for the residence buttons (officers and filers alike); the actions check who may."""
    if not request.user.is_authenticated:
        raise Http404
    track = selectors.residence_track_for(request.user, public_id)
    if track is None or action not in residence_api.RESIDENCE_ACTIONS:
        raise Http404
    post = request.POST
    data = {
        "version": int(post["version"]) if post.get("version", "").isdigit() else None,
        "reason_codes": post.getlist("reason_codes"),
        "note": post.get("note", ""),
        "kinds": post.getlist("kinds"),
        "amount_cny": int(post["amount_cny"]) if post.get("amount_cny", "").isdigit() else None,
        "method": post.get("method", ""),
        "centre": post.get("centre", ""),
        "date": _parse_date(post.get("date", "")),
        "slot": post.get("slot", ""),
        "version_id": int(post["version_id"]) if post.get("version_id", "").isdigit() else None,
        "status": post.get("status", ""),
        "reason_code": post.get("reason_code", ""),
    }
    try:
        residence_api._residence_decide(action, request.user, track.application, data)
    except DomainError as error:
        messages.error(request, error.message)
        for field_messages in (error.fields or {}).values():
            for message in field_messages:
                messages.error(request, message)
    else:
        messages.success(request, _("Done."))
    if request.user.has_duty(Duty.EXIT_ENTRY_OFFICER):
        return redirect("permits:residence_track", public_id=public_id)
    return redirect("permits:application", public_id=public_id)


def _parse_date(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class SingleWindowForm(PortalForm):
    residence_type = forms.ChoiceField(
        label=gettext_lazy("Residence permit type"), choices=ResidenceType.choices
    )
    requested_validity_months = forms.IntegerField(
        label=gettext_lazy("Requested validity (months)"),
        min_value=3,
        max_value=60,
        initial=12,
        help_text=gettext_lazy("Never longer than the work permit: the shorter one is granted."),
    )
    shanghai_address = forms.CharField(label=gettext_lazy("Address in Shanghai"), max_length=300)
    accommodation_registration_number = forms.CharField(
        label=gettext_lazy("Accommodation registration number"), max_length=40
    )
    health_certificate_issued_abroad = forms.BooleanField(
        label=gettext_lazy("My health certificate was issued outside China"),
        required=False,
        help_text=gettext_lazy(
            "The residence permit then also needs the health-check record of a Chinese exit-entry health centre."
        ),
    )
    family_members = forms.CharField(
        label=gettext_lazy("Accompanying family members who also need residence permits"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One a line: full name; spouse, child or parent; nationality (ICAO code); date of birth (YYYY-MM-DD)."
        ),
    )

    guardian_consent = forms.BooleanField(
        label=gettext_lazy(
            "As the parent or guardian of the children listed, I agree that their data is processed "
            "for their residence permits, as the privacy notice describes"
        ),
        required=False,
        help_text=gettext_lazy(
            "Required when a child is listed: information about children is sensitive personal "
            "information and is saved only with a parent's or guardian's consent."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        problem = residence.guardian_consent_problem(
            cleaned.get("family_members") or [],
            consent=cleaned.get("guardian_consent", False),
            on=deadlines.today(),
        )
        if problem:
            self.add_error("guardian_consent", problem)
        return cleaned

    def clean_family_members(self):
        from datetime import date

        members = []
        for line in self.cleaned_data["family_members"].splitlines():
            if not line.strip():
                continue
            for separator in residence.FAMILY_LIST_SEPARATORS[1:]:
                line = line.replace(separator, residence.FAMILY_LIST_SEPARATORS[0])
            parts = [part.strip() for part in line.split(residence.FAMILY_LIST_SEPARATORS[0])]
            try:
                name, typed_relationship, nationality, born = parts
                born = date.fromisoformat(born)
            except ValueError:
                raise forms.ValidationError(
                    _("Write each family member as: name; relationship; nationality; date of birth.")
                ) from None
            relationship = residence.relationship_from_typed(typed_relationship)
            if relationship is None:
                raise forms.ValidationError(_("The relationship is spouse, child or parent."))
            members.append(
                {
                    "full_name": name,
                    "relationship": relationship,
                    "nationality": nationality.upper()[:3],
                    "date_of_birth": born,
                }
            )
        return members


@login_required
def single_window(request, public_id):
    """The single-window choice: the eligibility result (with the reasons and the ordinary route
    when ineligible) and, when eligible, the residence permit's data."""
    application = selectors.application_detail(request.user, public_id)
    if application is None or not selectors.parties_of(request.user, application) & FILERS:
        raise Http404
    problems = residence.eligibility_problems(application, on=deadlines.today())
    track = getattr(application, "residence_track", None)
    initial = {}
    if track is not None:
        initial = {
            "residence_type": track.residence_type,
            "requested_validity_months": track.requested_validity_months,
            "shanghai_address": track.shanghai_address,
            "accommodation_registration_number": track.accommodation_registration_number,
            "health_certificate_issued_abroad": track.health_certificate_issued_abroad,
        }
    form = SingleWindowForm(request.POST or None, initial=initial)
    if request.method == "POST" and "leave" in request.POST:
        try:
            actions.single_window_leave(actor=request.user, application=application)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("permits:application", public_id=public_id)
    if request.method == "POST" and not problems and form.is_valid():
        try:
            actions.single_window_open(actor=request.user, application=application, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("Saved: the work permit and the residence permit are applied for together.")
            )
            return redirect("permits:application", public_id=public_id)
    return render(
        request,
        "permits/single_window.html",
        {"application": application, "problems": problems, "form": form, "track": track},
    )
