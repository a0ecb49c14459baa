"""Children's data in the single window needs the applicant's consent as parent or guardian."""

from datetime import date

import pytest

from permits import actions
from permits.models import FamilyMember, ResidenceTrack
from talent_portal.core.errors import InvalidInput
from talent_portal.core.models import AuditEvent

from .test_single_window import make_eligible
from .test_single_window_pages import en

pytestmark = pytest.mark.django_db

CHILD = {
    "full_name": "TANAKA HARU",
    "relationship": "child",
    "nationality": "JPN",
    "date_of_birth": date(2019, 1, 2),
}
SPOUSE = {
    "full_name": "TANAKA KEN",
    "relationship": "spouse",
    "nationality": "JPN",
    "date_of_birth": date(1990, 1, 2),
}
RESIDENCE = {"shanghai_address": "上海市浦东新区张江路 100 号", "accommodation_registration_number": "PD-1"}


def test_a_child_without_the_guardians_consent_is_refused_and_nothing_is_saved(case):
    make_eligible(case)
    with pytest.raises(InvalidInput) as error:
        actions.single_window_open(
            actor=case.applicant, application=case, family_members=[CHILD], **RESIDENCE
        )
    assert "guardian" in str(error.value.fields["guardian_consent"][0])
    assert not ResidenceTrack.objects.exists() and not FamilyMember.objects.exists()
    case.refresh_from_db()
    assert not case.is_single_window


def test_a_minor_declared_as_another_relationship_still_needs_the_consent(case):
    make_eligible(case)
    teenager = {**SPOUSE, "relationship": "parent", "date_of_birth": date(2010, 6, 1)}
    with pytest.raises(InvalidInput):
        actions.single_window_open(
            actor=case.applicant, application=case, family_members=[teenager], **RESIDENCE
        )


def test_the_consent_is_recorded_with_the_child_and_in_the_audit_log(case):
    make_eligible(case)
    actions.single_window_open(
        actor=case.applicant,
        application=case,
        family_members=[CHILD, SPOUSE],
        guardian_consent=True,
        **RESIDENCE,
    )
    child, spouse = FamilyMember.objects.order_by("id")
    assert child.guardian_consent_at is not None and spouse.guardian_consent_at is None
    event = AuditEvent.objects.get(action="guardian_consent_given")
    assert event.actor == case.applicant and event.data["children"] == 1
    assert event.object_id == str(case.pk)


def test_adults_only_need_no_consent(case):
    make_eligible(case)
    actions.single_window_open(actor=case.applicant, application=case, family_members=[SPOUSE], **RESIDENCE)
    assert FamilyMember.objects.get().guardian_consent_at is None
    assert not AuditEvent.objects.filter(action="guardian_consent_given").exists()


def test_the_api_answers_400_on_the_consent_field_and_saves_nothing(api_client, case):
    make_eligible(case)
    api_client.force_authenticate(case.applicant)
    url = f"/api/v1/applications/{case.public_id}/single-window/"
    body = {**RESIDENCE, "family_members": [{**CHILD, "date_of_birth": "2019-01-02"}]}
    response = api_client.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "guardian" in response.json()["fields"]["guardian_consent"][0]
    assert not ResidenceTrack.objects.exists()
    response = api_client.post(url, {**body, "guardian_consent": True}, format="json")
    assert response.status_code == 200, response.json()
    assert FamilyMember.objects.get().guardian_consent_at is not None


def test_the_page_shows_a_field_error_and_saves_nothing(client, case):
    make_eligible(case)
    client.force_login(case.applicant)
    data = {
        "residence_type": "work",
        "requested_validity_months": "24",
        **RESIDENCE,
        "family_members": "TANAKA HARU; child; JPN; 2019-01-02",
    }
    response = client.post(en("permits:single_window", case.public_id), data)
    assert response.status_code == 200
    assert "guardian_consent" in response.context["form"].errors
    assert "parent or guardian" in response.content.decode()
    assert not ResidenceTrack.objects.exists()
    response = client.post(en("permits:single_window", case.public_id), {**data, "guardian_consent": "on"})
    assert response.status_code == 302
    assert FamilyMember.objects.get().guardian_consent_at is not None
