"""After synchronised issuance the case page shows both permits, not the dates they were expected by."""

import pytest

from permits import selectors
from permits.models import Permit, ResidencePermit
from tests.factories import UserFactory

from .test_single_window import approve_residence, approve_work, both_in_review
from .test_single_window_pages import en

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(duties=["work_permit_officer"])


@pytest.fixture
def exit_entry():
    return UserFactory(duties=["exit_entry_officer"])


def test_the_tracks_carry_their_permits_once_both_are_issued(case, officer, exit_entry):
    case = both_in_review(case, officer, exit_entry)
    approve_work(case, officer)
    case.refresh_from_db()
    work, residence = selectors.tracks_side_by_side(case)
    assert work["permit"] is None and residence["permit"] is None  # approved, waiting for the other

    approve_residence(case, exit_entry)
    case.refresh_from_db()
    work, residence = selectors.tracks_side_by_side(case)
    assert work["permit"] == Permit.objects.get(application=case)
    assert residence["permit"] == ResidencePermit.objects.get(track__application=case)


def test_the_employer_sees_both_permits_issued_together(client, case, officer, exit_entry):
    hr = case.hr
    case = both_in_review(case, officer, exit_entry)
    approve_work(case, officer)
    approve_residence(case, exit_entry)
    permit = Permit.objects.get(application=case)
    residence_permit = ResidencePermit.objects.get(track__application=case)
    client.force_login(hr)
    page = client.get(en("permits:application", case.public_id)).content.decode()
    assert "Both permits were issued together on" in page
    assert "Both permits are expected by" not in page
    assert f'<code translate="no">{permit.number}</code>' in page
    assert page.count("Period of validity") == 2
    assert residence_permit.valid_until.strftime("%Y") in page
