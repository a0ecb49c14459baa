"""An employer in Korean: registers the organisation, waits for its verification, invites HR staff
(who accepts in a browser of their own and acts), invites an employee, pledges, files a
single-window case and, once both officers have decided, sees both permits issued together.

The officers' decisions and the employee's part go through the product's actions (their own
journeys are tested elsewhere); everything the employer and the HR person do is done in the pages.
"""

import re
import time
from datetime import date, timedelta

import pytest
from celery.signals import after_task_publish
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from playwright.sync_api import expect

from permits import actions as permit_actions
from permits import rules
from permits.models import Application, DocumentVersion, Permit, ResidencePermit, ResidenceTrack
from permits.uploads import SENSITIVE_KINDS
from permits.validity import latest_valid_until
from talent_portal.accounts import actions as account_actions
from talent_portal.accounts.models import Membership, Organization
from tests.factories import UserFactory, make_uscc
from tests.permits.factories import pdf_bytes, photo_bytes

from .conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Jeju-Hallasan-1950"
SETTLE_SECONDS = 30
CONSENT = "I have read the privacy notice and agree that my personal data is processed as it describes."


def ko(text: str) -> str:
    with translation.override("ko"):
        return gettext(text)


def field(page, label: str):
    """The form field labelled ``label`` (in Korean), by its whole label (a required one ends in *)."""
    return page.get_by_label(re.compile(rf"^{re.escape(ko(label))}( \*)?$"))


def ko_ctx(context: str, text: str) -> str:
    with translation.override("ko"):
        return pgettext(context, text)


class WorkerQuiet:
    """Waits until the Celery worker has run every task published so far (no database query)."""

    def __init__(self, log):
        self.log = log  # the ``celery_worker`` fixture's record of the tasks it ran
        self.published = 0

    def count(self, sender=None, **kwargs):
        self.published += 1

    def wait(self):
        deadline = time.monotonic() + SETTLE_SECONDS
        while len(self.log.tasks) < self.published:
            if time.monotonic() > deadline:
                raise AssertionError(f"the worker ran {len(self.log.tasks)} of {self.published} tasks")
            time.sleep(0.05)


QUIET: list[WorkerQuiet] = []


@pytest.fixture(autouse=True)
def worker_quiet(celery_worker):
    quiet = WorkerQuiet(celery_worker)
    after_task_publish.connect(quiet.count, weak=False)
    QUIET.append(quiet)
    yield quiet
    QUIET.remove(quiet)
    after_task_publish.disconnect(quiet.count)


def settled(call):
    """Run one database step of the test itself (``call()``, re-reading what it needs) once the
    Celery worker has run the tasks published so far.

    On SQLite the worker thread shares the in-memory database (shared cache), whose table locks
    fail a concurrent statement at once ("database table is locked") rather than wait: so the test
    does not touch the database while the worker runs, and tries a step again if a lock was still
    held. A step is one action (one transaction): a failed try leaves nothing behind.
    """
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        QUIET[-1].wait()
        try:
            return call()
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        time.sleep(0.05)


def quiet() -> None:
    """Before the browser asks for a page: the worker has run what was published (see ``settled``)."""
    QUIET[-1].wait()


def case(pk: int) -> Application:
    return Application.objects.get(pk=pk)


def employee_fills_their_part(pk: int, employee, token: str) -> None:
    """The employee's side, through the product's actions: accept, fill in, upload."""
    settled(lambda: permit_actions.application_accept_invitation(actor=employee, token=token))

    def fill_in():
        application = case(pk)
        permit_actions.application_update_applicant_part(
            actor=employee,
            application=application,
            expected_version=application.version,
            data={
                "surname": "TANAKA",
                "given_names": "YUKI",
                "nationality": "JPN",
                "date_of_birth": date(1992, 5, 17),
                "sex": "F",
                "passport_number": "TK1234567",
                "passport_expiry": date.today() + timedelta(days=6 * 365),
                "education": "doctorate",
                "related_experience_years": 6,
                "months_in_china_per_year": 12,
                "in_china": True,
            },
        )

    settled(fill_in)
    employee_uploads_documents(pk, employee)


