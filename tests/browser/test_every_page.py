"""Every page of the portal, in four languages, as each role that may open it (``make test-full``).

The list of pages is the URL resolver's: the authorisation matrix's table
(``tests/security/policy.py``) has a rule for every pattern (its own test fails on a pattern
without one) and says which roles may ``GET`` it; its world (``build_world``) provides the
objects that fill the URL arguments. Every page that answers a role with HTML is opened in
Chromium in en, zh-hans, ja and ko and must pass what ``journey.check`` checks: no serious or
critical axe violation, no sideways scrolling at 375 px, no English left on a zh/ja/ko page.
Pages everyone may open are visited as a visitor and as an applicant; the others as the roles
that may open them, at most two (the first and the last in ``ROLES``: menus and contents differ
most between them). All problems are collected and reported together.

Marked ``full_pages``: deselected by ``make test`` (pyproject's ``addopts``), run by
``make test-full`` or ``pytest -m full_pages tests/browser/test_every_page.py``.
"""

import logging
import re

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from talent_portal.core import workdays
from tests.browser.conftest import (
    AXE,
    DESKTOP,
    PHONE,
    _slug,
    assert_accessible,
    assert_no_horizontal_overflow,
)
from tests.browser.english import english_left
from tests.security import policy
from tests.security.test_authorization_matrix import FROZEN_AT, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.full_pages,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = ("en", "zh-hans", "ja", "ko")
ROLES = (
    "anonymous",
    "applicant_b",
    "sponsor_staff",
    "work_permit_officer",
    "exit_entry_officer",
    "lead_officer",
    "station_staff",
    "administrator",
)
EVERYONE = ("anonymous", "applicant_b")


# What staff would have written in each language, where the test data has nothing.
_WRITTEN = {"zh_hans": "示例内容", "ja": "サンプルの内容", "ko": "예시 내용"}


def _staff_wrote_every_language():
    """Content written by staff (django-modeltranslation fields: events, stations, catalogue,
    reason codes) exists in all four languages in real use; the factories write one or two,
    and the fallback would show English on zh/ja/ko pages. Fill the missing languages with
    text in that language (the Chinese text for ja/ko where there is one)."""
    from django.db.models import Q
    from modeltranslation.translator import translator

    for model in translator.get_registered_models():
        for name in translator.get_options_for_model(model).all_fields:
            for language, placeholder in _WRITTEN.items():
                field, source = f"{name}_{language}", f"{name}_zh_hans"
                missing = Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
                for obj in model.objects.filter(missing):
                    chinese = getattr(obj, source, "") if language != "zh_hans" else ""
                    model.objects.filter(pk=obj.pk).update(**{field: chinese or placeholder})


def _visits(world):
    """``(rule, role)`` for every page rule a role may open (as the table says)."""
    for rule in policy.rules():
        answers = rule.methods.get("GET")
        # The Django admin (``admin:*``) is Django's own back office for the portal administrator,
        # outside the portal's design; its rules stay in the matrix for the permissions.
        if rule.api or answers is None or rule.name.startswith(("/", "admin:", "admin <")):
            continue
        roles = [role for role in ROLES if policy.matches(answers[role], policy.OK)]
        if all(policy.matches(answers[actor], policy.OK) for actor in policy.ACTORS):
            roles = list(EVERYONE)
        elif len(roles) > 2:
            # A page many roles share (profile, inbox, events): the first and the last of them
            # (an applicant or employer, and an officer), whose menus and contents differ most.
            roles = [roles[0], roles[-1]]
        for role in roles:
            yield rule, role


def _sessions(world) -> dict:
    cookies = {}
    for role in ROLES:
        client = Client()
        user = world.users[role]
        if user is not None:
            client.force_login(user)  # officers: as after the second factor (tests/conftest.py)
        cookies[role] = {name: morsel.value for name, morsel in client.cookies.items()}
    return cookies


