"""Random sequences of actions never reach an invalid state or lose a transition row."""

from datetime import date

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from permits import actions, workflow
from permits.models import Application, DocumentVersion, State, Transition
from talent_portal.core.errors import DomainError
from tests.factories import UserFactory

from .factories import ApplicationFactory, add_version, declared, upload_checklist

ACTIONS = [
    "submit",
    "withdraw",
    "accept",
    "return",
    "claim",
    "start_review",
    "request_documents",
    "answer",
    "approve",
    "propose_refusal",
    "confirm_proposal",
    "send_back_proposal",
    "extend_limit",
    "review_documents",
    "upload",
]


class CaseMachine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.case = ApplicationFactory(complete=True)
        self.hr = UserFactory(member_of=self.case.organization)
        self.officer = UserFactory(duties=["work_permit_officer"])
        self.lead = UserFactory(duties=["work_permit_officer", "lead_officer"])
        upload_checklist(self.case)
        declared(self.case, by=self.hr)
        self.successes = 0
        self.transition_rows = 0

    def _fresh(self):
        return Application.objects.get(pk=self.case.pk)

    @rule(action=st.sampled_from(ACTIONS), stale=st.booleans())
    def act(self, action, stale):
        case = self._fresh()
        version = case.version - 1 if stale else case.version
        before = Transition.objects.filter(application=case).count()
        calls = {
            "submit": lambda: actions.application_submit(
                actor=case.applicant, application=case, expected_version=version
            ),
            "withdraw": lambda: actions.application_withdraw(
                actor=self.hr, application=case, expected_version=version
            ),
            "accept": lambda: actions.application_accept(
                actor=self.officer, application=case, expected_version=version
            ),
            "return": lambda: actions.application_return(
                actor=self.officer, application=case, expected_version=version, reason_codes=["doc_illegible"]
            ),
            "claim": lambda: actions.application_claim(actor=self.officer, application=case),
            "start_review": lambda: actions.application_start_review(
                actor=self.officer, application=case, expected_version=version
            ),
            "request_documents": lambda: actions.application_request_documents(
                actor=self.officer,
                application=case,
                expected_version=version,
                kinds=["passport"],
                message="Clearer copy",
            ),
            "answer": lambda: actions.application_answer(
                actor=case.applicant, application=case, expected_version=version
            ),
            "approve": lambda: actions.application_approve(
                actor=self.officer, application=case, expected_version=version, valid_until=date(2027, 3, 1)
            ),
            "propose_refusal": lambda: actions.application_propose_refusal(
                actor=self.officer,
                application=case,
                expected_version=version,
                reason_codes=["criteria_not_met"],
            ),
            "confirm_proposal": lambda: actions.application_confirm_proposal(
                actor=self.lead, application=case, expected_version=version
            ),
            "send_back_proposal": lambda: actions.application_send_back_proposal(
                actor=self.lead, application=case, expected_version=version, comment="Look again"
            ),
            "extend_limit": lambda: actions.application_extend_limit(
                actor=self.officer, application=case, expected_version=version, reason="Checks abroad"
            ),
            "review_documents": lambda: [
                actions.document_review(actor=self.officer, version=v, status="accepted")
                for v in DocumentVersion.objects.filter(document__application=case, status="pending")
            ],
            "upload": lambda: add_version(case, "passport"),
        }
        try:
            calls[action]()
        except DomainError:
            after = self._fresh()
            assert after.state == case.state
            assert after.version == case.version
            assert Transition.objects.filter(application=case).count() == before
            return

    @rule()
    def redeclare(self):
        case = self._fresh()
        if case.state in (State.DRAFT, State.RETURNED) and case.declared_at is None:
            declared(case, by=self.hr)

    @invariant()
    def state_is_known_and_history_is_consistent(self):
        case = self._fresh()
        assert case.state in State.values
        transitions = list(Transition.objects.filter(application=case).order_by("id"))
        state = State.DRAFT
        for transition in transitions:
            if transition.action in workflow.STEPS_BY_ACTION:
                assert transition.from_state == state, (transition.action, transition.from_state, state)
                state = transition.to_state
        assert state == case.state
        if case.state == State.ISSUED:
            assert case.issued_permits.exists()


TestCaseMachine = CaseMachine.TestCase
TestCaseMachine.settings = settings(
    max_examples=25,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _database(db):
    return db
