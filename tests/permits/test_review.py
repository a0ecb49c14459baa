"""The officers' side: pre-check, review, four eyes, issuance, and what follows."""

from datetime import date

import pytest
import time_machine
from stdnum import luhn

from permits import actions, rules
from permits.models import Application, DocumentVersion, Permit, PermitHolder, Transition, WrittenNotice
from services.notifications.models import Notification
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed
from tests.factories import UserFactory

from .factories import PermitFactory, add_version, declared, upload_checklist

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(duties=["work_permit_officer"], preferred_language="zh-hans")


@pytest.fixture
def lead():
    return UserFactory(duties=["work_permit_officer", "lead_officer"], preferred_language="zh-hans")


def submitted(case):
    upload_checklist(case)
    declared(case, by=case.hr)
    case.refresh_from_db()
    hr = case.hr
    case = actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    case.hr = hr
    return case


def accept_all_documents(case, officer):
    for version in DocumentVersion.objects.filter(document__application=case):
        actions.document_review(actor=officer, version=version, status="accepted")


def accepted(case, officer):
    case = submitted(case)
    accept_all_documents(case, officer)
    return actions.application_accept(actor=officer, application=case, expected_version=case.version)


def in_review(case, officer):
    case = accepted(case, officer)
    actions.application_claim(actor=officer, application=case)
    case.refresh_from_db()
    return actions.application_start_review(actor=officer, application=case, expected_version=case.version)


def test_accepting_starts_the_review_clock_with_a_written_notice(case, officer):
    case = accepted(case, officer)
    assert case.state == "accepted"
    # Accepted Monday 2 March 2026: class B, 10 working days → 16 March; statutory 20 → 30 March.
    assert case.target_date == date(2026, 3, 16)
    assert case.statutory_limit == date(2026, 3, 30)
    notice = WrittenNotice.objects.get(application=case, kind="acceptance")
    assert notice.file.read().startswith(b"%PDF")
    assert Notification.objects.filter(kind="application_accepted", recipient=case.applicant).exists()


def test_the_file_cannot_be_accepted_while_a_document_is_unchecked(case, officer):
    case = submitted(case)
    with pytest.raises(NotAllowed) as error:
        actions.application_accept(actor=officer, application=case, expected_version=case.version)
    assert error.value.code == "conditions_not_met"


def test_a_return_lists_every_defect_at_once_and_the_list_stays_in_the_history(case, officer):
    case = submitted(case)
    hr = case.hr
    photo = DocumentVersion.objects.get(document__application=case, document__kind="photo")
    actions.document_review(
        actor=officer,
        version=photo,
        status="rejected",
        reason_code="photo_noncompliant",
        note="Background not white",
    )
    case = actions.application_return(
        actor=officer,
        application=case,
        expected_version=case.version,
        reason_codes=["data_mismatch"],
        note="Check the post title.",
    )
    assert case.state == "returned"
    notification = Notification.objects.get(kind="application_returned", recipient=case.applicant)
    texts = [item["text"] for item in notification.context["defects"]]
    assert len(texts) == 2
    assert any("Background not white" in text for text in texts)
    transition = Transition.objects.get(application=case, action="return")
    assert transition.reason_codes == ["data_mismatch"] and transition.comment == "Check the post title."
    assert WrittenNotice.objects.filter(application=case, kind="return").exists()

    # The applicant corrects and resubmits.
    add_version(case, "photo")
    declared(case, by=hr)
    case.refresh_from_db()
    case = actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    assert case.state == "submitted"
    assert Transition.objects.filter(application=case, action="resubmit").exists()


def test_a_rejection_needs_a_defect_code(case, officer):
    case = submitted(case)
    version = DocumentVersion.objects.filter(document__application=case).first()
    with pytest.raises(InvalidInput):
        actions.document_review(actor=officer, version=version, status="rejected", reason_code="")
    with pytest.raises(InvalidInput):
        actions.application_return(
            actor=officer, application=case, expected_version=case.version, reason_codes=["no_such_code"]
        )


def test_only_the_claiming_officer_works_the_case(case, officer):
    case = accepted(case, officer)
    other = UserFactory(duties=["work_permit_officer"])
    actions.application_claim(actor=officer, application=case)
    with pytest.raises(NotAllowed):
        actions.application_claim(actor=other, application=case)
    case.refresh_from_db()
    with pytest.raises(NotAllowed) as error:
        actions.application_start_review(actor=other, application=case, expected_version=case.version)
    assert "Claim the case" in error.value.message
    with pytest.raises(Forbidden):
        actions.application_reassign(actor=officer, application=case, officer=other)