def _html_pages(world, cookies, problems) -> list:
    """``(role, rule name, {language: path})`` of the visits answered with a whole HTML page."""
    pages = []
    logging.disable(logging.CRITICAL)
    try:
        for rule, role in _visits(world):
            paths = {}
            for language in LANGUAGES:
                with translation.override(language):
                    paths[language] = rule.path(world.values)
            client = Client(raise_request_exception=False)
            for name, value in cookies[role].items():
                client.cookies[name] = value
            response = client.get(paths["en"])
            content_type = response.get("Content-Type", "")
            if response.status_code >= 500:
                problems.append(f"{role} {paths['en']}: HTTP {response.status_code}")
            elif (
                response.status_code == 200
                and content_type.startswith("text/html")
                and not getattr(response, "streaming", False)
                and b"<html" in response.content[:500]
            ):
                pages.append((role, rule.name, paths))
    finally:
        logging.disable(logging.NOTSET)
    return pages


def _check(page, axe_source) -> list[str]:
    found = []
    page.set_viewport_size(DESKTOP)
    try:
        assert_accessible(page, axe_source)
    except AssertionError as error:
        found.append(str(error).split("\n", 1)[-1].replace("\n", "; "))
    phrases = english_left(page)
    if phrases:
        found.append("English left: " + "; ".join(repr(phrase) for phrase in phrases[:15]))
    page.set_viewport_size(PHONE)
    try:
        assert_no_horizontal_overflow(page)
    except AssertionError as error:
        found.append(re.sub(r"^\S+ ", "", str(error)))
    return found


@pytest.fixture
def world(transactional_db):
    """The matrix's world, filed on its frozen Monday (its documents are dated for that day),
    before the browser and the worker start; the pages are looked at today, signed in today."""
    with time_machine.travel(FROZEN_AT, tick=False):
        workdays.clear_cache()
        built = build_world()
    workdays.clear_cache()
    _staff_wrote_every_language()
    return built


def test_every_page_in_every_language_passes_the_checks(world, browser_context, live_server):
    from tests.browser.conftest import ARTIFACTS

    cookies = _sessions(world)
    problems = []
    pages = _html_pages(world, cookies, problems)
    names = {name for _role, name, _paths in pages}
    # Sanity: the crawl reaches the portal's main areas (a broken world would visit nothing).
    assert len(names) >= 60, sorted(names)
    assert {"dashboards:public_home", "permits:application", "permits:queue", "outreach:event"} <= names

    folder = ARTIFACTS / "every-page"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    report = folder / "problems.txt"
    report.write_text("", encoding="utf-8")
    axe_source = AXE.read_text(encoding="utf-8")
    page = browser_context.new_page()
    visited = 0
    print(f"every page: {len(pages)} page-role pairs to visit in {len(LANGUAGES)} languages", flush=True)
    current_role = None
    for role, name, paths in sorted(pages, key=lambda visit: visit[0]):
        if role != current_role:
            browser_context.clear_cookies()
            browser_context.add_cookies(
                [
                    {"name": key, "value": value, "url": live_server.url}
                    for key, value in cookies[role].items()
                ]
            )
            current_role = role
        for language in LANGUAGES:
            response = page.goto(live_server.url + paths[language])
            visited += 1
            status = response.status if response else 0
            found = [f"HTTP {status}"] if status != 200 else _check(page, axe_source)
            if found:
                lines = [f"{role:20} {language:7} {paths[language]}: {problem}" for problem in found]
                problems.extend(lines)
                with report.open("a", encoding="utf-8") as handle:  # to read while it runs
                    handle.write("\n".join(lines) + "\n")
                page.set_viewport_size(PHONE)
                page.screenshot(
                    path=str(folder / f"{_slug(role + '-' + name + '-' + language)}.png"), full_page=True
                )
    page.close()
    print(f"every page: {len(names)} pages, {len(pages)} page-role pairs, {visited} visits")
    assert not problems, f"{len(problems)} problems on {visited} page visits:\n" + "\n".join(problems)
