"""The whole transition table: each state × action × capacity is allowed or refused as declared."""

import itertools

import pytest
from django.core.management import call_command

from permits import actions, workflow
from permits.models import Application, State, Transition
from talent_portal.core.actors import get_system_actor
from talent_portal.core.errors import DomainError, Forbidden, NotAllowed, NotFound
from tests.factories import UserFactory

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db

PARTIES = [
    workflow.Party.APPLICANT,
    workflow.Party.SPONSOR,
    workflow.Party.OFFICER,
    workflow.Party.LEAD_OFFICER,
    "stranger",
]


def actor_for(case, party):
    if party == workflow.Party.APPLICANT:
        return case.applicant
    if party == workflow.Party.SPONSOR:
        return UserFactory(member_of=case.organization)
    if party == workflow.Party.OFFICER:
        user = UserFactory(duties=["work_permit_officer"])
        case.assigned_officer = user
        case.save(update_fields=["assigned_officer"])
        return user
    if party == workflow.Party.LEAD_OFFICER:
        return UserFactory(duties=["lead_officer"])
    return UserFactory()


@pytest.mark.parametrize(
    ("state", "action", "party"),
    list(itertools.product(State.values, [step.action for step in workflow.STEPS], PARTIES)),
)
def test_every_cell_of_the_transition_table(state, action, party):
    """A step fires only from its declared states and for its declared capacities.

    Where state and capacity match, the guards may still refuse (with 409): the step never
    changes the case without a transition row, and never raises anything but a domain error.
    """
    case = ApplicationFactory(complete=True, state=state)
    actor = actor_for(case, party)
    step = workflow.step(action)
    before = Transition.objects.count()
    try:
        actions.application_transition(
            actor=actor,
            application=case,
            action=action,
            expected_version=case.version,
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
        assert Transition.objects.count() == before + 1
        transition = Transition.objects.latest("id")
        assert transition.from_state == state and transition.action == action
        return
    assert Transition.objects.count() == before
    assert Application.objects.get(pk=case.pk).state == state


def test_the_system_actor_closes_but_cannot_submit():
    case = ApplicationFactory(complete=True, state="under_review")
    system = get_system_actor()
    closed = actions.application_transition(
        actor=system, application=case, action="close", expected_version=case.version
    )
    assert closed.state == "closed"
    assert Transition.objects.get(application=case).actor_role == "system"
    other = ApplicationFactory(complete=True)
    with pytest.raises(Forbidden):
        actions.application_transition(
            actor=system, application=other, action="submit", expected_version=other.version
        )


def test_the_diagram_in_docs_matches_the_declaration():
    call_command("workflow_diagram", check=True)
