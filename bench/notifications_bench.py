"""Notifications with real Celery workers: commit-to-delivery latency and draining a burst (issue 11).

    make bench-data     # once: talent_portal_bench_notifications, 25,000 cases (seed_scale)
    make bench-celery   # or: .venv/bin/python bench/notifications_bench.py [--burst 10000]

What it does, in one run (about 5 minutes on a quiet 2-core machine; each phase is bounded by
``--timeout``, after which what arrived is reported):

1. Copies the prepared PostgreSQL database (``CREATE DATABASE … TEMPLATE``, dropped at the end:
   every run starts from the same data and never touches another benchmark's database), starts a
   private ``redis-server`` on a free port, an SMTP sink (aiosmtpd, in this process) and
   ``--workers`` Celery workers (``celery -A talent_portal worker --concurrency N``: N pool
   processes each) on that database, broker and sink.
2. **Latency**: an officer returns ``--paced`` submitted cases with a defect, one every
   1/``--rate`` seconds, through the product's action (``permits.actions.application_return``:
   the transition, the notice, the notification row, delivery enqueued by ``on_commit``).
3. **Burst**: ``--burst`` valid permits are set to expire within 90 days and the nightly reminder
   job runs (``permits.tasks.send_permit_expiry_reminders``, as beat runs it): one notification
   per holder, each in its own transaction, enqueued at its commit as fast as one writer goes.
4. Waits until every row is marked sent, then prints, per phase: rows, the writer's time,
   the time from the first commit to the last row marked sent (the drain), the throughput, and
   the latency from each row's commit (its ``on_commit`` enqueue) to the SMTP server accepting
   its e-mail and to the row marked sent (median, p90, p99, max).

"Delivered" means the e-mail accepted by the SMTP sink and the row marked sent by the worker.
Not a test: it reports a row that did not arrive exactly once, nothing more.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.city_bench import BENCH_ENV  # noqa: E402 - the keys the benchmark data is encrypted with

TEMPLATE_DB = "talent_portal_bench_notifications"
DEFAULT_DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{TEMPLATE_DB}"
PREPARED_CASES = 25_000  # about 11,000 issued permits: room for a burst of 10,000 reminders


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _ms(values):
    if not values:
        return "—"
    return (
        f"median {statistics.median(values) * 1000:.0f} ms, p90 {_percentile(values, 0.90) * 1000:.0f} ms, "
        f"p99 {_percentile(values, 0.99) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"
    )


def _setup_django():
    for name, value in BENCH_ENV.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to PostgreSQL: the workers must share the database.")
    return connection


def prepare(cases):
    """``make bench-data``: migrate the template database and fill it (top-up) to ``cases`` cases."""
    connection = _setup_django()
    from django.core.management import call_command

    from permits.models import Application

    call_command("migrate", verbosity=0)
    existing = Application.objects.count()
    if existing < cases:
        started = time.perf_counter()
        call_command("seed_scale", cases=cases - existing, seed=existing + 1)
        print(f"seed_scale: {cases - existing} cases in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{Application.objects.count()} applications in {connection.settings_dict['NAME']}")


class Stamps:
    """The commit time of each notification row: ``enqueue`` runs in its ``on_commit`` hook."""

    def __init__(self):
        self.at = {}

    def install(self):
        from services.notifications import actions

        original = actions.enqueue

        def enqueue(notification_id):
            self.at[notification_id] = (time.monotonic(), time.time())
            return original(notification_id)

        actions.enqueue = enqueue


def _wait_sent(ids, deadline):
    from services.notifications.models import Notification

    ids = list(ids)
    while time.monotonic() < deadline:
        if not Notification.objects.filter(pk__in=ids).exclude(status="sent").exists():
            return True
        time.sleep(0.2)
    return False


def _phase(name, ids, stamps, sink, writer_seconds, processes):
    from services.notifications.models import Notification

    ids = {pk for pk in ids if pk in stamps.at}
    with sink.lock:
        accepted = {}
        copies = 0
        for message, at in zip(sink.messages, sink.accepted_at, strict=True):
            pk = int(message["X-Portal-Notification"].split()[0])
            if pk in ids:
                copies += pk in accepted
                accepted.setdefault(pk, at)
    # ``updated_at`` is stamped by the worker's save that marks the row sent, after the SMTP
    # server accepted the mail, just before its commit (``sent_at`` is when it claimed the row).
    sent = dict(Notification.objects.filter(pk__in=ids, status="sent").values_list("pk", "updated_at"))
    first_commit = min(stamps.at[pk][0] for pk in ids)
    first_commit_wall = min(stamps.at[pk][1] for pk in ids)
    to_smtp = [accepted[pk] - stamps.at[pk][0] for pk in ids if pk in accepted]
    to_sent = [sent[pk].timestamp() - stamps.at[pk][1] for pk in ids if pk in sent]
    drain = max(at.timestamp() for at in sent.values()) - first_commit_wall if sent else float("nan")
    last_smtp = max(accepted.values()) - first_commit if accepted else float("nan")
    print(f"\n{name}: {len(ids)} notifications")
    print(
        f"  written and committed by one writer in {writer_seconds:.1f} s ({len(ids) / writer_seconds:.0f}/s)"
    )
    print(
        f"  e-mails accepted by SMTP: {len(accepted)} (+{copies} duplicates); rows marked sent: {len(sent)}"
    )
    if len(sent) < len(ids):
        print(f"  NOT DRAINED within the timeout: {len(sent)} of {len(ids)} rows marked sent")
    print(
        f"  {'drained' if len(sent) == len(ids) else 'delivered so far'} in {drain:.1f} s "
        f"(first commit → last row marked sent; last SMTP acceptance at "
        f"{last_smtp:.1f} s): {len(sent) / drain:.1f} notifications/s, "
        f"{len(sent) / drain / processes:.1f}/s per worker process"
    )
    print(f"  latency commit → SMTP accepted: {_ms(to_smtp)}")
    print(f"  latency commit → row marked sent: {_ms(to_sent)}")
    if len(accepted) != len(ids) or copies or len(sent) != len(ids):
        print("  WARNING: not every notification arrived exactly once")
    return {
        "count": len(ids),
        "delivered": len(sent),
        "writer": writer_seconds,
        "drain": drain,
        "rate": len(sent) / drain if sent else float("nan"),
        "smtp": to_smtp,
        "sent": to_sent,
    }


def run(options):  # noqa: C901, PLR0915 - one benchmark, start to end
    from tests.services.notifications.smtp import SmtpSink, free_port

    # A private broker, known before the settings are read (this process publishes to it).
    redis_port = free_port()
    broker = f"redis://127.0.0.1:{redis_port}/0"
    os.environ["CELERY_BROKER_URL"] = broker
    connection = _setup_django()
    from django.db import transaction

    redis_binary = shutil.which("redis-server")
    if not redis_binary:
        sys.exit("redis-server is not installed")
    database = connection.settings_dict
    template = database["NAME"]
    scratch = f"{template}_run"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [template])
        if not cursor.fetchone()[0]:
            sys.exit(f"{template} does not exist: run `make bench-data` first.")
    connection.close()
    # The copy is made from the maintenance database (a template must have no other sessions).
    admin = {"dbname": "postgres", "user": database["USER"], "host": database["HOST"] or "127.0.0.1"}
    if database["PORT"]:
        admin["port"] = database["PORT"]
    import psycopg2

    def administer(sql):
        link = psycopg2.connect(**admin, password=database["PASSWORD"] or None)
        link.autocommit = True
        with link.cursor() as cursor:
            cursor.execute(sql)
        link.close()

    started = time.monotonic()
    administer(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    administer(f'CREATE DATABASE "{scratch}" TEMPLATE "{template}"')
    database["NAME"] = scratch
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    database_url = f"postgres://{credentials}@{admin['host']}:{database['PORT'] or 5432}/{scratch}"
    print(f"copied {template} in {time.monotonic() - started:.1f} s")

    redis = subprocess.Popen(  # noqa: S603
        [redis_binary, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    sink = SmtpSink().start()
    from talent_portal.celery import app

    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "CELERY_BROKER_URL": broker,
    }
    celery = Path(sys.executable).with_name("celery")
    workers = [
        subprocess.Popen(  # noqa: S603
            [
                str(celery),
                "--quiet",  # no start-up banner in the report
                "-A",
                "talent_portal",
                "worker",
                "--concurrency",
                str(options.concurrency),
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "WARNING",
                "--hostname",
                f"bench{number}@%h",
            ],
            cwd=BASE_DIR,
            env=environment,
        )
        for number in range(options.workers)
    ]
    processes = options.workers * options.concurrency
    try:
        from permits.actions import application_return
        from permits.models import Application, Permit, PermitKind, PermitState, ReasonCode, ReasonKind
        from permits.tasks import send_permit_expiry_reminders
        from services.notifications.models import Notification
        from talent_portal.accounts.models import Duty, User

        stamps = Stamps()
        stamps.install()
        officer = User.objects.filter(groups__name=Duty.WORK_PERMIT_OFFICER, is_active=True).first()
        defect = ReasonCode.objects.filter(kind=ReasonKind.DEFECT, active=True).values_list(
            "code", flat=True
        )[0]
        deadline = time.monotonic() + 60
        while len(app.control.ping(timeout=0.5)) < options.workers and time.monotonic() < deadline:
            pass  # the workers' boot is not latency
        print(
            f"workers: {options.workers} × concurrency {options.concurrency} ({processes} processes), "
            f"broker redis :{redis_port}, CPUs: {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}"
        )
        results = {}

        # Latency: paced returns, each a real case event in its own transaction.
        cases = list(Application.objects.filter(state="submitted").order_by("id")[: options.paced])
        before = set(Notification.objects.values_list("pk", flat=True))
        begin = time.monotonic()
        for number, case in enumerate(cases):
            time.sleep(max(0.0, begin + number / options.rate - time.monotonic()))
            application_return(
                actor=officer, application=case, expected_version=case.version, reason_codes=[defect]
            )
        writer = time.monotonic() - begin
        paced = set(Notification.objects.values_list("pk", flat=True)) - before
        _wait_sent(paced, time.monotonic() + options.timeout)
        results["paced"] = _phase(
            f"Latency, paced at {options.rate:g}/s (an officer returns cases: application_return)",
            paced,
            stamps,
            sink,
            writer,
            processes,
        )

        # Burst: the nightly reminder job over exactly ``--burst`` permits due.
        today = datetime.now(UTC).date()
        due = list(
            Permit.objects.filter(kind=PermitKind.CARD, state=PermitState.VALID)
            .order_by("id")
            .values_list("id", flat=True)[: options.burst]
        )
        if len(due) < options.burst:
            sys.exit(f"only {len(due)} valid permits: prepare more cases (make bench-data)")
        with transaction.atomic():  # set-up, not measured: the rest expire later than 90 days
            Permit.objects.filter(state=PermitState.VALID).exclude(id__in=due).update(
                valid_until=today + timedelta(days=400)
            )
            for offset in range(90):
                Permit.objects.filter(id__in=due[offset::90]).update(
                    valid_until=today + timedelta(days=offset + 1)
                )
        before = set(Notification.objects.values_list("pk", flat=True))
        begin = time.monotonic()
        written = send_permit_expiry_reminders()
        deadline = begin + options.timeout  # the whole burst, writing included
        writer = time.monotonic() - begin
        burst = set(Notification.objects.values_list("pk", flat=True)) - before
        if written != options.burst:
            print(f"WARNING: the reminder job wrote {written} rows, not {options.burst}")
        _wait_sent(burst, max(deadline, time.monotonic() + 10))
        results["burst"] = _phase(
            f"Burst: the permit-expiry reminder job ({options.burst} holders)",
            burst,
            stamps,
            sink,
            writer,
            processes,
        )
        paced_result, burst_result = results["paced"], results["burst"]
        print(
            "\n| phase | rows sent/written | workers × concurrency | drained in | notifications/s | per process | "
            "commit → SMTP median / p99 | commit → marked sent median / p99 |"
        )
        print("| --- | --: | --- | --: | --: | --: | --: | --: |")
        for label, result in (
            (f"paced {options.rate:g}/s", paced_result),
            ("burst (reminder job)", burst_result),
        ):
            print(
                f"| {label} | {result['delivered']}/{result['count']} | {options.workers} × {options.concurrency} | "
                f"{result['drain']:.1f} s | {result['rate']:.1f} | {result['rate'] / processes:.1f} | "
                f"{statistics.median(result['smtp']) * 1000:.0f} / {_percentile(result['smtp'], 0.99) * 1000:.0f} ms | "
                f"{statistics.median(result['sent']) * 1000:.0f} / {_percentile(result['sent'], 0.99) * 1000:.0f} ms |"
            )
        print(
            f"\nload average after {' '.join(f'{value:.2f}' for value in os.getloadavg())}; "
            f"total {time.monotonic() - started:.0f} s"
        )
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        redis.terminate()
        sink.stop()
        connection.close()
        administer(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--paced", type=int, default=100, help="cases returned in the latency phase")
    parser.add_argument("--rate", type=float, default=5, help="returns per second in the latency phase")
    parser.add_argument("--burst", type=int, default=10_000, help="reminders in the burst")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (machines, in production)")
    parser.add_argument("--concurrency", type=int, default=2, help="pool processes per worker")
    parser.add_argument(
        "--timeout",
        type=float,
        default=300,
        help="seconds a phase may take (the burst: from its first commit), then what arrived is reported",
    )
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help=f"migrate and fill the template database with {PREPARED_CASES:,} cases, then stop (make bench-data)",
    )
    options = parser.parse_args()
    if options.prepare_only:
        prepare(PREPARED_CASES)
    else:
        run(options)


if __name__ == "__main__":
    main()
