"""Pages of applicants and employers: start, the guided form, documents, submission, status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.classification import selectors as classification_selectors
from talent_portal.accounts import selectors as account_selectors
from talent_portal.accounts.models import Organization, VerificationStatus
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import DomainError, StaleVersion, TooManyAttempts
from talent_portal.core.net import client_ip
from talent_portal.core.request_limits import accepts_uploads
from talent_portal.core.views import apply_domain_error

from . import actions, selectors, steps
from .forms import (
    DocumentUploadForm,
    EmployerStartForm,
    EntryForm,
    PassportReadingForm,
    SponsorshipForm,
    StartForm,
    StatusLookupForm,
    TeamForm,
)
from .limits import CANCELLATION_LOOKUPS, STATUS_LOOKUPS, VERIFY_LOOKUPS
from .models import Application, BusinessType, DocumentKind, EntrepreneurTeam, Permit, State, TalentClass
from .uploads import SENSITIVE_KINDS, document_file_response
from .workflow import Party

# Answers of the public self-assessment carried over as suggestions (never the salary: the
# employer types it).
SUGGESTED_FIELDS = (
    "education",
    "related_experience_years",
    "months_in_china_per_year",
    "hsk_level",
    "former_chinese_national",
    "degree_taught_in_chinese",
    "extras",
)


def _case_or_404(request, public_id) -> Application:
    application = selectors.application_detail(request.user, public_id)
    if application is None:
        raise Http404
    return application


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _domain_error_message(request, error) -> None:
    problems = error.fields.get("problems") if error.fields else None
    if problems:
        messages.error(request, _("The application cannot go ahead yet:"))
        for problem in problems:
            messages.error(request, problem)
    elif isinstance(error, StaleVersion):
        messages.error(request, error.message)
    else:
        messages.error(request, error.message)


@login_required
def my_applications(request):
    return render(
        request,
        "permits/my_applications.html",
        {
            "applications": selectors.my_applications(request.user),
            "permits": selectors.permits_of(request.user),
            "memberships": account_selectors.memberships_of(request.user),
        },
    )


@login_required
def application_start(request):
    permits = selectors.permits_of(request.user).filter(state="valid")
    memberships = list(account_selectors.memberships_of(request.user))
    form = StartForm(request.POST if request.POST.get("as") == "applicant" else None, permits=permits)
    if request.method == "POST" and request.POST.get("as") == "applicant" and form.is_valid():
        data = form.cleaned_data
        source_permit = permits.filter(pk=data["source_permit"]).first() if data["source_permit"] else None
        if data["business_type"] == BusinessType.CANCELLATION:
            organization = source_permit.organization if source_permit else None
        else:
            organization = Organization.objects.filter(uscc=data["employer_uscc"]).first()
        cancellation = data["business_type"] == BusinessType.CANCELLATION
        if organization is None or (
            not cancellation and organization.verification_status != VerificationStatus.VERIFIED
        ):
            form.add_error(
                "source_permit" if cancellation else "employer_uscc",
                _("No verified employer uses this code on the portal. Ask your employer to register first."),
            )
        else:
            suggestions = {
                name: value
                for name, value in request.session.get("self_assessment", {}).items()
                if name in SUGGESTED_FIELDS
            }
            try:
                application = actions.application_start_by_applicant(
                    actor=request.user,
                    organization=organization,
                    business_type=data["business_type"],
                    route=data["route"],
                    source_permit=source_permit,
                    suggestions=suggestions,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                request.session.pop("self_assessment", None)
                messages.success(
                    request, _("Your application was created. Your employer has been asked to confirm it.")
                )
                return redirect("permits:application", public_id=application.public_id)
    return render(
        request,
        "permits/start.html",
        {
            "form": form,
            "memberships": memberships,
            "has_suggestions": bool(request.session.get("self_assessment")),
        },
    )


@login_required
def employer_start(request, organization_id):
    organization = account_selectors.organizations_of_member(request.user).filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    permits = Permit.objects.filter(organization=organization, state="valid").order_by("holder_name")
    teams = EntrepreneurTeam.objects.filter(sponsor=organization).order_by("-created_at")
    # Started from the staff list: the business type and the permit come preselected.
    initial = {key: request.GET[key] for key in ("business_type", "source_permit") if key in request.GET}
    form = EmployerStartForm(request.POST or None, initial=initial, permits=permits, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = actions.application_start_by_employer(
                actor=request.user,
                organization=organization,
                business_type=data["business_type"],
                route=data["route"],
                employee_email=data["employee_email"],
                employee_language=data["employee_language"],
                source_permit=permits.filter(pk=data["source_permit"]).first()
                if data["source_permit"]
                else None,
                team=teams.filter(pk=data["team"]).first() if data["team"] else None,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The application was created and the employee invited."))
            return redirect("permits:application", public_id=application.public_id)
    return render(
        request, "permits/employer_start.html", {"form": form, "organization": organization, "teams": teams}
    )


@login_required
def team_new(request, organization_id):
    organization = account_selectors.organizations_of_member(request.user).filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.team_create(actor=request.user, organization=organization, name=form.cleaned_data["name"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("The founders' team was created. Now start one application per founder.")
            )
            return redirect("permits:employer_start", organization_id=organization.pk)
    return render(request, "permits/team_new.html", {"form": form, "organization": organization})


# The problems of a refused upload, kept for the next view of the case (shown next to the file field).
UPLOAD_PROBLEMS_KEY = "permits_upload_problems"


@login_required
def application_detail(request, public_id):
    application = _case_or_404(request, public_id)
    upload_problems = request.session.pop(UPLOAD_PROBLEMS_KEY, None)
    parties = selectors.parties_of(request.user, application)
    if Party.OFFICER in parties or Party.LEAD_OFFICER in parties:
        audit_record(actor=request.user, action="application_viewed", target=application)
    return render(
        request,
        "permits/application.html",
        {
            "application": application,
            "parties": parties,
            "is_applicant": Party.APPLICANT in parties,
            "is_sponsor": Party.SPONSOR in parties,
            "timeline": selectors.timeline(request.user, application),
            "needed": selectors.what_is_needed(request.user, application),
            "checklist": selectors.checklist_rows(application),
            "steps_applicant": steps.steps_for(application, Party.APPLICANT),
            "steps_employer": steps.steps_for(application, Party.SPONSOR),
            # The applicant's and employer's buttons; officers act from their desk below.
            "allowed": [
                step
                for step in selectors.allowed_steps(request.user, application)
                if step.action in ("submit", "resubmit", "answer", "withdraw")
            ],
            "upload_form": DocumentUploadForm(),
            "upload_problems": upload_problems,
            "requested_kinds": _requested_kinds(application),
            "sponsorship_form": SponsorshipForm(),
            "employer_documents": actions.EMPLOYER_DOCUMENTS,
            "sensitive_documents": SENSITIVE_KINDS,
            "officer": selectors.officer_panel(request.user, application),
            "notices": application.notices.all(),
            "document_kinds": DocumentKind.choices,
            "talent_classes": TalentClass.choices,
            "tracks": selectors.tracks_side_by_side(application),
            "expected_date": selectors.expected_date(application),
            "single_window_offered": selectors.single_window_offered(application, parties),
            "residence": getattr(application, "residence_track", None),
            "precheck": _precheck_for(application, parties),
        },
    )


def _requested_kinds(application) -> list[str]:
    """While the officer waits for documents: the kinds asked for (only those can be uploaded)."""
    if application.state != State.AWAITING_DOCUMENTS:
        return []
    return next((pause.requested_kinds for pause in application.pauses.all() if not pause.ended_on), [])


def _precheck_for(application, parties) -> list | None:
    """The pre-check report: for the filers before they submit, for the officer at pre-check."""
    from . import deadlines, precheck

    filer = Party.APPLICANT in parties or Party.SPONSOR in parties
    officer = Party.OFFICER in parties or Party.LEAD_OFFICER in parties
    if (filer and application.is_editable) or (
        officer and application.state in (State.SUBMITTED, State.UNDER_REVIEW)
    ):
        return precheck.precheck_report(application, on=deadlines.today())
    return None


def _form_kwargs(step, request):
    if step.slug != "talent":
        return {}
    return classification_selectors.application_choices(on=None)


@login_required
def part_step(request, public_id, slug):
    application = _case_or_404(request, public_id)
    step = steps.ALL_STEPS.get(slug)
    parties = selectors.parties_of(request.user, application)
    if step is None or step.party not in parties or step not in steps.steps_for(application, step.party):
        raise Http404
    sequence = steps.steps_for(application, step.party)
    index = sequence.index(step)
    initial = {name: getattr(application, name) for name in step.fields()}
    reading = _passport_reading(request, application) if step is steps.IDENTITY else None
    if reading and reading.get("status") == "done" and request.method != "POST":
        # Pre-fill only what verified or validated; the applicant confirms by saving the step.
        initial.update(
            {name: item["value"] for name, item in reading["result"]["fields"].items() if item["prefilled"]}
        )
    form = step.form_class(request.POST or None, initial=initial, **_form_kwargs(step, request))
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name in initial}
        update = (
            actions.application_update_applicant_part
            if step.party == Party.APPLICANT
            else actions.application_update_employer_part
        )
        extra = {}
        if step is steps.IDENTITY and reading:
            # Saving the identity step after a reading confirms the names read from the passport.
            extra["passport_names"] = actions.passport_names_read(reading)
        try:
            update(
                actor=request.user,
                application=application,
                expected_version=_version(request),
                data=data,
                **extra,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved. You can leave and come back at any time."))
            if "save_exit" in request.POST:
                return redirect("permits:application", public_id=public_id)
            if index + 1 < len(sequence):
                return redirect("permits:part_step", public_id=public_id, slug=sequence[index + 1].slug)
            return redirect("permits:review", public_id=public_id)
    return render(
        request,
        "permits/part_step.html",
        {
            "application": application,
            "form": form,
            "step": step,
            "sequence": sequence,
            "index": index,
            "previous": sequence[index - 1] if index else None,
            "passport_form": PassportReadingForm() if step is steps.IDENTITY else None,
            "reading": reading,
            "reading_id": request.POST.get("reading") or request.GET.get("reading", ""),
        },
    )


def _passport_reading(request, application):
    reading_id = request.POST.get("reading") or request.GET.get("reading", "")
    if not reading_id:
        return None
    return actions.passport_reading_get(actor=request.user, application=application, reading_id=reading_id)


@accepts_uploads
@login_required
@require_POST
def passport_reading(request, public_id):
    """Start reading the passport: an uploaded page (kept as the passport document) or typed lines."""
    application = _case_or_404(request, public_id)
    step_url = reverse("permits:part_step", kwargs={"public_id": public_id, "slug": steps.IDENTITY.slug})
    form = PassportReadingForm(request.POST, request.FILES)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect(step_url)
    try:
        if form.cleaned_data["file"]:
            version = actions.document_upload(
                actor=request.user,
                application=application,
                kind=DocumentKind.PASSPORT,
                uploaded=form.cleaned_data["file"],
            )
            reading_id = actions.passport_reading_start(
                actor=request.user, application=application, version=version
            )
        else:
            reading_id = actions.passport_reading_from_text(
                actor=request.user, application=application, text=form.cleaned_data["mrz"]
            )
    except DomainError as error:
        for field_messages in (error.fields or {"": [error.message]}).values():
            for message in field_messages:
                messages.error(request, message)
        return redirect(step_url)
    return redirect(f"{step_url}?reading={reading_id}")


@login_required
def passport_reading_status(request, public_id, reading_id):
    """The reading's progress (polled by htmx while it runs), then what was read."""
    application = _case_or_404(request, public_id)
    reading = actions.passport_reading_get(actor=request.user, application=application, reading_id=reading_id)
    if reading is None:
        raise Http404
    return render(
        request,
        "permits/_passport_reading.html",
        {"application": application, "reading": reading, "reading_id": reading_id},
    )


