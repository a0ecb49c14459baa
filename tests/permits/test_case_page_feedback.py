"""What the case pages tell the applicant: a refused upload next to its field, the review in words."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from permits.models import DocumentVersion
from permits.templatetags.permits_tags import attr_value, field_label, is_user_text
from talent_portal.accounts.models import District
from talent_portal.core.countries import country_choices
from tests.factories import UserFactory

from .factories import pdf_bytes

pytestmark = pytest.mark.django_db


def url(name, *args, language="ja"):
    with translation.override(language):
        return reverse(name, args=args)


def test_a_refused_upload_is_shown_next_to_the_file_field_of_that_document(client, case):
    client.force_login(case.applicant)
    response = client.post(
        url("permits:document_upload", case.public_id),
        {"kind": "passport", "file": SimpleUploadedFile("passport.docx", b"PK\x03\x04 not a passport")},
    )
    # The page opens at the document's row …
    assert response.status_code == 302
    assert response["Location"].endswith(f"/ja/applications/{case.public_id}/#document-passport")
    assert not DocumentVersion.objects.filter(document__application=case).exists()

    page = client.get(response["Location"]).content.decode()
    with translation.override("ja"):
        refusal = gettext("Only PDF, JPEG and PNG files are accepted. This file is of another kind.")
    assert refusal != "Only PDF, JPEG and PNG files are accepted. This file is of another kind."
    # … where the reason is linked to the file field (and announced at the top as well).
    assert 'id="document-passport"' in page
    assert 'aria-invalid="true" aria-describedby="file-passport-error"' in page
    assert f'id="file-passport-error"><p class="mb-1">{refusal}</p>' in page
    assert page.count(refusal) == 2
    # Shown once: the next visit of the page is clean again.
    assert refusal not in client.get(url("permits:application", case.public_id)).content.decode()


def test_a_successful_upload_opens_the_documents_with_no_error(client, case):
    client.force_login(case.applicant)
    response = client.post(
        url("permits:document_upload", case.public_id),
        {"kind": "passport", "file": SimpleUploadedFile("passport.pdf", pdf_bytes("passport"))},
    )
    assert response["Location"].endswith("#documents")
    assert "file-passport-error" not in client.get(response["Location"]).content.decode()


def test_the_review_names_every_field_and_choice_in_the_readers_language(case):
    case.extras = ["top_university"]
    case.direct_b_criteria = []
    with translation.override("ja"):
        # Fields only the form labels (the model has no label of its own) …
        assert field_label("direct_a_criteria") == gettext("Class-A criteria you meet (evidence required)")
        assert field_label("shortage_post_code") == gettext("Post in Shanghai's shortage catalogue")
        # … and values only the form knows the labels of.
        assert attr_value(case, "extras") == gettext("A degree from one of the world's top universities")
        assert attr_value(case, "work_district") == str(District("pudong").label)
        assert attr_value(case, "nationality") == dict(country_choices())["JPN"] != "JPN"
        assert attr_value(case, "surname") == "TANAKA"
        # A model with a label of its own keeps it.
        assert field_label("surname") == gettext("surname")
    assert field_label("not_a_field") == "not_a_field"


def test_typed_text_is_marked_as_data_and_labels_are_not():
    assert is_user_text("post_title") and is_user_text("work_address") and is_user_text("surname")
    assert not is_user_text("work_district")
    assert not is_user_text("education")
    assert not is_user_text("annual_salary_cny")


def test_while_documents_are_requested_only_those_can_be_uploaded(client, case):
    from permits import actions

    from .factories import declared, upload_checklist

    officer = UserFactory(duties=["work_permit_officer"])
    upload_checklist(case)
    declared(case, by=case.hr)
    case.refresh_from_db()
    case = actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    for version in DocumentVersion.objects.filter(document__application=case):
        actions.document_review(actor=officer, version=version, status="accepted")
    case = actions.application_accept(actor=officer, application=case, expected_version=case.version)
    actions.application_claim(actor=officer, application=case)
    case.refresh_from_db()
    case = actions.application_start_review(actor=officer, application=case, expected_version=case.version)
    case = actions.application_request_documents(
        actor=officer,
        application=case,
        expected_version=case.version,
        kinds=["experience_proof"],
        message="2019",
    )

    client.force_login(case.applicant)
    page = client.get(url("permits:application", case.public_id)).content.decode()
    assert 'id="file-experience_proof"' in page
    assert 'id="file-passport"' not in page and 'id="file-photo"' not in page


def test_the_invitation_says_who_invites_for_what_and_a_used_link_says_so_at_once(client):
    from permits import actions
    from tests.factories import OrganizationFactory

    organization = OrganizationFactory(verified=True, name_zh="上海浦江芯片设计有限公司")
    hr = UserFactory(member_of=organization)
    employee = UserFactory(email="yuki@example.jp", preferred_language="ja")
    case = actions.application_start_by_employer(
        actor=hr,
        organization=organization,
        business_type="new_notice",
        employee_email="yuki@example.jp",
        employee_language="ja",
    )
    from services.notifications.models import Notification

    accept_url = Notification.objects.get(kind="application_invitation").context["accept_url"]
    client.force_login(employee)
    page = client.get(accept_url).content.decode()
    assert '<span translate="no">上海浦江芯片设计有限公司' in page
    assert case.reference in page
    with translation.override("ja"):
        assert case.get_business_type_display() in page

    assert client.post(accept_url).status_code == 302
    used = client.get(accept_url)
    assert used.status_code == 404
    with translation.override("ja"):
        assert gettext("This invitation is not valid.") in used.content.decode()
