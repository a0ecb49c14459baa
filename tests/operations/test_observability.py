"""Structured logs, the request id in Celery tasks, /metrics and its protection, liveness and readiness."""

import json
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from permits.models import State
from services.notifications.models import Notification, Status
from talent_portal.celery import app as celery_app
from talent_portal.core import metrics, task_tracing, tracing
from talent_portal.core.logs import JsonFormatter
from tests.permits.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _json_line(record_logger, message, **extra):
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(tracing.RequestIdLogFilter())
    record = record_logger.makeRecord(
        record_logger.name, logging.INFO, __file__, 1, message, (), None, extra=extra
    )
    handler.filter(record)
    return json.loads(handler.format(record))


def test_a_log_line_is_one_json_object_with_time_level_logger_request_id_and_extras():
    token = tracing._current.set(tracing.RequestContext(request_id="req-123"))
    try:
        line = _json_line(logging.getLogger("permits.actions"), "case_submitted", reference="WP-1", count=2)
    finally:
        tracing._current.reset(token)
    assert line["level"] == "INFO"
    assert line["logger"] == "permits.actions"
    assert line["message"] == "case_submitted"
    assert line["request_id"] == "req-123"
    assert line["reference"] == "WP-1" and line["count"] == 2
    assert line["time"].endswith("+00:00")


def test_an_exception_is_kept_in_the_json_line():
    formatter = JsonFormatter()
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    line = json.loads(formatter.format(record))
    assert "ValueError: boom" in line["exception"]
    assert line["request_id"] == "-"


def test_production_logs_are_json_and_make_run_logs_are_plain(settings):
    # The default follows DJANGO_DEBUG (settings read at start; checked on the values derived).
    assert settings.LOGGING["formatters"]["json"]["()"] == "talent_portal.core.logs.JsonFormatter"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == settings.LOG_FORMAT
    assert "request_id" in settings.LOGGING["handlers"]["console"]["filters"]


def test_the_request_id_goes_into_the_headers_of_a_task_published_during_a_request():
    headers = {}
    token = tracing._current.set(tracing.RequestContext(request_id="abc-42"))
    try:
        task_tracing._put_request_id(headers=headers)
    finally:
        tracing._current.reset(token)
    assert headers == {task_tracing.HEADER: "abc-42"}
    outside = {}
    task_tracing._put_request_id(headers=outside)
    assert outside == {}


def test_the_worker_restores_the_request_id_for_the_task_and_forgets_it_afterwards(caplog):
    seen = {}

    @celery_app.task(name="tests.operations.echo_request_id")
    def echo():
        seen["id"] = tracing.current_request_id()
        logging.getLogger("tests.echo").warning("inside_task")

    class FakeRequest:
        portal_request_id = "from-the-web-7"
        headers = None

    class FakeTask:
        request = FakeRequest()
        name = "tests.operations.echo_request_id"

    assert tracing.current() is None
    task_tracing._restore_request_id(task_id="t-1", task=FakeTask())
    with caplog.at_level(logging.WARNING):
        echo.run()
        record = [r for r in caplog.records if r.getMessage() == "inside_task"][0]
        tracing.RequestIdLogFilter().filter(record)
    task_tracing._forget_request_id(task_id="t-1")
    assert seen["id"] == "from-the-web-7"
    assert record.request_id == "from-the-web-7"
    assert tracing.current() is None

    class Beat:
        request = type("R", (), {"headers": {}})()

    task_tracing._restore_request_id(task_id="t-2", task=Beat())
    assert tracing.current_request_id() == "task-t-2"
    task_tracing._forget_request_id(task_id="t-2")
    assert tracing.current() is None


def test_liveness_touches_nothing_and_readiness_checks_the_services(client):
    with CaptureQueriesContext(connection) as queries:
        live = client.get("/healthz/live")
    assert live.status_code == 200 and live.json()["status"] == "ok"
    assert len(queries) == 0
    ready = client.get("/healthz/ready")
    assert ready.status_code == 200
    assert set(ready.json()["checks"]) >= {"database", "cache", "broker"}
    assert client.get("/healthz").status_code == 200


