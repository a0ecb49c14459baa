"""What ``permits`` holds about a person, for "Download my data" (see ``core.personal_data``):
the applications they are the applicant of (both parts, residence track and family members,
documents' metadata, public history, written notices) and the permits issued to them.

Internal notes of officers are not personal data of the applicant's own making and stay out.
Passport numbers are exported masked (``core.personal_data.field_values``).
"""

from pathlib import PurePosixPath

from django.db.models import Q

from talent_portal.core.models import AuditEvent
from talent_portal.core.personal_data import StoredFile, field_values, files, section

from .models import Application, DocumentVersion, Permit, ResidencePermit

# Officers' working fields of a case: not about the person, and partly internal.
CASE_EXCLUDED = ("proposal_data",)


def _applications(user):
    return (
        Application.objects.filter(applicant=user)
        .select_related("organization", "assessment")
        .prefetch_related(
            "documents__versions",
            "transitions",
            "notices",
            "residence_track__family_members",
            "residence_track__pauses",
        )
        .order_by("created_at", "pk")
    )


def _case(case: Application) -> dict:
    values = field_values(case, exclude=CASE_EXCLUDED)
    values["employer_name"] = case.organization.name_zh
    # The classification record of the case (the assessment and the officer's review of it).
    values["assessment"] = field_values(case.assessment) if case.assessment is not None else None
    values["documents"] = [
        field_values(version) | {"kind": document.kind}
        for document in case.documents.all()
        for version in document.versions.all()
    ]
    values["history"] = [
        {
            "at": transition.at,
            "track": transition.track,
            "action": transition.action,
            "from_state": transition.from_state,
            "to_state": transition.to_state,
            "actor_role": transition.actor_role,
            "reason_codes": transition.reason_codes,
            "comment": transition.comment,
        }
        for transition in case.transitions.all()
        if not transition.internal
    ]
    values["written_notices"] = [field_values(notice, exclude=("data",)) for notice in case.notices.all()]
    track = getattr(case, "residence_track", None)
    if track is not None:
        values["residence_track"] = field_values(track, exclude=("proposal_data",)) | {
            "family_members": [field_values(member) for member in track.family_members.all()],
            "pauses": [field_values(pause) for pause in track.pauses.all()],
        }
    return values


@section("applications", order=30)
def applications(user) -> list[dict]:
    return [_case(case) for case in _applications(user)]


@section("permits", order=31)
def permits(user) -> dict:
    work = [
        field_values(permit) for permit in Permit.objects.filter(holder=user).order_by("valid_from", "pk")
    ]
    residence = [
        field_values(permit)
        for permit in ResidencePermit.objects.filter(holder=user).order_by("valid_from", "pk")
    ]
    return {"work_permits": work, "residence_permits": residence}


@section("audit_events_about_applications", order=901)
def audit_events_about_applications(user) -> list[dict]:
    """The security log's events on the person's applications (document views, decisions…)."""
    ids = [str(pk) for pk in Application.objects.filter(applicant=user).values_list("pk", flat=True)]
    events = AuditEvent.objects.filter(
        Q(object_type=Application._meta.label_lower, object_id__in=ids)
    ).order_by("at", "id")
    return [field_values(event) for event in events]


@files
def uploaded_documents(user):
    versions = (
        DocumentVersion.objects.filter(document__application__applicant=user)
        .exclude(file="")
        .select_related("document__application")
        .order_by("document__application__pk", "document__kind", "number")
    )
    for version in versions:
        case = version.document.application
        # The uploaded name is the person's own, but never a path inside the archive.
        name = PurePosixPath(version.original_name.replace("\\", "/")).name or "file"
        yield StoredFile(
            path=f"files/{case.reference}/{version.document.kind}-v{version.number}-{name}",
            file=version.file,
        )