def test_a_request_for_documents_stops_the_clock_and_the_answer_resumes_it(case, officer):
    case = in_review(case, officer)
    assert case.target_date == date(2026, 3, 16)
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        case = actions.application_request_documents(
            actor=officer,
            application=case,
            expected_version=case.version,
            kinds=["experience_proof"],
            message="Add the 2019 reference.",
        )
    assert case.state == "awaiting_documents"
    assert case.respond_by == date(2026, 4, 3)
    notification = Notification.objects.get(kind="documents_requested", recipient=case.applicant)
    assert notification.context["days_left"] == 30
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        add_version(case, "experience_proof")
        case.refresh_from_db()
        case = actions.application_answer(
            actor=case.applicant, application=case, expected_version=case.version
        )
    assert case.state == "under_review"
    # Counted: 3, 4 March (the request's day); stopped 5–10 March; resumed 11 March → 8 more working days.
    assert case.target_date == date(2026, 3, 20)
    assert case.statutory_limit == date(2026, 4, 3)


def test_approval_issues_an_18_digit_permit_with_a_pdf(case, officer):
    case = in_review(case, officer)
    case = actions.application_approve(
        actor=officer, application=case, expected_version=case.version, valid_until=date(2028, 3, 1)
    )
    assert case.state == "issued"
    permit = Permit.objects.get(application=case)
    assert permit.kind == "notice"
    assert len(permit.number) == 18 and permit.number.isdigit() and luhn.is_valid(permit.number)
    assert permit.number.startswith("312026")
    assert permit.valid_until == date(2026, 9, 1)  # a notice is valid 6 months
    assert [t.action for t in Transition.objects.filter(application=case).order_by("id")][-2:] == [
        "approve",
        "issue",
    ]
    pdf = WrittenNotice.objects.get(application=case, kind="permit")
    assert pdf.file.read().startswith(b"%PDF")
    assert Notification.objects.filter(kind="permit_issued", recipient=case.applicant).count() == 1


def test_validity_is_bounded_by_class_and_contract(case, officer):
    case = in_review(case, officer)
    with pytest.raises(InvalidInput) as error:
        actions.application_approve(
            actor=officer, application=case, expected_version=case.version, valid_until=date(2028, 3, 3)
        )
    assert "valid_until" in error.value.fields
    case.contract_end = date(2027, 1, 31)
    case.save()
    with pytest.raises(InvalidInput):
        actions.application_approve(
            actor=officer, application=case, expected_version=case.version, valid_until=date(2027, 2, 1)
        )


def test_a_refusal_takes_effect_only_when_another_lead_officer_confirms(case, officer, lead):
    case = in_review(case, officer)
    case = actions.application_propose_refusal(
        actor=officer,
        application=case,
        expected_version=case.version,
        reason_codes=["criteria_not_met"],
        note="Salary below the stated band.",
    )
    assert case.state == "under_review"
    assert not Notification.objects.filter(kind="application_refused").exists()
    with pytest.raises(Forbidden):
        actions.application_confirm_proposal(actor=officer, application=case, expected_version=case.version)
    case = actions.application_confirm_proposal(actor=lead, application=case, expected_version=case.version)
    assert case.state == "refused"
    notice = WrittenNotice.objects.get(application=case, kind="refusal")
    assert notice.language == case.submitted_language
    refused = Notification.objects.get(kind="application_refused", recipient=case.applicant)
    assert refused.context["reasons"][0]["code"] == "criteria_not_met"


def test_a_lead_officer_cannot_confirm_their_own_proposal(case, lead):
    case = in_review(case, lead)
    case = actions.application_propose_refusal(
        actor=lead, application=case, expected_version=case.version, reason_codes=["criteria_not_met"]
    )
    with pytest.raises(NotAllowed):
        actions.application_confirm_proposal(actor=lead, application=case, expected_version=case.version)


def test_a_class_a_points_approval_needs_a_lead_officer(case, officer, lead):
    case.annual_salary_cny = 500_000  # 20 + 20 + 9 + 15 + 15 + 5 (HSK 5) + 5 (extras) = 89 points → class A
    case.hsk_level = 5
    case.extras = ["patent"]
    case.save()
    case = in_review(case, officer)
    assert case.assessment.snapshot["category"] == "A"
    assert case.assessment.snapshot["decided_by"] == "points"
    # Green channel: 5 working days.
    assert case.target_date == date(2026, 3, 9)
    case = actions.application_approve(
        actor=officer, application=case, expected_version=case.version, valid_until=date(2028, 3, 1)
    )
    assert case.state == "under_review" and case.proposal_kind == "approval"
    case = actions.application_confirm_proposal(actor=lead, application=case, expected_version=case.version)
    assert case.state == "issued"


