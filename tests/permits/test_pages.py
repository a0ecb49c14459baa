"""The guided form as people use it: pages, steps saved as drafts, uploads, submission."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from permits import rules
from permits.models import Application, Transition
from services.notifications.models import Notification
from tests.factories import OrganizationFactory, UserFactory

from .factories import TODAY, jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def url(name, *args, language="ko"):
    with translation.override(language):
        return reverse(name, args=args)


def post_step(client, application, slug, data):
    application.refresh_from_db()
    return client.post(
        url("permits:part_step", application.public_id, slug), {**data, "version": application.version}
    )


def test_an_employer_and_employee_complete_and_submit_a_case_in_korean(client):
    organization = OrganizationFactory(verified=True, credit_standing="good")
    hr = UserFactory(member_of=organization, preferred_language="ko")
    employee = UserFactory(email="minji@example.kr", preferred_language="ko")

    client.force_login(hr)
    response = client.post(
        url("permits:employer_start", organization.pk),
        {
            "business_type": "new_notice",
            "route": "ordinary",
            "employee_email": "minji@example.kr",
            "employee_language": "ko",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert (
        post_step(
            client,
            application,
            "post",
            {"post_title": "AI researcher", "duties": "Trains models.", "annual_salary_cny": "500000"},
        ).status_code
        == 302
    )
    response = post_step(
        client,
        application,
        "contract",
        {
            "contract_start": "2026-05-01",
            "contract_end": "2026-04-01",
            "work_district": "xuhui",
            "work_address": "漕溪北路 1 号",
        },
    )
    assert response.status_code == 200
    assert "contract_end" in response.context["form"].errors
    post_step(
        client,
        application,
        "contract",
        {
            "contract_start": "2026-05-01",
            "contract_end": "2028-04-30",
            "work_district": "xuhui",
            "work_address": "漕溪北路 1 号",
        },
    )
    application.refresh_from_db()
    assert application.employer_part_completed_at is not None

    # The employee accepts the invitation and fills in the guided form, step by step.
    invitation = Notification.objects.get(kind="application_invitation")
    token = invitation.context["accept_url"].rstrip("/").rsplit("/", 1)[-1]
    client.force_login(employee)
    assert client.post(url("permits:accept_invitation", token)).status_code == 302
    response = post_step(
        client,
        application,
        "identity",
        {
            "surname": "KIM",
            "given_names": "MIN JI",
            "nationality": "KOR",
            "date_of_birth": "1990-02-03",
            "sex": "F",
            "passport_number": "m 1234 5678",
            "passport_expiry": "2032-01-01",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/part/background/")
    # "Save and finish later" leaves the draft and returns to the case.
    application.refresh_from_db()
    response = client.post(
        url("permits:part_step", application.public_id, "background"),
        {
            "education": "master",
            "related_experience_years": "4",
            "months_in_china_per_year": "12",
            "hsk_level": "3",
            "version": application.version,
            "save_exit": "1",
        },
    )
    assert response["Location"] == url("permits:application", application.public_id)
    post_step(client, application, "talent", {"claimed_class": "B"})
    post_step(client, application, "situation", {})
    application.refresh_from_db()
    assert application.passport_number == "M12345678"
    assert application.applicant_part_completed_at is not None

    for kind in rules.required_documents(application, on=TODAY):
        if kind == "employment_contract":
            continue
        content = jpeg_bytes() if kind == "photo" else pdf_bytes(kind)
        data = {"kind": kind, "file": SimpleUploadedFile(f"{kind}.bin", content)}
        if kind in rules.DATED_KINDS:
            data["issue_date"] = "2026-02-01"
            data["consent"] = "on"  # sensitive personal information
        response = client.post(url("permits:document_upload", application.public_id), data)
        assert response.status_code == 302

    client.force_login(hr)
    client.post(
        url("permits:document_upload", application.public_id),
        {"kind": "employment_contract", "file": SimpleUploadedFile("contract.pdf", pdf_bytes("contract"))},
    )
    application.refresh_from_db()
    client.post(url("permits:declare", application.public_id), {"version": application.version})
    application.refresh_from_db()
    assert application.declaration_kind == "pledge"

    review = client.get(url("permits:review", application.public_id))
    assert review.status_code == 200
    assert review.context["assessment"].category == "B"

    client.force_login(employee)
    application.refresh_from_db()
    response = client.post(url("permits:submit", application.public_id), {"version": application.version})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "submitted"
    assert application.submitted_language == "ko"
    # Both see the same timeline.
    for person in (employee, hr):
        client.force_login(person)
        page = client.get(url("permits:application", application.public_id))
        actions_seen = [t.action for t in page.context["timeline"]]
        assert actions_seen == list(
            Transition.objects.filter(application=application)
            .order_by("at", "id")
            .values_list("action", flat=True)
        )
        assert '<html lang="ko">' in page.content.decode()


def test_a_double_click_on_submit_submits_once(client, case):
    from .factories import declared, upload_checklist

    upload_checklist(case)
    declared(case, by=case.hr)
    case.refresh_from_db()
    client.force_login(case.applicant)
    for _ in range(2):
        client.post(url("permits:submit", case.public_id), {"version": case.version})
    assert Transition.objects.filter(application=case, action="submit").count() == 1


def test_the_step_form_shows_translated_errors(client, case):
    client.force_login(case.applicant)
    case.refresh_from_db()
    response = client.post(
        url("permits:part_step", case.public_id, "identity", language="en"),
        {
            "surname": "T4NAKA",
            "given_names": "",
            "nationality": "XXX",
            "date_of_birth": "2015-01-01",
            "sex": "F",
            "passport_number": "!",
            "passport_expiry": "2020-01-01",
            "version": case.version,
        },
    )
    errors = response.context["form"].errors
    assert set(errors) == {
        "surname",
        "given_names",
        "nationality",
        "date_of_birth",
        "passport_number",
        "passport_expiry",
    }
    case.refresh_from_db()
    assert case.surname == "TANAKA"


def test_the_self_assessment_answers_are_carried_over_as_suggestions(client, user):
    organization = OrganizationFactory(verified=True)
    client.force_login(user)
    session = client.session
    session["self_assessment"] = {
        "education": "master",
        "related_experience_years": 7,
        "hsk_level": 4,
        "annual_salary_cny": 999999,
    }
    session.save()
    response = client.post(
        url("permits:application_start", language="ja"),
        {
            "as": "applicant",
            "business_type": "new_notice",
            "employer_uscc": organization.uscc,
            "route": "ordinary",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.education, application.related_experience_years, application.hsk_level) == (
        "master",
        7,
        4,
    )
    # The salary is the employer's to type.
    assert application.annual_salary_cny is None


def test_an_unknown_employer_code_is_explained(client, user):
    client.force_login(user)
    response = client.post(
        url("permits:application_start", language="en"),
        {
            "as": "applicant",
            "business_type": "new_notice",
            "employer_uscc": "91440300708461136T",
            "route": "ordinary",
        },
    )
    assert response.status_code == 200
    assert "No verified employer" in str(response.context["form"].errors["employer_uscc"])


def test_public_status_lookup_shows_the_stage_and_nothing_personal(client, case):
    case.state = "submitted"
    case.target_date = TODAY
    case.save()
    response = client.post(
        url("permits:status_lookup", language="en"),
        {"reference": case.reference.lower(), "date_of_birth": "1992-05-17"},
    )
    body = response.content.decode()
    assert response.context["result"] == case
    assert "TANAKA" not in body and case.organization.name_zh not in body
    wrong = client.post(
        url("permits:status_lookup", language="en"),
        {"reference": case.reference, "date_of_birth": "1992-05-18"},
    )
    missing = client.post(
        url("permits:status_lookup", language="en"),
        {"reference": "SH2026-XXXX-XXXX", "date_of_birth": "1992-05-17"},
    )
    assert wrong.context["not_found"] and missing.context["not_found"]


def test_status_lookup_is_rate_limited(client, case):
    case.state = "submitted"
    case.save()
    for _ in range(10):
        client.post(
            url("permits:status_lookup", language="en"),
            {"reference": "SH2026-XXXX-XXXX", "date_of_birth": "1992-05-17"},
        )
    response = client.post(
        url("permits:status_lookup", language="en"),
        {"reference": case.reference, "date_of_birth": "1992-05-17"},
    )
    assert response.context["result"] is None
    assert "Too many attempts" in str(response.context["form"].non_field_errors())


def test_the_employer_list_filters_expiring_permits(client, case):
    from .factories import PermitFactory

    PermitFactory(organization=case.organization, holder_name="SOON", valid_until="2026-03-20")
    PermitFactory(organization=case.organization, holder_name="LATER", valid_until="2026-12-20")
    client.force_login(case.hr)
    response = client.get(url("permits:employer_staff", case.organization.pk, language="en") + "?expiring=30")
    names = [permit.holder_name for permit in response.context["permits"]]
    assert names == ["SOON"]


def test_an_extension_or_cancellation_starts_from_the_staff_list(client, case):
    from .factories import PermitFactory

    permit = PermitFactory(organization=case.organization, holder=case.applicant, application=case)
    client.force_login(case.hr)
    page = client.get(url("permits:employer_staff", case.organization.pk, language="en")).content.decode()
    link = f"?business_type=extension&amp;source_permit={permit.pk}"
    assert link in page
    form = client.get(
        url("permits:employer_start", case.organization.pk, language="en") + link.replace("&amp;", "&")
    ).context["form"]
    assert form.initial == {"business_type": "extension", "source_permit": str(permit.pk)}
