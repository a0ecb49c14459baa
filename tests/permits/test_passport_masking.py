"""Passport numbers: encrypted at rest, masked everywhere but the owner's and the handling
officers' detail pages — lists (HTML and API), the officer queue, logs, exports, the audit log,
the admin's lists, notifications and e-mails."""

import io
import json
import logging
import zipfile
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from rest_framework.test import APIClient

from permits import actions
from permits.models import Application
from services.notifications.models import Notification
from talent_portal.core.crypto import keyed_digest
from talent_portal.core.masking import mask_identifier
from talent_portal.core.models import AuditEvent
from tests.factories import UserFactory

from .test_review import in_review

pytestmark = pytest.mark.django_db

PASSPORT = "EX9876543"


def test_the_mask_shows_only_the_first_and_last_two_characters():
    assert mask_identifier("E12345678") == "E1•••••78"
    assert mask_identifier(" e1 2345 678 ") == "e1•••••78"
    # Too short to show both ends without giving half of it away: all hidden.
    assert mask_identifier("AB123") == "•••••"
    assert mask_identifier("") == "" and mask_identifier(None) == ""


def test_the_passport_number_is_stored_encrypted_with_a_digest(case):
    case.set_passport_number(PASSPORT)
    case.save()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT passport_number, passport_digest FROM permits_application WHERE id = %s", [case.pk]
        )
        stored, digest = cursor.fetchone()
    assert PASSPORT not in stored
    assert digest == keyed_digest(PASSPORT)
    assert Application.objects.get(pk=case.pk).passport_number == PASSPORT
    assert Application.objects.get(passport_digest=keyed_digest(PASSPORT.lower())).pk == case.pk


def _parameterless_paths():
    """Every GET-able path of the URL configuration without parameters, in English."""
    skipped = ("schema", "docs", "redoc", "sign-out", "setlang", "healthz", "jsi18n", "logout")

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
            if "<" in route or "(" in route or "\\" in route:
                continue
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and not any(word in route for word in skipped):
                yield "/" + route

    with translation.override("en"):
        return sorted(set(walk(get_resolver().url_patterns, "")))


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".json"))
    return content.decode("utf-8", errors="replace")


def _log_text(record) -> str:
    return f"{record.getMessage()} {record.args!r} {record.__dict__!r}"


def test_no_full_passport_number_in_logs_lists_exports_audit_or_notifications(case, caplog, settings):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # the SQL log too: only cipher text and digests may appear
    try:
        officer = UserFactory(duties=["work_permit_officer"])
        # Filing: the applicant gives the passport number through the API.
        applicant_api = APIClient()
        applicant_api.force_authenticate(case.applicant)
        base = f"/api/v1/applications/{case.public_id}/"
        saved = applicant_api.patch(
            base + "applicant-part/",
            {"version": case.version, "data": {"passport_number": PASSPORT}},
            format="json",
        )
        assert saved.status_code == 200, saved.json()
        assert saved.json()["passport_number"] == PASSPORT  # the owner's detail shows it whole
        case.refresh_from_db()
        assert case.passport_number == PASSPORT
        # Submission, pre-check, review and issuance.
        case = in_review(case, officer)
        # The queue searched by passport number (a digest look-up) finds the case; apart from
        # the officer's own query echoed back in the search box and links, it is not shown.
        # (The search term itself is a LIKE parameter: only the SQL debug log, which the settings
        # keep at WARNING, would show what the officer typed, so it is off for this request.)
        officer_browser = Client()
        officer_browser.force_login(officer)
        connection.force_debug_cursor = False
        found = _body(officer_browser.get(f"/en/applications/queue/?q={PASSPORT}"))
        connection.force_debug_cursor = True
        assert case.reference in found
        echoes = found.count(f"q={PASSPORT}") + found.count(f'value="{PASSPORT}"')
        assert found.count(PASSPORT) == echoes
        case = actions.application_approve(
            actor=officer, application=case, expected_version=case.version, valid_until=date(2028, 3, 1)
        )
        assert case.state == "issued"
    finally:
        connection.force_debug_cursor = False

    actors = {
        "applicant": case.applicant,
        "employer": case.organization.memberships.first().user,
        "officer": officer,
        "lead": UserFactory(duties=["work_permit_officer", "lead_officer"]),
        "exit_entry": UserFactory(duties=["exit_entry_officer"]),
        "administrator": UserFactory(duties=["administrator"], is_staff=True, is_superuser=True),
    }
    paths = _parameterless_paths()
    assert "/en/applications/queue/" in paths and "/api/v1/applications/" in paths
    assert "/en/admin/permits/application/" in paths
    leaks, seen = [], {}
    for name, actor in actors.items():
        browser = Client()
        browser.force_login(actor)
        for path in paths:
            response = browser.get(path, HTTP_ACCEPT_LANGUAGE="en")
            body = _body(response)
            seen[(name, path)] = (response.status_code, case.reference in body)
            if PASSPORT in body:
                leaks.append((name, path))
    # The employer's view of the case: masked, page and API.
    hr = Client()
    hr.force_login(actors["employer"])
    hr_page = _body(hr.get(f"/en/applications/{case.public_id}/"))
    assert case.reference in hr_page and PASSPORT not in hr_page and mask_identifier(PASSPORT) in hr_page
    hr_api = APIClient()
    hr_api.force_authenticate(actors["employer"])
    assert hr_api.get(base).json()["passport_number"] == mask_identifier(PASSPORT)

    assert leaks == []
    # The lists were really there to look at: the case appears in them.
    assert seen[("employer", "/api/v1/applications/")] == (200, True)
    assert seen[("applicant", "/en/applications/")] == (200, True)
    assert seen[("administrator", "/en/admin/permits/application/")] == (200, True)
    admin_list = _body(_logged_in(actors["administrator"]).get("/en/admin/permits/application/"))
    assert mask_identifier(PASSPORT) in admin_list
    # Logs (SQL included), notifications, e-mails and the audit log.
    assert caplog.records, "the journey logged nothing: the capture is not working"
    assert [record.getMessage()[:300] for record in caplog.records if PASSPORT in _log_text(record)] == []
    assert any(record.name == "django.db.backends" for record in caplog.records)
    assert Notification.objects.filter(recipient=case.applicant).exists()
    assert not [n.kind for n in Notification.objects.all() if PASSPORT in json.dumps(n.context)]
    assert not [m.subject for m in mail.outbox if PASSPORT in m.body or PASSPORT in str(m.alternatives)]
    assert not [e.action for e in AuditEvent.objects.all() if PASSPORT in json.dumps(e.data)]
    # The person's own export is masked too (a downloaded file travels).
    with translation.override("en"):
        download = reverse("accounts:personal_data_download")
    export = _body(_logged_in(case.applicant).get(download))
    assert mask_identifier(PASSPORT) in export and PASSPORT not in export


def _logged_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser
