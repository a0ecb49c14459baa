"""Integration: a real Celery worker on a private Redis, PostgreSQL shared with it, a real SMTP sink.

Each test starts its own ``redis-server`` on a free port (so that it may stop it) and points the
Celery app at it. Waiting is bounded polling, never a sleep of fixed length standing in for an
event. On SQLite these are skipped: a worker subprocess cannot see an in-memory test database.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.exceptions import CPendingDeprecationWarning
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import translation

from services.notifications import actions, delivery
from services.notifications.models import Notification
from talent_portal.celery import app as celery_app
from tests.factories import OrganizationFactory, UserFactory

from .smtp import free_port

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

POLL_SECONDS = 30


def wait_for(predicate, timeout=POLL_SECONDS, interval=0.05) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class RedisServer:
    """A private, non-persistent redis-server: stopping it loses every queued message."""

    def __init__(self, binary: str):
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def _ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self._ping, timeout=10), "redis-server did not start"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server():
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("redis-server is not installed, and REQUIRE_SERVICES=1 forbids skipping.")
        pytest.skip("redis-server is not installed")
    server = RedisServer(binary)
    server.start()
    yield server
    server.stop()


def _reset_broker_connections():
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def celery_on_redis(redis_server, settings):
    """The project's Celery app publishing to the private Redis (not eagerly), as in production."""
    saved = {name: celery_app.conf[name] for name in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    settings.CELERY_BROKER_URL = redis_server.url
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 1
    _reset_broker_connections()
    actions.broker_pause_reset()
    yield redis_server
    celery_app.conf.update(saved)
    _reset_broker_connections()
    actions.broker_pause_reset()
    _close_other_database_sessions()


def _close_other_database_sessions():
    # The worker's connections would keep the test database from being flushed and dropped.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@contextmanager
def _worker():
    """A real worker on the private Redis, in a thread of this process (same settings, same database)."""
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"
    ):
        # Celery's log setup turns its deprecation warnings back to "always": silence the one about
        # cancelling late-acknowledged tasks on a connection loss, kept off on purpose (celery.py).
        warnings.filterwarnings("ignore", category=CPendingDeprecationWarning)
        yield


@pytest.fixture
def officer(client):
    """A work-permit officer signed in on the browser client."""
    user = UserFactory(duties=["work_permit_officer"], preferred_language="zh-hans")
    client.force_login(user)
    return user


def _organization(language="ko"):
    """An organisation waiting for verification, and its administrator who reads ``language``."""
    organization = OrganizationFactory()
    organization.administrator = UserFactory(
        member_of=organization, member_of__role="administrator", preferred_language=language
    )
    return organization


def _verify(client, organization):
    """An officer's decision, through the page: the organisation is verified, its administrator told.

    (A decision that needs no case file to be built first; the outbox path after the action —
    rows in the transaction, enqueue after commit, the worker — is the same for case decisions.)
    """
    with translation.override("zh-hans"):
        page = reverse("accounts:organization_review", args=[organization.pk])
    return client.post(page, {"decide": "1", "decision": "verify", "note": ""})


def _queue_length(url) -> int:
    import redis

    return redis.Redis.from_url(url).llen("celery")


def _sweep_until_sent(rows, timeout=POLL_SECONDS) -> bool:
    """What beat does every minute, compressed: resend overdue rows until every row is sent."""

    def all_sent():
        delivery.requeue_due()
        return (
            Notification.objects.filter(pk__in=[row.pk for row in rows]).exclude(status="sent").count() == 0
        )

    return wait_for(all_sent, timeout=timeout, interval=0.3)


def test_a_transition_leads_to_exactly_one_email_in_the_recipients_language(
    celery_on_redis, smtp_sink, client, officer, api_client
):
    organization = _organization("ko")
    with _worker():
        response = _verify(client, organization)
        assert response.status_code == 302
        row = Notification.objects.get(kind="organization_verified")
        assert wait_for(lambda: Notification.objects.filter(pk=row.pk, status="sent").exists())
        assert wait_for(lambda: _queue_length(celery_on_redis.url) == 0)
    assert smtp_sink.count() == 1
    [message] = smtp_sink.messages
    assert message["To"] == organization.administrator.email
    assert message["Message-ID"] == delivery.message_id(row)
    html_part = message.get_body(("html",)).get_content()
    text_part = message.get_body(("plain",)).get_content()
    # The officer worked in Chinese; the administrator reads Korean.
    assert '<html lang="ko">' in html_part
    assert f"{settings.SITE_URL}/ko/accounts/organisations/{organization.pk}/" in text_part
    assert "이 메시지는 상하이 외국인 인재 서비스 포털에서 발송되었습니다" in text_part

    # …and the same message is in the administrator's inbox.
    api_client.force_authenticate(organization.administrator)
    [entry] = api_client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="ko").json()["results"]
    assert organization.name_zh in entry["title"]
    assert entry["url"].endswith(f"/ko/accounts/organisations/{organization.pk}/")


