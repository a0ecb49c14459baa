"""The audit trail: who, with which duties, did what to which object, from where, in which request.

Each security-relevant event writes exactly one row: permission denials, state changes of a case,
officers' views and downloads of documents, administrators' edits (masked) and exports.
"""

import datetime as dt
import json
import logging

import pytest
from django.contrib.auth.models import Group
from django.forms import CheckboxInput, FileInput, MultiWidget, SelectMultiple
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse
from rest_framework.test import APIClient

from permits import actions
from permits.models import DocumentVersion, Transition
from services.outreach.models import Event
from talent_portal.core import tracing
from talent_portal.core.admin_audit import REDACTED, AuditedAdminMixin, masked
from talent_portal.core.audit import audit_record
from talent_portal.core.models import AuditEvent
from talent_portal.urls import urlpatterns as _root_urlpatterns
from tests.factories import UserFactory
from tests.permits.factories import declared, upload_checklist
from tests.security import cases
from tests.services.outreach.factories import EventFactory

# The permits tests' complete case, filed on Monday 2 March 2026.
filed_on_monday = cases.filed_on_monday
filed_case = cases.filed_case

pytestmark = pytest.mark.django_db


def _export(request):
    response = HttpResponse("reference,state\r\nSH2026-0001,issued\r\n", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="cases.csv"'
    return response


# This module doubles as a URL configuration: the portal's URLs plus a CSV export.
urlpatterns = [*_root_urlpatterns, path("test-export.csv", _export)]


def submitted(case):
    upload_checklist(case)
    declared(case, by=case.hr)
    case.refresh_from_db()
    return actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)


def events(action, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters))


# --- The request id --------------------------------------------------------------------------


def test_every_answer_carries_a_request_id_and_a_sane_incoming_one_is_kept(client):
    generated = client.get("/healthz")
    assert len(generated["X-Request-ID"]) == 32
    assert client.get("/healthz")["X-Request-ID"] != generated["X-Request-ID"]
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c:0001")
    assert kept["X-Request-ID"] == "lb-7f3a9c:0001"
    for insane in ("x" * 65, "id with spaces", "<script>", "a\r\nSet-Cookie: x=1", ""):
        replaced = client.get("/healthz", HTTP_X_REQUEST_ID=insane)
        assert replaced["X-Request-ID"] != insane
        assert len(replaced["X-Request-ID"]) == 32


def test_the_request_id_is_in_the_audit_row_and_in_the_log_records(filed_case):
    case = filed_case
    officer = UserFactory(duties=["work_permit_officer"])
    case = submitted(case)
    version = DocumentVersion.objects.filter(document__application=case).first()
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    handler.addFilter(tracing.RequestIdLogFilter())
    audit_logger = logging.getLogger("talent_portal.audit")
    audit_logger.addHandler(handler)
    try:
        client = Client()
        client.force_login(officer)
        response = client.get(
            reverse(
                "permits:document_download", kwargs={"public_id": case.public_id, "version_id": version.pk}
            ),
            HTTP_X_REQUEST_ID="req-0042",
            REMOTE_ADDR="203.0.113.9",
        )
    finally:
        audit_logger.removeHandler(handler)
    assert response.status_code == 200
    assert response["X-Request-ID"] == "req-0042"
    (event,) = events("document_viewed")
    assert event.request_id == "req-0042"
    assert event.ip_address == "203.0.113.9"
    assert [record.request_id for record in records] == ["req-0042"]
    # Outside a request the filter still gives formatters a value.
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "message", None, None)
    assert tracing.RequestIdLogFilter().filter(record) and record.request_id == "-"


def test_an_event_outside_a_request_has_no_request_id_and_the_time_is_utc(user):
    event = audit_record(actor=user, action="something_done", target=user)
    event.refresh_from_db()
    assert event.request_id == ""
    assert event.ip_address is None
    assert event.actor_duties == []
    assert event.at.utcoffset() == dt.timedelta(0)


def test_the_duties_are_those_of_the_moment(user):
    officer = UserFactory(duties=["work_permit_officer", "lead_officer"])
    event = audit_record(actor=officer, action="something_done", target=user)
    officer.groups.clear()
    event.refresh_from_db()
    assert event.actor_duties == ["lead_officer", "work_permit_officer"]


# --- Permission denials ------------------------------------------------------------------------


