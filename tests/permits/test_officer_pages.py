"""Officers at work in the browser: the queue, the case page, decisions, verification."""

import re
from datetime import date

import pytest
from django.core.signing import Signer
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from permits import actions
from permits.models import DocumentVersion, Permit
from permits.notices import verification_token
from tests.factories import UserFactory

from .factories import ApplicationFactory, PermitFactory, declared, upload_checklist

pytestmark = pytest.mark.django_db


def zh(name, *args):
    with translation.override("zh-hans"):
        return reverse(name, args=args)


@pytest.fixture
def officer():
    return UserFactory(duties=["work_permit_officer"], preferred_language="zh-hans")


def _submitted(case):
    upload_checklist(case)
    declared(case, by=case.hr)
    case.refresh_from_db()
    return actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)


def _queue_queries(client, size):
    with CaptureQueriesContext(connection) as context:
        response = client.get(zh("permits:queue") + f"?size={size}")
    assert response.status_code == 200
    return len(context.captured_queries), response


def test_the_queue_makes_the_same_number_of_queries_for_10_or_100_rows(client, officer):
    for _ in range(120):
        case = ApplicationFactory(complete=True, state="submitted", target_date=date(2026, 3, 9))
        case.refresh_from_db()
    client.force_login(officer)
    small, response_small = _queue_queries(client, 10)
    large, response_large = _queue_queries(client, 100)
    assert len(response_small.context["rows"]) == 10
    assert len(response_large.context["rows"]) == 100
    assert small == large


def test_the_queue_pages_by_target_date_then_id_without_gaps(client, officer):
    dates = [date(2026, 3, day) for day in (9, 3, 9, 5, 3)]
    cases = [ApplicationFactory(complete=True, state="submitted", target_date=d) for d in dates]
    client.force_login(officer)
    seen, cursor = [], ""
    while True:
        response = client.get(zh("permits:queue") + f"?size=2&after={cursor}")
        seen += [case.pk for case, _flags in response.context["rows"]]
        cursor = response.context["next_cursor"]
        if not cursor:
            break
    expected = [case.pk for case in sorted(cases, key=lambda c: (c.target_date, c.pk))]
    assert seen == expected


def test_overdue_and_near_breach_cases_stand_out_and_filters_work(client, officer):
    late = ApplicationFactory(
        complete=True, state="under_review", target_date=date(2026, 2, 27), statutory_limit=date(2026, 3, 4)
    )
    calm = ApplicationFactory(
        complete=True, state="under_review", target_date=date(2026, 3, 20), statutory_limit=date(2026, 4, 10)
    )
    client.force_login(officer)
    response = client.get(zh("permits:queue"))
    flags = {case.pk: row for case, row in response.context["rows"]}
    assert flags[late.pk]["overdue"] and flags[late.pk]["near_breach"]
    assert not flags[calm.pk]["overdue"]
    assert 'class="table-warning"' in response.content.decode()
    only_overdue = client.get(zh("permits:queue") + "?overdue=on")
    assert [case.pk for case, _ in only_overdue.context["rows"]] == [late.pk]
    by_passport = client.get(zh("permits:queue") + "?q=tk1234567")
    assert {case.pk for case, _ in by_passport.context["rows"]} == {late.pk, calm.pk}


def test_the_queue_is_for_officers_only(client, user):
    client.force_login(user)
    assert client.get(zh("permits:queue")).status_code == 404


