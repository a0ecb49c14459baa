"""Every write of classification: assessment records and their review, new versions of the
points table, and recognition claims with their evidence.

Each action is guard-first, does its whole change in one transaction and appends an audit
event in that transaction.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_portal.accounts.models import Duty, Membership, Organization
from talent_portal.accounts.validators import clean_uscc
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound
from talent_portal.core.uploads import CheckedFile, UploadRefused, sanitize_upload

from .engine import Profile, assess
from .models import (
    OPEN_CLAIM_STATES,
    AssessmentRecord,
    Band,
    ClaimEvidence,
    ClaimStatus,
    Criterion,
    DirectCriterion,
    Factor,
    PointsTable,
    RecognitionClaim,
    ShortagePost,
    TalentCategory,
    TalentClass,
)
from .selectors import claims_visible_to, is_claim_officer


def _ensure_officer(actor) -> None:
    if not is_claim_officer(actor):
        raise Forbidden(_("Only work-permit officers may do this."))


# --- Assessments on applications ----------------------------------------------------------------


def assessment_record(
    *, actor, profile: Profile, on: date, claimed_category: str | None = None
) -> AssessmentRecord:
    """Assess ``profile`` under the rules in force on ``on`` and store the snapshot (for a filing)."""
    if claimed_category and claimed_category not in TalentClass.values:
        raise InvalidInput(fields={"claimed_category": [_("Choose one of the offered values.")]})
    result = assess(profile, on=on)
    with transaction.atomic():
        record = AssessmentRecord.objects.create(
            snapshot=result.as_snapshot(),
            table_version=result.table_version,
            points=result.points,
            computed_category=result.category,
            decided_by_rule=result.decided_by,
            claimed_category=claimed_category or "",
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="assessment_recorded",
            target=record,
            data={"category": record.computed_category, "table_version": record.table_version},
        )
    return record


def _review(*, actor, record: AssessmentRecord, category: str, reason: str, action: str) -> AssessmentRecord:
    with transaction.atomic():
        record = AssessmentRecord.objects.select_for_update().get(pk=record.pk)
        if record.is_reviewed:
            raise NotAllowed(_("The class of this assessment was already reviewed."), code="already_reviewed")
        record.confirmed_category = category
        record.override_reason = reason
        record.reviewed_by = actor
        record.reviewed_at = timezone.now()
        record.save(
            update_fields=[
                "confirmed_category",
                "override_reason",
                "reviewed_by",
                "reviewed_at",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action=action,
            target=record,
            data={"computed": record.computed_category, "confirmed": category},
        )
    return record


def assessment_confirm(*, actor, record: AssessmentRecord) -> AssessmentRecord:
    """A work-permit officer confirms the computed class."""
    _ensure_officer(actor)
    return _review(
        actor=actor,
        record=record,
        category=record.computed_category,
        reason="",
        action="assessment_confirmed",
    )


def assessment_override(*, actor, record: AssessmentRecord, category: str, reason: str) -> AssessmentRecord:
    """A work-permit officer sets another class than the computed one; the reason is mandatory."""
    _ensure_officer(actor)
    problems = {}
    if category not in TalentClass.values:
        problems["category"] = [_("Choose one of the offered values.")]
    elif category == record.computed_category:
        problems["category"] = [_("This is the computed class: confirm it instead.")]
    if not reason.strip():
        problems["reason"] = [_("Give the reason for the override.")]
    if problems:
        raise InvalidInput(fields=problems)
    return _review(
        actor=actor, record=record, category=category, reason=reason.strip(), action="assessment_overridden"
    )


# --- Versions of the points table ---------------------------------------------------------------


def _ensure_rule_editor(actor) -> None:
    if not (actor.is_superuser or actor.has_duty(Duty.ADMINISTRATOR)):
        raise Forbidden()


def points_table_copy(*, actor, table: PointsTable, version: str, effective_from: date) -> PointsTable:
    """Copy a table, with its factors, bands and criteria, as an unpublished draft of a new version."""
    _ensure_rule_editor(actor)
    version = version.strip()
    if not version or PointsTable.objects.filter(version=version).exists():
        raise InvalidInput(fields={"version": [_("Give the new version a name no other version has.")]})
    if effective_from <= timezone.localdate():
        raise InvalidInput(fields={"effective_from": [_("A new version takes effect after today.")]})
    with transaction.atomic():
        factors = list(table.factors.prefetch_related("bands"))
        criteria = list(table.direct_criteria.all())
        copy = PointsTable.objects.get(pk=table.pk)
        copy.pk = None
        copy.version = version
        copy.effective_from = effective_from
        copy.is_published = False
        copy.save()
        for factor in factors:
            bands = list(factor.bands.all())
            factor.pk = None
            factor.table = copy
            factor.save()
            Band.objects.bulk_create(
                Band(
                    factor=factor,
                    input=band.input,
                    lower=band.lower,
                    upper=band.upper,
                    choice=band.choice,
                    points=band.points,
                )
                for band in bands
            )
        for criterion in criteria:
            criterion.pk = None
            criterion.table = copy
        DirectCriterion.objects.bulk_create(criteria)
        audit_record(
            actor=actor, action="points_table_copied", target=copy, data={"from_version": table.version}
        )
    return copy


def points_table_publish(*, actor, table: PointsTable) -> PointsTable:
    """Publish a draft. It must take effect after today: a new table never changes a past result."""
    _ensure_rule_editor(actor)
    with transaction.atomic():
        table = PointsTable.objects.select_for_update().get(pk=table.pk)
        if table.is_published:
            raise NotAllowed(_("This version is already published."), code="already_published")
        if table.effective_from <= timezone.localdate():
            raise NotAllowed(
                _("A version is published before its date of effect; choose a later date."),
                code="effective_date_passed",
            )
        if not Factor.objects.filter(table=table).exists():
            raise NotAllowed(_("A version without factors cannot be published."), code="table_empty")
        if PointsTable.objects.filter(is_published=True, effective_from=table.effective_from).exists():
            raise NotAllowed(
                _("Another published version takes effect on the same day."), code="effective_date_taken"
            )
        table.is_published = True
        table.save(update_fields=["is_published", "updated_at"])
        audit_record(actor=actor, action="points_table_published", target=table)
    return table


# --- Recognition claims -------------------------------------------------------------------------


def evidence_checked(upload) -> CheckedFile:
    """An evidence file checked by content and cleaned (PDF, JPEG or PNG; see
    ``talent_portal.core.uploads``), else ``InvalidInput``."""
    try:
        return sanitize_upload(
            upload, refusal=_("Upload a PDF, JPEG or PNG file; this file is of another kind.")
        )
    except UploadRefused as refusal:
        raise InvalidInput(fields={"evidence": [refusal.message]}) from None


def _store_evidence(*, actor, claim: RecognitionClaim, checked: CheckedFile) -> ClaimEvidence:
    return ClaimEvidence.objects.create(
        claim=claim,
        # The stored name is generated (evidence_path); the content is the cleaned one.
        file=ContentFile(checked.content, name=f"evidence.{checked.extension}"),
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )


def claim_create(
    *,
    actor,
    category: TalentCategory,
    organization_uscc: str,
    statement: str,
    evidence: list,
    criterion: Criterion | None = None,
    shortage_post: ShortagePost | None = None,
) -> RecognitionClaim:
    """An applicant claims a catalogue category for a criterion or a shortage post, with evidence.

    The employer named by its unified social credit code certifies it next.
    """
    today = timezone.localdate()
    problems: dict[str, list] = {}
    if not category.is_in_force(today):
        problems["category"] = [_("This category is not in force.")]
    if category.uses_shortage_posts:
        if shortage_post is None or not shortage_post.is_in_force(today):
            problems["shortage_post"] = [_("Choose a post of the shortage catalogue in force.")]
        criterion = None
    else:
        if criterion is None or criterion.category_id != category.pk:
            problems["criterion"] = [_("Choose one of the criteria of this category.")]
        shortage_post = None
    if not statement.strip():
        problems["statement"] = [_("Say briefly how you meet the criterion.")]
    organization = None
    try:
        organization = Organization.objects.filter(uscc=clean_uscc(organization_uscc)).first()
    except ValidationError as error:
        problems["organization_uscc"] = error.messages
    else:
        if organization is None:
            problems["organization_uscc"] = [_("No organisation with this code is registered on the portal.")]
    if not evidence:
        problems["evidence"] = [_("Attach at least one file as evidence.")]
    if problems:
        raise InvalidInput(fields=problems)
    files = [evidence_checked(upload) for upload in evidence]
    if RecognitionClaim.objects.filter(
        applicant=actor, category__code=category.code, status__in=OPEN_CLAIM_STATES
    ).exists():
        raise NotAllowed(_("You already have an open claim for this category."), code="claim_open")
    with transaction.atomic():
        claim = RecognitionClaim.objects.create(
            applicant=actor,
            category=category,
            criterion=criterion,
            shortage_post=shortage_post,
            organization=organization,
            statement=statement.strip(),
        )
        for checked in files:
            _store_evidence(actor=actor, claim=claim, checked=checked)
        audit_record(actor=actor, action="claim_created", target=claim, data={"category": category.code})
    return claim


def claim_add_evidence(*, actor, claim: RecognitionClaim, upload) -> ClaimEvidence:
    """The applicant adds a file to an open claim."""
    if claim.applicant_id != actor.pk:
        raise NotFound()
    if claim.status not in OPEN_CLAIM_STATES:
        raise NotAllowed(_("This claim is decided; no evidence can be added."), code="claim_decided")
    checked = evidence_checked(upload)
    with transaction.atomic():
        evidence = _store_evidence(actor=actor, claim=claim, checked=checked)
        audit_record(actor=actor, action="claim_evidence_added", target=claim, data={"evidence": evidence.pk})
    return evidence


def claim_certify(*, actor, claim: RecognitionClaim, note: str = "") -> RecognitionClaim:
    """An active member of the named organisation certifies the claim for the officers."""
    if not Membership.objects.active().filter(user=actor, organization_id=claim.organization_id).exists():
        raise Forbidden(_("Only staff of the organisation named in the claim may certify it."))
    if claim.applicant_id == actor.pk:
        raise Forbidden(_("Nobody certifies their own claim."), code="own_claim")
    with transaction.atomic():
        claim = RecognitionClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.SUBMITTED:
            raise NotAllowed(_("This claim is not waiting for certification."), code="claim_not_submitted")
        claim.status = ClaimStatus.CERTIFIED
        claim.certified_by = actor
        claim.certified_at = timezone.now()
        claim.certification_note = note.strip()
        claim.save(
            update_fields=["status", "certified_by", "certified_at", "certification_note", "updated_at"]
        )
        audit_record(actor=actor, action="claim_certified", target=claim)
    return claim


def _decide(*, actor, claim: RecognitionClaim, status: str, reason: str, action: str) -> RecognitionClaim:
    _ensure_officer(actor)
    if claim.applicant_id == actor.pk:
        raise Forbidden(_("Nobody decides their own claim."), code="own_claim")
    with transaction.atomic():
        claim = RecognitionClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.CERTIFIED:
            raise NotAllowed(
                _("Only a claim certified by the employer can be decided."), code="claim_not_certified"
            )
        claim.status = status
        claim.decided_by = actor
        claim.decided_at = timezone.now()
        claim.decision_reason = reason.strip()
        claim.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
        audit_record(actor=actor, action=action, target=claim, data={"category": claim.category.code})
    return claim


def claim_recognise(*, actor, claim: RecognitionClaim, reason: str = "") -> RecognitionClaim:
    """A work-permit officer recognises the category; later applications get its benefits."""
    return _decide(
        actor=actor, claim=claim, status=ClaimStatus.RECOGNISED, reason=reason, action="claim_recognised"
    )


def claim_refuse(*, actor, claim: RecognitionClaim, reason: str) -> RecognitionClaim:
    """A work-permit officer refuses the claim; the reasons are mandatory and shown to the applicant."""
    _ensure_officer(actor)
    if not reason.strip():
        raise InvalidInput(fields={"reason": [_("Give the reasons for the refusal.")]})
    return _decide(
        actor=actor, claim=claim, status=ClaimStatus.REFUSED, reason=reason, action="claim_refused"
    )


def claim_evidence_open(*, actor, evidence: ClaimEvidence, request=None) -> ClaimEvidence:
    """Check that ``actor`` may see the file and log the access; the caller streams the file."""
    if not claims_visible_to(actor).filter(pk=evidence.claim_id).exists():
        raise NotFound()
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="claim_evidence_viewed",
            target=evidence.claim,
            data={"evidence": evidence.pk},
            request=request,
        )
    return evidence