def test_readiness_fails_without_a_database(client, monkeypatch):
    from talent_portal.core import views

    monkeypatch.setitem(views.HEALTH_CHECKS, "database", lambda: {"status": "down"})
    assert client.get("/healthz/ready").status_code == 503
    assert client.get("/healthz/live").status_code == 200


@pytest.fixture
def fresh_registry():
    metrics.REGISTRY.reset()
    yield metrics.REGISTRY
    metrics.REGISTRY.reset()


def test_metrics_count_requests_by_view_and_show_cases_and_the_backlog(client, fresh_registry):
    ApplicationFactory(state=State.SUBMITTED)
    ApplicationFactory(state=State.DRAFT)
    client.get("/healthz/live")
    client.get("/healthz/live")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    body = response.content.decode()
    assert 'portal_http_requests_total{method="GET",status="200",view="healthz-live"} 2' in body
    assert 'portal_http_request_duration_seconds_count{view="healthz-live"} 2' in body
    assert 'portal_http_request_duration_seconds_bucket{le="+Inf",view="healthz-live"} 2' in body
    assert 'portal_cases{state="submitted"} 1' in body
    assert 'portal_cases{state="draft"} 1' in body
    assert 'portal_cases{state="issued"} 0' in body
    assert 'portal_cases_overdue{deadline="statutory"} 0' in body
    assert 'portal_notifications{status="failed"} 0' in body
    assert "# TYPE portal_celery_task_duration_seconds histogram" in body
    # A fixed number of aggregate queries, whatever the data.
    assert len(queries) == 4


def test_the_scrape_costs_the_same_queries_with_more_data(client, fresh_registry):
    for state in (State.SUBMITTED, State.UNDER_REVIEW, State.ISSUED, State.REFUSED):
        ApplicationFactory(state=state)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/metrics").status_code == 200
    assert len(queries) == 4


def test_failed_notifications_appear_in_the_metrics(client, user, fresh_registry):
    Notification.objects.create(
        recipient=user, language="en", kind="x", dedupe_key="k1", status=Status.FAILED, channel="inbox"
    )
    body = client.get("/metrics").content.decode()
    assert 'portal_notifications{status="failed"} 1' in body


def test_task_durations_are_observed_from_celery_signals(fresh_registry):
    @celery_app.task(name="tests.operations.noop")
    def noop():
        return 1

    noop.apply()
    body = metrics.exposition()
    assert 'portal_celery_task_duration_seconds_count{state="SUCCESS",task="tests.operations.noop"} 1' in body


@pytest.mark.parametrize(
    ("remote", "headers", "allowed"),
    [
        ("127.0.0.1", {}, True),
        ("10.1.2.3", {}, False),
        ("10.1.2.3", {"HTTP_AUTHORIZATION": "Bearer s3cret-scrape-token"}, True),
        ("10.1.2.3", {"HTTP_AUTHORIZATION": "Bearer wrong"}, False),
        # Relayed by a proxy the portal does not count: the proxy's address proves nothing.
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, False),
        ("127.0.0.1", {"HTTP_X_FORWARDED_PROTO": "https"}, False),
    ],
)
def test_metrics_are_hidden_from_the_public(client, settings, remote, headers, allowed):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    response = client.get("/metrics", REMOTE_ADDR=remote, **headers)
    assert response.status_code == (200 if allowed else 404)


def test_allowed_networks_use_the_client_address_behind_counted_proxies(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    inside = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9")
    outside = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert (inside.status_code, outside.status_code) == (200, 404)


def test_health_and_metrics_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz/live").status_code == 200
    assert client.get("/healthz/ready").status_code == 200
    assert client.get("/metrics").status_code == 200
    assert client.get("/en/").status_code == 301


def test_several_processes_add_up_through_the_metrics_directory(settings, tmp_path, fresh_registry):
    settings.METRICS_DIR = str(tmp_path / "metrics")
    (tmp_path / "metrics").mkdir()
    other = {metrics._key("portal_http_requests_total", {"view": "v", "method": "GET", "status": "200"}): 5}
    (tmp_path / "metrics" / "999999.json").write_text(json.dumps(other))
    metrics.REGISTRY.inc("portal_http_requests_total", {"view": "v", "method": "GET", "status": "200"}, 2)
    body = metrics.exposition()
    assert 'portal_http_requests_total{method="GET",status="200",view="v"} 7' in body
