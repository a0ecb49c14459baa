"""Writes on award nominations before the commission's review: supervising units, the employer's
nomination with its materials (the rules of ``rules.py``), withdrawal, and the supervising unit's
endorsement or refusal. Every stage notifies the people concerned; the commission's part is in
``reviews``."""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_portal.accounts.models import Duty, Membership, MembershipRole, Organization, VerificationStatus
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound
from talent_portal.core.workdays import shanghai_today

from .. import rules
from ..models import (
    ACTIVE_NOMINATION_STATES,
    WITHDRAWABLE_NOMINATION_STATES,
    AwardGrant,
    AwardRound,
    Nomination,
    NominationMaterial,
    NominationStatus,
    SupervisingUnit,
)
from ..selectors import is_commission_reviewer, nominations_visible_to
from .common import checked_upload, ensure_administrator, notify, path


def _is_member(user, organization_id) -> bool:
    return Membership.objects.active().filter(user=user, organization_id=organization_id).exists()


# --- Notifications ------------------------------------------------------------------------------


def nomination_context(nomination: Nomination, **extra):
    def context():
        return {
            "award": nomination.round.award.name,
            "year": nomination.round.year,
            "nominee_name": nomination.nominee.full_name,
            "organization": nomination.organization.display_name,
            **extra,
        }

    return context


def employer_recipients(nomination: Nomination) -> list:
    """The nominator and the organisation's administrators (active members only)."""
    people = {nomination.nominated_by_id: nomination.nominated_by}
    administrators = Membership.objects.active().filter(
        organization_id=nomination.organization_id, role=MembershipRole.ADMINISTRATOR
    )
    for membership in administrators.select_related("user"):
        people.setdefault(membership.user_id, membership.user)
    active = set(
        Membership.objects.active()
        .filter(organization_id=nomination.organization_id, user_id__in=people)
        .values_list("user_id", flat=True)
    )
    return [user for pk, user in people.items() if pk in active]


def notify_nomination(
    *, actor, kind: str, recipients, nomination: Nomination, link_name: str, **extra
) -> None:
    for recipient in recipients:
        notify(
            actor=actor,
            kind=kind,
            recipient=recipient,
            context=nomination_context(nomination, **extra),
            dedupe_key=f"{kind}:{nomination.pk}:{recipient.pk}",
            link=path(link_name, pk=nomination.pk),
        )


def _reviewers() -> list:
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Duty.ADMINISTRATOR.value, Duty.LEAD_OFFICER.value])
        .distinct()
    )


def _unit_members(unit: SupervisingUnit) -> list:
    return [
        membership.user
        for membership in Membership.objects.active()
        .filter(organization_id=unit.organization_id, user__is_active=True)
        .select_related("user")
    ]


# --- Supervising units (administrators) ---------------------------------------------------------


def supervising_unit_flag(*, actor, organization: Organization, is_active: bool = True) -> SupervisingUnit:
    """An administrator flags an organisation as a supervising unit (or unflags it)."""
    ensure_administrator(actor)
    with transaction.atomic():
        unit, _created = SupervisingUnit.objects.select_for_update().get_or_create(
            organization=organization, defaults={"flagged_by": actor, "is_active": is_active}
        )
        if unit.is_active != is_active or unit.flagged_by_id is None:
            unit.is_active = is_active
            unit.flagged_by = actor
            unit.save(update_fields=["is_active", "flagged_by", "updated_at"])
        audit_record(
            actor=actor,
            action="supervising_unit_flagged" if is_active else "supervising_unit_unflagged",
            target=organization,
        )
    return unit


# --- The employer -------------------------------------------------------------------------------


def _grants_of(user) -> dict[int, int]:
    return dict(AwardGrant.objects.filter(laureate=user).values_list("award_id", "year"))


