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
import socket
import subprocess
import tempfile
import threading
import time
import uuid
import warnings
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.exceptions import CPendingDeprecationWarning
from celery.signals import task_postrun, task_prerun
from django.core import mail
from django.core.signals import request_finished, request_started
from django.db import connection, connections
from kombu import pools as kombu_pools
from playwright.sync_api import sync_playwright  # pinned in requirements-dev.txt

from tests.browser.english import assert_no_english_left
from tests.conftest import TEST_REDIS_URL, _missing, _redis_reachable

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


# --- A real Celery worker ------------------------------------------------------------------------
# The journeys run as in production: tasks are published to Redis and run by a worker, never eagerly
# in the request. The worker is a thread of the test process (``start_worker``, solo pool), so it
# shares the settings, ``mail.outbox`` and the test database: on PostgreSQL through its own
# connection; on SQLite through the in-memory database's connection that the test and the live
# server's threads already share (a connection of its own would see the shared-cache database
# too, but SQLite's table locks would then refuse it whatever another thread is writing). The broker is a private ``redis-server`` on
# a free port (nobody else's worker can take our tasks, we take nobody's), else the Redis of the
# other tests (``TEST_REDIS_URL``) under a key prefix of our own; without either the browser tests
# are skipped (or fail when ``REQUIRE_SERVICES=1``).

WORKER_POLL_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def celery_broker():
    """``(broker URL, transport options)`` for the browser session's worker."""
    binary = shutil.which("redis-server")
    if binary is None:
        if not _redis_reachable():
            _missing("Redis (redis-server, or a server at TEST_REDIS_URL) for the Celery worker")
        yield TEST_REDIS_URL, {"global_keyprefix": f"browser-{uuid.uuid4().hex[:12]}:"}
        return
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - a fixed command line
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not _redis_answers(port):
            assert time.monotonic() < deadline and server.poll() is None, "redis-server did not start"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", {}
    finally:
        server.terminate()
        server.wait(timeout=10)


def _reset_broker_connections(app):
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps producer pools per broker URL in a global registry: without clearing it, the next
    # journey on the same broker gets the producer pool of the connections closed above.
    kombu_pools.reset()


class WorkerLog:
    """What the worker ran: ``(task name, args, thread name, eager?)`` for each finished task."""

    def __init__(self, shared):
        self.tasks = []
        self.connections = []  # the worker thread's database connections, closed at the end
        self.shared = shared  # alias -> the in-memory SQLite connection the live server shares

    def started(self, sender=None, **kwargs):
        if sender.request.is_eager:
            return
        for alias, wrapper in self.shared.items():
            # As the live server's threads do: one connection for all, so that SQLite's
            # shared-cache table locks never refuse one thread what another holds.
            connections[alias] = wrapper
        wrapper = connections["default"]
        if "default" not in self.shared and wrapper not in self.connections:
            self.connections.append(wrapper)

    def record(self, sender=None, args=None, **kwargs):
        self.tasks.append(
            (sender.name, tuple(args or ()), threading.current_thread().name, sender.request.is_eager)
        )

    def close_connections(self):
        """Once the worker has stopped: PostgreSQL drops the test database at the end, which an
        idle session of the worker thread would prevent (in-memory SQLite ignores the close)."""
        for wrapper in self.connections:
            if wrapper.connection is not None:
                wrapper.inc_thread_sharing()
                try:
                    wrapper.close()
                finally:
                    wrapper.dec_thread_sharing()


@pytest.fixture
def celery_worker(celery_broker, live_server, settings, _no_database_session_left_open):
    """A real Celery worker serving this test's tasks (eager mode off); yields a ``WorkerLog``.

    E-mails link to the live server (``SITE_URL``), so a journey can follow them.
    """
    from services.notifications import actions as notification_actions
    from talent_portal.celery import app

    url, transport_options = celery_broker
    names = ("broker_url", "task_always_eager", "broker_transport_options")
    saved = {name: app.conf[name] for name in names}
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.SITE_URL = live_server.url
    app.conf.update(
        broker_url=url,
        task_always_eager=False,
        broker_transport_options={**(saved["broker_transport_options"] or {}), **transport_options},
    )
    _reset_broker_connections(app)
    notification_actions.broker_pause_reset()
    shared = {
        wrapper.alias: wrapper
        for wrapper in connections.all()
        if wrapper.vendor == "sqlite" and wrapper.is_in_memory_db()
    }
    for wrapper in shared.values():
        wrapper.inc_thread_sharing()
    log = WorkerLog(shared)
    task_prerun.connect(log.started, weak=False)
    task_postrun.connect(log.record, weak=False)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"
        ):
            # Celery's log setup turns its deprecation warnings back on (see test_integration.py).
            warnings.filterwarnings("ignore", category=CPendingDeprecationWarning)
            yield log
    finally:
        task_prerun.disconnect(log.started)
        task_postrun.disconnect(log.record)
        log.close_connections()
        for wrapper in shared.values():
            wrapper.dec_thread_sharing()
        app.conf.update(saved)
        _reset_broker_connections(app)
        notification_actions.broker_pause_reset()


