"""Accessibility in a real browser (WCAG 2.1 AA, axe-core): every role's pages in two languages,
a form used by keyboard alone, errors linked to their fields, and the pages at 200 % zoom.

axe runs from ``node_modules/axe-core`` (see conftest): no serious or critical violation is
allowed. 200 % zoom of a 1280 px window is a 640 CSS px viewport (WCAG 1.4.4 / 1.4.10): nothing
may scroll sideways and the navigation must still open and work.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import Journey, assert_accessible, assert_no_horizontal_overflow
from tests.factories import OrganizationFactory, UserFactory
from tests.permits.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a-long-Passphrase-7"
ZOOMED = {"width": 640, "height": 450}


def t(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def url(live_server, language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return live_server.url + reverse(name, kwargs=kwargs or None)


@pytest.fixture
def axe(page, request):
    """Checks a page: axe (no serious/critical issue), no sideways scrolling at 375 px, screenshots
    (``test-artifacts/accessibility-<role>/``, one folder per test)."""
    role = request.node.originalname.removeprefix("test_an_").removeprefix("test_a_").split("_s_pages")[0]
    return Journey(page, f"accessibility-{role}")


def fulfil_with(html: str, *, status: int):
    def handler(route):
        route.fulfill(status=status, body=html, content_type="text/html")

    return handler


def server_error_page(language: str, path: str) -> str:
    from django.test import RequestFactory

    from talent_portal.core.views import server_error

    request = RequestFactory().get(path, HTTP_X_REQUEST_ID="req-axe-500")
    request.request_id = "req-axe-500"
    with translation.override(language):
        return server_error(request).content.decode()


def sign_in(page, live_server, user, language: str, *, device=None):
    page.goto(url(live_server, language, "accounts:login"))
    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=t(language, "Sign in")).click()
    if device is not None:
        device.refresh_from_db()
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        page.get_by_label(t(language, "Code")).fill(f"{code:06d}")
        page.get_by_role("button", name=t(language, "Confirm")).click()
    expect(page.get_by_role("button", name=t(language, "Sign out"))).to_be_visible()


def test_a_visitor_s_pages_in_japanese_and_korean(page, live_server, axe):
    for language in ("ja", "ko"):
        page.goto(url(live_server, language, "dashboards:public_home"))
        expect(page.locator("html")).to_have_attribute("lang", language)
        axe.check(f"{language} home")
        page.goto(url(live_server, language, "accounts:register"))
        axe.check(f"{language} register")
        page.goto(url(live_server, language, "accounts:login"))
        page.get_by_role("button", name=t(language, "Sign in")).click()
        expect(page.locator("[data-error-summary]")).to_be_focused()
        axe.check(f"{language} sign in with errors")
        page.goto(url(live_server, language, "permits:status_lookup"))
        page.get_by_role("button", name=t(language, "Check")).click()
        expect(page.locator("[data-error-summary]")).to_contain_text(t(language, "This field is required."))
        axe.check(f"{language} status lookup with errors")
        page.goto(url(live_server, language, "outreach:events"))
        expect(page.locator(".empty-state")).to_contain_text(t(language, "No event matches."))
        axe.check(f"{language} events none")
        page.goto(f"{live_server.url}/{language}/no-such-page/")
        expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Page not found"))
        expect(page.get_by_role("link", name=t(language, "Ask a service station for help"))).to_be_visible()
        axe.check(f"{language} not found")

        # A form sent without its security cookie: the CSRF page, which offers the form again.
        page.goto(url(live_server, language, "accounts:login"))
        page.context.clear_cookies()
        page.get_by_role("button", name=t(language, "Sign in")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "The form has expired"))
        axe.check(f"{language} form expired")
        page.get_by_role("link", name=t(language, "Open the page again")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Sign in"))

        # The 500 page, as the server draws it (served in place of a page that would fail).
        broken = f"{live_server.url}/{language}/broken/"
        html = server_error_page(language, f"/{language}/broken/")
        page.route(broken, fulfil_with(html, status=500))
        page.goto(broken)
        expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Something went wrong"))
        expect(page.locator(".request-id")).to_have_text("req-axe-500")
        axe.check(f"{language} server error")
        page.unroute(broken)


def test_an_applicant_s_pages_in_japanese_and_english(page, live_server, axe):
    applicant = UserFactory(password=PASSWORD, preferred_language="ja")
    sign_in(page, live_server, applicant, "ja")
    for language in ("ja", "en"):
        page.goto(url(live_server, language, "dashboards:home"))
        axe.check(f"{language} dashboard")
        page.goto(url(live_server, language, "permits:my_applications"))
        expect(page.get_by_role("link", name=t(language, "Start an application")).last).to_be_visible()
        expect(page.locator(".empty-state").first).to_contain_text(
            t(language, "You have no applications yet.")
        )
        axe.check(f"{language} my applications none")
        page.goto(url(live_server, language, "notifications:inbox"))
        expect(page.locator(".empty-state")).to_contain_text(t(language, "You have no messages yet."))
        axe.check(f"{language} messages none")
        page.goto(url(live_server, language, "accounts:api_tokens"))
        page.get_by_role("button", name=t(language, "Create the token")).click()
        expect(page.locator("[data-error-summary]")).to_be_focused()
        axe.check(f"{language} tokens with errors")
        page.goto(url(live_server, language, "classification:claims"))
        expect(page.locator(".empty-state")).to_contain_text(t(language, "You have made no claim yet."))
        axe.check(f"{language} claims none")


def test_an_employer_s_pages_in_korean_and_chinese(page, live_server, axe):
    # A Chinese name only: the page title, which cannot mark a part translate="no", shows it.
    organization = OrganizationFactory(verified=True, name_en="")
    admin = UserFactory(
        password=PASSWORD, preferred_language="ko", member_of=organization, member_of__role="administrator"
    )
    sign_in(page, live_server, admin, "ko")
    for language in ("ko", "zh-hans"):
        page.goto(url(live_server, language, "dashboards:employer", organization_id=organization.pk))
        axe.check(f"{language} employer dashboard")
        page.goto(url(live_server, language, "permits:employer_staff", organization_id=organization.pk))
        expect(page.get_by_role("link", name=t(language, "Invite an employee to apply"))).to_be_visible()
        axe.check(f"{language} staff none")
        page.goto(url(live_server, language, "accounts:organization", pk=organization.pk))
        axe.check(f"{language} organisation")


def test_an_officer_s_pages_in_chinese_and_english(page, live_server, axe):
    officer = UserFactory(password=PASSWORD, preferred_language="zh-hans", duties=["work_permit_officer"])
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    sign_in(page, live_server, officer, "zh-hans", device=device)
    for language in ("zh-hans", "en"):
        page.goto(url(live_server, language, "permits:queue"))
        expect(page.locator(".empty-state")).to_contain_text(t(language, "No case matches."))
        axe.check(f"{language} queue none")
        page.goto(url(live_server, language, "accounts:organizations_to_verify"))
        expect(page.locator(".empty-state")).to_contain_text(t(language, "No organisation is waiting."))
        axe.check(f"{language} organisations none")


def focused(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, tag: document.activeElement.tagName,"
        " text: document.activeElement.textContent.trim()})"
    )


def tab_to(page, element_id: str, limit: int = 15):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page)["id"] == element_id:
            return
    raise AssertionError(f"#{element_id} was not reached with {limit} presses of Tab")


def test_a_status_lookup_by_keyboard_alone_with_a_mistake_corrected(page, live_server):
    case = ApplicationFactory(complete=True, state="submitted")
    birth = case.date_of_birth
    page.goto(url(live_server, "en", "permits:status_lookup"))

    # The first Tab reaches the skip link, which jumps over the navigation to the content.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == t("en", "Skip to main content")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    # The reference, and the form sent with Enter before the date of birth is given.
    tab_to(page, "id_reference")
    page.keyboard.type(case.reference)
    page.keyboard.press("Enter")

    # The error summary is announced (role=alert) and has the focus; its link leads to the field.
    summary = page.locator("[data-error-summary]")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(t("en", "Applicant's date of birth"))
    field = page.locator("#id_date_of_birth")
    expect(field).to_have_attribute("aria-invalid", "true")
    described = field.get_attribute("aria-describedby").split()
    assert "id_date_of_birth_error" in described
    expect(page.locator("#id_date_of_birth_error")).to_have_text(t("en", "This field is required."))
    # What was typed is kept.
    expect(page.locator("#id_reference")).to_have_value(case.reference)

    page.keyboard.press("Tab")
    assert focused(page)["tag"] == "A"
    page.keyboard.press("Enter")
    expect(field).to_be_focused()

    # Chromium's date field takes month, day and year (en-US) as typed digits.
    page.keyboard.type(f"{birth.month:02d}{birth.day:02d}{birth.year}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(case.reference)
    expect(page.locator("[data-error-summary]")).to_have_count(0)


@pytest.mark.parametrize("language", ["zh-hans", "ko"])
def test_pages_at_200_percent_zoom_keep_their_content_and_navigation(page, live_server, language):
    applicant = UserFactory(password=PASSWORD, preferred_language=language)
    page.set_viewport_size(ZOOMED)
    pages = [
        url(live_server, language, "dashboards:public_home"),
        url(live_server, language, "permits:status_lookup"),
        url(live_server, language, "outreach:events"),
    ]
    for address in pages:
        page.goto(address)
        assert_no_horizontal_overflow(page)

    # The menu is collapsed behind its button, which opens it from the keyboard.
    page.goto(url(live_server, language, "dashboards:public_home"))
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    sign_in_link = page.locator("#portal-nav").get_by_role("link", name=t(language, "Sign in"), exact=True)
    expect(sign_in_link).to_be_hidden()
    toggler.focus()
    page.keyboard.press("Enter")
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(sign_in_link).to_be_visible()
    # The language switcher stays on screen without opening anything.
    expect(page.get_by_role("button", name="English")).to_be_visible()

    sign_in_link.click()
    page.locator("#id_email").fill(applicant.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=t(language, "Sign in")).click()
    for name in ("dashboards:home", "permits:my_applications", "notifications:inbox"):
        page.goto(url(live_server, language, name))
        assert_no_horizontal_overflow(page)
    assert_accessible(page, _axe_source())


def _axe_source() -> str:
    from tests.browser.conftest import AXE

    return AXE.read_text(encoding="utf-8")
