"""The residence track's transition table: each state × action × capacity is allowed or refused as declared."""

import itertools

import pytest

from permits import actions, workflow
from permits.models import ResidenceTrack, State, Transition
from talent_portal.core.actors import get_system_actor
from talent_portal.core.errors import DomainError, Forbidden, NotAllowed, NotFound
from tests.factories import UserFactory

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db

# The employer acts in the same capacity set as the applicant (FILERS); the states a residence
# track never takes (submitted, returned) behave like any other non-source state.
PARTIES = [
    workflow.Party.APPLICANT,
    workflow.Party.OFFICER,
    workflow.Party.EXIT_ENTRY_OFFICER,
    workflow.Party.SYSTEM,
    "stranger",
]


def actor_for(case, track, party):
    if party == workflow.Party.APPLICANT:
        return case.applicant
    if party == workflow.Party.SPONSOR:
        return UserFactory(member_of=case.organization)
    if party == workflow.Party.OFFICER:
        return UserFactory(duties=["work_permit_officer"])
    if party == workflow.Party.EXIT_ENTRY_OFFICER:
        user = UserFactory(duties=["exit_entry_officer"])
        track.assigned_officer = user
        track.save(update_fields=["assigned_officer"])
        return user
    if party == workflow.Party.SYSTEM:
        return get_system_actor()
    return UserFactory()


@pytest.mark.parametrize(
    ("state", "action", "party"),
    list(
        itertools.product(
            [state for state in State.values if state not in ("submitted", "returned")],
            [step.action for step in workflow.RESIDENCE_STEPS],
            PARTIES,
        )
    ),
)
def test_every_cell_of_the_residence_table(state, action, party):
    case = ApplicationFactory(complete=True, state="under_review", is_single_window=True)
    track = ResidenceTrack.objects.create(application=case, state=state)
    actor = actor_for(case, track, party)
    step = workflow.residence_step(action)
    before = Transition.objects.count()
    try:
        actions.track_transition(
            actor=actor,
            application=case,
            action=action,
            expected_version=track.version,
            comment="because",
            reason_codes=["criteria_not_met"],
        )
    except NotFound:
        assert party == "stranger"
    except Forbidden:
        assert party not in step.parties
    except NotAllowed as error:
        if party in step.parties:
            assert state not in step.sources or error.code == "conditions_not_met"
    except DomainError:
        pytest.fail("unexpected domain error")
    else:
        assert party in step.parties and state in step.sources
        transition = Transition.objects.latest("id")
        assert transition.track == "residence" and transition.from_state == state
        assert Transition.objects.count() == before + 1
        return
    assert Transition.objects.count() == before
    assert ResidenceTrack.objects.get(pk=track.pk).state == state


def test_a_stale_track_version_is_a_conflict():
    from talent_portal.core.errors import StaleVersion

    case = ApplicationFactory(complete=True, state="under_review", is_single_window=True)
    track = ResidenceTrack.objects.create(application=case, state="accepted")
    with pytest.raises(StaleVersion):
        actions.track_transition(
            actor=get_system_actor(), application=case, action="close", expected_version=track.version + 1
        )
