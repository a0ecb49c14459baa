"""Personal data under the PIPL: the privacy notice and consent at sign-up, "Download my data"
and "Ask for a correction"."""

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from permits.models import Application
from talent_portal.accounts.actions import correction_request_answer, privacy_consent_record
from talent_portal.accounts.models import CorrectionRequest, PrivacyConsent, User
from talent_portal.accounts.privacy import PRIVACY_NOTICE_VERSION
from talent_portal.core.errors import InvalidInput
from talent_portal.core.models import AuditEvent
from tests.factories import OrganizationFactory, UserFactory
from tests.permits.factories import ApplicationFactory, add_version

from .test_organizations import ORGANIZATION

pytestmark = pytest.mark.django_db

PASSWORD = "A-Sturdy-Passphrase-9"


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


# --- The notice and the consent -----------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en", "ja", "ko"])
def test_the_privacy_notice_is_public_in_every_language(client, language):
    response = client.get(url("accounts:privacy_notice", language))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'lang="{language}"' in body
    assert PRIVACY_NOTICE_VERSION in body
    assert "privacy@" in body  # the contact
    # Linked from the footer of every page.
    assert (
        url("accounts:privacy_notice", language)
        in client.get(url("accounts:login", language)).content.decode()
    )


def test_the_notice_names_what_who_why_how_long_and_the_rights(client, settings):
    settings.RETENTION_ABANDONED_DRAFT_DAYS = 123
    body = client.get(url("accounts:privacy_notice")).content.decode()
    for words in (
        "What we collect",
        "Why we use it",
        "Who sees it",
        "How long we keep it",
        "Your rights",
        "Contact",
    ):
        assert words in body
    assert "exit-entry" in body.lower() and "employer" in body and "123 days" in body


