"""Single window: the exit-entry officers' queue and pages, role isolation on pages and API, one timeline."""

import pytest
from django.urls import reverse
from django.utils import translation

from permits.models import ResidenceTrack
from tests.factories import UserFactory

from .test_single_window import approve_residence, approve_work, both_in_review, opened

pytestmark = pytest.mark.django_db


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def officer():
    return UserFactory(duties=["work_permit_officer"])


@pytest.fixture
def exit_entry():
    return UserFactory(duties=["exit_entry_officer"])


@pytest.fixture
def ordinary_case(db):
    from .factories import ApplicationFactory

    return ApplicationFactory(complete=True, state="submitted")


def test_exit_entry_officers_see_only_residence_tracks(client, case, officer, exit_entry, ordinary_case):
    case = both_in_review(case, officer, exit_entry)
    client.force_login(exit_entry)
    page = client.get(en("permits:residence_queue"))
    assert page.status_code == 200
    assert case.reference in page.content.decode()
    assert ordinary_case.reference not in page.content.decode()
    # Never the work-permit queue, never a work-permit case page.
    assert client.get(en("permits:queue")).status_code == 404
    assert client.get(en("permits:application", case.public_id)).status_code == 404
    assert client.get(en("permits:application", ordinary_case.public_id)).status_code == 404
    # The residence side of the case, with the shared documents.
    track_page = client.get(en("permits:residence_track", case.public_id))
    assert track_page.status_code == 200
    assert "Passport" in track_page.content.decode()
    assert client.get(en("permits:residence_track", ordinary_case.public_id)).status_code == 404


def test_work_permit_officers_never_see_the_residence_queue(client, case, officer, exit_entry):
    case = both_in_review(case, officer, exit_entry)
    client.force_login(officer)
    assert client.get(en("permits:residence_queue")).status_code == 404
    assert client.get(en("permits:residence_track", case.public_id)).status_code == 404
    assert client.get(en("permits:queue")).status_code == 200


def test_role_isolation_through_the_api(api_client, case, officer, exit_entry, ordinary_case):
    case = both_in_review(case, officer, exit_entry)
    api_client.force_authenticate(exit_entry)
    queue = api_client.get("/api/v1/residence-queue/")
    assert queue.status_code == 200
    assert [row["reference"] for row in queue.json()["results"]] == [case.reference]
    assert api_client.get("/api/v1/queue/").status_code == 404
    assert api_client.get(f"/api/v1/applications/{case.public_id}/").status_code == 404
    assert api_client.get(f"/api/v1/applications/{ordinary_case.public_id}/residence/").status_code == 404
    track = api_client.get(f"/api/v1/applications/{case.public_id}/residence/").json()
    assert track["state"] == "under_review" and "approve" in track["allowed_actions"]
    assert any(row["kind"] == "passport" for row in track["shared_documents"])
    # An exit-entry officer cannot decide the work-permit track through the API either.
    case.refresh_from_db()
    refused = api_client.post(
        f"/api/v1/applications/{case.public_id}/approve/", {"version": case.version}, format="json"
    )
    assert refused.status_code == 404

    api_client.force_authenticate(officer)
    assert api_client.get("/api/v1/residence-queue/").status_code == 404
    refused = api_client.post(
        f"/api/v1/applications/{case.public_id}/residence/approve/",
        {"version": track["version"]},
        format="json",
    )
    assert refused.status_code == 403