@login_required
def review(request, public_id):
    """Everything filed, on one page, before submission; with the class assessment."""
    application = _case_or_404(request, public_id)
    from . import classify

    return render(
        request,
        "permits/review.html",
        {
            "application": application,
            "parties": selectors.parties_of(request.user, application),
            "assessment": classify.assess(application, on=selectors.deadlines.today()),
            "needed": selectors.what_is_needed(request.user, application),
            "checklist": selectors.checklist_rows(application),
            "steps_applicant": steps.steps_for(application, Party.APPLICANT),
            "steps_employer": steps.steps_for(application, Party.SPONSOR),
            "allowed_actions": {step.action for step in selectors.allowed_steps(request.user, application)},
        },
    )


def _post_action(request, public_id, call, success):
    application = _case_or_404(request, public_id)
    try:
        call(application)
    except DomainError as error:
        _domain_error_message(request, error)
    else:
        messages.success(request, success)
    return redirect("permits:application", public_id=public_id)


@login_required
@require_POST
def declare(request, public_id):
    return _post_action(
        request,
        public_id,
        lambda case: actions.application_declare(
            actor=request.user, application=case, expected_version=_version(request)
        ),
        _("The declaration was recorded."),
    )


@login_required
@require_POST
def submit(request, public_id):
    return _post_action(
        request,
        public_id,
        lambda case: actions.application_submit(
            actor=request.user, application=case, expected_version=_version(request)
        ),
        _("The application was submitted. The commission checks it within 5 working days."),
    )


