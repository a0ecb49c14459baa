"""The commission's part of award nominations: recommending (with a rank where the award limits the
ranked nominees of a round) or not, changing ranks, and recording the outcome; each notified.

The commission's review is done by people holding ``Duty.ADMINISTRATOR`` or ``Duty.LEAD_OFFICER``
(``selectors.is_commission_reviewer``).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed

from ..models import AwardGrant, AwardRound, Nomination, NominationStatus
from ..selectors import is_commission_reviewer
from .common import notify
from .nominations import employer_recipients, lock_nomination, nomination_context, notify_nomination


def _ensure_reviewer(actor) -> None:
    if not is_commission_reviewer(actor):
        raise Forbidden(_("Only the commission's reviewers may do this."))


def _check_rank(nomination: Nomination, rank: int | None) -> None:
    """The rank rules of the award (round row locked by the caller)."""
    award = nomination.round.award
    quota = award.max_ranked_per_round
    if quota is not None and rank is None:
        raise InvalidInput(
            fields={"rank": [_("The {award} is recommended with a rank.").format(award=award.name)]}
        )
    if rank is None:
        return
    if rank < 1 or (quota is not None and rank > quota):
        raise InvalidInput(
            fields={
                "rank": [
                    _(
                        "The {award} allows at most {quota} ranked nominees per round: choose a rank from 1 to {quota}."
                    ).format(award=award.name, quota=quota)
                    if quota is not None
                    else _("A rank is 1 or more.")
                ]
            }
        )
    ranked = Nomination.objects.filter(round_id=nomination.round_id, rank__isnull=False).exclude(
        pk=nomination.pk
    )
    if ranked.filter(rank=rank).exists():
        raise NotAllowed(
            _("Another nominee of this round already has rank {rank}.").format(rank=rank), code="rank_taken"
        )
    if quota is not None and nomination.rank is None and ranked.count() >= quota:
        raise NotAllowed(
            _("The {award} allows at most {quota} ranked nominees per round.").format(
                award=award.name, quota=quota
            ),
            code="quota_reached",
        )


def nomination_recommend(
    *, actor, nomination: Nomination, rank: int | None = None, note: str = ""
) -> Nomination:
    """The commission recommends an endorsed nomination, with its rank (required where the award
    limits the ranked nominees of a round)."""
    _ensure_reviewer(actor)
    with transaction.atomic():
        AwardRound.objects.select_for_update().get(pk=nomination.round_id)
        nomination = lock_nomination(nomination)
        if nomination.status != NominationStatus.ENDORSED:
            raise NotAllowed(
                _("Only a nomination endorsed by its supervising unit can be reviewed."),
                code="nomination_not_endorsed",
            )
        _check_rank(nomination, rank)
        nomination.status = NominationStatus.RECOMMENDED
        nomination.rank = rank
        nomination.reviewed_by = actor
        nomination.reviewed_at = timezone.now()
        nomination.review_note = note.strip()
        nomination.save(
            update_fields=["status", "rank", "reviewed_by", "reviewed_at", "review_note", "updated_at"]
        )
        audit_record(actor=actor, action="nomination_recommended", target=nomination, data={"rank": rank})
        notify_nomination(
            actor=actor,
            kind="nomination_recommended",
            recipients=employer_recipients(nomination),
            nomination=nomination,
            link_name="outreach:nomination",
            rank=rank or "",
        )
    return nomination


def nomination_rank(*, actor, nomination: Nomination, rank: int | None) -> Nomination:
    """The commission changes the rank of a recommended nomination (within the award's quota)."""
    _ensure_reviewer(actor)
    with transaction.atomic():
        AwardRound.objects.select_for_update().get(pk=nomination.round_id)
        nomination = lock_nomination(nomination)
        if nomination.status != NominationStatus.RECOMMENDED:
            raise NotAllowed(_("Only a recommended nomination is ranked."), code="nomination_not_recommended")
        _check_rank(nomination, rank)
        previous = nomination.rank
        nomination.rank = rank
        nomination.save(update_fields=["rank", "updated_at"])
        audit_record(
            actor=actor, action="nomination_ranked", target=nomination, data={"from": previous, "to": rank}
        )
    return nomination


def nomination_reject(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """The commission does not recommend an endorsed nomination; the reason is told to the employer."""
    _ensure_reviewer(actor)
    if not reason.strip():
        raise InvalidInput(fields={"reason": [_("Give the reason.")]})
    with transaction.atomic():
        nomination = lock_nomination(nomination)
        if nomination.status != NominationStatus.ENDORSED:
            raise NotAllowed(
                _("Only a nomination endorsed by its supervising unit can be reviewed."),
                code="nomination_not_endorsed",
            )
        nomination.status = NominationStatus.NOT_RECOMMENDED
        nomination.reviewed_by = actor
        nomination.reviewed_at = timezone.now()
        nomination.review_note = reason.strip()
        nomination.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
        audit_record(actor=actor, action="nomination_not_recommended", target=nomination)
        notify_nomination(
            actor=actor,
            kind="nomination_not_recommended",
            recipients=employer_recipients(nomination),
            nomination=nomination,
            link_name="outreach:nomination",
            reason=nomination.review_note,
        )
    return nomination


def nomination_record_outcome(*, actor, nomination: Nomination, awarded: bool) -> Nomination:
    """The commission records whether a recommended nominee received the award. A laureate is
    entered in the list of award holders (which later rounds' ladder and laureate rules read)."""
    _ensure_reviewer(actor)
    with transaction.atomic():
        nomination = lock_nomination(nomination)
        if nomination.status != NominationStatus.RECOMMENDED:
            raise NotAllowed(
                _("Only a recommended nomination has an outcome."), code="nomination_not_recommended"
            )
        nomination.status = NominationStatus.AWARDED if awarded else NominationStatus.NOT_AWARDED
        nomination.decided_at = timezone.now()
        nomination.save(update_fields=["status", "decided_at", "updated_at"])
        if awarded:
            if AwardGrant.objects.filter(award=nomination.round.award, laureate=nomination.nominee).exists():
                raise NotAllowed(_("The expert already holds this award."), code="already_laureate")
            AwardGrant.objects.create(
                award=nomination.round.award,
                laureate=nomination.nominee,
                year=nomination.round.year,
                nomination=nomination,
            )
        audit_record(
            actor=actor,
            action="nomination_awarded" if awarded else "nomination_not_awarded",
            target=nomination,
        )
        kind = "nomination_awarded" if awarded else "nomination_not_awarded"
        recipients = employer_recipients(nomination)
        notify_nomination(
            actor=actor,
            kind=kind,
            recipients=recipients,
            nomination=nomination,
            link_name="outreach:nomination",
        )
        if awarded and nomination.nominee_id not in {user.pk for user in recipients}:
            notify(
                actor=actor,
                kind=kind,
                recipient=nomination.nominee,
                context=nomination_context(nomination),
                dedupe_key=f"{kind}:{nomination.pk}:{nomination.nominee_id}",
                link="",
            )
    return nomination