def test_a_failing_smtp_server_is_retried_by_the_worker_with_back_off(
    celery_on_redis, smtp_sink, client, officer, settings
):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 0.2
    smtp_sink.refuse_next = 2
    organization = _organization("ja")
    with _worker():
        assert _verify(client, organization).status_code == 302
        row = Notification.objects.get(kind="organization_verified")
        assert wait_for(lambda: Notification.objects.filter(pk=row.pk, status="sent").exists())
    row.refresh_from_db()
    assert row.attempts == 3 and smtp_sink.refused == 2
    assert smtp_sink.count() == 1


def test_redis_stopped_during_a_burst_loses_nothing_and_duplicates_nothing(
    celery_on_redis, smtp_sink, client, officer
):
    redis_server = celery_on_redis
    organizations = [_organization(language) for language in ["ko", "ja", "zh-hans", "en"] * 3]
    durations = []
    with _worker():
        for number, organization in enumerate(organizations):
            if number == 4:
                redis_server.stop()  # queued messages not yet consumed are lost with it
            if number == 8:
                redis_server.start()  # an empty Redis: whatever was queued is gone
            started = time.monotonic()
            response = _verify(client, organization)
            durations.append(time.monotonic() - started)
            assert response.status_code == 302, response.content
        rows = list(Notification.objects.filter(kind="organization_verified"))
        assert len(rows) == len(organizations)
        # The outage never made anyone wait for a broker timeout.
        assert max(durations) < 3, durations
        assert _sweep_until_sent(rows)
        assert wait_for(lambda: _queue_length(redis_server.url) == 0)
    ids = sorted(message["Message-ID"] for message in smtp_sink.messages)
    assert ids == sorted(delivery.message_id(row) for row in rows)  # each exactly once
    assert sorted(message["To"] for message in smtp_sink.messages) == sorted(
        organization.administrator.email for organization in organizations
    )


def test_a_worker_killed_before_sending_is_replaced_by_the_sweeper(
    celery_on_redis, smtp_sink, client, officer, tmp_path
):
    """SIGKILL a worker subprocess while its task holds the row, blocked before the mail is sent.

    The SMTP sink keeps the worker waiting at MAIL FROM: nothing has been accepted yet. Killed,
    the worker's database session ends, its transaction is rolled back and the row lock
    released: the row is still pending, with no attempt counted. Its message stays
    unacknowledged in Redis and would come back only after the visibility timeout (an hour); the
    sweeper does not wait for that, and a fresh worker sends the message — once.

    Why a kill *after* the SMTP server accepted the mail but before the commit could duplicate
    it: the acceptance and the commit are two systems that cannot share one transaction. The
    worker sends while holding the row's lock and marks the row sent in the same transaction;
    dying between the server's "250 accepted" and the commit rolls back the "sent", so the
    sweeper sends the row again. What limits the damage: the dedupe key allows one row per event
    and recipient, so only that one message can repeat (never a whole batch, never another
    event's); the window is the few milliseconds between the SMTP reply and the commit; and both
    copies carry the same Message-ID (derived from the row), which mail systems use to fold
    duplicates. Sending before committing is the deliberate choice: the opposite order (commit
    "sent", then send) would lose the message on such a crash instead of repeating it.
    """
    smtp_sink.hold()
    assert _verify(client, _organization("ko")).status_code == 302
    row = Notification.objects.get(kind="organization_verified")

    database = connection.settings_dict
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}",
        "CELERY_BROKER_URL": celery_on_redis.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
        "DJANGO_DEBUG": "1",
        "LOG_LEVEL": "INFO",
    }
    log = Path(tmp_path) / "worker.log"
    celery = Path(sys.executable).with_name("celery")
    with log.open("w") as output:
        worker = subprocess.Popen(  # noqa: S603 - a fixed command line
            [
                str(celery),
                "-A",
                "talent_portal",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
                "--hostname",
                f"doomed-{os.getpid()}@%h",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        assert wait_for(smtp_sink.mail_from_seen.is_set), log.read_text()
        row.refresh_from_db()
        assert row.status == "pending"
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
    smtp_sink.release.set()

    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)
    assert smtp_sink.count() == 0

    with _worker():
        assert _sweep_until_sent([row])
    row.refresh_from_db()
    assert row.attempts == 1
    assert smtp_sink.count() == 1
    assert smtp_sink.messages[0]["Message-ID"] == delivery.message_id(row)
