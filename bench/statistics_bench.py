"""Response times of the statistics and dashboard pages on a large database.

    createdb -h 127.0.0.1 -U postgres talent_portal_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/talent_portal_bench \\
        .venv/bin/python bench/statistics_bench.py --cases 100000 --repeat 30

What it does: migrates the database named by ``DATABASE_URL`` (PostgreSQL; never a test or
production database — use a scratch one), tops it up with ``manage.py seed_scale`` until it holds
``--cases`` applications (an existing fill is reused), runs ``ANALYZE``, then requests each page
through Django's full stack (middleware, sessions, templates; the test client, no network)
``--repeat`` times after ``--warmup`` requests, and prints p50, p99 and max per page together with
the number of SQL queries of one request, as a Markdown table.

Not a test: it asserts nothing but the status code of each answer.
"""

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _signed_in_client(user):
    """A test client signed in as ``user`` with the second factor passed (officers need it)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000, help="applications the database should hold")
    parser.add_argument("--repeat", type=int, default=30, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="requests per page before measuring")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent_portal.settings")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("set DATABASE_URL to a scratch PostgreSQL database")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from permits.models import Application, Permit
    from talent_portal.accounts.models import Duty, Membership, User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    existing = Application.objects.count()
    if existing < options.cases:
        started = time.perf_counter()
        call_command("seed_scale", cases=options.cases - existing, seed=existing + 1)
        print(f"seed_scale: {options.cases - existing} cases in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    officer, _created = User.objects.get_or_create(
        email="bench-officer@scale.invalid", defaults={"full_name": "Bench Officer"}
    )
    officer.groups.add(Group.objects.get_or_create(name=Duty.WORK_PERMIT_OFFICER)[0])
    largest = (
        Permit.objects.values("organization_id").annotate(count=Count("id")).order_by("-count").first()
    )["organization_id"]
    hr, _created = User.objects.get_or_create(
        email="bench-hr@scale.invalid", defaults={"full_name": "Bench HR"}
    )
    Membership.objects.get_or_create(user=hr, organization_id=largest, defaults={"role": "hr_staff"})
    holder = Permit.objects.filter(state="valid").order_by("id").first().holder

    officer_client, hr_client, holder_client = (_signed_in_client(user) for user in (officer, hr, holder))
    statistics = reverse("dashboards:statistics")
    pages = [
        ("statistics, last quarter (default)", officer_client, statistics, {}),
        ("statistics, last 12 months", officer_client, statistics, {"preset": "last_12_months"}),
        ("statistics, this year", officer_client, statistics, {"preset": "this_year"}),
        (
            "statistics CSV, last 12 months",
            officer_client,
            reverse("dashboards:statistics_csv"),
            {"preset": "last_12_months"},
        ),
        (
            "statistics XLSX, last 12 months",
            officer_client,
            reverse("dashboards:statistics_xlsx"),
            {"preset": "last_12_months"},
        ),
        (
            "employer dashboard (largest employer)",
            hr_client,
            reverse("dashboards:employer", args=[largest]),
            {},
        ),
        ("applicant home", holder_client, reverse("dashboards:home"), {}),
    ]
    print(
        f"\n{Application.objects.count()} applications, {Permit.objects.count()} permits; "
        f"{options.repeat} requests per page after {options.warmup} warm-up requests\n"
    )
    print("| page | queries | p50 | p99 | max |")
    print("| --- | --- | --- | --- | --- |")
    for label, client, url, params in pages:
        for _ in range(options.warmup):
            assert client.get(url, params).status_code == 200, label
        reset_queries()  # a request resets the log: start it empty so that nothing is cut off
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        timings = []
        for _ in range(options.repeat):
            started = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, label
        print(
            f"| {label} | {len(queries)} | {_percentile(timings, 0.5):.0f} ms | "
            f"{_percentile(timings, 0.99):.0f} ms | {max(timings):.0f} ms |"
        )


if __name__ == "__main__":
    main()