def nomination_create(
    *,
    actor,
    organization: Organization,
    round: AwardRound,  # noqa: A002 - the domain's word
    nominee_email: str,
    supervising_unit: SupervisingUnit,
    post: str,
    citation: str,
    materials: list[tuple[str, object]],
    shanghai_since=None,
    exception_reason: str = "",
) -> Nomination:
    """A member of a verified employer nominates an expert (who has an account) for an award round,
    with the required materials; the supervising unit is asked to endorse it.

    The rules (``rules.py``, from the ``Award`` row): no previous laureate, the ladder, years in
    Shanghai, and — for single-channel awards — no other nomination of the person in the round.
    """
    if not _is_member(actor, organization.pk):
        raise Forbidden(_("Only staff of the nominating organisation may nominate."))
    if organization.verification_status != VerificationStatus.VERIFIED:
        raise NotAllowed(
            _("Only an organisation verified by the commission may nominate."), code="not_verified"
        )
    award = round.award
    today = shanghai_today()
    if not round.is_open(today):
        raise NotAllowed(_("Nominations for this round are not open."), code="round_closed")
    problems: dict[str, list] = {}
    nominee = get_user_model().objects.filter(email__iexact=nominee_email.strip(), is_active=True).first()
    if nominee is None:
        problems["nominee_email"] = [
            _("No account uses this e-mail address. Ask the expert to create one on the portal first.")
        ]
    elif nominee.pk == actor.pk:
        problems["nominee_email"] = [_("Nobody nominates themselves.")]
    if not supervising_unit.is_active:
        problems["supervising_unit"] = [_("Choose one of the supervising units offered.")]
    if not post.strip():
        problems["post"] = [_("Give the expert's post.")]
    if not citation.strip():
        problems["citation"] = [_("Describe the expert's contributions.")]
    problem = rules.shanghai_years_problem(
        award, since=shanghai_since, on=today, exception_reason=exception_reason
    )
    if problem:
        problems["shanghai_since"] = [problem]
    missing = rules.missing_materials(award, (kind for kind, _upload in materials))
    if missing:
        problems["materials"] = [
            _("Attach the required materials: {kinds}.").format(
                kinds=", ".join(str(_material_label(kind)) for kind in missing)
            )
        ]
    if problems:
        raise InvalidInput(fields=problems)
    eligibility = rules.eligibility_problems(award, year=round.year, grants=_grants_of(nominee))
    if eligibility:
        raise NotAllowed(" ".join(eligibility), code="not_eligible")
    files = [checked_upload(upload, field="materials") for _kind, upload in materials]
    with transaction.atomic():
        # One nomination at a time per round: the channel and duplicate checks cannot race.
        round = AwardRound.objects.select_for_update().select_related("award").get(pk=round.pk)  # noqa: A001
        others = Nomination.objects.filter(
            round=round, nominee=nominee, status__in=ACTIVE_NOMINATION_STATES
        ).select_related("organization")
        same_channel = others.filter(organization=organization).first()
        if same_channel is not None:
            raise NotAllowed(
                _("Your organisation has already nominated this expert in this round."),
                code="already_nominated",
            )
        other = others.first()
        if award.single_channel and other is not None:
            if is_commission_reviewer(actor):
                message = _(
                    "The expert is already nominated in this round through {channel} (nomination #{number}); "
                    "the {award} allows one nomination channel per person."
                ).format(channel=other.organization.display_name, number=other.pk, award=award.name)
            else:
                message = _(
                    "The expert is already nominated in this round through another channel; the {award} "
                    "allows one nomination channel per person."
                ).format(award=award.name)
            raise NotAllowed(message, code="other_channel")
        nomination = Nomination.objects.create(
            round=round,
            nominee=nominee,
            organization=organization,
            nominated_by=actor,
            supervising_unit=supervising_unit,
            post=post.strip(),
            citation=citation.strip(),
            shanghai_since=shanghai_since,
            exception_reason=exception_reason.strip(),
        )
        for (kind, _upload), checked in zip(materials, files, strict=True):
            NominationMaterial.objects.create(
                nomination=nomination,
                kind=kind,
                # The stored name is generated (material_path); the content is the cleaned one.
                file=ContentFile(checked.content, name=f"material.{checked.extension}"),
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
                uploaded_by=actor,
            )
        audit_record(
            actor=actor,
            action="nomination_created",
            target=nomination,
            data={"award": award.code, "year": round.year},
        )
        notify_nomination(
            actor=actor,
            kind="nomination_submitted",
            recipients=_unit_members(supervising_unit),
            nomination=nomination,
            link_name="outreach:nomination",
        )
    return nomination


def _material_label(kind: str):
    from ..models import MaterialKind

    return MaterialKind(kind).label if kind in MaterialKind.values else kind