@login_required
@require_POST
def withdraw(request, public_id):
    return _post_action(
        request,
        public_id,
        lambda case: actions.application_withdraw(
            actor=request.user,
            application=case,
            expected_version=_version(request),
            comment=request.POST.get("comment", ""),
        ),
        _("The application was withdrawn."),
    )


@login_required
@require_POST
def answer(request, public_id):
    return _post_action(
        request,
        public_id,
        lambda case: actions.application_answer(
            actor=request.user,
            application=case,
            expected_version=_version(request),
            comment=request.POST.get("comment", ""),
        ),
        _("Thank you. The officer has been told that the documents are there."),
    )


@login_required
@require_POST
def sponsorship(request, public_id):
    application = _case_or_404(request, public_id)
    form = SponsorshipForm(request.POST)
    if form.is_valid():
        try:
            actions.application_decide_sponsorship(
                actor=request.user,
                application=application,
                confirm=form.cleaned_data["decision"] == "confirm",
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            _domain_error_message(request, error)
        else:
            messages.success(request, _("Your decision was recorded and the applicant informed."))
    else:
        messages.error(request, _("Choose whether you sponsor the application."))
    return redirect("permits:application", public_id=public_id)


@accepts_uploads
@login_required
@require_POST
def document_upload(request, public_id):
    application = _case_or_404(request, public_id)
    form = DocumentUploadForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        try:
            actions.document_upload(
                actor=request.user,
                application=application,
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
                issue_date=form.cleaned_data["issue_date"],
                consent=form.cleaned_data["consent"],
            )
        except DomainError as error:
            problems = [str(m) for ms in (error.fields or {"": [error.message]}).values() for m in ms]
        else:
            messages.success(request, _("The document was uploaded."))
    else:
        problems = [str(message) for field_errors in form.errors.values() for message in field_errors]
    kind = request.POST.get("kind", "")
    anchor = "documents"
    if problems:
        for message in problems:
            messages.error(request, message)
        if kind in DocumentKind.values:
            # Shown again next to the file field of that document, where the page opens.
            request.session[UPLOAD_PROBLEMS_KEY] = {"kind": kind, "messages": problems}
            anchor = f"document-{kind}"
    return redirect(f"{reverse('permits:application', kwargs={'public_id': public_id})}#{anchor}")


@login_required
def document_download(request, public_id, version_id):
    version = selectors.document_version_for(request.user, public_id, version_id)
    if version is None:
        raise Http404
    audit_record(actor=request.user, action="document_viewed", target=version)
    return document_file_response(version)


def accept_invitation(request, token):
    if not request.user.is_authenticated:
        return render(request, "permits/invitation_sign_in.html", {"token": token})
    if request.method == "POST":
        try:
            application = actions.application_accept_invitation(actor=request.user, token=token)
        except DomainError as error:
            return render(
                request, "accounts/link_problem.html", {"message": error.message}, status=error.status_code
            )
        messages.success(request, _("Welcome! Please fill in your part of the application."))
        return redirect("permits:application", public_id=application.public_id)
    invitation = selectors.invitation_preview(token)
    if invitation is None:
        # Used, withdrawn or mistyped: say so now, not after the button.
        return render(
            request,
            "accounts/link_problem.html",
            {"message": _("This invitation is not valid.")},
            status=404,
        )
    return render(request, "permits/invitation_accept.html", {"token": token, "invitation": invitation})


@login_required
def employer_staff(request, organization_id):
    organization = account_selectors.organizations_of_member(request.user).filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    state = request.GET.get("state") or None
    if state not in State.values:
        state = None
    try:
        expiring = (
            int(request.GET.get("expiring", ""))
            if request.GET.get("expiring") in ("30", "60", "90")
            else None
        )
    except ValueError:
        expiring = None
    data = selectors.sponsored_staff(request.user, organization, state=state, expiring_within_days=expiring)
    return render(
        request,
        "permits/employer_staff.html",
        {"organization": organization, "state": state, "expiring": expiring, "states": State.choices, **data},
    )


def status_lookup(request):
    """Public: reference + date of birth → stage and expected date; nothing personal."""
    form = StatusLookupForm(request.POST or None)
    result = None
    not_found = False
    if request.method == "POST" and form.is_valid():
        keys = (f"ip:{client_ip(request)}", f"reference:{form.cleaned_data['reference']}")
        if STATUS_LOOKUPS.blocked(*keys):
            form.add_error(None, _("Too many attempts. Please try again in an hour."))
        else:
            result = selectors.public_status(
                form.cleaned_data["reference"], form.cleaned_data["date_of_birth"]
            )
            if result is None:
                STATUS_LOOKUPS.fail(*keys)
                not_found = True
    return render(
        request, "permits/status_lookup.html", {"form": form, "result": result, "not_found": not_found}
    )


@login_required
@require_POST
def permit_entry(request, permit_id):
    permit = get_object_or_404(selectors.permits_of(request.user), pk=permit_id)
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            actions.permit_record_entry(
                actor=request.user, permit=permit, entry_date=form.cleaned_data["entry_date"]
            )
        except DomainError as error:
            _domain_error_message(request, error)
        else:
            messages.success(request, _("The date of entry was recorded."))
    return redirect("permits:my_applications")


def verify_token(request, token):
    """Opened from the QR code (no language prefix): the live status of a permit, or 404."""
    from .holder_documents import document_from_token
    from .verification import permit_from_token, public_view

    permit, document = permit_from_token(token), None
    if permit is None:
        # A holder's document (salary-remittance form, employment certificate) names its permit too.
        permit, document = document_from_token(token)
    if permit is None:
        return render(request, "permits/verify_failed.html", status=404)
    return render(request, "permits/verify.html", {"permit": public_view(permit), "document": document})


def verify_lookup(request):
    """The same check by typing the permit number and the holder's date of birth."""
    from .forms import VerifyForm
    from .verification import permit_from_number, public_view

    form = VerifyForm(request.POST or None)
    permit, not_found = None, False
    if request.method == "POST" and form.is_valid():
        keys = (f"ip:{client_ip(request)}", f"permit:{form.cleaned_data['number']}")
        if VERIFY_LOOKUPS.blocked(*keys):
            form.add_error(None, _("Too many attempts. Please try again in an hour."))
        else:
            found = permit_from_number(form.cleaned_data["number"], form.cleaned_data["date_of_birth"])
            if found is None:
                VERIFY_LOOKUPS.fail(*keys)
                not_found = True
            else:
                permit = public_view(found)
    return render(
        request, "permits/verify_lookup.html", {"form": form, "permit": permit, "not_found": not_found}
    )


@login_required
def notice_download(request, public_id, notice_id):
    """A written notice or the permit PDF, for the parties of the case and officers."""
    application = _case_or_404(request, public_id)
    notice = get_object_or_404(application.notices, pk=notice_id)
    audit_record(actor=request.user, action="notice_downloaded", target=notice)
    response = FileResponse(notice.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{application.reference}-{notice.kind}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def cancellation_request(request, organization_id):
    """A new employer asks for the cancellation of a permit a former employer never cancelled."""
    from .forms import CancellationRequestForm

    organization = account_selectors.organizations_of_member(request.user).filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    form = CancellationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        keys = (f"user:{request.user.pk}", f"permit:{form.cleaned_data['permit_number']}")
        try:
            if CANCELLATION_LOOKUPS.blocked(*keys):
                raise TooManyAttempts()
            application = actions.cancellation_request_by_employer(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except DomainError as error:
            if "permit_number" in (error.fields or {}):
                CANCELLATION_LOOKUPS.fail(*keys)
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The request was created. Give the last day of employment and the proof, then submit it."),
            )
            return redirect("permits:application", public_id=application.public_id)
    return render(request, "permits/cancellation_request.html", {"form": form, "organization": organization})
