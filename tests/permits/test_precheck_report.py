"""The automatic pre-check (issue 13): findings with codes, one consolidated stop at submission."""

from datetime import timedelta

import pytest
from django.urls import reverse

from permits import actions, precheck
from permits.models import Application, DocumentKind
from talent_portal.core.errors import NotAllowed

from . import mrz_pages
from .factories import TODAY, add_version, declared, photo_bytes, upload_checklist

pytestmark = pytest.mark.django_db


def _ready(case):
    upload_checklist(case)
    add_version(case, DocumentKind.PHOTO, content=photo_bytes())  # a photo of a real photo's size
    declared(case, by=case.hr)
    return Application.objects.get(pk=case.pk)


def _codes(case):
    return {finding.code for finding in precheck.precheck_report(case, on=TODAY)}


def test_names_compare_regardless_of_order_spacing_and_case():
    assert precheck.normalised_name("VAN DER BERG", "Hans Peter") == precheck.normalised_name(
        "vanderberg", "PETER HANS"
    )
    assert precheck.normalised_name("SMITH", "JOHN") != precheck.normalised_name("SMYTH", "JOHN")


def test_a_complete_case_has_no_finding(case):
    case = _ready(case)
    assert precheck.precheck_report(case, on=TODAY) == []


def test_a_name_typed_unlike_the_passport_is_a_blocking_finding(case):
    case = _ready(case)
    case.passport_reading = {"surname": "SOMEONE", "given_names": "ELSE", "confirmed": True}
    [finding] = precheck.precheck_report(case, on=TODAY)
    assert (finding.code, finding.severity, finding.concerns) == ("name_mismatch", "blocking", "surname")
    case.passport_reading = {"surname": case.given_names, "given_names": case.surname, "confirmed": True}
    assert precheck.precheck_report(case, on=TODAY) == []


def test_a_passport_expiring_before_the_period_requested_is_a_finding(case):
    case = _ready(case)
    case.contract_end = TODAY + timedelta(days=700)
    case.passport_expiry = TODAY + timedelta(days=300)
    assert _codes(case) == {"passport_shorter_than_period"}


def test_salaries_that_differ_are_a_finding_and_old_cases_without_one_are_not(case):
    case = _ready(case)
    case.annual_salary_cny = 500_000
    case.declared_salary_cny = None
    assert "salary_mismatch" not in _codes(case)
    case.declared_salary_cny = 450_000
    assert _codes(case) == {"salary_mismatch"}


def test_missing_documents_and_an_unverified_employer_are_findings(case):
    codes = _codes(case)
    assert "document_missing" in codes
    case.organization.verification_status = "pending"
    assert "employer_not_eligible" in _codes(case)


def test_an_expired_health_certificate_and_a_name_mismatch_are_stopped_together(case):
    case = _ready(case)
    add_version(case, DocumentKind.HEALTH_CERTIFICATE, issue_date=TODAY - timedelta(days=200))
    Application.objects.filter(pk=case.pk).update(
        passport_reading={"surname": "OTHER", "given_names": "NAME", "confirmed": True}
    )
    case = Application.objects.get(pk=case.pk)
    codes = _codes(case)
    assert {"document_lapsed", "name_mismatch"} <= codes
    with pytest.raises(NotAllowed) as error:
        actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    problems = " ".join(str(problem) for problem in error.value.fields["problems"])
    assert "more than 6 months ago" in problems
    assert "does not match the name read from the passport" in problems
    assert Application.objects.get(pk=case.pk).state == "draft"


def test_a_typed_mrz_keeps_the_names_read_for_the_precheck_once_confirmed(client, case):
    client.force_login(case.applicant)
    line1, line2 = mrz_pages.GERMAN_SPECIMEN.mrz_lines()
    response = client.post(
        reverse("permits:passport_reading", kwargs={"public_id": case.public_id}),
        {"mrz": f"{line1}\n{line2}"},
    )
    case.refresh_from_db()
    assert case.passport_reading is None  # read, not yet confirmed: nothing kept on the case
    assert "name_mismatch" not in _codes(case)
    # The applicant saves the identity step after the reading, keeping a name of their own.
    client.post(
        response["Location"],
        {
            "surname": "TANAKA",
            "given_names": "YUKI",
            "nationality": "DEU",
            "date_of_birth": "1964-08-12",
            "sex": "F",
            "passport_number": "C01X00T47",
            "passport_expiry": "2031-01-01",
            "version": case.version,
        },
    )
    case.refresh_from_db()
    assert case.surname == "TANAKA"
    assert case.passport_reading["surname"] == "MUSTERMANN"
    assert case.passport_reading["given_names"] == "ERIKA"
    assert case.passport_reading["confirmed"] is True
    assert "name_mismatch" in _codes(case)


def test_the_applicant_sees_the_report_on_the_case_page_before_submitting(client, case):
    Application.objects.filter(pk=case.pk).update(
        passport_reading={"surname": "OTHER", "given_names": "NAME", "confirmed": True}
    )
    client.force_login(case.applicant)
    page = client.get(reverse("permits:application", kwargs={"public_id": case.public_id}))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-code="name_mismatch"' in body
    assert body.index('id="precheck"') < body.index("<h1")
