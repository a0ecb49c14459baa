"""An applicant in Japanese, from a new account to a verified permit.

Registers, confirms the e-mail address from the link in the mail, checks the talent class,
accepts the employer's invitation (the link again read from the mail), fills the guided form step
by step, uploads the documents (a file that is not a PDF is refused in Japanese, then replaced),
submits, answers the officer's request for a document, downloads the permit PDF once the case is
approved and opens the verification address printed in it. The employer's and the officers' steps
are taken through the product's actions, as those people would take them on their own pages.
"""

import io
import re
from datetime import timedelta

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import expect

from permits import actions, rules
from permits.models import Application, DocumentVersion, Permit, State
from tests.factories import OrganizationFactory, UserFactory
from tests.permits.factories import jpeg_bytes, pdf_bytes, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "yuki.tanaka@example.jp"
PASSWORD = "Sakura-Tokyo-2026"


def ja(text: str, context: str | None = None) -> str:
    with translation.override("ja"):
        translated = pgettext(context, text) if context else gettext(text)
    assert translated != text, f"not translated into Japanese: {text!r}"
    return translated


def exactly(text: str) -> re.Pattern:
    """A label that is exactly ``text`` (a required field's label ends with a hidden asterisk)."""
    return re.compile(rf"^{re.escape(text)}(\s*\*)?$")


def upload(application, kind, *, actor, content, name, issue_date=None):
    return actions.document_upload(
        actor=actor,
        application=Application.objects.get(pk=application.pk),
        kind=kind,
        uploaded=SimpleUploadedFile(name, content),
        issue_date=issue_date,
    )


