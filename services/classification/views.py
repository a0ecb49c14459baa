"""Pages of classification: the public self-assessment and catalogue, and recognition claims."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_portal.accounts.models import Duty, Membership
from talent_portal.core.errors import DomainError
from talent_portal.core.request_limits import accepts_uploads
from talent_portal.core.views import apply_domain_error, officer_required

from . import actions, selectors
from .engine import assess
from .forms import CertificationForm, ClaimDecisionForm, ClaimForm, EvidenceForm, SelfAssessmentForm
from .models import ClaimStatus, Rule, TalentClass

SESSION_KEY = "self_assessment"


def _application_start_url() -> str | None:
    """Where an application starts, once the permits app offers it."""
    try:
        return reverse("permits:application_start")
    except NoReverseMatch:
        return None


def self_assessment(request):
    """The public self-assessment: no sign-in, nothing stored. The result is shown under the form."""
    today = timezone.localdate()
    form = SelfAssessmentForm(request.POST or None, on=today)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = assess(form.profile(), on=today)
        except DomainError as error:
            apply_domain_error(form, error)
    return render(
        request,
        "classification/self_assessment.html",
        {
            "form": form,
            "result": result,
            "deciding_rule": Rule(result.decided_by).label if result else "",
            "category_label": TalentClass(result.category).label if result else "",
            "table": selectors.points_table_in_force(on=today) if result else None,
            "can_start_application": _application_start_url() is not None,
        },
    )


@require_POST
def start_application(request):
    """Carry the self-assessment's answers over to a new application (as suggestions only)."""
    target = _application_start_url()
    form = SelfAssessmentForm(request.POST, on=timezone.localdate())
    if target is None or not form.is_valid():
        return redirect("classification:self_assessment")
    # Only on this explicit request is anything kept: the answers, in the visitor's session.
    request.session[SESSION_KEY] = form.answers()
    return redirect(target)


def catalogue(request):
    """The public catalogue in force today: the points table, the categories and the shortage posts."""
    today = timezone.localdate()
    return render(
        request,
        "classification/catalogue.html",
        {
            "today": today,
            "table": selectors.points_table_in_force(on=today),
            "categories": selectors.categories_in_force(on=today),
            "shortage_posts": selectors.shortage_posts_in_force(on=today),
            "is_member": Membership.objects.active().filter(user_id=request.user.pk).exists(),
            "is_officer": selectors.is_claim_officer(request.user),
        },
    )


# --- Recognition claims -------------------------------------------------------------------------


@login_required
def claims(request):
    user = request.user
    return render(
        request,
        "classification/claims.html",
        {
            "claims": selectors.claims_of(user),
            "is_member": Membership.objects.active().filter(user=user).exists(),
            "is_officer": selectors.is_claim_officer(user),
        },
    )


@accepts_uploads
@login_required
def claim_create(request):
    initial = {"category": request.GET.get("category", "")}
    form = ClaimForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = actions.claim_create(
                actor=request.user,
                category=data["category"],
                criterion=data["criterion"],
                shortage_post=data["shortage_post"],
                organization_uscc=data["organization_uscc"],
                statement=data["statement"],
                evidence=[data["evidence"]],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your claim was filed. Your employer is asked to certify it."))
            return redirect("classification:claim", pk=claim.pk)
    return render(request, "classification/claim_form.html", {"form": form})


def _visible_claim(request, pk):
    return get_object_or_404(selectors.claims_visible_to(request.user), pk=pk)


@login_required
def claim_detail(request, pk):
    claim = _visible_claim(request, pk)
    user = request.user
    is_applicant = claim.applicant_id == user.pk
    may_certify = (
        claim.status == ClaimStatus.SUBMITTED
        and not is_applicant
        and Membership.objects.active().filter(user=user, organization_id=claim.organization_id).exists()
    )
    may_decide = (
        claim.status == ClaimStatus.CERTIFIED and not is_applicant and selectors.is_claim_officer(user)
    )
    return render(
        request,
        "classification/claim_detail.html",
        {
            "claim": claim,
            "evidence": selectors.claim_evidence_visible_to(user, claim),
            "is_applicant": is_applicant,
            "evidence_form": EvidenceForm()
            if is_applicant and claim.status in (ClaimStatus.SUBMITTED, ClaimStatus.CERTIFIED)
            else None,
            "certification_form": CertificationForm() if may_certify else None,
            "decision_form": ClaimDecisionForm() if may_decide else None,
        },
    )


def _show_errors(request, form, error=None):
    if error is not None:
        apply_domain_error(form, error)
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, message)


@accepts_uploads
@login_required
@require_POST
def claim_add_evidence(request, pk):
    claim = _visible_claim(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.claim_add_evidence(actor=request.user, claim=claim, upload=form.cleaned_data["evidence"])
        except DomainError as error:
            _show_errors(request, form, error)
        else:
            messages.success(request, _("The file was added to your claim."))
    else:
        _show_errors(request, form)
    return redirect("classification:claim", pk=claim.pk)


@login_required
@require_POST
def claim_certify(request, pk):
    claim = _visible_claim(request, pk)
    form = CertificationForm(request.POST)
    if form.is_valid():
        try:
            actions.claim_certify(actor=request.user, claim=claim, note=form.cleaned_data["note"])
        except DomainError as error:
            _show_errors(request, form, error)
        else:
            messages.success(request, _("You certified the claim. An officer decides it next."))
    return redirect("classification:claim", pk=claim.pk)


@officer_required(Duty.WORK_PERMIT_OFFICER, Duty.LEAD_OFFICER)
@require_POST
def claim_decide(request, pk):
    claim = _visible_claim(request, pk)
    form = ClaimDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        decide = actions.claim_recognise if data["decision"] == "recognise" else actions.claim_refuse
        try:
            decide(actor=request.user, claim=claim, reason=data["reason"])
        except DomainError as error:
            _show_errors(request, form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("classification:officer_claims")
    else:
        _show_errors(request, form)
    return redirect("classification:claim", pk=claim.pk)


@login_required
def claim_evidence(request, pk, evidence_pk):
    """A file of a claim, for those who may see the claim only; never a public URL."""
    claim = _visible_claim(request, pk)
    evidence = selectors.claim_evidence_visible_to(request.user, claim).filter(pk=evidence_pk).first()
    if evidence is None:
        raise Http404
    actions.claim_evidence_open(actor=request.user, evidence=evidence, request=request)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def employer_claims(request):
    return render(
        request, "classification/employer_claims.html", {"claims": selectors.claims_to_certify(request.user)}
    )


@officer_required(Duty.WORK_PERMIT_OFFICER, Duty.LEAD_OFFICER)
def officer_claims(request):
    return render(
        request, "classification/officer_claims.html", {"claims": selectors.claims_to_decide(request.user)}
    )
