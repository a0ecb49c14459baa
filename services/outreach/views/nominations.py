"""Pages of award nominations: the employer's list and form, the supervising unit's endorsements,
the commission's review list, one nomination's page with the actions its reader may take, and
the materials (served only to those who may see the nomination)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_portal.accounts.models import Duty, Membership
from talent_portal.accounts.selectors import organizations_of_member
from talent_portal.core.errors import DomainError
from talent_portal.core.request_limits import accepts_uploads
from talent_portal.core.views import apply_domain_error, officer_required
from talent_portal.core.workdays import shanghai_today

from .. import actions, selectors
from ..forms import NominationForm, NoteForm, OutcomeForm, ReasonForm, ReviewForm
from ..models import WITHDRAWABLE_NOMINATION_STATES, NominationStatus


def _show_errors(request, form, error=None):
    if error is not None:
        apply_domain_error(form, error)
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, message)


@login_required
def nominations(request):
    """The employer's nominations and, for supervising units, those awaiting endorsement."""
    return render(
        request,
        "outreach/nominations.html",
        {
            "nominations": selectors.nominations_of_employer(request.user),
            "to_endorse": selectors.nominations_to_endorse(request.user),
            "is_employer": organizations_of_member(request.user).exists(),
            "is_reviewer": selectors.is_commission_reviewer(request.user),
        },
    )


@accepts_uploads
@login_required
def nomination_create(request):
    organizations = list(organizations_of_member(request.user))
    if not organizations:
        raise Http404
    rounds = list(selectors.open_rounds(on=shanghai_today()))
    units = list(selectors.supervising_units())
    form = NominationForm(
        request.POST or None, request.FILES or None, rounds=rounds, organizations=organizations, units=units
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = actions.nomination_create(
                actor=request.user,
                organization=next(o for o in organizations if o.pk == data["organization"]),
                round=next(r for r in rounds if r.pk == data["round"]),
                nominee_email=data["nominee_email"],
                supervising_unit=next(u for u in units if u.pk == data["supervising_unit"]),
                post=data["post"],
                citation=data["citation"],
                shanghai_since=data["shanghai_since"],
                exception_reason=data["exception_reason"],
                materials=form.materials(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("The nomination is filed. The supervising unit is asked to endorse it.")
            )
            return redirect("outreach:nomination", pk=nomination.pk)
    return render(request, "outreach/nomination_form.html", {"form": form, "rounds": rounds})


def _visible(request, pk):
    return get_object_or_404(selectors.nominations_visible_to(request.user), pk=pk)


@login_required
def nomination_detail(request, pk):
    nomination = _visible(request, pk)
    user = request.user
    member_of = set(Membership.objects.active().filter(user=user).values_list("organization_id", flat=True))
    is_unit = nomination.supervising_unit.organization_id in member_of and nomination.nominee_id != user.pk
    is_reviewer = selectors.is_commission_reviewer(user)
    status = nomination.status
    return render(
        request,
        "outreach/nomination.html",
        {
            "nomination": nomination,
            "award": nomination.round.award,
            "materials": selectors.nomination_materials(user, nomination),
            "is_employer": nomination.organization_id in member_of,
            "may_withdraw": nomination.organization_id in member_of
            and status in WITHDRAWABLE_NOMINATION_STATES,
            "endorse_form": NoteForm() if is_unit and status == NominationStatus.SUBMITTED else None,
            "decline_form": ReasonForm() if is_unit and status == NominationStatus.SUBMITTED else None,
            "review_form": ReviewForm() if is_reviewer and status == NominationStatus.ENDORSED else None,
            "outcome_form": OutcomeForm() if is_reviewer and status == NominationStatus.RECOMMENDED else None,
            "is_reviewer": is_reviewer,
            "other_channels": selectors.other_active_nominations(user, nomination),
            "grants": selectors.award_grants_of(nomination.nominee) if is_reviewer else [],
        },
    )


@login_required
@require_POST
def nomination_endorse(request, pk):
    nomination = _visible(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            actions.nomination_endorse(
                actor=request.user, nomination=nomination, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            _show_errors(request, form, error)
        else:
            messages.success(request, _("You endorsed the nomination. The commission reviews it next."))
    return redirect("outreach:nomination", pk=nomination.pk)


@login_required
@require_POST
def nomination_decline(request, pk):
    nomination = _visible(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            actions.nomination_decline(
                actor=request.user, nomination=nomination, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            _show_errors(request, form, error)
        else:
            messages.success(request, _("You declined to endorse the nomination. The employer is told why."))
    else:
        _show_errors(request, form)
    return redirect("outreach:nomination", pk=nomination.pk)


@login_required
@require_POST
def nomination_withdraw(request, pk):
    nomination = _visible(request, pk)
    try:
        actions.nomination_withdraw(actor=request.user, nomination=nomination)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The nomination is withdrawn."))
    return redirect("outreach:nomination", pk=nomination.pk)


@officer_required(Duty.ADMINISTRATOR, Duty.LEAD_OFFICER)
@require_POST
def nomination_review(request, pk):
    nomination = _visible(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "recommend":
                actions.nomination_recommend(
                    actor=request.user, nomination=nomination, rank=data["rank"], note=data["note"]
                )
            else:
                actions.nomination_reject(actor=request.user, nomination=nomination, reason=data["note"])
        except DomainError as error:
            _show_errors(request, form, error)
        else:
            messages.success(request, _("The review is recorded."))
    else:
        _show_errors(request, form)
    return redirect("outreach:nomination", pk=nomination.pk)


@officer_required(Duty.ADMINISTRATOR, Duty.LEAD_OFFICER)
@require_POST
def nomination_outcome(request, pk):
    nomination = _visible(request, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            actions.nomination_record_outcome(
                actor=request.user, nomination=nomination, awarded=form.cleaned_data["outcome"] == "awarded"
            )
        except DomainError as error:
            _show_errors(request, form, error)
        else:
            messages.success(request, _("The outcome is recorded."))
    else:
        _show_errors(request, form)
    return redirect("outreach:nomination", pk=nomination.pk)


@officer_required(Duty.ADMINISTRATOR, Duty.LEAD_OFFICER)
def nomination_review_list(request):
    """The commission's list: endorsed nominations to review, and the recommended ones by rank."""
    rounds = selectors.review_rounds(request.user)
    round_id = request.GET.get("round") or ""
    return render(
        request,
        "outreach/nomination_review_list.html",
        {
            "rounds": rounds,
            "round_id": round_id,
            "nominations": selectors.nominations_to_review(
                request.user, round_id=int(round_id) if round_id.isdigit() else None
            ),
        },
    )


@login_required
def nomination_material(request, pk, material_pk):
    """A file of a nomination, for those who may see the nomination only; never a public URL."""
    nomination = _visible(request, pk)
    material = selectors.nomination_materials(request.user, nomination).filter(pk=material_pk).first()
    if material is None:
        raise Http404
    actions.nomination_material_open(actor=request.user, material=material, request=request)
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.original_name,
        content_type=material.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