def employee_uploads_documents(pk: int, employee) -> None:
    """The employee uploads each document of their side of the checklist not uploaded yet."""
    today = date.today()

    def missing():
        application = case(pk)
        uploaded = set(
            DocumentVersion.objects.filter(document__application=application).values_list(
                "document__kind", flat=True
            )
        )
        return [
            kind
            for kind in rules.required_documents(application, on=today)
            if kind not in permit_actions.EMPLOYER_DOCUMENTS and kind not in uploaded
        ]

    for kind in settled(missing):
        content, name = (photo_bytes(), "photo.jpg") if kind == "photo" else (pdf_bytes(kind), f"{kind}.pdf")
        settled(
            lambda kind=kind, content=content, name=name: permit_actions.document_upload(
                actor=employee,
                application=case(pk),
                kind=kind,
                uploaded=SimpleUploadedFile(name, content),
                issue_date=today - timedelta(days=20) if kind in rules.DATED_KINDS else None,
                consent=kind in SENSITIVE_KINDS,
            )
        )


def officers_decide(pk: int, officer, exit_entry) -> None:
    """The work-permit officer and the exit-entry officer decide, each on their track."""

    def with_case(action, actor, **data):
        def step():
            application = case(pk)
            return action(actor=actor, application=application, expected_version=application.version, **data)

        return settled(step)

    def with_track(action, actor):
        def step():
            track = ResidenceTrack.objects.get(application_id=pk)
            return action(actor=actor, application=case(pk), expected_version=track.version)

        return settled(step)

    for version in settled(lambda: list(DocumentVersion.objects.filter(document__application_id=pk))):
        settled(
            lambda version=version: permit_actions.document_review(
                actor=officer, version=version, status="accepted"
            )
        )
    with_case(permit_actions.application_accept, officer)
    settled(lambda: permit_actions.application_claim(actor=officer, application=case(pk)))
    with_case(permit_actions.application_start_review, officer)
    settled(lambda: permit_actions.track_claim(actor=exit_entry, application=case(pk)))
    with_track(permit_actions.track_start_review, exit_entry)
    valid_until = settled(lambda: latest_valid_until(case(pk), start=date.today()))
    with_case(permit_actions.application_approve, officer, valid_until=valid_until)
    with_track(permit_actions.track_approve, exit_entry)


