"""Nobody sees a case or a document that is not theirs, in pages or in the API."""

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory, UserFactory

from .factories import ApplicationFactory, add_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_case():
    case = ApplicationFactory(complete=True)
    case.version_row = add_version(case, "passport")
    return case


def test_an_applicant_cannot_open_another_applicants_case_by_guessing(client, api_client, other_case):
    intruder = UserFactory()
    client.force_login(intruder)
    api_client.force_authenticate(intruder)
    public_id = other_case.public_id
    for name in ("permits:application", "permits:review"):
        assert client.get(reverse(name, args=[public_id])).status_code == 404
    assert client.get(reverse("permits:part_step", args=[public_id, "identity"])).status_code == 404
    assert (
        client.get(
            reverse("permits:document_download", args=[public_id, other_case.version_row.pk])
        ).status_code
        == 404
    )
    assert api_client.get(f"/api/v1/applications/{public_id}/").status_code == 404
    assert (
        api_client.get(f"/api/v1/applications/{public_id}/documents/{other_case.version_row.pk}/").status_code
        == 404
    )
    assert api_client.get("/api/v1/applications/").json()["results"] == []


def test_a_document_of_my_case_is_not_reachable_through_another_case(client, other_case):
    mine = ApplicationFactory(complete=True)
    client.force_login(mine.applicant)
    url = reverse("permits:document_download", args=[mine.public_id, other_case.version_row.pk])
    assert client.get(url).status_code == 404


def test_an_employer_sees_only_its_own_sponsored_staff(client, api_client, other_case):
    own = ApplicationFactory(complete=True)
    hr = UserFactory(member_of=own.organization)
    client.force_login(hr)
    api_client.force_authenticate(hr)
    assert client.get(reverse("permits:application", args=[own.public_id])).status_code == 200
    assert client.get(reverse("permits:application", args=[other_case.public_id])).status_code == 404
    references = [row["reference"] for row in api_client.get("/api/v1/applications/").json()["results"]]
    assert references == [own.reference]
    assert client.get(reverse("permits:employer_staff", args=[other_case.organization.pk])).status_code == 404


def test_a_former_hr_member_loses_sight_of_the_cases(client, other_case):
    from talent_portal.accounts.models import Membership

    hr = UserFactory(member_of=other_case.organization)
    client.force_login(hr)
    assert client.get(reverse("permits:application", args=[other_case.public_id])).status_code == 200
    Membership.objects.filter(user=hr).update(ended_at="2026-03-01T00:00:00Z")
    assert client.get(reverse("permits:application", args=[other_case.public_id])).status_code == 404


def test_the_owner_downloads_with_private_headers(client, other_case):
    client.force_login(other_case.applicant)
    response = client.get(
        reverse("permits:document_download", args=[other_case.public_id, other_case.version_row.pk])
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_media_files_have_no_public_url(client, other_case):
    name = other_case.version_row.file.name
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(f"/media-not-served-publicly/{name}").status_code == 404


def test_the_passport_number_is_masked_for_the_employer(api_client, other_case):
    hr = UserFactory(member_of=other_case.organization)
    api_client.force_authenticate(hr)
    assert (
        api_client.get(f"/api/v1/applications/{other_case.public_id}/").json()["passport_number"]
        == "TK•••••67"
    )
    api_client.force_authenticate(other_case.applicant)
    assert (
        api_client.get(f"/api/v1/applications/{other_case.public_id}/").json()["passport_number"]
        == "TK1234567"
    )


def test_unverified_organisations_do_not_expose_anything(client):
    organization = OrganizationFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("permits:employer_staff", args=[organization.pk])).status_code == 404
