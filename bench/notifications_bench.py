"""Notification throughput and commit-to-delivery latency with real Celery workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/talent_portal \\
        .venv/bin/python bench/notifications_bench.py --count 1000 --workers 2 --concurrency 4

What it does: creates a scratch PostgreSQL database (``test_<name>``, dropped at the end), starts a
private ``redis-server`` on a free port, an SMTP sink (aiosmtpd) and ``--workers`` worker
subprocesses (``celery -A talent_portal worker --concurrency N``), then commits ``--count``
notifications, each in its own transaction as a state change would, and waits until the SMTP
sink has accepted every message. It prints the throughput (messages accepted by the SMTP server
per second, from the first commit to the last acceptance) and the latency from each commit to
the SMTP server's acceptance of that message (median, p90, p99, max).

Not a test: it asserts only that every message arrived exactly once.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=500, help="notifications to send")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (machines, in production)")
    parser.add_argument("--concurrency", type=int, default=4, help="pool processes per worker")
    parser.add_argument(
        "--rate", type=float, default=0, help="commits per second (0: as fast as one writer can)"
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for delivery")
    options = parser.parse_args()

    from tests.services.notifications.smtp import SmtpSink, free_port

    redis_binary = shutil.which("redis-server")
    if not redis_binary:
        sys.exit("redis-server is not installed")
    redis_port = free_port()
    broker = f"redis://127.0.0.1:{redis_port}/0"
    os.environ["CELERY_BROKER_URL"] = broker
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent_portal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to PostgreSQL: the workers must share the database.")

    from services.notifications.actions import notification_create
    from services.notifications.models import Notification
    from tests.factories import UserFactory

    redis = subprocess.Popen(  # noqa: S603
        [redis_binary, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    sink = SmtpSink().start()
    original_name = connection.settings_dict["NAME"]
    # Its own scratch database: never the one a test run may be using at the same time.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "bench_notifications"
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    database = connection.settings_dict
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{test_name}",
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
    }
    celery = Path(sys.executable).with_name("celery")
    workers = [
        subprocess.Popen(  # noqa: S603
            [
                str(celery),
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
    try:
        users = [UserFactory(preferred_language=language) for language in ("zh-hans", "en", "ja", "ko") * 5]
        # Wait for the workers to answer before the clock starts (their boot is not latency).
        from talent_portal.celery import app

        deadline = time.monotonic() + 60
        while len(app.control.ping(timeout=0.5)) < options.workers and time.monotonic() < deadline:
            pass
        committed = {}
        started = time.monotonic()
        for number in range(options.count):
            if options.rate:
                # Paced: latency then measures the pipeline, not a queue the writer built up.
                time.sleep(max(0.0, started + number / options.rate - time.monotonic()))
            stamp = []
            with transaction.atomic():
                transaction.on_commit(lambda stamp=stamp: stamp.append(time.monotonic()))
                row = notification_create(
                    actor=users[0],
                    kind="organization_verified",
                    recipient=users[number % len(users)],
                    context={"organization": f"Benchmark Organisation {number}", "note": ""},
                    dedupe_key=f"bench:{number}",
                )
            committed[row.pk] = stamp[0]
        produced = time.monotonic() - started
        deadline = time.monotonic() + options.timeout
        while sink.count() < options.count and time.monotonic() < deadline:
            time.sleep(0.05)
        with sink.lock:
            accepted = {
                int(message["X-Portal-Notification"].split()[0]): at
                for message, at in zip(sink.messages, sink.accepted_at, strict=True)
            }
            received = len(sink.messages)
        latencies = [accepted[pk] - committed[pk] for pk in committed if pk in accepted]
        elapsed = max(accepted.values()) - started if accepted else float("nan")
        sent = Notification.objects.filter(status="sent").count()

        print(
            f"notifications: {options.count}  workers: {options.workers} × concurrency {options.concurrency}"
            f"  rate: {options.rate or 'unpaced'}  CPUs: {os.cpu_count()}"
        )
        print(f"committed in {produced:.2f} s ({options.count / produced:.0f}/s by one writer)")
        print(f"delivered: {received} mails for {len(accepted)} rows, rows marked sent: {sent}")
        print(
            f"throughput: {len(accepted) / elapsed:.1f} notifications/s (first commit to last SMTP acceptance)"
        )
        if latencies:
            print(
                "latency commit → SMTP accepted: "
                f"median {statistics.median(latencies) * 1000:.0f} ms, "
                f"p90 {_percentile(latencies, 0.90) * 1000:.0f} ms, "
                f"p99 {_percentile(latencies, 0.99) * 1000:.0f} ms, "
                f"max {max(latencies) * 1000:.0f} ms"
            )
        if received != options.count or len(accepted) != options.count:
            print("WARNING: not every notification arrived exactly once")
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
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
