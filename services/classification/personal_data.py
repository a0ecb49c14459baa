"""What ``classification`` holds about a person, for "Download my data" (``core.personal_data``):
recognition claims with their evidence (metadata, and the files themselves in the archive)."""

from pathlib import PurePosixPath

from talent_portal.core.personal_data import StoredFile, field_values, files, section

from .models import ClaimEvidence, RecognitionClaim


@section("recognition_claims", order=60)
def recognition_claims(user) -> list[dict]:
    rows = RecognitionClaim.objects.filter(applicant=user).prefetch_related("evidence").order_by("created_at")
    return [
        field_values(row) | {"evidence": [field_values(item) for item in row.evidence.all()]} for row in rows
    ]


@files
def claim_evidence(user):
    for item in ClaimEvidence.objects.filter(claim__applicant=user).exclude(file="").order_by("claim", "pk"):
        name = PurePosixPath(item.original_name.replace("\\", "/")).name or "file"
        yield StoredFile(path=f"files/recognition-claims/{item.claim_id}/{item.pk}-{name}", file=item.file)
