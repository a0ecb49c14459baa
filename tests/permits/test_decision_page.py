"""The applicant's case page after a refusal: the decision, its reasons in their language, their rights."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from permits import actions
from permits.models import ReasonCode, State
from permits.notices import RIGHTS
from tests.factories import UserFactory

from .test_review import in_review

pytestmark = pytest.mark.django_db


def refused(case):
    officer = UserFactory(duties=["work_permit_officer"])
    lead = UserFactory(duties=["work_permit_officer", "lead_officer"])
    case = in_review(case, officer)
    case = actions.application_propose_refusal(
        actor=officer,
        application=case,
        expected_version=case.version,
        reason_codes=["criteria_not_met"],
        note="学位证书无法认证。",
    )
    return actions.application_confirm_proposal(actor=lead, application=case, expected_version=case.version)


def test_the_applicant_reads_the_refusal_its_reasons_and_rights_in_their_language(client, case):
    case.applicant.preferred_language = "ja"
    case.applicant.save()
    case = refused(case)
    notice = case.notices.get(kind="refusal")
    client.force_login(case.applicant)
    with translation.override("ja"):
        page = client.get(reverse("permits:application", args=[case.public_id])).content.decode()
        reason = ReasonCode.objects.get(code="criteria_not_met").text
        # The reason is read as its text on the timeline, never as the bare code.
        assert f"<li>{reason}</li>" in page
        assert '<code translate="no">criteria_not_met</code>' not in page
        # The lead officer's confirmation reads as the decision it made.
        assert f"<strong>{State.REFUSED.label}</strong>" in page
        assert gettext("Confirm the proposed decision") not in page
        # What is needed now: the decision, a link to it, the right to appeal.
        assert gettext("The application was refused. The written decision gives the reasons.") in page
        assert reverse("permits:notice_download", args=[case.public_id, notice.pk]) in page
        assert gettext("Nothing is needed from you at the moment.") not in page
        assert str(RIGHTS) in page


def test_an_unknown_reason_code_stays_readable_as_it_is():
    from permits.templatetags.permits_tags import reason_texts

    assert reason_texts(["no_such_code"]) == ["no_such_code"]
    assert reason_texts([]) == []


def test_the_lead_officer_sees_the_grounds_of_the_refusal_they_are_asked_to_confirm(client, case):
    officer = UserFactory(duties=["work_permit_officer"])
    lead = UserFactory(duties=["work_permit_officer", "lead_officer"], preferred_language="zh-hans")
    case = in_review(case, officer)
    actions.application_propose_refusal(
        actor=officer,
        application=case,
        expected_version=case.version,
        reason_codes=["criteria_not_met"],
        note="学位证书无法认证。",
    )
    client.force_login(lead)
    with translation.override("zh-hans"):
        page = client.get(reverse("permits:application", args=[case.public_id])).content.decode()
        reason = ReasonCode.objects.get(code="criteria_not_met").text
    proposal = page[page.index('class="alert alert-info"') :]
    proposal = proposal[: proposal.index("</div>")]
    assert f"<li>{reason}</li>" in proposal
    assert "学位证书无法认证。" in proposal