def test_the_statutory_limit_is_extended_once_with_a_reason(case, officer):
    case = in_review(case, officer)
    with pytest.raises(InvalidInput):
        actions.application_extend_limit(
            actor=officer, application=case, expected_version=case.version, reason=" "
        )
    case = actions.application_extend_limit(
        actor=officer, application=case, expected_version=case.version, reason="Verification abroad"
    )
    assert case.statutory_limit == date(2026, 4, 14)
    assert WrittenNotice.objects.filter(application=case, kind="extension").exists()
    with pytest.raises(NotAllowed):
        actions.application_extend_limit(
            actor=officer, application=case, expected_version=case.version, reason="Again"
        )


def test_a_returning_person_keeps_their_number(case, officer):
    holder = PermitHolder.objects.create(
        number="312020000000000013",
        nationality="JPN",
        date_of_birth=date(1992, 5, 17),
        passport_digests=["old"],
    )
    assert luhn.is_valid(holder.number)
    case = in_review(case, officer)
    case = actions.application_approve(
        actor=officer,
        application=case,
        expected_version=case.version,
        valid_until=date(2028, 3, 1),
        returning_holder=holder,
    )
    permit = Permit.objects.get(application=case)
    assert permit.number == holder.number
    holder.refresh_from_db()
    assert case.passport_digest in holder.passport_digests


def test_the_officer_can_override_the_class_with_a_reason(case, officer):
    case = in_review(case, officer)
    with pytest.raises(InvalidInput):
        actions.application_override_class(actor=officer, application=case, category="A", reason="")
    case = actions.application_override_class(
        actor=officer, application=case, category="A", reason="Recognised programme"
    )
    assert case.assessment.confirmed_category == "A"
    assert case.target_date == date(2026, 3, 9)


def test_a_cancellation_under_pledge_takes_effect_at_submission(case):
    permit = PermitFactory(holder=case.applicant, organization=case.organization, application=case)
    cancellation = actions.application_start_by_employer(
        actor=case.hr,
        organization=case.organization,
        business_type="cancellation",
        source_permit=permit,
        employee_email=case.applicant.email,
        employee_language="en",
    )
    cancellation = actions.application_update_employer_part(
        actor=case.hr,
        application=cancellation,
        expected_version=cancellation.version,
        data={"job_end_date": date(2026, 2, 27)},
    )
    add_version(cancellation, "job_end_proof", user=case.hr)
    cancellation = actions.application_declare(
        actor=case.hr, application=cancellation, expected_version=cancellation.version
    )
    assert cancellation.declaration_kind == "pledge"
    actions.application_submit(actor=case.hr, application=cancellation, expected_version=cancellation.version)
    permit.refresh_from_db()
    assert permit.state == "cancelled"


def test_revocation_needs_grounds_and_gives_a_written_decision(case, officer):
    permit = PermitFactory(holder=case.applicant, organization=case.organization, application=case)
    with pytest.raises(InvalidInput):
        actions.permit_revoke(actor=officer, permit=permit, reason_codes=["criteria_not_met"])
    actions.permit_revoke(
        actor=officer, permit=permit, reason_codes=["obtained_by_fraud"], comment="Forged degree"
    )
    permit.refresh_from_db()
    assert permit.state == "revoked"
    assert WrittenNotice.objects.filter(permit=permit, kind="revocation").exists()
    with pytest.raises(Forbidden):
        actions.permit_revoke(actor=case.hr, permit=permit, reason_codes=["obtained_by_fraud"])


def test_expired_permits_and_unused_notices_change_state_as_the_system(case):
    from talent_portal.core.actors import get_system_actor

    expired = PermitFactory(valid_until=date(2026, 3, 1))
    notice = PermitFactory(kind="notice", valid_until=date(2026, 2, 28))
    current = PermitFactory(valid_until=date(2026, 3, 2))
    assert actions.permits_expire_due(actor=get_system_actor()) == 2
    states = {p.pk: p.state for p in Permit.objects.all()}
    assert (states[expired.pk], states[notice.pk], states[current.pk]) == ("expired", "lapsed", "valid")
    assert actions.permits_expire_due(actor=get_system_actor()) == 0


def test_nobody_without_a_duty_works_the_queue(case):
    case = submitted(case)
    with pytest.raises(Forbidden):
        actions.application_claim(actor=case.applicant, application=case)
    with pytest.raises(Forbidden):
        actions.application_accept(actor=case.hr, application=case, expected_version=case.version)
    assert Application.objects.get(pk=case.pk).state == "submitted"
    assert rules.required_documents(case, on=date(2026, 3, 2))


