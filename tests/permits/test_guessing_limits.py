"""A number with a date of birth names a person: guesses are limited, and a new employer's
cancellation request reveals nothing the former employer or the holder gave the commission."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from permits.models import Application
from talent_portal.core.net import client_ip
from tests.factories import OrganizationFactory, UserFactory

from .factories import PermitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def former_permit(case):
    case.annual_salary_cny = 987654
    case.save()
    return PermitFactory(holder=case.applicant, organization=case.organization, application=case)


def _ask(api_client, organization, permit, dob, **extra):
    return api_client.post(
        "/api/v1/cancellation-requests/",
        {"organization_id": organization.pk, "permit_number": permit.number, "holder_date_of_birth": dob},
        format="json",
        **extra,
    )


def test_a_new_employers_request_carries_only_who_it_is_about(api_client, former_permit):
    new_employer = OrganizationFactory(verified=True)
    api_client.force_authenticate(UserFactory(member_of=new_employer))
    response = _ask(api_client, new_employer, former_permit, "1992-05-17")
    assert response.status_code == 201
    request = Application.objects.get(business_type="cancellation")
    origin = former_permit.application
    assert (request.surname, request.given_names) == (origin.surname, origin.given_names)
    assert request.passport_number in ("", None)
    assert request.annual_salary_cny is None
    assert request.duties == "" and request.post_title == ""
    body = api_client.get(f"/api/v1/applications/{request.public_id}/").content.decode()
    assert origin.passport_number not in body
    assert "987654" not in body


def test_guessing_a_permit_number_for_a_cancellation_request_is_stopped(api_client, former_permit):
    new_employer = OrganizationFactory(verified=True)
    api_client.force_authenticate(UserFactory(member_of=new_employer))
    for day in range(1, 11):
        assert _ask(api_client, new_employer, former_permit, f"1990-01-{day:02d}").status_code == 400
    # Now even the right date of birth is refused for a while, for this account and this number.
    refused = _ask(api_client, new_employer, former_permit, "1992-05-17", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert not Application.objects.filter(business_type="cancellation").exists()


def test_the_cancellation_request_page_counts_wrong_guesses_too(client, former_permit):
    new_employer = OrganizationFactory(verified=True)
    client.force_login(UserFactory(member_of=new_employer))
    url = reverse("permits:cancellation_request", kwargs={"organization_id": new_employer.pk})
    for day in range(1, 11):
        client.post(
            url, {"permit_number": former_permit.number, "holder_date_of_birth": f"1990-01-{day:02d}"}
        )
    response = client.post(url, {"permit_number": former_permit.number, "holder_date_of_birth": "1992-05-17"})
    assert response.status_code == 200
    assert "Too many attempts" in response.content.decode()
    assert not Application.objects.filter(business_type="cancellation").exists()


def test_status_lookups_are_limited_per_reference_whatever_the_address(client, case):
    url = reverse("permits:status_lookup")
    for number in range(10):
        client.post(
            url, {"reference": case.reference, "date_of_birth": "1990-01-01"}, REMOTE_ADDR=f"10.1.1.{number}"
        )
    response = client.post(
        url, {"reference": case.reference, "date_of_birth": "1992-05-17"}, REMOTE_ADDR="10.2.2.2"
    )
    assert "Too many attempts" in response.content.decode()
    assert response.context["result"] is None


def test_a_forged_forwarded_for_header_does_not_reset_the_count(client, case):
    url = reverse("permits:verify_lookup")
    for number in range(10):
        client.post(
            url,
            {"number": f"31202600000000{number:04d}", "date_of_birth": "1990-01-01"},
            REMOTE_ADDR="10.3.3.3",
            HTTP_X_FORWARDED_FOR=f"8.8.8.{number}",
        )
    response = client.post(
        url,
        {"number": "312026000000009999", "date_of_birth": "1990-01-01"},
        REMOTE_ADDR="10.3.3.3",
        HTTP_X_FORWARDED_FOR="8.8.4.4",
    )
    assert "Too many attempts" in response.content.decode()


def test_behind_a_trusted_proxy_the_address_it_saw_counts(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # the forged 6.6.6.6 on the left is never used
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
