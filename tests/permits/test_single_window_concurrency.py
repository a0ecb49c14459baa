"""Single window on the real database: both tracks approved at the same instant issue exactly once."""

import pytest

from permits.models import Permit, ResidencePermit, ResidenceTrack, Transition
from services.notifications.models import Notification
from tests.factories import UserFactory

from .test_concurrency import _run_together
from .test_single_window import WORK_VALID_UNTIL, both_in_review

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_approving_both_tracks_at_the_same_instant_issues_both_permits_exactly_once(case):
    from permits import actions

    officer = UserFactory(duties=["work_permit_officer"])
    exit_entry = UserFactory(duties=["exit_entry_officer"])
    case = both_in_review(case, officer, exit_entry)
    case.refresh_from_db()
    track = ResidenceTrack.objects.get(application=case)
    case_version, track_version = case.version, track.version
    outcomes = _run_together(
        lambda: actions.application_approve(
            actor=officer, application=case, expected_version=case_version, valid_until=WORK_VALID_UNTIL
        ),
        lambda: actions.track_approve(actor=exit_entry, application=case, expected_version=track_version),
    )
    assert [kind for kind, _result in outcomes] == ["ok", "ok"], outcomes
    case.refresh_from_db()
    track.refresh_from_db()
    assert case.state == "issued" and track.state == "issued"
    assert Permit.objects.filter(application=case).count() == 1
    assert ResidencePermit.objects.filter(track=track).count() == 1
    assert Transition.objects.filter(application=case, action="issue", track="").count() == 1
    assert Transition.objects.filter(application=case, action="issue", track="residence").count() == 1
    assert Notification.objects.filter(kind="single_window_issued", recipient=case.applicant).count() == 1