def test_a_holder_asks_for_the_cancellation_a_former_employer_never_filed(client, case, officer):

    from django.urls import reverse

    from permits.models import Application

    permit = PermitFactory(holder=case.applicant, organization=case.organization, application=case)
    client.force_login(case.applicant)
    response = client.post(
        reverse("permits:application_start"),
        {
            "as": "applicant",
            "business_type": "cancellation",
            "route": "ordinary",
            "source_permit": str(permit.pk),
        },
    )
    assert response.status_code == 302
    request = Application.objects.get(business_type="cancellation")
    assert request.is_holder_request and request.organization == case.organization
    request = actions.application_update_applicant_part(
        actor=case.applicant,
        application=request,
        expected_version=request.version,
        data={"job_end_date": date(2026, 1, 31)},
    )
    add_version(request, "job_end_proof")
    request.refresh_from_db()
    request = actions.application_submit(
        actor=case.applicant, application=request, expected_version=request.version
    )
    permit.refresh_from_db()
    assert permit.state == "valid"  # no pledge: an officer decides
    for version in DocumentVersion.objects.filter(document__application=request):
        actions.document_review(actor=officer, version=version, status="accepted")
    request = actions.application_accept(actor=officer, application=request, expected_version=request.version)
    actions.application_claim(actor=officer, application=request)
    request.refresh_from_db()
    request = actions.application_start_review(
        actor=officer, application=request, expected_version=request.version
    )
    request = actions.application_approve(
        actor=officer, application=request, expected_version=request.version
    )
    permit.refresh_from_db()
    assert request.state == "issued"
    assert permit.state == "cancelled"


def test_a_new_employer_asks_for_the_cancellation_the_former_employer_never_filed(api_client, case, officer):
    from permits.models import Application
    from tests.factories import OrganizationFactory

    permit = PermitFactory(holder=case.applicant, organization=case.organization, application=case)
    new_employer = OrganizationFactory(verified=True)
    new_hr = UserFactory(member_of=new_employer)
    api_client.force_authenticate(new_hr)
    wrong = api_client.post(
        "/api/v1/cancellation-requests/",
        {
            "organization_id": new_employer.pk,
            "permit_number": permit.number,
            "holder_date_of_birth": "1992-05-18",
        },
        format="json",
    )
    assert wrong.status_code == 400
    response = api_client.post(
        "/api/v1/cancellation-requests/",
        {
            "organization_id": new_employer.pk,
            "permit_number": permit.number,
            "holder_date_of_birth": "1992-05-17",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    request = Application.objects.get(business_type="cancellation")
    assert request.requested_by == new_employer and request.organization == case.organization
    # The former employer sees it too; a stranger does not.
    assert api_client.get(f"/api/v1/applications/{request.public_id}/").status_code == 200
    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"/api/v1/applications/{request.public_id}/").status_code == 404

    request = actions.application_update_employer_part(
        actor=new_hr,
        application=request,
        expected_version=request.version,
        data={"job_end_date": date(2026, 1, 31)},
    )
    add_version(request, "job_end_proof", user=new_hr)
    request.refresh_from_db()
    request = actions.application_submit(actor=new_hr, application=request, expected_version=request.version)
    permit.refresh_from_db()
    assert permit.state == "valid"
    for version in DocumentVersion.objects.filter(document__application=request):
        actions.document_review(actor=officer, version=version, status="accepted")
    request = actions.application_accept(actor=officer, application=request, expected_version=request.version)
    actions.application_claim(actor=officer, application=request)
    request.refresh_from_db()
    request = actions.application_start_review(
        actor=officer, application=request, expected_version=request.version
    )
    actions.application_approve(actor=officer, application=request, expected_version=request.version)
    permit.refresh_from_db()
    assert permit.state == "cancelled"


def test_each_recipient_reads_the_defects_in_their_own_language(case, officer):
    case.applicant.preferred_language = "ja"
    case.applicant.save()
    case = submitted(case)
    hr = case.hr  # preferred language: Korean (see the fixture)
    actions.application_return(
        actor=officer, application=case, expected_version=case.version, reason_codes=["doc_missing"]
    )
    to_applicant = Notification.objects.get(kind="application_returned", recipient=case.applicant)
    to_employer = Notification.objects.get(kind="application_returned", recipient=hr)
    assert to_applicant.context["defects"][0]["text"] == "必要な書類が不足しています。"
    assert to_employer.context["defects"][0]["text"] == "필요한 서류가 누락되었습니다."