def test_an_employer_registers_is_verified_invites_pledges_and_sees_both_permits_issued_together(
    page, journey, live_server, browser_context, wait_for_email
):
    officer = UserFactory(duties=["work_permit_officer"], preferred_language="zh-hans")
    exit_entry = UserFactory(duties=["exit_entry_officer"], preferred_language="zh-hans")
    admin_email, hr_email, employee_email = (
        "kim.minji@hanbit.example.kr",
        "lee.seojun@hanbit.example.kr",
        ("yuki.tanaka@example.jp"),
    )
    uscc = make_uscc(4242)

    # --- Registration: the organisation and its administrator, in Korean ----------------------------
    page.goto(f"{live_server.url}/ko/accounts/register/employer/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("heading", level=1)).to_have_text(ko("Register an organisation"))
    journey.check("register the organisation")
    field(page, "Kind of organisation").select_option("employer")
    field(page, "Unified social credit code").fill(uscc)
    field(page, "Name in Chinese").fill("上海韩光半导体有限公司")
    field(page, "Name in English").fill("Shanghai Hanbit Semiconductor Co., Ltd.")
    field(page, "District").select_option("pudong")
    field(page, "Address").fill("上海市浦东新区张江路 100 号")
    field(page, "Industry").select_option("information_technology")
    field(page, "Zone").select_option("pudong_ftz")
    field(page, "Your full name").fill("김민지")
    field(page, "Your work e-mail address").fill(admin_email)
    expect(field(page, "Your preferred language")).to_have_value("ko")
    field(page, "Password").fill(PASSWORD)
    field(page, "Password again").fill(PASSWORD)
    field(page, CONSENT).check()
    page.get_by_role("button", name=ko("Register the organisation")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(ko("Check your inbox"))
    organization = settled(lambda: Organization.objects.get(uscc=uscc))
    assert organization.verification_status == "unverified"
    assert settled(lambda: Membership.objects.get(organization=organization).role) == "administrator"
    journey.check("check your inbox")

    # --- The e-mailed link confirms the address; then the employer signs in ---------------------------
    page.goto(wait_for_email(admin_email, link=r"/ko/accounts/verify/")[1])
    expect(field(page, "E-mail address")).to_have_value(admin_email)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name=ko("Sign in")).click()
    expect(page).to_have_url(re.compile(r"/ko/dashboard/"))
    journey.check("dashboard while waiting")

    # --- Waiting for verification: the page says what happens and what comes next --------------------
    page.get_by_role("link", name=organization.display_name).click()
    expect(page).to_have_url(f"{live_server.url}/ko/accounts/organisations/{organization.pk}/")
    waiting = page.get_by_role("region", name=ko("The commission is checking your organisation."))
    expect(waiting).to_contain_text(
        ko(
            "Meanwhile the administrator can already invite HR staff. Applications for foreign staff "
            "can be started once the organisation is verified."
        )
    )
    journey.check("organisation awaiting verification")

    settled(
        lambda: account_actions.organization_verify(actor=officer, organization=organization, approve=True)
    )
    wait_for_email(admin_email, link=rf"/ko/accounts/organisations/{organization.pk}/$")
    quiet()
    page.reload()
    expect(page.get_by_role("region", name=ko("Your organisation is verified."))).to_be_visible()

    # --- The administrator invites HR staff -------------------------------------------------------
    field(page, "E-mail address of the new HR staff member").fill(hr_email)
    expect(field(page, "Language of the invitation")).to_have_value("ko")
    page.get_by_role("button", name=ko("Send the invitation")).click()
    expect(page.get_by_text(ko("The invitation was sent."))).to_be_visible()
    expect(page.get_by_text(hr_email)).to_be_visible()
    journey.check("organisation verified and HR invited")

    # --- The HR person accepts in a browser of their own and starts the employee's application -------
    hr_context = browser_context.browser.new_context(viewport=DESKTOP, bypass_csp=True)
    hr_context.set_default_timeout(15_000)
    hr_page = hr_context.new_page()
    admin_page, journey.page = page, hr_page
    try:
        _message, link = wait_for_email(hr_email, link=r"/ko/accounts/invitations/")
        quiet()
        hr_page.goto(link)
        expect(hr_page.locator("html")).to_have_attribute("lang", "ko")
        expect(field(hr_page, "E-mail address")).to_have_value(hr_email)
        journey.check("HR accepts the invitation")
        field(hr_page, "Full name").fill("이서준")
        field(hr_page, "Password").fill(PASSWORD)
        field(hr_page, "Password again").fill(PASSWORD)
        field(hr_page, CONSENT).check()
        hr_page.get_by_role("button", name=ko("Create my account and join")).click()
        expect(hr_page).to_have_url(f"{live_server.url}/ko/accounts/organisations/{organization.pk}/")
        role = settled(lambda: Membership.objects.get(organization=organization, user__email=hr_email).role)
        assert role == "hr_staff"
        expect(hr_page.get_by_role("region", name=ko("Your organisation is verified."))).to_be_visible()
        journey.check("HR is a member")

        hr_page.get_by_role("link", name=ko("Sponsored staff")).click()
        expect(hr_page.get_by_role("heading", level=1)).to_contain_text(ko("Sponsored staff"))
        journey.check("sponsored staff, none yet")
        hr_page.get_by_role("link", name=ko("Start an application")).click()
        field(hr_page, "What does the employee apply for?").select_option("new_in_country")
        field(hr_page, "Employee's e-mail address").fill(employee_email)
        field(hr_page, "Language of the invitation").select_option("ja")
        journey.check("HR invites the employee")
        hr_page.get_by_role("button", name=ko("Start and invite")).click()
        expect(
            hr_page.get_by_text(ko("The application was created and the employee invited."))
        ).to_be_visible()
        application = settled(
            lambda: Application.objects.select_related("created_by").get(organization=organization)
        )
        assert application.invitation_email == employee_email and application.created_by.email == hr_email

        # The employer's part: post and salary, then the contract, in the guided form.
        quiet()
        hr_page.get_by_role("link", name=ko("Post and salary")).click()
        field(hr_page, "Post").fill("반도체 설계 수석 엔지니어")
        field(hr_page, "Duties").fill("아날로그 회로를 설계합니다.")
        field(hr_page, "Annual salary paid in China (CNY)").fill("380000")
        journey.check("employer part post and salary")
        hr_page.get_by_role("button", name=ko("Save and continue")).click()
        contract_start = date.today() + timedelta(days=30)
        field(hr_page, "Contract start").fill(contract_start.isoformat())
        field(hr_page, "Contract end").fill((contract_start + timedelta(days=2 * 365)).isoformat())
        field(hr_page, "District of the place of work").select_option("pudong")
        field(hr_page, "Address of the place of work").fill("上海市浦东新区张江路 100 号")
        hr_page.get_by_role("button", name=ko("Save and continue")).click()
        expect(hr_page.get_by_role("heading", level=1)).to_have_text(
            ko("Review everything before submission")
        )
        assert settled(lambda: case(application.pk).employer_part_completed_at) is not None
    finally:
        journey.page = admin_page
        hr_context.close()

    # --- The employee accepts the e-mailed invitation and fills in their part -----------------------
    _message, link = wait_for_email(employee_email, link=r"/ja/applications/invitations/")
    employee = settled(
        lambda: UserFactory(email=employee_email, full_name="TANAKA YUKI", preferred_language="ja")
    )
    employee_fills_their_part(application.pk, employee, token=link.rstrip("/").rsplit("/", 1)[-1])
    assert settled(lambda: case(application.pk).applicant_part_completed_at) is not None

    # --- The administrator uploads the contract, pledges, files through the single window, submits ----
    page.goto(f"{live_server.url}/ko/applications/{application.public_id}/")
    expect(page.get_by_role("heading", level=2, name=ko("The two parts of the application"))).to_be_visible()
    journey.check("case before the pledge")
    page.locator("#file-employment_contract").set_input_files(
        files=[{"name": "contract.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("contract")}]
    )
    page.locator("#file-employment_contract").locator("xpath=ancestor::form").get_by_role(
        "button", name=ko("Upload")
    ).click()
    expect(page.get_by_text(ko("The document was uploaded."))).to_be_visible()

    page.get_by_role("button", name=ko("Make the declaration")).click()
    expect(page.get_by_text(ko("The declaration was recorded."))).to_be_visible()
    declared_by = settled(lambda: case(application.pk).declared_by)
    assert declared_by is not None and declared_by.email == admin_email

    page.get_by_role("link", name=ko("Check whether the single window is open to you")).click()
    expect(page.get_by_text(ko("This application can use the single window."))).to_be_visible()
    field(page, "Requested validity (months)").fill("24")
    field(page, "Address in Shanghai").fill("上海市浦东新区张江路 100 号 1201 室")
    field(page, "Accommodation registration number").fill("PD2026-000123")
    journey.check("single window")
    page.get_by_role("button", name=ko("Apply through the single window")).click()
    expect(
        page.get_by_text(ko("Saved: the work permit and the residence permit are applied for together."))
    ).to_be_visible()
    # The single window adds the residence documents to the checklist; the employee uploads them.
    employee_uploads_documents(application.pk, employee)
    page.reload()
    expect(page.get_by_text(ko("Everything is ready for submission."))).to_be_visible()
    journey.check("ready to submit")
    page.get_by_role("button", name=ko("Submit"), exact=True).click()
    expect(
        page.get_by_text(ko("The application was submitted. The commission checks it within 5 working days."))
    ).to_be_visible()
    application = settled(lambda: case(application.pk))
    assert application.state == "submitted" and application.is_single_window
    journey.check("submitted")

    # --- Both officers decide; the employer sees both permits issued together -------------------------
    officers_decide(application.pk, officer, exit_entry)
    permit = settled(lambda: Permit.objects.get(application=application))
    residence_permit = settled(lambda: ResidencePermit.objects.get(track__application=application))
    assert residence_permit.work_permit == permit and permit.holder == residence_permit.holder == employee
    settled(page.reload)
    tracks = page.get_by_role("region", name=ko("Single window: both permits side by side"))
    expect(tracks).to_contain_text(ko("Work permit"))
    expect(tracks).to_contain_text(ko("Residence permit"))
    expect(tracks.get_by_text(ko_ctx("case state", "Issued"))).to_have_count(2)
    with translation.override("ko"):
        issued_on = date_format(residence_permit.valid_from, "DATE_FORMAT")
    expect(tracks).to_contain_text(ko("Both permits were issued together on %(date)s.") % {"date": issued_on})
    expect(tracks).to_contain_text(permit.number)
    journey.check("both permits issued")

    page.goto(f"{live_server.url}/ko/applications/employer/{organization.pk}/")
    row = page.get_by_role("row").filter(has_text=permit.number)
    expect(row).to_contain_text("TANAKA YUKI")
    journey.check("sponsored staff with the permit")
