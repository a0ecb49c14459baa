"""Officers in Chinese at work, with two-factor sign-in, through their own pages.

1. A work-permit officer and an exit-entry officer decide the two parts of a single-window case:
   the work-permit officer reviews the documents, accepts the file, claims it, starts the review,
   asks for one more document, reviews the answer and approves the work permit; the exit-entry
   officer opens the residence queue and the shared documents and approves the residence permit,
   and both permits are issued together.
2. A lead officer confirms the refusal a work-permit officer proposed (the four-eyes rule), and
   the applicant — in Japanese — receives the written decision: the e-mail, and the decision PDF
   on the case page, both in Japanese.

The cases are filed with factories and actions; every officer step is done in the browser.
"""

from datetime import timedelta

import pypdfium2
import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from permits import actions, deadlines, rules
from permits.models import (
    DocumentVersion,
    NoticeKind,
    Permit,
    ReasonCode,
    ResidencePermit,
    ResidenceTrack,
    State,
)
from tests.browser.conftest import Journey
from tests.factories import UserFactory
from tests.permits.factories import ApplicationFactory, add_version, declared, photo_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Correct-Horse-42"
APPLICANT_PASSWORD = "Sakura-Passphrase-9"
JOURNEYS = {
    "test_two_officers_decide_the_two_parts_of_a_single_window_case": "single-window",
    "test_a_lead_officer_confirms_a_refusal_and_the_applicant_receives_the_written_decision": "refusal",
}


def zh(text: str, context: str | None = None) -> str:
    with translation.override("zh-hans"):
        return pgettext(context, text) if context else gettext(text)


def ja(text: str) -> str:
    with translation.override("ja"):
        return gettext(text)


def zh_state(state: State) -> str:
    with translation.override("zh-hans"):
        return str(state.label)


@pytest.fixture
def journey(page, request):
    """Each journey of this file keeps its own screenshots (``test-artifacts/officer-<journey>``)."""
    return Journey(page, "officer-" + JOURNEYS[request.node.originalname])