def test_an_applicant_in_japanese_goes_from_a_new_account_to_a_verified_permit(
    page, journey, live_server, turn, wait_for_email
):
    base = live_server.url
    with turn:
        organization = OrganizationFactory(
            verified=True,
            credit_standing="good",
            name_zh="上海浦江芯片设计有限公司",
            name_en="Pujiang Chip Design",
        )
        hr = UserFactory(member_of=organization, preferred_language="zh-hans", full_name="王丽")
        officer = UserFactory(duties=["work_permit_officer"], preferred_language="zh-hans")

    # --- A new account, confirmed from the link in the mail ----------------------------------------
    page.goto(f"{base}/ja/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.get_by_role("link", name=ja("Create an account")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Create an account"))
    page.get_by_label(ja("Full name")).fill("TANAKA YUKI")
    page.get_by_label(ja("E-mail address")).fill(EMAIL)
    expect(page.get_by_label(ja("Preferred language"))).to_have_value("ja")
    page.get_by_label(exactly(ja("Password"))).fill(PASSWORD)
    page.get_by_label(ja("Password again")).fill(PASSWORD)
    page.get_by_label(
        ja("I have read the privacy notice and agree that my personal data is processed as it describes.")
    ).check()
    journey.check("register")
    page.get_by_role("button", name=ja("Create my account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Check your inbox"))
    journey.check("check inbox")

    _, link = wait_for_email(EMAIL, link=r"/ja/accounts/verify/\S+/")
    page.goto(base + re.sub(r"^https?://[^/]+", "", link))
    expect(page.get_by_text(ja("Your e-mail address is confirmed. You can sign in now."))).to_be_visible()
    expect(page.get_by_label(ja("E-mail address"))).to_have_value(EMAIL)
    journey.check("sign in")
    page.get_by_label(exactly(ja("Password"))).fill(PASSWORD)
    page.get_by_role("button", name=ja("Sign in")).click()
    expect(page).to_have_url(re.compile(r"/ja/"))

    # --- The talent class, before any application ----------------------------------------------------
    page.goto(f"{base}/ja/classification/self-assessment/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Check your talent class"))
    page.get_by_label(ja("Annual salary paid in China (CNY, before tax)")).fill("380000")
    page.get_by_label(ja("Highest education")).select_option("doctorate")
    page.get_by_label(ja("Years of work experience related to the post")).fill("6")
    page.get_by_label(ja("Age")).fill("34")
    page.get_by_role("button", name=ja("Show my class")).click()
    expect(page.locator("#result-heading")).to_be_visible()
    journey.check("self assessment result")

    # --- The employer invites the applicant and files its own part (on its pages, here by actions) ---
    with turn:
        today = timezone.localdate()
        case = actions.application_start_by_employer(
            actor=hr,
            organization=organization,
            business_type="new_notice",
            employee_email=EMAIL,
            employee_language="ja",
        )
        case = actions.application_update_employer_part(
            actor=hr,
            application=case,
            expected_version=case.version,
            data={
                "post_title": "Senior analogue circuit designer",
                "duties": "Designs the analogue front end of sensor chips.",
                "annual_salary_cny": 380_000,
                "contract_start": today + timedelta(days=30),
                "contract_end": today + timedelta(days=30 + 2 * 365),
                "work_district": "pudong",
                "work_address": "张江路 100 号",
            },
        )
        upload(case, "employment_contract", actor=hr, content=pdf_bytes("contract"), name="contract.pdf")

    _, link = wait_for_email(EMAIL, link=r"/ja/applications/invitations/\S+/")
    page.goto(base + re.sub(r"^https?://[^/]+", "", link))
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Your employer invites you"))
    # Who invites, for what: before the applicant accepts anything.
    expect(page.locator("main")).to_contain_text("上海浦江芯片设计有限公司")
    expect(page.locator("main")).to_contain_text(case.reference)
    journey.check("invitation")
    page.get_by_role("button", name=ja("Accept the invitation")).click()
    expect(page).to_have_url(f"{base}/ja/applications/{case.public_id}/")
    expect(page.get_by_text(ja("Welcome! Please fill in your part of the application."))).to_be_visible()
    journey.check("case after accepting")

    # --- The guided form, step by step with the step indicator ---------------------------------------
    stepper = page.get_by_role("navigation", name=ja("Progress"))
    page.get_by_role("link", name=ja("Identity and passport")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Identity and passport"))
    expect(stepper.locator("[aria-current=step]")).to_have_text(ja("Identity and passport"))
    page.get_by_label(exactly(ja("Surname"))).fill("TANAKA")
    page.get_by_label(exactly(ja("Given names"))).fill("YUKI")
    page.get_by_label(exactly(ja("Nationality"))).select_option("JPN")
    page.get_by_label(exactly(ja("Date of birth"))).fill("1992-05-17")
    page.get_by_label(exactly(ja("Sex"))).select_option("F")
    page.get_by_label(exactly(ja("Passport number"))).fill("TK1234567")
    page.get_by_label(exactly(ja("Passport valid until"))).fill((today + timedelta(days=5 * 365)).isoformat())
    journey.check("step identity")
    page.get_by_role("button", name=ja("Save and continue")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Education, experience and Chinese"))
    expect(stepper.locator("[aria-current=step]")).to_have_text(ja("Education, experience and Chinese"))
    expect(page.get_by_text(ja("Saved. You can leave and come back at any time."))).to_be_visible()
    page.get_by_label(exactly(ja("Highest education"))).select_option("doctorate")
    page.get_by_label(exactly(ja("Related work experience (full years)"))).fill("6")
    page.get_by_label(exactly(ja("Months a year you will work in China"))).fill("12")
    page.get_by_label(exactly(ja("Chinese proficiency (HSK level)"))).select_option("2")
    journey.check("step background")
    page.get_by_role("button", name=ja("Save and continue")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Talent class"))
    expect(stepper.locator("[aria-current=step]")).to_have_text(ja("Talent class"))
    page.get_by_label(exactly(ja("The class you believe you qualify for"))).select_option("B")
    journey.check("step talent")
    page.get_by_role("button", name=ja("Save and continue")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(ja("Where you are now"))
    expect(stepper.locator("[aria-current=step]")).to_have_text(ja("Where you are now"))
    journey.check("step situation")
    page.get_by_role("button", name=ja("Save and continue")).click()

    expect(page).to_have_url(f"{base}/ja/applications/{case.public_id}/review/")
    journey.check("review")
    with turn:
        case.refresh_from_db()
        assert (case.surname, case.passport_number, case.hsk_level) == ("TANAKA", "TK1234567", 2)
        assert case.applicant_part_completed_at is not None

    # --- Documents: a file of the wrong kind is refused in Japanese, then replaced --------------------
    with turn:
        case = actions.application_declare(actor=hr, application=case, expected_version=case.version)
    page.goto(f"{base}/ja/applications/{case.public_id}/")
    with turn:
        own_kinds = [
            kind
            for kind in rules.required_documents(case, on=today)
            if kind not in actions.EMPLOYER_DOCUMENTS
        ]
        assert {"passport", "photo"} <= set(own_kinds)
    documents = page.locator("#documents")
    documents.locator("#file-passport").set_input_files(
        files=[
            {"name": "passport.docx", "mimeType": "application/pdf", "buffer": b"PK\x03\x04 not a passport"}
        ]
    )
    documents.locator("#file-passport").locator("xpath=..").locator("button[type=submit]").click()
    refusal = ja("Only PDF, JPEG and PNG files are accepted. This file is of another kind.")
    # Announced at the top of the page, and shown next to the file field, where the page opens.
    expect(page.get_by_role("status").filter(has_text=refusal)).to_be_visible()
    expect(page).to_have_url(re.compile(r"#document-passport$"))
    expect(page.locator("#file-passport-error")).to_have_text(refusal)
    expect(page.locator("#file-passport")).to_have_attribute("aria-describedby", "file-passport-error")
    expect(page.locator("#file-passport")).to_have_attribute("aria-invalid", "true")
    with turn:
        assert not DocumentVersion.objects.filter(
            document__application=case, document__kind="passport"
        ).exists()
    journey.check("upload refused")

    files = {
        "passport": ("passport.png", png_bytes(), "image/png"),
        "photo": ("photo.jpg", jpeg_bytes(), "image/jpeg"),
    }
    for kind in own_kinds:
        name, content, mime = files.get(kind, (f"{kind}.pdf", pdf_bytes(kind), "application/pdf"))
        form = documents.locator(f"#file-{kind}").locator("xpath=..")
        form.locator(f"#file-{kind}").set_input_files(
            files=[{"name": name, "mimeType": mime, "buffer": content}]
        )
        if form.locator(f"#issued-{kind}").count():
            form.locator(f"#issued-{kind}").fill((today - timedelta(days=20)).isoformat())
        if form.locator(f"#consent-{kind}").count():
            form.locator(f"#consent-{kind}").check()
        form.locator("button[type=submit]").click()
        expect(page.get_by_text(ja("The document was uploaded.")).first).to_be_visible()
    expect(page.get_by_text(ja("Everything is ready for submission."))).to_be_visible()
    journey.check("documents uploaded")

    # --- Submission ------------------------------------------------------------------------------------
    page.get_by_role("button", name=ja("Submit"), exact=True).click()
    expect(
        page.get_by_text(ja("The application was submitted. The commission checks it within 5 working days."))
    ).to_be_visible()
    with turn:
        case.refresh_from_db()
        assert case.state == State.SUBMITTED

    # --- The officer checks the file and asks for one more document (on the desk, here by actions) ----
    with turn:
        for version in DocumentVersion.objects.filter(document__application=case):
            actions.document_review(actor=officer, version=version, status="accepted")
        case = actions.application_accept(actor=officer, application=case, expected_version=case.version)
        actions.application_claim(actor=officer, application=case)
        case.refresh_from_db()
        case = actions.application_start_review(
            actor=officer, application=case, expected_version=case.version
        )
        case = actions.application_request_documents(
            actor=officer,
            application=case,
            expected_version=case.version,
            kinds=["experience_proof"],
            message="请补充2019年至2021年的工作证明。",
        )

    page.reload()
    expect(page.get_by_role("region", name=ja("What is needed now"))).to_contain_text(
        "请补充2019年至2021年的工作证明。"
    )
    journey.check("documents requested")
    form = documents.locator("#file-experience_proof").locator("xpath=..")
    form.locator("#file-experience_proof").set_input_files(
        files=[{"name": "reference-2019.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("2019")}]
    )
    form.locator("button[type=submit]").click()
    expect(page.get_by_text(ja("The document was uploaded.")).first).to_be_visible()
    page.get_by_role("button", name=ja("Send the requested documents")).click()
    expect(
        page.get_by_text(ja("Thank you. The officer has been told that the documents are there."))
    ).to_be_visible()
    with turn:
        case.refresh_from_db()
        assert case.state == State.UNDER_REVIEW

    # --- Approved and issued; the permit PDF and its verification page ---------------------------------
    with turn:
        answered = DocumentVersion.objects.get(
            document__application=case, document__kind="experience_proof", number=2
        )
        actions.document_review(actor=officer, version=answered, status="accepted")
        case.refresh_from_db()
        case = actions.application_approve(
            actor=officer,
            application=case,
            expected_version=case.version,
            valid_until=today + timedelta(days=365),
        )
        assert case.state == State.ISSUED
        permit = Permit.objects.get(application=case)
    page.reload()
    journey.check("issued")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=ja("Electronic work permit")).click()
    pdf = pypdfium2.PdfDocument(io.BytesIO(download_info.value.path().read_bytes()))
    text = "".join(pdf[index].get_textpage().get_text_range() for index in range(len(pdf)))
    assert permit.number in text
    verify_path = re.search(r"/verify/\S+", text).group(0)

    page.goto(base + verify_path)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("status")).to_contain_text(ja("This permit is genuine and valid."))
    expect(page.get_by_role("status")).to_contain_text(permit.number)
    journey.check("verification")
