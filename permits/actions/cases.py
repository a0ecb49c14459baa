"""Starting a case: by the applicant or the employer, invitations, sponsorship, teams, requests."""

import hashlib
import secrets
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from services.notifications.actions import notification_create
from talent_portal.accounts.actions import organization_ensure_can_sponsor
from talent_portal.accounts.models import Organization
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound

from .. import rules, workflow
from ..models import (
    FOLLOW_UP_TYPES,
    Application,
    BusinessType,
    EntrepreneurTeam,
    Permit,
    PermitKind,
    PermitState,
    Route,
    SponsorshipStatus,
    new_reference,
)
from ..parts import APPLICANT_FIELDS, EMPLOYER_FIELDS, applicant_part_complete, employer_part_complete
from .door import (
    _is_member,
    _lock,
    _record,
    _today,
    notify_case,
)

# --- Starting a case ----------------------------------------------------------------------------


def _validate_start(*, organization: Organization, business_type: str, route: str, source_permit, team):
    if business_type not in BusinessType.values:
        raise InvalidInput(fields={"business_type": [_("Choose one of the offered business types.")]})
    if route not in Route.values:
        raise InvalidInput(fields={"route": [_("Choose one of the offered routes.")]})
    organization_ensure_can_sponsor(organization=organization, entrepreneur=route == Route.ENTREPRENEUR)
    if business_type in FOLLOW_UP_TYPES:
        if source_permit is None:
            raise InvalidInput(
                fields={"source_permit": [_("Choose the permit this application starts from.")]}
            )
        if source_permit.kind != PermitKind.CARD and business_type != BusinessType.CANCELLATION:
            raise InvalidInput(
                fields={
                    "source_permit": [_("Only a work-permit card can be extended, changed or re-issued.")]
                }
            )
        if source_permit.state != PermitState.VALID:
            raise InvalidInput(fields={"source_permit": [_("This permit is no longer valid.")]})
    elif business_type == BusinessType.NEW_CARD and (
        source_permit is None or source_permit.kind != PermitKind.NOTICE
    ):
        raise InvalidInput(
            fields={"source_permit": [_("A card is applied for on the strength of a work-permit notice.")]}
        )
    if route == Route.ENTREPRENEUR:
        if team is None:
            raise InvalidInput(fields={"team": [_("Choose or create the founders' team.")]})
        if team.sponsor_id != organization.pk:
            raise NotFound()
        if rules.active_team_size(team.pk) >= rules.ENTREPRENEUR_TEAM_LIMIT:
            raise NotAllowed(
                _("A founders' team has at most %(limit)d members.")
                % {"limit": rules.ENTREPRENEUR_TEAM_LIMIT},
                code="team_full",
            )


def _carry_forward(application: Application, permit: Permit | None) -> None:
    """Extension, change, cancellation and re-issue start from the issued permit's data."""
    if permit is None:
        return
    origin = permit.application
    if origin is not None:
        for name in (*EMPLOYER_FIELDS, *APPLICANT_FIELDS):
            if name == "passport_number":
                application.set_passport_number(origin.passport_number)
            else:
                setattr(application, name, getattr(origin, name))
        application.route = origin.route if origin.route != Route.ENTREPRENEUR else Route.ORDINARY
    application.post_title = permit.post_title


# What a new employer's cancellation request copies from the permit's case: enough to name the
# person, nothing the former employer or the holder told the commission in confidence.
IDENTITY_FIELDS = ("surname", "given_names", "nationality", "date_of_birth")


def _carry_identity(application: Application, permit: Permit) -> None:
    origin = permit.application
    if origin is not None:
        for name in IDENTITY_FIELDS:
            setattr(application, name, getattr(origin, name))


def _mark_parts(application: Application) -> None:
    now = timezone.now()
    application.employer_part_completed_at = now if employer_part_complete(application) else None
    application.applicant_part_completed_at = now if applicant_part_complete(application) else None