def officer(*duties: str):
    user = UserFactory(duties=list(duties), preferred_language="zh-hans", password=PASSWORD)
    user.device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def code_of(device) -> str:
    """The current code of a device that has not been used yet (its drift is still zero)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def sign_in(page, live_server, user, next_path: str, journey=None):
    """The password, then the code of the officer's authenticator app."""
    page.goto(f"{live_server.url}/zh-hans/accounts/sign-in/?next={next_path}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    if journey:
        journey.check("sign in")
    page.get_by_label(zh("E-mail address")).fill(user.email)
    page.get_by_label(zh("Password")).fill(PASSWORD)
    page.get_by_role("button", name=zh("Sign in")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Two-factor sign-in"))
    if journey:
        journey.check("two factor")
    page.get_by_label(zh("Code")).fill(code_of(user.device))
    page.get_by_role("button", name=zh("Confirm")).click()
    expect(page).to_have_url(f"{live_server.url}{next_path}")


def sign_out(page):
    page.get_by_role("button", name=zh("Sign out")).click()
    expect(page.get_by_role("link", name=zh("Sign in")).first).to_be_visible()


def submitted_case(*, single_window: bool = False):
    """A complete case of a Japanese applicant, filed and submitted (documents waiting for review)."""
    today = deadlines.today()
    applicant = UserFactory(preferred_language="ja", password=APPLICANT_PASSWORD, full_name="田中 由紀")
    case = ApplicationFactory(
        complete=True,
        applicant=applicant,
        contract_start=today - timedelta(days=30),
        contract_end=today + timedelta(days=730),
    )
    hr = UserFactory(member_of=case.organization, preferred_language="zh-hans")
    if single_window:
        case.business_type = "new_in_country"
        case.in_china = True
        case.save()
        case.organization.zone = "pudong_ftz"
        case.organization.save()
        actions.single_window_open(
            actor=applicant,
            application=case,
            shanghai_address="上海市浦东新区张江路 100 号 1201 室",
            accommodation_registration_number="PD2026-000123",
            requested_validity_months=24,
            family_members=[],
            guardian_consent=False,
        )
        case.refresh_from_db()
    for kind in rules.required_documents(case, on=today):
        issued = today - timedelta(days=20) if kind in rules.DATED_KINDS else None
        add_version(case, kind, issue_date=issued, content=photo_bytes() if kind == "photo" else None)
    declared(case, by=hr, on=today)
    case.refresh_from_db()
    with translation.override("ja"):
        return actions.application_submit(actor=applicant, application=case, expected_version=case.version)


def under_review(case, by):
    """Accepted and under review by the officer ``by`` (set up with actions)."""
    for version in DocumentVersion.objects.filter(document__application=case):
        actions.document_review(actor=by, version=version, status="accepted")
    case.refresh_from_db()
    case = actions.application_accept(actor=by, application=case, expected_version=case.version)
    actions.application_claim(actor=by, application=case)
    case.refresh_from_db()
    return actions.application_start_review(actor=by, application=case, expected_version=case.version)


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def press(page, name: str, *, within=None):
    """Press a button of the officer's desk and wait for the page to say it is done."""
    (within or page).get_by_role("button", name=name, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(zh("Done."))


def test_two_officers_decide_the_two_parts_of_a_single_window_case(page, journey, live_server, turn):
    with turn:
        work = officer("work_permit_officer")
        exit_entry = officer("exit_entry_officer")
        case = submitted_case(single_window=True)
    case_url = f"{live_server.url}/zh-hans/applications/{case.public_id}/"

    # The work-permit officer: the queue, the case, each document, the file accepted.
    sign_in(page, live_server, work, "/zh-hans/applications/queue/", journey)
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Case queue"))
    journey.check("queue")
    page.get_by_role("link", name=case.reference).click()
    expect(page).to_have_url(case_url)
    expect(page.get_by_role("heading", name=zh("Officer's desk"))).to_be_visible()
    journey.check("case submitted")
    reviews = page.locator("form[action$='/officer/review_document/']")
    for index in range(reviews.count()):
        form = reviews.nth(index)
        form.get_by_role("combobox", name=zh("Status")).select_option("accepted")
        press(page, zh("Save"), within=form)
    with turn:
        assert (
            not DocumentVersion.objects.filter(document__application=case).exclude(status="accepted").exists()
        )
    press(page, zh("Accept the file"))
    expect(page.locator(".badge", has_text=zh_state(State.ACCEPTED)).first).to_be_visible()
    with turn:
        case.refresh_from_db()
        assert case.state == State.ACCEPTED
        assert ResidenceTrack.objects.get(application=case).state == State.ACCEPTED  # in parallel

    # Claimed, under review, one more document asked for.
    press(page, zh("Claim", "take a case"))
    press(page, zh("Start the review"))
    expect(page.locator(".badge", has_text=zh_state(State.UNDER_REVIEW)).first).to_be_visible()
    page.get_by_label(zh("Ask for more documents")).select_option("highest_degree")
    page.get_by_label(zh("Message")).fill("请补充学位证书的认证件。")
    journey.check("case under review with the decision forms")
    press(page, zh("Send the request"))
    expect(page.locator(".badge", has_text=zh_state(State.AWAITING_DOCUMENTS)).first).to_be_visible()
    journey.check("awaiting documents")

    # The applicant answers (her own journey is elsewhere); the officer reviews the new version.
    with turn:
        case.refresh_from_db()
        assert case.state == State.AWAITING_DOCUMENTS
        answer = add_version(case, "highest_degree")
        case = actions.application_answer(
            actor=case.applicant, application=case, expected_version=case.version
        )
    page.reload()
    degree = reviews.filter(has=page.locator(f"input[name=version_id][value='{answer.pk}']"))
    degree.get_by_role("combobox", name=zh("Status")).select_option("accepted")
    press(page, zh("Save"), within=degree)
    valid_until = case.contract_end - timedelta(days=1)
    page.get_by_label(zh("Valid until")).fill(valid_until.isoformat())
    journey.check("approval form")
    press(page, zh("Approve"))
    expect(page.locator(".badge", has_text=zh_state(State.APPROVED)).first).to_be_visible()
    with turn:
        answer.refresh_from_db()
        assert answer.status == "accepted"
        case.refresh_from_db()
        assert case.state == State.APPROVED  # the work permit waits for the residence part
        assert not Permit.objects.filter(application=case).exists()
    journey.check("work part approved")
    sign_out(page)

    # The exit-entry officer: the residence queue, the track, the shared documents, the decision.
    sign_in(page, live_server, exit_entry, "/zh-hans/applications/residence-queue/")
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Residence queue"))
    journey.check("residence queue")
    page.get_by_role("link", name=case.reference).click()
    expect(page).to_have_url(f"{case_url}residence/")
    expect(page.get_by_role("heading", name=zh("Shared documents"))).to_be_visible()
    journey.check("residence track")
    with page.expect_download() as download_info:
        page.get_by_role("region", name=zh("Shared documents")).get_by_role("link").first.click()
    assert download_info.value.path().read_bytes().startswith((b"%PDF", b"\xff\xd8"))
    press(page, zh("Claim", "take a case"))
    press(page, zh("Start the review"))
    journey.check("residence under review")
    press(page, zh("Approve"))

    # Both permits are issued together, the work permit until the date the officer gave.
    expect(page.locator(".badge", has_text=zh_state(State.ISSUED)).first).to_be_visible()
    with turn:
        track = ResidenceTrack.objects.get(application=case)
        assert track.state == State.ISSUED
        case.refresh_from_db()
        assert case.state == State.ISSUED
        permit = Permit.objects.get(application=case)
        assert permit.valid_until == valid_until
        assert ResidencePermit.objects.get(track=track).work_permit == permit
    journey.check("both permits issued")


def test_a_lead_officer_confirms_a_refusal_and_the_applicant_receives_the_written_decision(
    page, journey, live_server, wait_for_email, turn
):
    with turn:
        work = officer("work_permit_officer")
        lead = officer("work_permit_officer", "lead_officer")
        case = under_review(submitted_case(), work)
        reason = ReasonCode.objects.get(code="criteria_not_met", kind="refusal")
    with translation.override("zh-hans"):
        reason_zh = reason.text
        waiting = gettext("A refusal proposed by %(name)s waits for a lead officer.") % {
            "name": work.full_name
        }
    with translation.override("ja"):
        reason_ja = reason.text
        subject = gettext("Application %(reference)s was refused") % {"reference": case.reference}
        refused_ja = str(State.REFUSED.label)
        explanation = gettext("The application was refused. The written decision gives the reasons.")
        read_it = gettext("Read the decision") + " (PDF)"
        refusal_opening_ja = gettext("Your application is refused for the following reasons:")
    with translation.override("zh-hans"):
        refusal_opening_zh = gettext("Your application is refused for the following reasons:")
    case_url = f"{live_server.url}/zh-hans/applications/{case.public_id}/"
    note = "经核实，学位证书无法通过认证。"

    # The work-permit officer proposes the refusal: it does not take effect on their word alone.
    sign_in(page, live_server, work, "/zh-hans/applications/queue/", journey)
    page.get_by_role("link", name=case.reference).click()
    expect(page).to_have_url(case_url)
    page.get_by_label(reason_zh).check()
    page.locator("#refusal-note").fill(note)
    journey.check("refusal proposed form")
    press(page, zh("Propose refusal"))
    expect(page.get_by_text(waiting)).to_be_visible()
    expect(page.get_by_role("button", name=zh("Confirm the proposed decision"))).to_have_count(0)
    with turn:
        case.refresh_from_db()
        assert case.state == State.UNDER_REVIEW and case.proposal_kind == "refusal"
    journey.check("refusal waits for the lead officer")
    sign_out(page)

    # The lead officer confirms it: the case is refused and the written decision is made.
    sign_in(page, live_server, lead, "/zh-hans/applications/queue/")
    journey.check("lead officer's queue")
    page.get_by_role("link", name=case.reference).click()
    proposal = page.locator(".alert-info").filter(has_text=waiting)
    expect(proposal).to_contain_text(reason_zh)  # the grounds the lead officer is asked to confirm
    expect(proposal).to_contain_text(note)
    journey.check("lead officer's decision")
    press(page, zh("Confirm the proposed decision"))
    expect(page.locator(".badge", has_text=zh_state(State.REFUSED)).first).to_be_visible()
    with turn:
        case.refresh_from_db()
        assert case.state == State.REFUSED
        assert case.notices.get(kind=NoticeKind.REFUSAL).language == "ja"
    journey.check("refused")
    sign_out(page)

    # The applicant receives the decision by e-mail, in Japanese, with the reason and her rights.
    message, link = wait_for_email(
        case.applicant.email, subject=subject, link=rf"/ja/applications/{case.public_id}/"
    )
    assert reason_ja in message.body and note in message.body
    with translation.override("ja"):
        assert gettext("The written decision is available on the portal.") in message.body
    assert link.startswith(live_server.url)

    # The link leads, after signing in, to the case page: the decision, and its PDF in Japanese.
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.get_by_label(ja("E-mail address")).fill(case.applicant.email)
    page.get_by_label(ja("Password")).fill(APPLICANT_PASSWORD)
    page.get_by_role("button", name=ja("Sign in")).click()
    expect(page).to_have_url(f"{live_server.url}/ja/applications/{case.public_id}/")
    expect(page.locator(".badge", has_text=refused_ja).first).to_be_visible()
    expect(page.get_by_text(explanation)).to_be_visible()
    expect(page.locator(".timeline").get_by_text(reason_ja)).to_be_visible()
    journey.check("written decision")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=read_it).click()
    assert download_info.value.suggested_filename == f"{case.reference}-refusal.pdf"
    text = pdf_text(download_info.value.path().read_bytes())
    assert refusal_opening_ja in text and reason_ja in text  # in the applicant's language
    assert refusal_opening_zh in text  # and in Chinese