def nomination_withdraw(*, actor, nomination: Nomination) -> Nomination:
    """The nominating organisation withdraws a nomination that is not reviewed yet."""
    if not _is_member(actor, nomination.organization_id):
        raise NotFound()
    with transaction.atomic():
        nomination = lock_nomination(nomination)
        if nomination.status not in WITHDRAWABLE_NOMINATION_STATES:
            raise NotAllowed(
                _("This nomination can no longer be withdrawn."), code="nomination_not_withdrawable"
            )
        nomination.status = NominationStatus.WITHDRAWN
        nomination.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="nomination_withdrawn", target=nomination)
    return nomination


def lock_nomination(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related(
            "round__award", "nominee", "organization", "nominated_by", "supervising_unit__organization"
        )
        .get(pk=nomination.pk)
    )


# --- The supervising unit -----------------------------------------------------------------------


def _ensure_unit_member(actor, nomination: Nomination) -> None:
    if not _is_member(actor, nomination.supervising_unit.organization_id):
        raise Forbidden(_("Only staff of the supervising unit may endorse this nomination."))
    if nomination.nominee_id == actor.pk:
        raise Forbidden(_("Nobody endorses their own nomination."), code="own_nomination")


def nomination_endorse(*, actor, nomination: Nomination, note: str = "") -> Nomination:
    """A member of the supervising unit endorses the nomination; the commission reviews it next."""
    _ensure_unit_member(actor, nomination)
    with transaction.atomic():
        nomination = lock_nomination(nomination)
        if nomination.status != NominationStatus.SUBMITTED:
            raise NotAllowed(
                _("This nomination is not waiting for endorsement."), code="nomination_not_submitted"
            )
        nomination.status = NominationStatus.ENDORSED
        nomination.endorsed_by = actor
        nomination.endorsed_at = timezone.now()
        nomination.endorsement_note = note.strip()
        nomination.save(
            update_fields=["status", "endorsed_by", "endorsed_at", "endorsement_note", "updated_at"]
        )
        audit_record(actor=actor, action="nomination_endorsed", target=nomination)
        unit = nomination.supervising_unit.organization.display_name
        notify_nomination(
            actor=actor,
            kind="nomination_endorsed",
            recipients=employer_recipients(nomination),
            nomination=nomination,
            link_name="outreach:nomination",
            supervising_unit=unit,
        )
        notify_nomination(
            actor=actor,
            kind="nomination_to_review",
            recipients=[user for user in _reviewers() if user.pk != actor.pk],
            nomination=nomination,
            link_name="outreach:nomination",
            supervising_unit=unit,
        )
    return nomination


def nomination_decline(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """The supervising unit declines to endorse, with its reason (told to the employer)."""
    _ensure_unit_member(actor, nomination)
    if not reason.strip():
        raise InvalidInput(fields={"reason": [_("Give the reason for declining.")]})
    with transaction.atomic():
        nomination = lock_nomination(nomination)
        if nomination.status != NominationStatus.SUBMITTED:
            raise NotAllowed(
                _("This nomination is not waiting for endorsement."), code="nomination_not_submitted"
            )
        nomination.status = NominationStatus.DECLINED
        nomination.endorsed_by = actor
        nomination.endorsed_at = timezone.now()
        nomination.endorsement_note = reason.strip()
        nomination.save(
            update_fields=["status", "endorsed_by", "endorsed_at", "endorsement_note", "updated_at"]
        )
        audit_record(actor=actor, action="nomination_declined", target=nomination)
        notify_nomination(
            actor=actor,
            kind="nomination_declined",
            recipients=employer_recipients(nomination),
            nomination=nomination,
            link_name="outreach:nomination",
            supervising_unit=nomination.supervising_unit.organization.display_name,
            reason=nomination.endorsement_note,
        )
    return nomination


def nomination_material_open(*, actor, material: NominationMaterial, request=None) -> NominationMaterial:
    """Check that ``actor`` may see the file and log the access; the caller streams the file."""
    if not nominations_visible_to(actor).filter(pk=material.nomination_id).exists():
        raise NotFound()
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="nomination_material_viewed",
            target=material.nomination,
            data={"material": material.pk},
            request=request,
        )
    return material
