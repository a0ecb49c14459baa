"""An officer in Chinese signs in with the password and a TOTP code, opens the queue, opens a case."""

from datetime import date, timedelta

import pytest
from django.utils import translation
from django.utils.translation import gettext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.permits.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return gettext(text)


def test_an_officer_signs_in_with_two_factors_and_opens_a_case_from_the_queue(page, journey, live_server):
    officer = UserFactory(
        duties=["work_permit_officer"], preferred_language="zh-hans", password="Correct-Horse-42"
    )
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    case = ApplicationFactory(complete=True, state="submitted", target_date=date.today() + timedelta(days=7))

    page.goto(f"{live_server.url}/zh-hans/accounts/sign-in/?next=/zh-hans/applications/queue/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    journey.check("sign in")
    page.get_by_label(zh("E-mail address")).fill(officer.email)
    page.get_by_label(zh("Password")).fill("Correct-Horse-42")
    page.get_by_role("button", name=zh("Sign in")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Two-factor sign-in"))
    journey.check("two factor")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"
    page.get_by_label(zh("Code")).fill(code)
    page.get_by_role("button", name=zh("Confirm")).click()

    expect(page).to_have_url(f"{live_server.url}/zh-hans/applications/queue/")
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Case queue"))
    journey.check("queue")
    page.get_by_role("link", name=case.reference).click()

    expect(page).to_have_url(f"{live_server.url}/zh-hans/applications/{case.public_id}/")
    expect(page.get_by_text(case.reference).first).to_be_visible()
    journey.check("case")