def _register(client, **overrides):
    data = {
        "full_name": "Yuki Tanaka",
        "email": "yuki@example.jp",
        "preferred_language": "ja",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(url("accounts:register"), {k: v for k, v in data.items() if v is not None})


def test_sign_up_without_the_consent_is_refused_with_a_field_error(client):
    page = client.get(url("accounts:register")).content.decode()
    assert 'name="privacy_consent"' in page and url("accounts:privacy_notice") in page
    response = _register(client)
    assert response.status_code == 200
    assert response.context["form"].errors["privacy_consent"] == [
        "To create an account, read the privacy notice and tick the box to agree to it."
    ]
    assert not User.objects.filter(email="yuki@example.jp").exists()


def test_sign_up_records_the_version_and_time_of_the_consent_on_the_user_and_in_the_audit_log(client):
    response = _register(client, privacy_consent="on")
    assert response.status_code == 200
    user = User.objects.get(email="yuki@example.jp")
    consent = PrivacyConsent.objects.get(user=user)
    assert consent.notice_version == PRIVACY_NOTICE_VERSION and consent.purpose == "sign_up"
    event = AuditEvent.objects.get(action="privacy_consent_given")
    assert event.actor == user and event.object_id == str(user.pk)
    assert event.data["notice_version"] == PRIVACY_NOTICE_VERSION
    assert event.data["at"] == consent.consented_at.isoformat()


def test_employer_sign_up_needs_the_consent_too(client):
    data = {
        **ORGANIZATION,
        "full_name": "Sato Hanako",
        "email": "hr@example.jp",
        "preferred_language": "ja",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    response = client.post(url("accounts:register_employer"), data)
    assert "privacy_consent" in response.context["form"].errors
    assert not User.objects.filter(email="hr@example.jp").exists()
    client.post(url("accounts:register_employer"), {**data, "privacy_consent": "on"})
    assert PrivacyConsent.objects.get(user__email="hr@example.jp").notice_version == PRIVACY_NOTICE_VERSION


def test_a_consent_to_an_outdated_notice_is_refused(user):
    with pytest.raises(InvalidInput) as error:
        privacy_consent_record(actor=user, user=user, notice_version="2001-01")
    assert "privacy_consent" in error.value.fields
    assert not PrivacyConsent.objects.exists()


# --- Download my data ---------------------------------------------------------------------------


@pytest.fixture
def person():
    """Someone with an account, a membership, an application with a document, and a consent."""
    user = UserFactory(email="ana@example.com")
    privacy_consent_record(actor=user, user=user)
    OrganizationFactory()  # an organisation the person has nothing to do with
    application = ApplicationFactory(complete=True, applicant=user, passport="EX9876543")
    add_version(application, "degree")
    other = ApplicationFactory(complete=True)  # someone else's case
    add_version(other, "degree")
    user.application = application
    user.other = other
    return user


def test_download_my_data_is_an_audited_zip_of_the_json_and_the_uploaded_files(client, person):
    client.force_login(person)
    response = client.get(url("accounts:personal_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-')
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("personal-data.json"))
        assert archive.read(f"files/{person.application.reference}/degree-v1-degree.pdf").startswith(b"%PDF")
    assert len(names) == 2  # the JSON and the person's one file, not the other person's
    sections = data["sections"]
    assert sections["account"]["email"] == "ana@example.com" and "password" not in sections["account"]
    assert [case["reference"] for case in sections["applications"]] == [person.application.reference]
    case = sections["applications"][0]
    assert case["passport_number"] == "EX•••••43" and "passport_digest" not in case
    assert case["documents"][0]["kind"] == "degree"
    assert sections["privacy_consents"][0]["notice_version"] == PRIVACY_NOTICE_VERSION
    for name in ("memberships", "permits", "notifications", "event_registrations", "recognition_claims"):
        assert name in sections
    assert any(event["action"] == "privacy_consent_given" for event in sections["audit_events"])
    assert person.other.reference not in json.dumps(data)
    export = AuditEvent.objects.get(action="export")
    assert export.actor == person and export.data["what"] == "personal_data" and export.data["files"] == 1


def test_download_as_json_only(client, person):
    client.force_login(person)
    response = client.get(url("accounts:personal_data_download") + "?format=json")
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["person"]["email"] == "ana@example.com"
    assert AuditEvent.objects.get(action="export").data["format"] == "json"


def test_the_export_needs_a_signed_in_person_and_the_profile_links_it(client, person):
    response = client.get(url("accounts:personal_data_download"))
    assert response.status_code == 302 and "sign-in" in response["Location"]
    client.force_login(person)
    profile = client.get(url("accounts:profile")).content.decode()
    assert (
        url("accounts:personal_data_download") in profile and url("accounts:correction_requests") in profile
    )


def test_the_export_reads_a_bounded_number_of_queries(client, person, django_assert_max_num_queries):
    client.force_login(person)
    for _ in range(3):
        ApplicationFactory(complete=True, applicant=person)
    with django_assert_max_num_queries(60) as context:
        client.get(url("accounts:personal_data_download") + "?format=json")
    few = len(context.captured_queries)
    for _ in range(6):
        ApplicationFactory(complete=True, applicant=person)
    with django_assert_max_num_queries(few):
        client.get(url("accounts:personal_data_download") + "?format=json")
    assert Application.objects.filter(applicant=person).count() == 10


# --- Ask for a correction -----------------------------------------------------------------------


def test_a_correction_request_is_recorded_audited_and_listed_with_its_status(client, person):
    client.force_login(person)
    response = client.post(
        url("accounts:correction_requests"),
        {
            "subject": "application",
            "reference": person.application.reference,
            "what_is_wrong": "My date of birth is 17 May.",
            "what_it_should_be": "It is 15 May 1992.",
        },
    )
    assert response.status_code == 302
    correction = CorrectionRequest.objects.get()
    assert correction.user == person and correction.status == "open"
    event = AuditEvent.objects.get(action="correction_requested")
    assert event.object_id == str(correction.pk) and "15 May" not in json.dumps(event.data)
    page = client.get(url("accounts:correction_requests")).content.decode()
    assert "It is 15 May 1992." in page and "Received" in page
    # Someone else sees none of it.
    client.force_login(UserFactory())
    assert "It is 15 May 1992." not in client.get(url("accounts:correction_requests")).content.decode()


def test_a_correction_request_needs_what_and_what_it_should_be(client, person):
    client.force_login(person)
    response = client.post(url("accounts:correction_requests"), {"subject": "account"})
    assert set(response.context["form"].errors) == {"what_is_wrong", "what_it_should_be"}
    assert not CorrectionRequest.objects.exists()


def test_administrators_answer_in_the_admin_and_the_person_sees_the_answer(client, person):
    correction = CorrectionRequest.objects.create(
        user=person, subject="account", what_is_wrong="Name misspelt", what_it_should_be="Ana Silva"
    )
    administrator = UserFactory(is_staff=True, is_superuser=True)
    administrator.groups.add(Group.objects.get_or_create(name="administrator")[0])
    client.force_login(administrator)
    listing = client.get("/en/admin/accounts/correctionrequest/")
    assert listing.status_code == 200 and person.email in listing.content.decode()
    change = f"/en/admin/accounts/correctionrequest/{correction.pk}/change/"
    refused = client.post(change, {"status": "corrected", "answer": ""})
    assert refused.status_code == 200  # an answer is required to close it
    done = client.post(change, {"status": "corrected", "answer": "Your name is corrected."})
    assert done.status_code == 302
    correction.refresh_from_db()
    assert correction.status == "corrected" and correction.handled_by == administrator
    event = AuditEvent.objects.get(action="correction_request_answered")
    assert event.actor == administrator and event.data == {"from": "open", "to": "corrected"}
    client.force_login(person)
    page = client.get(url("accounts:correction_requests")).content.decode()
    assert "Your name is corrected." in page and "Corrected" in page


def test_closing_a_correction_request_needs_an_answer(person):
    correction = CorrectionRequest.objects.create(
        user=person, subject="other", what_is_wrong="x", what_it_should_be="y"
    )
    with pytest.raises(InvalidInput):
        correction_request_answer(actor=person, correction=correction, status="declined", answer=" ")
