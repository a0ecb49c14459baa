"""Browser journeys: Playwright for Python driving Debian's Chromium against a live server.

Never a browser download: the tests launch ``/usr/bin/chromium`` (installed by ``make system``).
Where it (or axe-core) is missing the tests are skipped, or fail when ``REQUIRE_SERVICES=1``.
Each page a journey visits is scanned with axe-core (``node_modules/axe-core``, injected from
disk, never from a CDN): zero serious or critical violations; and at 375 px it must not scroll
sideways. Screenshots go to ``test-artifacts/<journey>/<step>-{desktop,phone}.png``.
"""

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright  # pinned in requirements-dev.txt

from tests.conftest import _missing

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def _chromium_context_dir():
    path = Path(tempfile.mkdtemp(prefix="portal-chromium-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def browser_context(_chromium_context_dir, live_server):
    """One Chromium (fresh user-data directory) per journey.

    Playwright's sync API runs an event loop in this thread while it is open, which Django takes
    for an async context; the tests are synchronous, so Django's guard is lifted meanwhile. The
    browser lives only during the test: it starts after the test database is set up (and, for
    ``serialized_rollback``, restored) and stops before it is flushed, which an open event loop
    would otherwise break (the restore finds nothing).
    """
    if not CHROMIUM.exists():
        _missing("Chromium (/usr/bin/chromium; `make system` installs it)")
    if not AXE.exists():
        _missing("axe-core (node_modules; `make assets` installs it)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(_chromium_context_dir),
                executable_path=str(CHROMIUM),
                args=CHROMIUM_ARGS,
                headless=True,
                viewport=DESKTOP,
                accept_downloads=True,
                # The portal's CSP forbids inline scripts; only the injected axe-core needs this.
                bypass_csp=True,
            )
            context.set_default_timeout(15_000)
            yield context
            context.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser_context):
    """A fresh tab, signed out (no cookies), for one journey."""
    tab = browser_context.new_page()
    yield tab
    tab.close()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "page"


class Journey:
    """Checks each page a journey visits and keeps its screenshots."""

    def __init__(self, page, name: str):
        self.page = page
        self.folder = ARTIFACTS / _slug(name)
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):  # no stale steps from an earlier run
            old.unlink()
        self.steps = 0
        self._axe = AXE.read_text(encoding="utf-8")

    def check(self, step: str):
        """axe (no serious/critical), no horizontal overflow at 375 px, screenshots of both sizes."""
        self.steps += 1
        name = f"{self.steps:02d}-{_slug(step)}"
        self.page.set_viewport_size(DESKTOP)
        assert_accessible(self.page, self._axe)
        self.page.screenshot(path=str(self.folder / f"{name}-desktop.png"), full_page=True)
        self.page.set_viewport_size(PHONE)
        assert_no_horizontal_overflow(self.page)
        self.page.screenshot(path=str(self.folder / f"{name}-phone.png"), full_page=True)
        self.page.set_viewport_size(DESKTOP)


def assert_accessible(page, axe_source: str):
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    results = page.evaluate("async () => await window.axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not serious, f"axe on {page.url}:\n" + "\n".join(serious)


def assert_no_horizontal_overflow(page):
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["client"], f"{page.url} scrolls sideways at 375 px: {widths}"


@pytest.fixture
def journey(page, request):
    """The journey of this test file: ``test_officer_journey.py`` saves to ``test-artifacts/officer``."""
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_").removesuffix("_journey")
    return Journey(page, name)