def application_start_by_applicant(
    *,
    actor,
    organization: Organization,
    business_type: str,
    route: str = Route.ORDINARY,
    source_permit: Permit | None = None,
    suggestions: dict | None = None,
) -> Application:
    """An applicant starts a case and names the employer, who then confirms or declines.

    A cancellation started by the holder is a request about a permit a former employer never
    cancelled: it names that employer (from the permit), needs no sponsorship and no pledge,
    and an officer decides it.
    """
    if source_permit is not None and source_permit.holder_id != actor.pk:
        raise NotFound()
    if business_type == BusinessType.CANCELLATION:
        return _holder_cancellation_request(actor=actor, permit=source_permit)
    if route == Route.ENTREPRENEUR:
        raise InvalidInput(
            fields={"route": [_("Entrepreneur applications are started by the incubator or park.")]}
        )
    _validate_start(
        organization=organization,
        business_type=business_type,
        route=route,
        source_permit=source_permit,
        team=None,
    )
    with transaction.atomic():
        application = Application(
            reference=new_reference(_today().year),
            business_type=business_type,
            route=route,
            applicant=actor,
            organization=organization,
            created_by=actor,
            started_by_employer=False,
            sponsorship=SponsorshipStatus.PENDING,
            source_permit=source_permit,
        )
        _carry_forward(application, source_permit)
        for name, value in (suggestions or {}).items():
            if name in APPLICANT_FIELDS and name != "passport_number":
                setattr(application, name, value)
        _mark_parts(application)
        application.save()
        _record(application, actor=actor, party=workflow.Party.APPLICANT, action="create", from_state="")
        notify_case(
            application,
            actor=actor,
            kind="employer_confirmation_needed",
            key="start",
            to_applicant=False,
        )
        audit_record(actor=actor, action="application_created", target=application)
    return application


def _holder_cancellation_request(*, actor, permit: Permit | None) -> Application:
    if permit is None:
        raise InvalidInput(fields={"source_permit": [_("Choose the permit this application starts from.")]})
    if permit.state != PermitState.VALID:
        raise InvalidInput(fields={"source_permit": [_("This permit is no longer valid.")]})
    with transaction.atomic():
        application = Application(
            reference=new_reference(_today().year),
            business_type=BusinessType.CANCELLATION,
            applicant=actor,
            organization=permit.organization,
            created_by=actor,
            started_by_employer=False,
            sponsorship=SponsorshipStatus.PENDING,
            source_permit=permit,
        )
        _carry_forward(application, permit)
        _mark_parts(application)
        application.save()
        _record(application, actor=actor, party=workflow.Party.APPLICANT, action="create", from_state="")
        audit_record(actor=actor, action="cancellation_requested_by_holder", target=application)
    return application


def cancellation_request_by_employer(
    *, actor, organization: Organization, permit_number: str, holder_date_of_birth: date
) -> Application:
    """A new employer asks the commission to cancel a permit its former employer never cancelled.

    The permit is named by its number and the holder's date of birth (as on the verification
    page); an officer decides. The former employer sees the request too.
    """
    if not _is_member(actor, organization.pk):
        raise NotFound()
    organization_ensure_can_sponsor(organization=organization)
    permit = (
        Permit.objects.select_related("organization")
        .filter(number=permit_number.strip(), date_of_birth=holder_date_of_birth, state=PermitState.VALID)
        .order_by("-valid_from")
        .first()
    )
    if permit is None:
        raise InvalidInput(
            fields={"permit_number": [_("No valid permit matches this number and date of birth.")]}
        )
    if permit.organization_id == organization.pk:
        raise InvalidInput(
            fields={"permit_number": [_("This permit is your own: file its cancellation directly.")]}
        )
    with transaction.atomic():
        application = Application(
            reference=new_reference(_today().year),
            business_type=BusinessType.CANCELLATION,
            applicant=permit.holder,
            organization=permit.organization,
            requested_by=organization,
            created_by=actor,
            started_by_employer=False,
            source_permit=permit,
        )
        # Only who the request is about: the former employer's part (salary, duties, contract)
        # and the holder's passport stay with the former employer's case; the officer reads the
        # source permit.
        _carry_identity(application, permit)
        _mark_parts(application)
        application.save()
        _record(application, actor=actor, party=workflow.Party.SPONSOR, action="create", from_state="")
        audit_record(actor=actor, action="cancellation_requested_by_new_employer", target=application)
    return application