def test_an_officer_returns_a_case_with_two_defects_from_the_page(client, officer, case):
    case = _submitted(case)
    client.force_login(officer)
    page = client.get(zh("permits:application", case.public_id))
    assert page.status_code == 200
    assert "officer-panel" in page.content.decode()
    response = client.post(
        zh("permits:decide", case.public_id, "return"),
        {"version": case.version, "reason_codes": ["doc_illegible", "data_mismatch"], "note": "请重新上传"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "returned"
    # The applicant sees the list in the history, and not the officer's desk.
    client.force_login(case.applicant)
    page = client.get(zh("permits:application", case.public_id)).content.decode()
    assert "officer-panel" not in page
    # ... as the reasons' texts in the page's language, not as bare codes.
    from permits.models import ReasonCode

    with translation.override("zh-hans"):
        texts = [ReasonCode.objects.get(code=code).text for code in ("doc_illegible", "data_mismatch")]
    assert all(f"<li>{text}</li>" in page for text in texts)


def test_a_stale_decision_gets_a_clear_conflict(client, officer, case):
    case = _submitted(case)
    for version in DocumentVersion.objects.filter(document__application=case):
        actions.document_review(actor=officer, version=version, status="accepted")
    client.force_login(officer)
    client.post(zh("permits:decide", case.public_id, "accept"), {"version": case.version})
    response = client.post(
        zh("permits:decide", case.public_id, "accept"), {"version": case.version}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("其他人已对其进行了修改" in m for m in messages)


def test_the_qr_link_shows_the_live_status_and_a_tampered_one_is_refused(client):
    permit = PermitFactory(holder_name="TANAKA YUKI", passport_last_digits="567")
    token = verification_token(permit)
    page = client.get(f"/verify/{token}", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert page.status_code == 200
    assert "TANAKA YUKI" in body and "•••••567" in body and "genuine and valid" in body
    assert permit.organization.name_zh in body
    assert "1992" not in body  # no date of birth, nothing beyond the listed fields
    Permit.objects.filter(pk=permit.pk).update(state="cancelled")
    assert "Cancelled" in client.get(f"/verify/{token}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    forged = Signer(salt="another").sign(permit.number)
    assert client.get(f"/verify/{forged}").status_code == 404
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(f"/verify/{tampered}")
    assert response.status_code == 404
    assert "cannot be verified" in response.content.decode()


def test_verification_by_number_and_date_of_birth(client):
    permit = PermitFactory()
    response = client.post(
        zh("permits:verify_lookup"), {"number": permit.number, "date_of_birth": "1992-05-17"}
    )
    assert response.context["permit"]["number"] == permit.number
    wrong = client.post(zh("permits:verify_lookup"), {"number": permit.number, "date_of_birth": "1992-05-18"})
    assert wrong.context["not_found"] and wrong.context["permit"] is None


def test_the_permit_pdf_carries_the_qr_link(case, officer):
    import pypdfium2

    case = _submitted(case)
    for version in DocumentVersion.objects.filter(document__application=case):
        actions.document_review(actor=officer, version=version, status="accepted")
    case = actions.application_accept(actor=officer, application=case, expected_version=case.version)
    actions.application_claim(actor=officer, application=case)
    case.refresh_from_db()
    case = actions.application_start_review(actor=officer, application=case, expected_version=case.version)
    case = actions.application_approve(
        actor=officer, application=case, expected_version=case.version, valid_until=date(2028, 3, 1)
    )
    notice = case.notices.get(kind="permit")
    document = pypdfium2.PdfDocument(notice.file.read())
    text = document[0].get_textpage().get_text_range()
    permit = Permit.objects.get(application=case)
    assert permit.number in text
    assert "/verify/" in text
    assert re.search("工作许可", text)


@pytest.mark.parametrize(
    ("state", "label"),
    [
        ("valid", "genuine and valid"),
        ("expired", "Expired"),
        ("cancelled", "Cancelled"),
        ("revoked", "Revoked"),
        ("lapsed", "Lapsed"),
    ],
)
def test_the_verification_page_shows_each_status(client, state, label):
    permit = PermitFactory(state=state)
    body = client.get(f"/verify/{verification_token(permit)}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert label in body


def test_nobody_edits_or_deletes_the_history_in_the_admin(admin_client, case, officer):
    from permits.models import Transition

    case = _submitted(case)
    transition = Transition.objects.filter(application=case).first()
    assert admin_client.get(f"/en/admin/permits/transition/{transition.pk}/change/").status_code in (200, 403)
    response = admin_client.post(f"/en/admin/permits/transition/{transition.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    response = admin_client.post(
        f"/en/admin/permits/transition/{transition.pk}/change/", {"action": "tampered"}
    )
    assert response.status_code == 403
    transition.refresh_from_db()
    assert transition.action == "submit" or transition.action in ("create", "join", "declared")
    assert admin_client.get("/en/admin/permits/reasoncode/add/").status_code == 200
