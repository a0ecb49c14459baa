"""The exit-entry officer's desk: the buttons that make sense now, and the grounds of a proposal."""

import pytest
from django.urls import reverse
from django.utils import translation

from permits import actions, selectors
from permits.models import ReasonCode, ResidenceTrack
from tests.factories import UserFactory

from .test_single_window import both_in_review

pytestmark = pytest.mark.django_db


def desk(user, case) -> list[str]:
    track = ResidenceTrack.objects.get(application=case)
    return [step.action for step in selectors.residence_desk_steps(user, track)]


def test_the_desk_offers_a_decision_or_the_confirmation_of_someone_elses_proposal(client, case):
    officer = UserFactory(duties=["work_permit_officer"])
    first = UserFactory(duties=["exit_entry_officer"])
    second = UserFactory(duties=["exit_entry_officer"], preferred_language="zh-hans")
    case = both_in_review(case, officer, first)

    assert {"approve", "propose_refusal", "request_documents"} <= set(desk(first, case))
    assert not {"confirm_refusal", "send_back_proposal"} & set(desk(first, case))

    track = ResidenceTrack.objects.get(application=case)
    actions.track_propose_refusal(
        actor=first,
        application=case,
        expected_version=track.version,
        reason_codes=["criteria_not_met"],
        note="住宿登记地址不符。",
    )
    # The proposer waits; nobody starts another decision; a second officer confirms or sends back.
    assert desk(first, case) == []
    assert set(desk(second, case)) == {"confirm_refusal", "send_back_proposal"}

    client.force_login(second)
    with translation.override("zh-hans"):
        page = client.get(reverse("permits:residence_track", args=[case.public_id])).content.decode()
        reason = ReasonCode.objects.get(code="criteria_not_met").text
    proposal = page[page.index('class="alert alert-info"') :]
    proposal = proposal[: proposal.index("</div>")]
    assert f"<li>{reason}</li>" in proposal and "住宿登记地址不符。" in proposal
    assert 'name="reason_codes"' not in page  # no new proposal while this one waits


def test_grounds_and_defects_are_chosen_from_the_lists_not_typed_as_codes(client, case):
    officer = UserFactory(duties=["work_permit_officer"])
    first = UserFactory(duties=["exit_entry_officer"])
    case = both_in_review(case, officer, first)
    client.force_login(first)
    page = client.get(reverse("permits:residence_track", args=[case.public_id])).content.decode()
    assert 'type="checkbox" name="reason_codes" value="criteria_not_met"' in page
    defect = ReasonCode.objects.filter(kind="defect", active=True).first()
    assert '<select name="reason_code"' in page and f'<option value="{defect.code}">' in page