def application_start_by_employer(
    *,
    actor,
    organization: Organization,
    business_type: str,
    employee_email: str,
    employee_language: str,
    route: str = Route.ORDINARY,
    source_permit: Permit | None = None,
    team: EntrepreneurTeam | None = None,
) -> Application:
    """HR staff start a case and invite the employee by e-mail to fill in their part."""
    if not _is_member(actor, organization.pk):
        raise NotFound()
    if source_permit is not None and source_permit.organization_id != organization.pk:
        raise NotFound()
    _validate_start(
        organization=organization,
        business_type=business_type,
        route=route,
        source_permit=source_permit,
        team=team,
    )
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        application = Application(
            reference=new_reference(_today().year),
            business_type=business_type,
            route=route,
            organization=organization,
            created_by=actor,
            started_by_employer=True,
            sponsorship=SponsorshipStatus.CONFIRMED,
            sponsorship_decided_by=actor,
            sponsorship_decided_at=timezone.now(),
            source_permit=source_permit,
            team=team,
            invitation_email=employee_email.strip().lower(),
            invitation_language=employee_language,
            invitation_token_digest=hashlib.sha256(token.encode()).hexdigest(),
            invitation_sent_at=timezone.now(),
        )
        if source_permit is not None:
            application.applicant = source_permit.holder
        _carry_forward(application, source_permit)
        _mark_parts(application)
        application.save()
        _record(application, actor=actor, party=workflow.Party.SPONSOR, action="create", from_state="")
        if application.applicant_id is None:
            with translation.override(employee_language):
                path = reverse("permits:accept_invitation", kwargs={"token": token})
            notification_create(
                actor=actor,
                kind="application_invitation",
                email=application.invitation_email,
                language=employee_language,
                context={
                    "organization": organization.display_name,
                    "inviter": actor.full_name,
                    "reference": application.reference,
                    "business_type": application.business_type,
                    "accept_url": path,
                },
                dedupe_key=f"application_invitation:{application.pk}:{application.invitation_token_digest[:16]}",
            )
        audit_record(actor=actor, action="application_created", target=application)
    return application


def application_accept_invitation(*, actor, token: str) -> Application:
    """The invited employee, signed in with the invited address, takes the applicant's part."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    with transaction.atomic():
        application = Application.objects.select_for_update().filter(invitation_token_digest=digest).first()
        if application is None:
            raise NotFound(_("This invitation is not valid."), code="invitation_invalid")
        if application.applicant_id is not None:
            raise NotAllowed(_("This invitation was already accepted."), code="invitation_closed")
        if actor.email.lower() != application.invitation_email.lower():
            raise Forbidden(
                _(
                    "This invitation was sent to another e-mail address. Sign in with that address to accept it."
                ),
                code="invitation_other_email",
            )
        application.applicant = actor
        application.invitation_token_digest = ""
        application.version += 1
        application.save(update_fields=["applicant", "invitation_token_digest", "version", "updated_at"])
        _record(
            application,
            actor=actor,
            party=workflow.Party.APPLICANT,
            action="join",
            from_state=application.state,
        )
        audit_record(actor=actor, action="application_invitation_accepted", target=application)
    return application


def application_decide_sponsorship(
    *, actor, application: Application, confirm: bool, note: str = ""
) -> Application:
    """The named employer confirms or declines a case an applicant started."""
    with transaction.atomic():
        case = _lock(application, None)
        if not _is_member(actor, case.organization_id):
            raise NotFound()
        if case.sponsorship != SponsorshipStatus.PENDING:
            raise NotAllowed(_("The employer has already decided."), code="sponsorship_decided")
        if not confirm and not note.strip():
            raise InvalidInput(fields={"note": [_("Tell the applicant why the employer declines.")]})
        if confirm:
            organization_ensure_can_sponsor(
                organization=case.organization, entrepreneur=case.route == Route.ENTREPRENEUR
            )
        case.sponsorship = SponsorshipStatus.CONFIRMED if confirm else SponsorshipStatus.DECLINED
        case.sponsorship_note = note.strip()
        case.sponsorship_decided_by = actor
        case.sponsorship_decided_at = timezone.now()
        case.version += 1
        case.save()
        action = "sponsorship_confirmed" if confirm else "sponsorship_declined"
        _record(
            case,
            actor=actor,
            party=workflow.Party.SPONSOR,
            action=action,
            from_state=case.state,
            comment=note,
        )
        notify_case(case, actor=actor, kind=action, key="decision", to_sponsor=False, extra={"note": note})
        audit_record(actor=actor, action=action, target=case)
    return case


def team_create(*, actor, organization: Organization, name: str) -> EntrepreneurTeam:
    """An incubator or park opens a founders' team (at most five founders)."""
    if not _is_member(actor, organization.pk):
        raise NotFound()
    organization_ensure_can_sponsor(organization=organization, entrepreneur=True)
    if not name.strip():
        raise InvalidInput(fields={"name": [_("Give the team or project a name.")]})
    with transaction.atomic():
        team = EntrepreneurTeam.objects.create(sponsor=organization, name=name.strip(), created_by=actor)
        audit_record(actor=actor, action="team_created", target=team)
    return team