def test_both_tracks_decided_through_the_api_and_the_fee_and_hand_over(api_client, case, officer, exit_entry):
    case = both_in_review(case, officer, exit_entry)
    approve_work(case, officer)
    api_client.force_authenticate(exit_entry)
    version = ResidenceTrack.objects.get(application=case).version
    response = api_client.post(
        f"/api/v1/applications/{case.public_id}/residence/approve/", {"version": version}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "issued" and body["permit"]["fee_cny"] == 800

    api_client.force_authenticate(case.applicant)
    paid = api_client.post(
        f"/api/v1/applications/{case.public_id}/residence/pay-fee/",
        {"amount_cny": 800, "method": "online"},
        format="json",
    )
    assert paid.status_code == 200 and paid.json()["fee_paid_cny"] == 800
    booked = api_client.post(
        f"/api/v1/applications/{case.public_id}/residence/book-appointment/",
        {"centre": "Pudong", "date": "2026-03-10", "slot": "09:00-10:30"},
        format="json",
    )
    assert booked.status_code == 200 and booked.json()["appointment_date"] == "2026-03-10"


def test_the_applicant_sees_both_tracks_side_by_side_with_the_expected_date(
    client, case, officer, exit_entry
):
    case = both_in_review(case, officer, exit_entry)
    approve_residence(case, exit_entry)
    client.force_login(case.applicant)
    page = client.get(en("permits:application", case.public_id)).content.decode()
    assert "both permits side by side" in page
    assert "Residence permit" in page and "Work permit" in page
    assert "the other track" in page  # the residence track waits for the work permit
    assert "Both permits are expected by" in page


def test_single_window_through_the_api_tells_an_ineligible_case_why(api_client, case):
    case.business_type = "new_in_country"
    case.save()
    api_client.force_authenticate(case.applicant)
    response = api_client.post(
        f"/api/v1/applications/{case.public_id}/single-window/",
        {"shanghai_address": "x", "accommodation_registration_number": "y"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_eligible"


def test_single_window_through_the_api(api_client, case):
    from .test_single_window import make_eligible

    make_eligible(case)
    api_client.force_authenticate(case.applicant)
    response = api_client.post(
        f"/api/v1/applications/{case.public_id}/single-window/",
        {
            "shanghai_address": "上海市浦东新区张江路 100 号",
            "accommodation_registration_number": "PD-1",
            "requested_validity_months": 24,
            "family_members": [
                {
                    "full_name": "TANAKA HARU",
                    "relationship": "child",
                    "nationality": "JPN",
                    "date_of_birth": "2019-01-02",
                }
            ],
            "guardian_consent": True,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["family_members"][0]["full_name"] == "TANAKA HARU"
    assert opened  # the helper used by the other tests opens the same way


def test_the_verification_page_shows_the_residence_permit_next_to_the_work_permit(
    client, case, officer, exit_entry
):
    from permits.models import Permit
    from permits.notices import verification_token

    case = both_in_review(case, officer, exit_entry)
    approve_work(case, officer)
    approve_residence(case, exit_entry)
    permit = Permit.objects.get(application=case)
    page = client.get(f"/verify/{verification_token(permit)}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Residence permit issued with it" in page
    assert "Work-type residence permit" in page


def test_the_single_window_page_shows_the_eligibility_result(client, case):
    from .test_single_window import make_eligible

    case.business_type = "new_in_country"
    case.save()
    client.force_login(case.applicant)
    assert "single-window-offer" in client.get(en("permits:application", case.public_id)).content.decode()
    page = client.get(en("permits:single_window", case.public_id)).content.decode()
    assert "single-window-ineligible" in page and "Continue with the ordinary route" in page

    make_eligible(case)
    page = client.get(en("permits:single_window", case.public_id)).content.decode()
    assert "single-window-eligible" in page
    response = client.post(
        en("permits:single_window", case.public_id),
        {
            "residence_type": "work",
            "requested_validity_months": "24",
            "shanghai_address": "上海市浦东新区张江路 100 号",
            "accommodation_registration_number": "PD-1",
            "family_members": "TANAKA HARU; child; JPN; 2019-01-02",
            "guardian_consent": "on",
        },
    )
    assert response.status_code == 302
    track = ResidenceTrack.objects.get(application=case)
    assert track.requested_validity_months == 24
    assert track.family_members.get().full_name == "TANAKA HARU"
    case.refresh_from_db()
    assert case.is_single_window


def test_the_exit_entry_officer_decides_from_the_residence_page(client, case, officer, exit_entry):
    case = both_in_review(case, officer, exit_entry)
    approve_work(case, officer)
    client.force_login(exit_entry)
    track = ResidenceTrack.objects.get(application=case)
    page = client.get(en("permits:residence_track", case.public_id)).content.decode()
    assert en("permits:residence_decide", case.public_id, "approve") in page
    response = client.post(
        en("permits:residence_decide", case.public_id, "approve"), {"version": track.version}
    )
    assert response.status_code == 302
    track.refresh_from_db()
    assert track.state == "issued"
    # A stale form gets a clear message, never a silent overwrite.
    response = client.post(
        en("permits:residence_decide", case.public_id, "approve"), {"version": track.version - 1}, follow=True
    )
    assert response.status_code == 200
    track.refresh_from_db()
    assert track.state == "issued"


def test_exit_entry_officers_download_the_shared_documents_of_single_window_cases_only(
    client, api_client, case, officer, exit_entry, ordinary_case
):
    from permits.models import DocumentVersion
    from talent_portal.core.models import AuditEvent

    from .factories import add_version

    case = both_in_review(case, officer, exit_entry)
    version = DocumentVersion.objects.filter(document__application=case, document__kind="passport").first()
    other = add_version(ordinary_case, "passport")

    client.force_login(exit_entry)
    page = client.get(en("permits:document_download", case.public_id, version.pk))
    assert page.status_code == 200
    assert client.get(en("permits:document_download", ordinary_case.public_id, other.pk)).status_code == 404
    # A version of another case is not reachable through a single-window case's address.
    assert client.get(en("permits:document_download", case.public_id, other.pk)).status_code == 404

    api_client.force_authenticate(exit_entry)
    assert api_client.get(f"/api/v1/applications/{case.public_id}/documents/{version.pk}/").status_code == 200
    assert (
        api_client.get(f"/api/v1/applications/{ordinary_case.public_id}/documents/{other.pk}/").status_code
        == 404
    )
    views = AuditEvent.objects.filter(action="document_viewed", actor=exit_entry, object_id=str(version.pk))
    assert views.count() == 2
    assert not AuditEvent.objects.filter(action="document_viewed", object_id=str(other.pk)).exists()


def _tracks(count, *, state="under_review", target=None, officer=None):
    from datetime import date

    from .factories import ApplicationFactory

    tracks = []
    for _index in range(count):
        application = ApplicationFactory(complete=True, state="under_review", is_single_window=True)
        tracks.append(
            ResidenceTrack.objects.create(
                application=application,
                state=state,
                target_date=target or date(2026, 3, 11),
                statutory_limit=date(2026, 3, 23),
                assigned_officer=officer,
            )
        )
    return tracks


def test_the_residence_queue_filters_by_state_assignment_and_overdue(client, api_client, exit_entry):
    from datetime import date

    mine = _tracks(1, officer=exit_entry)[0]
    unassigned = _tracks(1, state="accepted")[0]
    overdue = _tracks(1, target=date(2026, 2, 20), officer=UserFactory(duties=["exit_entry_officer"]))[0]

    def page(**params):
        client.force_login(exit_entry)
        body = client.get(en("permits:residence_queue"), params).content.decode()
        return {track for track in (mine, unassigned, overdue) if track.application.reference in body}

    def api(**params):
        api_client.force_authenticate(exit_entry)
        rows = api_client.get("/api/v1/residence-queue/", params).json()["results"]
        return {
            track
            for track in (mine, unassigned, overdue)
            if track.application.reference in {r["reference"] for r in rows}
        }

    for fetch in (page, api):
        assert fetch() == {mine, unassigned, overdue}
        assert fetch(state="accepted") == {unassigned}
        assert fetch(state="under_review") == {mine, overdue}
        assert fetch(assigned="me") == {mine}
        assert fetch(assigned="nobody") == {unassigned}
        assert fetch(overdue="1") == {overdue}
        assert fetch(overdue="1", assigned="me") == set()
        # An unknown state is ignored rather than emptying the queue.
        assert fetch(state="issued") == {mine, unassigned, overdue}


def test_the_residence_queue_costs_the_same_queries_at_any_size(client, api_client, exit_entry):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        client.force_login(exit_entry)
        api_client.force_authenticate(exit_entry)
        with CaptureQueriesContext(connection) as page:
            assert client.get(en("permits:residence_queue"), {"overdue": ""}).status_code == 200
        with CaptureQueriesContext(connection) as api:
            assert api_client.get("/api/v1/residence-queue/", {"page_size": 50}).status_code == 200
        return len(page), len(api)

    _tracks(3, officer=exit_entry)
    counts()  # warm the per-user caches (duties)
    small = counts()
    _tracks(12)
    assert counts() == small
