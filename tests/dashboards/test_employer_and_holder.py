"""The employer's dashboard (own numbers only, extensions in one click), the applicant's home and
the holder's documents (PDF text, QR verification, a tampered token)."""

from datetime import date, timedelta

import pypdfium2
import pytest
from django.conf import settings
from django.urls import reverse

from permits.holder_documents import HolderDocument, document_token
from permits.models import Application
from talent_portal.core.models import AuditEvent
from tests.factories import OrganizationFactory, UserFactory
from tests.permits.factories import ApplicationFactory, PermitFactory

TODAY = date(2026, 11, 2)


@pytest.fixture
def employer(db):
    organization = OrganizationFactory(verified=True, credit_standing="good")
    hr = UserFactory(member_of=organization)
    hr.organization = organization
    return hr


def _permit(organization, days_left, **extra):
    holder = extra.pop("holder", None) or UserFactory(preferred_language="ja")
    origin = ApplicationFactory(
        complete=True, organization=organization, applicant=holder, state="issued", surname=f"P{days_left}"
    )
    return PermitFactory(
        organization=organization,
        holder=holder,
        application=origin,
        holder_name=f"P{days_left} YUKI",
        valid_until=TODAY + timedelta(days=days_left),
        **extra,
    )


def test_employer_sees_own_numbers_only(client, employer):
    other = OrganizationFactory(verified=True)
    _permit(employer.organization, 40, talent_class="A")
    _permit(employer.organization, 300)
    _permit(employer.organization, 10, state="expired")
    _permit(other, 20)
    client.force_login(employer)
    response = client.get(reverse("dashboards:employer", args=[employer.organization.pk]))
    assert response.status_code == 200
    overview = response.context["overview"]
    headcount = {row[0]: row[1:] for row in overview.headcount_rows}
    # Columns: valid, expired, cancelled, revoked, lapsed, total.
    assert headcount["Class A — high-end talent"] == [1, 0, 0, 0, 0, 1]
    assert headcount["Class B — professional talent"] == [1, 1, 0, 0, 0, 2]
    assert sum(count for _month, count in overview.expiry_months) == 2
    assert [permit.holder_name for permit in overview.expiring] == ["P40 YUKI"]
    assert "P20 YUKI" not in response.content.decode()
    # Someone else's organisation: not found.
    assert client.get(reverse("dashboards:employer", args=[other.pk])).status_code == 404
    client.force_login(UserFactory(duties=["work_permit_officer"]))
    assert client.get(reverse("dashboards:employer", args=[employer.organization.pk])).status_code == 404


def test_open_cases_say_what_they_wait_for(client, employer):
    ApplicationFactory(
        complete=True, organization=employer.organization, state="submitted", target_date=TODAY
    )
    ApplicationFactory(complete=True, organization=employer.organization, state="issued")
    client.force_login(employer)
    response = client.get(reverse("dashboards:employer", args=[employer.organization.pk]))
    cases = response.context["overview"].open_cases
    assert len(cases) == 1
    assert cases[0].waiting_for == "the commission's pre-check"


def test_one_click_starts_a_separate_extension_per_person(client, employer):
    first = _permit(employer.organization, 20)
    second = _permit(employer.organization, 75)
    _permit(employer.organization, 200)  # outside the 90-day window
    already = _permit(employer.organization, 30)
    ApplicationFactory(
        organization=employer.organization,
        business_type="extension",
        source_permit=already,
        state="submitted",
    )
    client.force_login(employer)
    url = reverse("dashboards:employer_extensions", args=[employer.organization.pk])
    response = client.post(url, {"within_days": 90})
    assert response.status_code == 302
    started = Application.objects.filter(business_type="extension", created_by=employer).order_by(
        "source_permit_id"
    )
    assert [case.source_permit for case in started] == [first, second]
    for case, permit in zip(started, (first, second), strict=True):
        assert case.applicant == permit.holder
        assert case.surname == permit.application.surname  # each with its own data
        assert case.state == "draft"
    assert AuditEvent.objects.filter(action="extensions_started_in_bulk").count() == 1
    # A second click starts nothing new.
    client.post(url, {"within_days": 90})
    assert Application.objects.filter(business_type="extension", created_by=employer).count() == 2


def test_extensions_cannot_be_started_for_another_organisation(client, employer):
    other = OrganizationFactory(verified=True)
    _permit(other, 20)
    client.force_login(employer)
    response = client.post(reverse("dashboards:employer_extensions", args=[other.pk]), {"within_days": 90})
    assert response.status_code == 404
    assert not Application.objects.filter(business_type="extension").exists()


def test_employer_page_query_count_is_fixed(client, employer, django_assert_max_num_queries):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    client.force_login(employer)
    url = reverse("dashboards:employer", args=[employer.organization.pk])
    _permit(employer.organization, 20)
    client.get(url)
    reset_queries()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for days in (25, 30, 35, 50, 60):
        _permit(employer.organization, days)
        ApplicationFactory(complete=True, organization=employer.organization, state="under_review")
    reset_queries()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) > 5


def test_applicant_home_shows_days_left_and_next_step(client, employer):
    holder = UserFactory()
    _permit(employer.organization, 50, holder=holder)
    ApplicationFactory(
        applicant=holder, organization=employer.organization, state="accepted", target_date=date(2026, 11, 20)
    )
    client.force_login(holder)
    body = client.get(reverse("dashboards:home")).content.decode()
    assert "50 days left" in body
    # 30 days before the end (22 December 2026).
    assert "Next step: apply for an extension by Nov. 22, 2026." in body
    assert "decision expected by Nov. 20, 2026" in body


def _text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


@pytest.mark.parametrize("kind", HolderDocument.values)
def test_holder_document_pdf_in_english_and_chinese_verifies(client, employer, kind):
    holder = UserFactory(preferred_language="en")
    permit = _permit(employer.organization, 200, holder=holder)
    client.force_login(holder)
    response = client.get(
        reverse("dashboards:holder_document", args=[permit.number]), {"kind": kind, "language": "en"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    token = document_token(permit, kind, TODAY)
    link = f"{settings.SITE_URL}/verify/{token}"
    assert permit.holder_name in text
    assert link in text.replace("\r", "").replace("\n", "")
    assert str(HolderDocument(kind).label) in text
    assert "上海市科学技术委员会" in text or "科学技术委员会" in text
    assert AuditEvent.objects.filter(action="holder_document_issued", object_id=str(permit.pk)).exists()

    client.logout()
    verified = client.get(f"/verify/{token}")
    assert verified.status_code == 200
    assert "genuine and valid" in verified.content.decode()
    assert str(HolderDocument(kind).label) in verified.content.decode()
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(f"/verify/{tampered}").status_code == 404
    forged_payload = token.replace(permit.number, permit.number[:-1] + "9")
    assert client.get(f"/verify/{forged_payload}").status_code == 404


def test_holder_documents_only_for_the_holder_of_a_current_card(client, employer):
    holder = UserFactory()
    permit = _permit(employer.organization, 200, holder=holder)
    url = reverse("dashboards:holder_document", args=[permit.number])
    client.force_login(UserFactory())
    assert client.get(url, {"kind": "salary_remittance", "language": "en"}).status_code == 404
    client.force_login(employer)
    assert client.get(url, {"kind": "salary_remittance", "language": "en"}).status_code == 404
    expired = _permit(employer.organization, 10, holder=UserFactory(), state="expired")
    client.force_login(expired.holder)
    response = client.get(
        reverse("dashboards:holder_document", args=[expired.number]),
        {"kind": "salary_remittance", "language": "en"},
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="holder_document_issued").exists()