def test_a_403_from_the_api_is_audited_once_with_who_and_where(filed_case):
    case = filed_case
    case = submitted(case)
    client = APIClient()
    client.force_authenticate(case.applicant)
    response = client.post(
        f"/api/v1/applications/{case.public_id}/accept/",
        {"version": case.version},
        format="json",
        HTTP_X_REQUEST_ID="deny-1",
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 403
    (event,) = events("permission_denied")
    assert event.actor == case.applicant
    assert event.actor_duties == []
    assert event.ip_address == "198.51.100.7"
    assert event.request_id == "deny-1"
    assert event.data == {
        "method": "POST",
        "path": f"/api/v1/applications/{case.public_id}/accept/",
        "status": 403,
    }
    assert not Transition.objects.filter(application=case, action="accept").exists()


def test_a_403_page_and_a_csrf_failure_are_audited(admin_client, admin_user, user):
    event = audit_record(actor=user, action="signed_in", target=user)
    response = admin_client.post(f"/en/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    (denied,) = events("permission_denied")
    assert denied.actor == admin_user
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    assert csrf_client.post("/i18n/setlang/", {"language": "ja"}).status_code == 403
    assert len(events("permission_denied", actor=user)) == 1


def test_a_refusal_a_page_shows_as_a_message_is_audited_as_a_denial(filed_case):
    case = filed_case
    officer = UserFactory(duties=["work_permit_officer"])
    case = submitted(case)
    client = Client()
    client.force_login(officer)
    response = client.post(
        reverse("permits:decide", kwargs={"public_id": case.public_id, "action": "reassign"}),
        {"officer": officer.pk},
    )
    assert response.status_code == 302  # back to the case, with the message
    (event,) = events("permission_denied")
    assert event.actor == officer
    assert event.actor_duties == ["work_permit_officer"]
    assert event.data["codes"] == ["permission_denied"]
    assert event.data["status"] == 302


def test_someone_elses_case_is_hidden_and_the_attempt_audited(filed_case):
    case = filed_case
    stranger = UserFactory()
    client = Client()
    client.force_login(stranger)
    response = client.get(reverse("permits:application", kwargs={"public_id": case.public_id}))
    assert response.status_code == 404
    (event,) = events("access_hidden")
    assert event.actor == stranger
    assert event.data["path"].endswith(f"/applications/{case.public_id}/")
    # A wrong address that matches no view is not an attempt on anything.
    assert client.get("/en/no-such-page/").status_code == 404
    assert len(events("access_hidden")) == 1


def test_an_anonymous_visitor_answered_401_or_404_writes_nothing(filed_case):
    case = filed_case
    assert APIClient().get(f"/api/v1/applications/{case.public_id}/").status_code == 401
    assert Client().get("/en/no-such-page/").status_code == 404
    assert not AuditEvent.objects.filter(action__in=("permission_denied", "access_hidden")).exists()


# --- State changes -----------------------------------------------------------------------------


def test_every_state_change_of_a_case_writes_exactly_one_audit_row(filed_case):
    case = filed_case
    officer = UserFactory(duties=["work_permit_officer"])
    case = submitted(case)
    for version in DocumentVersion.objects.filter(document__application=case):
        actions.document_review(actor=officer, version=version, status="accepted")
    case = actions.application_accept(actor=officer, application=case, expected_version=case.version)
    actions.application_claim(actor=officer, application=case)
    case.refresh_from_db()
    case = actions.application_start_review(actor=officer, application=case, expected_version=case.version)
    case = actions.application_approve(
        actor=officer, application=case, expected_version=case.version, valid_until=dt.date(2028, 3, 1)
    )
    assert case.state == "issued"
    changes = Transition.objects.filter(application=case).exclude(from_state=models_F("to_state"))
    steps = [(t.action, t.from_state, t.to_state) for t in changes.order_by("id")]
    assert [step[0] for step in steps] == ["submit", "accept", "start_review", "approve", "issue"]
    for action, from_state, to_state in steps:
        (event,) = events(f"application_{action}", object_type="permits.application", object_id=str(case.pk))
        assert event.data == {"from": from_state, "to": to_state}
        assert event.actor_duties == ([] if action == "submit" else ["work_permit_officer"])


def models_F(name):  # noqa: N802 - reads like the F() it is
    from django.db.models import F

    return F(name)


# --- Officers' views and downloads of documents ------------------------------------------------


def test_each_officer_download_of_a_document_is_audited_once_html_and_api(filed_case):
    case = filed_case
    officer = UserFactory(duties=["work_permit_officer"])
    case = submitted(case)
    version = DocumentVersion.objects.filter(document__application=case).first()
    html = Client()
    html.force_login(officer)
    page = html.get(
        reverse("permits:document_download", kwargs={"public_id": case.public_id, "version_id": version.pk})
    )
    api = APIClient()
    api.force_authenticate(officer)
    download = api.get(f"/api/v1/applications/{case.public_id}/documents/{version.pk}/")
    assert page.status_code == download.status_code == 200
    b"".join(page.streaming_content)
    b"".join(download.streaming_content)
    viewed = events("document_viewed", actor=officer)
    assert len(viewed) == 2
    assert {event.object_id for event in viewed} == {str(version.pk)}
    assert {event.object_type for event in viewed} == {"permits.documentversion"}
    assert all(event.actor_duties == ["work_permit_officer"] and event.request_id for event in viewed)
    assert viewed[0].request_id != viewed[1].request_id
    # The download is audited as a view, not a second time as an export.
    assert not events("export_downloaded")


def test_a_written_notice_download_is_audited_once(filed_case):
    case = filed_case
    officer = UserFactory(duties=["work_permit_officer"])
    case = submitted(case)
    for version in DocumentVersion.objects.filter(document__application=case):
        actions.document_review(actor=officer, version=version, status="accepted")
    case = actions.application_accept(actor=officer, application=case, expected_version=case.version)
    notice = case.notices.get(kind="acceptance")
    client = Client()
    client.force_login(officer)
    response = client.get(
        reverse("permits:notice_download", kwargs={"public_id": case.public_id, "notice_id": notice.pk})
    )
    assert response.status_code == 200
    assert len(events("notice_downloaded", actor=officer)) == 1
    assert not events("export_downloaded")


# --- Exports -------------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_an_export_is_audited_once_for_a_signed_in_person(user):
    client = Client()
    client.force_login(user)
    response = client.get("/test-export.csv", HTTP_X_REQUEST_ID="export-1")
    assert response.status_code == 200
    (event,) = events("export_downloaded")
    assert event.actor == user
    assert event.request_id == "export-1"
    assert event.data["content_type"] == "text/csv"
    assert event.data["disposition"] == 'attachment; filename="cases.csv"'


def test_a_calendar_file_of_an_event_is_an_audited_export(user):
    event = EventFactory()
    assert Event.objects.filter(pk=event.pk).exists()
    client = Client()
    client.force_login(user)
    response = client.get(reverse("outreach:event_ics", kwargs={"pk": event.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert len(events("export_downloaded", actor=user)) == 1


# --- The admin ------------------------------------------------------------------------------------


def test_every_admin_is_audited():
    from django.contrib import admin

    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not (isinstance(model_admin, AuditedAdminMixin) or getattr(model_admin, "audits_itself", False))
    ]
    assert unaudited == []


def test_personal_values_are_masked_and_secrets_never_written():
    assert masked("passport_number", "E12345678") == "E1•••••78"
    assert masked("email", "alice@example.com") == "al•••••••••••••om"
    assert masked("password", "pbkdf2_sha256$…") == REDACTED
    assert masked("token_key", "abcd") == REDACTED
    assert masked("date_of_birth", dt.date(1990, 5, 17)) == "19••••••17"
    assert masked("note", "kept as is") == "kept as is"
    assert masked("groups", []) == []


def _admin_post_data(response) -> dict:
    """What the browser would post back for the admin change page as it is shown."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        for field in inline.formset.management_form:
            data[field.html_name] = field.value()
        forms.extend(inline.formset.forms)
    for form in forms:
        for bound in form:
            widget, value, name = bound.field.widget, bound.value(), bound.html_name
            if bound.field.disabled or isinstance(widget, FileInput):
                continue
            if isinstance(widget, MultiWidget):
                parts = value if isinstance(value, list) else widget.decompress(value)
                for index, part in enumerate(parts):
                    data[f"{name}_{index}"] = "" if part is None else str(part)
            elif isinstance(widget, CheckboxInput):
                if value:
                    data[name] = "on"
            elif isinstance(widget, SelectMultiple):
                data[name] = [str(item) for item in value or []]
            else:
                data[name] = "" if value is None else str(value)
    return data


def test_an_administrators_edit_is_audited_once_with_masked_before_and_after(admin_client, admin_user):
    person = UserFactory(email="alice.wong@example.com")
    group = Group.objects.get_or_create(name="work_permit_officer")[0]
    url = f"/en/admin/accounts/user/{person.pk}/change/"
    data = _admin_post_data(admin_client.get(url))
    data.update(email="alice.lee@example.com", groups=[str(group.pk)])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.email == "alice.lee@example.com"
    (event,) = events("admin_changed")
    assert event.actor == admin_user
    assert event.object_type == "accounts.user" and event.object_id == str(person.pk)
    assert event.data["model"] == "accounts.user"
    changes = event.data["changes"]
    assert set(changes) == {"email", "groups"}
    assert changes["email"] == {
        "before": masked("email", "alice.wong@example.com"),
        "after": masked("email", "alice.lee@example.com"),
    }
    assert changes["groups"] == {"before": [], "after": [str(group.pk)]}
    text = json.dumps(event.data)
    assert "alice.wong@example.com" not in text and "alice.lee@example.com" not in text
    assert event.request_id


def test_an_administrators_deletion_is_audited_once(admin_client):
    group = Group.objects.create(name="temporary helpers")
    response = admin_client.post(f"/en/admin/auth/group/{group.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    (event,) = events("admin_deleted")
    assert event.object_type == "auth.group"
    assert event.data["before"]["name"] == "temporary helpers"


def test_an_administrator_setting_a_password_is_audited_without_the_password(admin_client):
    person = UserFactory()
    response = admin_client.post(
        f"/en/admin/accounts/user/{person.pk}/password/",
        {"password1": "Another-Horse-43", "password2": "Another-Horse-43", "usable_password": "true"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Another-Horse-43")
    (event,) = events("admin_password_set")
    assert event.object_id == str(person.pk)
    assert "Another-Horse-43" not in json.dumps(event.data)
    assert not events("admin_changed")