@pytest.fixture(scope="session")
def _no_database_session_left_open(django_db_setup, django_db_blocker):
    """At the end, end the sessions still open on the PostgreSQL test database.

    A journey's own queries, run while Playwright's event loop is open, may hold a connection
    that nothing closes afterwards; left open, it would keep the test database from being dropped.
    """
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def wait_for_email(celery_worker):
    """``wait_for_email(to=..., subject=..., link=r"/verify/")`` → ``(message, first matching link)``.

    Polls ``django.core.mail.outbox`` (bounded, ``timeout`` seconds) for a message not returned
    before, sent to ``to`` and whose subject contains ``subject`` (both optional); ``link`` is a
    regular expression the link must match (``None``: no link wanted, ``(message, None)``).
    """
    returned = set()

    def wait(to=None, *, subject=None, link=r".", timeout=WORKER_POLL_SECONDS):
        def find():
            for index, message in enumerate(list(mail.outbox)):
                if index in returned or (to and to not in message.to):
                    continue
                if subject and subject not in message.subject:
                    continue
                if link is None:
                    return index, message, None
                for url in re.findall(r"https?://[^\s<>\"')]+", message.body):
                    if re.search(link, url):
                        return index, message, url
            return None

        deadline = time.monotonic() + timeout
        found = find()
        while found is None and time.monotonic() < deadline:
            time.sleep(0.1)
            found = find()
        if found is None:
            seen = "\n".join(f"  to {m.to}: {m.subject}" for m in mail.outbox) or "  (none)"
            pytest.fail(
                f"No e-mail to {to or 'anyone'} (subject containing {subject!r}, link matching {link!r}) "
                f"within {timeout} s. Sent meanwhile:\n{seen}\nWorker ran: {celery_worker.tasks}"
            )
        index, message, url = found
        returned.add(index)
        return message, url

    return wait


@contextmanager
def _chromium(directory):
    """A Chromium context (fresh user-data ``directory``), skipped or failed where it is missing.

    Playwright's sync API runs an event loop in this thread while it is open, which Django takes
    for an async context; the tests are synchronous, so Django's guard is lifted meanwhile.
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
                str(directory),
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
def browser_context(_chromium_context_dir, live_server, celery_worker):
    """One Chromium per journey, against the live server, with the Celery worker running.

    The browser lives only during the test: it starts after the test database is set up (and,
    for ``serialized_rollback``, restored) and stops before it is flushed, which an open event
    loop would otherwise break (the restore finds nothing).
    """
    with _chromium(_chromium_context_dir) as context:
        yield context


@pytest.fixture(scope="module")
def blank_page():
    """A tab of a Chromium of its own, without server or database (``page.set_content(...)``)."""
    directory = Path(tempfile.mkdtemp(prefix="portal-chromium-"))
    try:
        with _chromium(directory) as context:
            tab = context.new_page()
            yield tab
            tab.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


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
        """axe (no serious/critical), no English left on a zh/ja/ko page, no horizontal overflow
        at 375 px; screenshots of both sizes."""
        self.steps += 1
        name = f"{self.steps:02d}-{_slug(step)}"
        self.page.set_viewport_size(DESKTOP)
        assert_accessible(self.page, self._axe)
        assert_no_english_left(self.page)
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


@pytest.fixture
def turn(celery_worker):
    """On SQLite the live server, the Celery worker and this test share one in-memory database,
    where a second writer fails at once ("database table is locked") instead of waiting: there a
    request, a task and the test's own database steps take turns (``with turn:``). PostgreSQL
    waits for its locks, and nothing takes turns."""
    lock = threading.RLock()
    if connection.vendor != "sqlite":
        yield lock
        return

    def take(**kwargs):
        lock.acquire()

    def give(**kwargs):
        with suppress(RuntimeError):  # not held by this thread
            lock.release()

    pairs = ((request_started, take), (request_finished, give), (task_prerun, take), (task_postrun, give))
    for signal, receiver in pairs:
        signal.connect(receiver, weak=False, dispatch_uid=f"browser-turn-{id(receiver)}")
    try:
        yield lock
    finally:
        for signal, receiver in pairs:
            signal.disconnect(dispatch_uid=f"browser-turn-{id(receiver)}")
