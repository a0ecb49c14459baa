"""Permit numbers: 18 digits, unique, kept by a person for life.

Layout: ``31`` (Shanghai's administrative-division code) + the year of first issue (4 digits) +
an 11-digit serial + a Luhn check digit (python-stdnum). A returning person — matched by
passport history, nationality and date of birth, and confirmed by the officer — keeps theirs.
"""

from stdnum import luhn

from talent_portal.core.crypto import keyed_digest

from .models import NumberSequence, PermitHolder

REGION = "31"


def next_number(year: int) -> str:
    """Draw the next number of ``year``. Call inside a transaction: the sequence row is locked."""
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence = NumberSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    body = f"{REGION}{year:04d}{sequence.last:011d}"
    return body + luhn.calc_check_digit(body)


def is_valid_number(number: str) -> bool:
    return len(number) == 18 and number.isdigit() and luhn.is_valid(number)


def holder_candidates(application) -> list[tuple[PermitHolder, bool]]:
    """People in the register who may be this applicant, for the officer to confirm.

    Same nationality and date of birth; ``True`` beside a candidate whose passport history holds
    the applicant's passport (a strong match). A new passport alone never merges two people:
    the officer decides.
    """
    if not (application.nationality and application.date_of_birth):
        return []
    holders = PermitHolder.objects.filter(
        nationality=application.nationality, date_of_birth=application.date_of_birth
    ).order_by("created_at")
    return [(holder, application.passport_digest in holder.passport_digests) for holder in holders]


def holder_for(application, *, returning: PermitHolder | None, year: int) -> PermitHolder:
    """The register entry for the person: the confirmed returning one, or a new number."""
    digest = application.passport_digest or keyed_digest(application.passport_number)
    if returning is not None:
        if digest not in returning.passport_digests:
            returning.passport_digests = [*returning.passport_digests, digest]
            returning.save(update_fields=["passport_digests", "updated_at"])
        if returning.user_id is None and application.applicant_id:
            returning.user_id = application.applicant_id
            returning.save(update_fields=["user", "updated_at"])
        return returning
    return PermitHolder.objects.create(
        number=next_number(year),
        nationality=application.nationality,
        date_of_birth=application.date_of_birth,
        passport_digests=[digest],
        user_id=application.applicant_id,
    )
