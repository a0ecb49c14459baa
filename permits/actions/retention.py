"""Retention of personal data (PIPL art. 19, 47): abandoned drafts and long-closed cases lose
their personal data and uploaded files; the decision record stays.

Never deleted: the case row (reference, business type, employer, state, class, dates, decision),
its ``Transition`` history, written notices, issued permits and every audit row (PostgreSQL
refuses to change those anyway). Deleted or blanked: the uploaded files (their metadata — kind,
number, size, checksum, review status — stays as the record of what was filed), the applicant's
identity and passport fields, the invitation address, the residence address and accommodation
registration, and the accompanying family members.

Idempotent: a purged case carries ``personal_data_purged_at`` and is never selected again.
"""

import logging
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from talent_portal.core.audit import audit_record

from .. import deadlines
from ..models import Application, DocumentVersion, FamilyMember, Permit, ResidenceTrack, State

logger = logging.getLogger(__name__)

# Closed without a permit: the decision (or the withdrawal) is final.
CLOSED_WITHOUT_PERMIT = frozenset({State.REFUSED, State.WITHDRAWN, State.CLOSED})

# The applicant's personal fields of the case, and the value each is blanked to.
PERSONAL_FIELDS = {
    "surname": "",
    "given_names": "",
    "date_of_birth": None,
    "sex": "",
    "passport_number": "",
    "passport_digest": "",
    "passport_expiry": None,
    "invitation_email": "",
    "invitation_token_digest": "",
    "entry_date": None,
}
RESIDENCE_PERSONAL_FIELDS = {"shanghai_address": "", "accommodation_registration_number": ""}


@dataclass
class PurgeReport:
    dry_run: bool
    abandoned_drafts: int = 0
    closed_cases: int = 0
    files_deleted: int = 0
    family_members_deleted: int = 0
    application_ids: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _abandoned_drafts(now):
    cutoff = now - timedelta(days=settings.RETENTION_ABANDONED_DRAFT_DAYS)
    # The last sign of life: a change of the case or an upload to it.
    return (
        Application.objects.filter(
            state=State.DRAFT, submitted_at__isnull=True, personal_data_purged_at__isnull=True
        )
        .annotate(
            last_activity=Greatest(
                "updated_at",
                Coalesce(Max("documents__versions__uploaded_at"), "updated_at", output_field=DateTimeField()),
            )
        )
        .filter(last_activity__lt=cutoff)
    )


def _closed_cases(now):
    cutoff = now - timedelta(days=settings.RETENTION_CLOSED_CASE_DAYS)
    # An issued case is closed once no permit it issued (or extended) is valid within the period.
    permit_still_kept = Permit.objects.filter(
        Q(application=OuterRef("pk")) | Q(pk=OuterRef("source_permit_id")),
        valid_until__gte=deadlines.today() - timedelta(days=settings.RETENTION_CLOSED_CASE_DAYS),
    )
    return (
        Application.objects.filter(personal_data_purged_at__isnull=True)
        .filter(Q(state__in=CLOSED_WITHOUT_PERMIT) | Q(state=State.ISSUED))
        .annotate(
            closed_at=Coalesce(Max("transitions__at"), "decided_at", "updated_at"),
            permit_kept=Exists(permit_still_kept),
        )
        .filter(closed_at__lt=cutoff)
        .exclude(state=State.ISSUED, permit_kept=True)
    )


def _purge_case(case: Application, *, now) -> tuple[int, int]:
    """Blank one case's personal data and delete its files (in the caller's transaction)."""
    files = 0
    versions = DocumentVersion.objects.select_for_update().filter(document__application=case).exclude(file="")
    for version in versions:
        name, storage = version.file.name, version.file.storage
        # The file goes only once the blanked row is committed: a rollback keeps both.
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        version.file.name = ""
        version.original_name = ""
        version.save(update_fields=["file", "original_name"])
        files += 1
    family_deleted = 0
    track = ResidenceTrack.objects.select_for_update().filter(application=case).first()
    if track is not None:
        family_deleted, _by_model = FamilyMember.objects.filter(track=track).delete()
        for name, blank in RESIDENCE_PERSONAL_FIELDS.items():
            setattr(track, name, blank)
        track.save(update_fields=list(RESIDENCE_PERSONAL_FIELDS))
    for name, blank in PERSONAL_FIELDS.items():
        setattr(case, name, blank)
    case.personal_data_purged_at = now
    case.save(update_fields=[*PERSONAL_FIELDS, "personal_data_purged_at"])
    return files, family_deleted


def personal_data_purge_expired(*, actor, dry_run: bool = False) -> PurgeReport:
    """Purge the personal data of abandoned drafts and of cases closed past the retention period.

    Each case in its own transaction (with its audit row), so a failure leaves the others done;
    one summary audit row for the run. ``dry_run`` only counts.
    """
    now = timezone.now()
    report = PurgeReport(dry_run=dry_run)
    selections = (
        ("abandoned_draft", _abandoned_drafts(now)),
        ("closed_case", _closed_cases(now)),
    )
    for reason, queryset in selections:
        for case_id in queryset.values_list("pk", flat=True).order_by("pk"):
            if dry_run:
                files, family = (
                    DocumentVersion.objects.filter(document__application_id=case_id).exclude(file="").count(),
                    FamilyMember.objects.filter(track__application_id=case_id).count(),
                )
            else:
                with transaction.atomic():
                    # Locking order of the portal: the Application row first (then the track).
                    case = (
                        Application.objects.select_for_update(of=("self",))
                        .filter(pk=case_id, personal_data_purged_at__isnull=True)
                        .first()
                    )
                    if case is None:  # purged by a concurrent run meanwhile
                        continue
                    files, family = _purge_case(case, now=now)
                    audit_record(
                        actor=actor,
                        action="application_personal_data_purged",
                        target=case,
                        data={"reason": reason, "files": files, "family_members": family},
                    )
            if reason == "abandoned_draft":
                report.abandoned_drafts += 1
            else:
                report.closed_cases += 1
            report.files_deleted += files
            report.family_members_deleted += family
            report.application_ids.append(case_id)
    if not dry_run:
        audit_record(
            actor=actor,
            action="personal_data_purged",
            data={
                "abandoned_drafts": report.abandoned_drafts,
                "closed_cases": report.closed_cases,
                "files_deleted": report.files_deleted,
                "family_members_deleted": report.family_members_deleted,
                "draft_days": settings.RETENTION_ABANDONED_DRAFT_DAYS,
                "closed_case_days": settings.RETENTION_CLOSED_CASE_DAYS,
            },
        )
    logger.info(
        "personal_data_purged",
        extra={
            "dry_run": dry_run,
            "abandoned_drafts": report.abandoned_drafts,
            "closed_cases": report.closed_cases,
            "files_deleted": report.files_deleted,
        },
    )
    return report
