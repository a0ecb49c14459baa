"""City-scale benchmark: the portal under gunicorn + PostgreSQL, measured with wrk (issue 11).

    make bench-data   # once: fills talent_portal_bench (100,000 cases) and talent_portal_bench_1m
    make bench        # or: .venv/bin/python bench/city_bench.py --duration 10 --rounds 2

What it does, in one run:

1. Prepares the scratch PostgreSQL database named by ``DATABASE_URL`` (default
   ``talent_portal_bench``; never a test or production database): migrates, tops it up with
   ``manage.py seed_scale`` to ``--cases`` applications, runs ``ANALYZE``, and creates the
   benchmark's people: an officer with a confirmed TOTP device, a personal API token and a
   database session that passed the second factor; the holder of a valid permit (an applicant)
   with a session; the signed verification token of a permit.
2. Counts the SQL queries of one request per endpoint with Django's test client under the same
   settings (``CaptureQueriesContext``), for the queue also at other page sizes and depths, and
   prints the ``EXPLAIN`` of every queue query (does it use an index?).
3. Starts gunicorn (``deploy/gunicorn.conf.py``, 2 sync workers, ``DJANGO_DEBUG=0``, benchmark
   settings ``bench.settings`` = the product's settings + two URLs) and loads each endpoint with
   ``wrk`` (2 threads, 4 connections, ``--duration`` seconds), interleaved A-B-A-B over
   ``--rounds`` rounds; every request carries ``X-Forwarded-Proto: https`` like behind the proxy.
4. With the 1,000,000-case database (``--million-database-url``, default ``$BENCH_DATABASE_URL_1M``
   or ``talent_portal_bench_1m``; only when it exists and holds ``--million-cases``, else the
   output says why it was left out): prepares its people the same way (a child process, never
   seeding it), serves it with a second gunicorn and loads its queue API and queue page in the
   same rounds, for the p99 at 1,000,000 cases against 1.5× the p99 at 100,000.
5. Prints requests/s, p50, p99 as figures and as ratios to the baseline (a bare Django view
   returning a small JSON object) and to the plain-DRF reference (``bench/plain_drf.py``), the
   queries per request, the peak RSS of each gunicorn worker (from ``/proc``), and the targets
   of the issue with the margin by which each is met or missed.

Not a test: it checks that every endpoint answers 200 before loading it, nothing more. Other
work on the machine changes the figures; the load average is printed before and after.
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

# Production settings (like the Makefile's PRODUCTION_CHECK_ENV). The field keys are the ones the
# scratch data was seeded with (seed_scale under the development defaults).
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "benchmark-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "FIELD_ENCRYPTION_KEYS": "uW2nFXJ0p7bW8WJ1tq1m6rPjJ6t6o5m7qX9y2Qe3r5w=",
    "FIELD_DIGEST_KEY": "dev-digest-key",
    "LOG_LEVEL": "WARNING",
    # Production serves hashed static files (collectstatic's manifest): built here, outside the checkout.
    "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "talent-portal-bench-static"),
}
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/talent_portal_bench"
DEFAULT_MILLION_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/talent_portal_bench_1m"
PROTO = {"X-Forwarded-Proto": "https"}
QUEUE_PAGE = 50


def _prepare(options, *, seed=True):
    """Data, people, credentials, query counts and plans (in this process, benchmark settings).

    ``seed=False`` (the 1,000,000-case database) never tops the database up: ``make bench-data``
    fills it once, which takes longer than a benchmark run may.
    """
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils.module_loading import import_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from permits.models import Application, Permit
    from permits.notices import verification_token
    from services.classification.api.public import EXAMPLE_REQUEST
    from talent_portal.accounts.actions import api_token_create
    from talent_portal.accounts.middleware import ACTIVE_AT, SIGNED_IN_AT
    from talent_portal.accounts.models import Duty, User

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    existing = Application.objects.count()
    if seed and existing < options.cases:
        started = time.perf_counter()
        call_command("seed_scale", cases=options.cases - existing, seed=existing + 1)
        print(f"seed_scale: {options.cases - existing} cases in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    cases, permits = Application.objects.count(), Permit.objects.count()

    def session_for(user):
        device = None
        if user.is_officer:
            device = TOTPDevice.objects.filter(
                user=user, confirmed=True
            ).first() or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = SessionStore()
        now = int(time.time())
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = next(  # the backend a sign-in records (one that loads users)
            path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user")
        )
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[SIGNED_IN_AT] = now
        session[ACTIVE_AT] = now
        session.create()
        return session.session_key

    officer, _created = User.objects.get_or_create(
        email="bench-officer@scale.invalid", defaults={"full_name": "Bench Officer"}
    )
    officer.groups.add(Group.objects.get_or_create(name=Duty.WORK_PERMIT_OFFICER)[0])
    officer = User.objects.get(pk=officer.pk)  # duties are cached on the instance
    officer_session = session_for(officer)
    _token, officer_token = api_token_create(actor=officer, name="city bench", days=1)
    permit = Permit.objects.filter(state="valid").order_by("id").first()
    holder = permit.holder
    holder_session = session_for(holder)

    cookie = settings.SESSION_COOKIE_NAME
    token_header = {"Authorization": f"Token {officer_token}"}
    endpoints = [
        {"label": "baseline (bare Django view)", "key": "baseline", "path": "/bench/baseline", "headers": {}},
        {
            "label": f"plain-DRF reference ({QUEUE_PAGE} rows)",
            "key": "plain",
            "path": "/bench/plain-drf/queue/",
            "headers": token_header,
        },
        {
            "label": f"officer queue API ({QUEUE_PAGE} rows)",
            "key": "queue_api",
            "path": f"{reverse('api:queue')}?page_size={QUEUE_PAGE}",
            "headers": token_header,
        },
        {
            "label": "officer queue page (HTML, 25 rows)",
            "key": "queue_html",
            "path": reverse("permits:queue"),
            "headers": {"Cookie": f"{cookie}={officer_session}"},
        },
        {
            "label": "applicant's applications (HTML)",
            "key": "my_applications",
            "path": reverse("permits:my_applications"),
            "headers": {"Cookie": f"{cookie}={holder_session}"},
        },
        {
            "label": "public verification page (HTML)",
            "key": "verify",
            "path": reverse("verify", args=[verification_token(permit)]),
            "headers": {},
        },
        {
            "label": "self-assessment API (POST)",
            "key": "assessment",
            "path": reverse("api:classification-assessments"),
            "headers": {"Content-Type": "application/json"},
            "body": json.dumps(EXAMPLE_REQUEST),
        },
    ]

    def request(path, headers, body=None):
        client = Client(headers={**PROTO, **{k: v for k, v in headers.items() if k != "Cookie"}})
        if "Cookie" in headers:
            client.cookies[cookie] = headers["Cookie"].split("=", 1)[1]
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            if body is None:
                response = client.get(path)
            else:
                response = client.post(path, body, content_type="application/json")
        assert response.status_code == 200, (path, response.status_code)
        return response, list(queries)

    for endpoint in endpoints:
        request(endpoint["path"], endpoint["headers"], endpoint.get("body"))  # warm-up
        _response, queries = request(endpoint["path"], endpoint["headers"], endpoint.get("body"))
        endpoint["queries"] = len(queries)

    # The queue at other page sizes and depths: the number of queries must not move.
    depth = []
    queue_path = reverse("api:queue")
    for size in (10, 50, 100):
        # Warm first, like the endpoints above: a worker reads the working-day calendar (for the
        # near-breach flag) once, on the first page that shows a statutory limit, then keeps it.
        request(f"{queue_path}?page_size={size}", token_header)
        _response, queries = request(f"{queue_path}?page_size={size}", token_header)
        depth.append((f"API, first page of {size}", len(queries)))
    url = f"{queue_path}?page_size={QUEUE_PAGE}"
    for _ in range(20):
        response, queries = request(url, token_header)
        next_url = response.json().get("next")
        if not next_url:
            break
        url = next_url.split("://", 1)[-1].split("/", 1)[-1]
        url = "/" + url
    response, deep_queries = request(url, token_header)
    depth.append((f"API, page 21 of {QUEUE_PAGE} (keyset cursor)", len(deep_queries)))
    request(reverse("permits:queue") + "?size=100", endpoints[3]["headers"])
    _response, html_queries = request(reverse("permits:queue") + "?size=100", endpoints[3]["headers"])
    depth.append(("HTML, first page of 100", len(html_queries)))

    # EXPLAIN every query of the queue (API first and deep page, HTML page) at this scale.
    plans = []
    seen = set()
    _response, api_queries = request(endpoints[2]["path"], token_header)
    _response, page_queries = request(endpoints[3]["path"], endpoints[3]["headers"])
    for origin, queries in (("API", api_queries), ("API deep", deep_queries), ("HTML", page_queries)):
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or sql in seen:
                continue
            seen.add(sql)
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            indexes = sorted(set(re.findall(r"Index (?:Only )?Scan (?:Backward )?using (\S+)", plan)))
            indexes += sorted(set(re.findall(r"Bitmap Index Scan on (\S+)", plan)))
            seq = sorted(set(re.findall(r"Seq Scan on (\S+)", plan)))
            table = re.search(r'FROM "([^"]+)"', sql)
            plans.append(
                {
                    "origin": origin,
                    "table": table.group(1) if table else "?",
                    "sql": sql,
                    "indexes": indexes,
                    "seq": seq,
                    "plan": plan,
                }
            )
    return {"cases": cases, "permits": permits, "endpoints": endpoints, "depth": depth, "plans": plans}


# --- Load ---------------------------------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _status_kb(pid, field):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class RssSampler(threading.Thread):
    """Peak RSS of every gunicorn worker: sampled VmRSS and the kernel's high-water mark VmHWM."""

    def __init__(self, master):
        super().__init__(daemon=True)
        self.master, self.peaks, self.stop = master, {}, threading.Event()

    def sample(self):
        for pid in _children(self.master):
            for field in ("VmRSS", "VmHWM"):
                value = _status_kb(pid, field)
                if value is not None:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), value)

    def run(self):
        while not self.stop.wait(0.5):
            self.sample()


def _duration_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def _wrk(url, endpoint, seconds, script_dir):
    command = ["wrk", "-t2", "-c4", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in {**PROTO, **endpoint["headers"]}.items():
        command += ["-H", f"{name}: {value}"]
    if endpoint.get("body"):
        script = Path(script_dir) / f"{endpoint['key']}.lua"
        script.write_text(f'wrk.method = "POST"\nwrk.body = {json.dumps(endpoint["body"])}\n')
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _duration_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _duration_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors:.*", output)
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(0) if socket_errors else "",
    }


def _check(url, endpoint):
    data = endpoint.get("body", "").encode() or None
    request = urllib.request.Request(url, data=data, headers={**PROTO, **endpoint["headers"]})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own gunicorn
        assert response.status == 200, (endpoint["label"], response.status)


def _serve(database_url):
    """gunicorn (``deploy/gunicorn.conf.py``, 2 sync workers) on a free port, for one database."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "0",
        # No recycling during the run: the peak RSS then covers every request of the run.
        "GUNICORN_MAX_REQUESTS": "0",
    }
    log = tempfile.NamedTemporaryFile(prefix="city-bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        [str(BASE_DIR / ".venv/bin/gunicorn"), "-c", str(BASE_DIR / "deploy/gunicorn.conf.py")],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return {
        "process": process,
        "base": f"http://127.0.0.1:{port}",
        "log": log,
        "sampler": RssSampler(process.pid),
    }


def _load(prepared, options, million=None):
    """Every endpoint, round after round; with ``million``, its queue endpoints too in each round.

    The 1,000,000-case database has its own gunicorn (same configuration), started beside the
    first and loaded in the same rounds, so that both scales see the same machine.
    """
    servers = [_serve(os.environ["DATABASE_URL"])]
    plan = [(servers[0], endpoint) for endpoint in prepared["endpoints"]]
    if million is not None:
        servers.append(_serve(million["database_url"]))
        plan += [(servers[1], endpoint) for endpoint in million["endpoints"]]
    results = {endpoint["key"]: [] for _server, endpoint in plan}
    baseline = prepared["endpoints"][0]
    try:
        for server in servers:
            for _ in range(150):
                try:
                    _check(server["base"] + baseline["path"], baseline)
                    break
                except OSError:
                    time.sleep(0.2)
        for server, endpoint in plan:
            _check(server["base"] + endpoint["path"], endpoint)
        for server in servers:
            server["sampler"].start()
        with tempfile.TemporaryDirectory() as script_dir:
            for server, endpoint in plan:  # warm-up: every worker has served every page
                _wrk(server["base"] + endpoint["path"], endpoint, 2, script_dir)
            for round_number in range(options.rounds):
                for server, endpoint in plan:
                    result = _wrk(server["base"] + endpoint["path"], endpoint, options.duration, script_dir)
                    results[endpoint["key"]].append(result)
                    print(
                        f"  round {round_number + 1}: {endpoint['label']}: {result['rps']:.0f} req/s, "
                        f"p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms"
                        + (f", {result['errors']} non-2xx" if result["errors"] else ""),
                        flush=True,
                    )
        for server in servers:
            server["sampler"].sample()
        workers = {pid: kb for server in servers for pid, kb in server["sampler"].peaks.items()}
    finally:
        for server in servers:
            server["sampler"].stop.set()
            server["process"].terminate()
            server["process"].wait(timeout=30)
            server["log"].close()
    return results, workers, [server["log"].name for server in servers]


# --- The 1,000,000-case database ----------------------------------------------------------------

MILLION_KEYS = ("queue_api", "queue_html")


def _million_status(url, minimum):
    """(True, cases) when the database exists and holds ``minimum`` cases, else (False, why not)."""
    import psycopg2

    name = url.rsplit("/", 1)[-1]
    try:
        connection = psycopg2.connect(url, connect_timeout=5)
    except psycopg2.OperationalError as error:
        if "does not exist" in str(error):
            return False, f"database {name} does not exist (`make bench-data` creates and fills it)"
        return False, f"database {name} cannot be reached ({str(error).strip()})"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 15000")
            cursor.execute("SELECT to_regclass('permits_application')")
            if cursor.fetchone()[0] is None:
                return False, f"database {name} is not migrated (`make bench-data` fills it)"
            cursor.execute("SELECT count(*) FROM permits_application")
            cases = cursor.fetchone()[0]
    except psycopg2.errors.QueryCanceled:
        return False, f"database {name} is busy (being seeded?): counting its cases took over 15 s"
    finally:
        connection.close()
    if cases < minimum:
        return (
            False,
            f"database {name} holds {cases:,} cases, fewer than {minimum:,} (`make bench-data` fills it)",
        )
    return True, cases


def _describe_million(options):
    """The 1,000,000-case database prepared like the first one, in a child process (its own settings)."""
    url = options.million_database_url
    ready, detail = _million_status(url, options.million_cases)
    if not ready:
        return None, detail
    with tempfile.TemporaryDirectory() as directory:
        output = Path(directory) / "million.json"
        subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--describe", str(output), "--cases", str(options.million_cases)],
            env={**os.environ, "DATABASE_URL": url},
            check=True,
        )
        million = json.loads(output.read_text())
    million["database_url"] = url
    million["endpoints"] = [
        {**endpoint, "key": f"{endpoint['key']}_1m", "label": f"{endpoint['label']} at 1,000,000 cases"}
        for endpoint in million["endpoints"]
        if endpoint["key"] in MILLION_KEYS
    ]
    return million, f"database {url.rsplit('/', 1)[-1]}, {million['cases']:,} applications"


# --- Report -------------------------------------------------------------------------------------


def _cpu():
    try:
        output = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout  # noqa: S607
    except (OSError, subprocess.CalledProcessError):
        return "unknown CPU"
    fields = dict(line.split(":", 1) for line in output.splitlines() if ":" in line)
    model = fields.get("Model name", "?").strip()
    return f"{model}, {fields.get('CPU(s)', '?').strip()} CPU(s)"


def _margin(value, target, higher_is_better=True):
    """The verdict and by how much: e.g. "meets, 20 % under" or "MISSES: 4.6× the limit"."""
    if higher_is_better:
        if value >= target:
            return f"meets, {(value / target - 1) * 100:.0f} % above"
        return f"MISSES: {value / target * 100:.0f} % of the target (needs {target / value:.1f}× more)"
    if value <= target:
        return f"meets, {(1 - value / target) * 100:.0f} % under"
    return f"MISSES: {value / target:.2f}× the limit"


def _summary(runs):
    return {
        "rps": statistics.mean(run["rps"] for run in runs),
        "p50": statistics.mean(run["p50"] for run in runs),
        "p99": max(run["p99"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000, help="applications the database should hold")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per endpoint and round")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (A-B-A-B)")
    parser.add_argument("--plans", action="store_true", help="print the full EXPLAIN of each queue query")
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="migrate and seed the database, then stop (make bench-data)",
    )
    parser.add_argument(
        "--million-database-url",
        default=os.environ.get("BENCH_DATABASE_URL_1M", DEFAULT_MILLION_DATABASE_URL),
        help="the 1,000,000-case database (default: $BENCH_DATABASE_URL_1M, else talent_portal_bench_1m); "
        "its queue API and page are loaded too when it exists and is seeded",
    )
    parser.add_argument(
        "--million-cases", type=int, default=1_000_000, help="cases the second database must hold to be used"
    )
    parser.add_argument("--no-million", action="store_true", help="leave the 1,000,000-case database out")
    parser.add_argument(
        "--describe", metavar="FILE", help=argparse.SUPPRESS
    )  # the child of _describe_million
    options = parser.parse_args()

    for name, value in BENCH_ENV.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        parser.error("DATABASE_URL must name a scratch PostgreSQL database")
    if options.prepare_only:
        import django

        django.setup()
        from django.core.management import call_command

        from permits.models import Application

        call_command("migrate", verbosity=0)
        existing = Application.objects.count()
        if existing < options.cases:
            started = time.perf_counter()
            call_command("seed_scale", cases=options.cases - existing, seed=existing + 1)
            print(f"seed_scale: {options.cases - existing} cases in {time.perf_counter() - started:.0f} s")
        print(f"{Application.objects.count()} applications in {os.environ['DATABASE_URL']}")
        return
    if options.describe:
        Path(options.describe).write_text(json.dumps(_prepare(options, seed=False)))
        return
    if not shutil.which("wrk"):
        parser.error("wrk is missing (Debian package wrk; `make bench` installs it)")

    started = datetime.now(UTC)
    load_before = os.getloadavg()
    prepared = _prepare(options)
    if options.no_million:
        million, million_note = None, "left out (--no-million)"
    else:
        million, million_note = _describe_million(options)
    print(
        f"\n{started:%Y-%m-%d %H:%M} UTC · {_cpu()} · {prepared['cases']:,} applications, "
        f"{prepared['permits']:,} permits · load average before {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}\ncommand: {' '.join(sys.argv)} (DATABASE_URL={os.environ['DATABASE_URL']})\n"
        f"wrk -t2 -c4 -d{options.duration}s --latency, {options.rounds} interleaved rounds; "
        f"gunicorn 2 sync workers, DJANGO_DEBUG=0\n"
        f"1,000,000-case check: {million_note}\n",
        flush=True,
    )
    results, workers, logs = _load(prepared, options, million)
    load_after = os.getloadavg()

    summary = {key: _summary(runs) for key, runs in results.items()}
    base, plain = summary["baseline"], summary["plain"]
    print(
        "\nrequests/s: mean of the rounds; p50: mean; p99: worst round. "
        "Ratios: to the baseline (×base) and to the plain-DRF reference (×DRF) of this run.\n"
    )
    print(
        "| endpoint | req/s | ×base | ×DRF | p50 ms | ×base | ×DRF | p99 ms | ×base | ×DRF | queries | non-2xx |"
    )
    print("| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |")
    every_endpoint = prepared["endpoints"] + (million["endpoints"] if million else [])
    for endpoint in every_endpoint:
        row = summary[endpoint["key"]]
        print(
            f"| {endpoint['label']} | {row['rps']:.0f} | {row['rps'] / base['rps']:.2f} | "
            f"{row['rps'] / plain['rps']:.2f} | {row['p50']:.1f} | {row['p50'] / base['p50']:.1f} | "
            f"{row['p50'] / plain['p50']:.2f} | {row['p99']:.1f} | {row['p99'] / base['p99']:.1f} | "
            f"{row['p99'] / plain['p99']:.2f} | {endpoint['queries']} | {row['errors']} |"
        )
    depth = [(label, count) for label, count in prepared["depth"]]
    plans = list(prepared["plans"])
    if million:
        depth += [(f"{label} at 1,000,000 cases", count) for label, count in million["depth"]]
        plans += [{**plan, "origin": f"{plan['origin']} (1,000,000)"} for plan in million["plans"]]
    print("\nQueries per request of the queue, by page size and depth:\n")
    for label, count in depth:
        print(f"- {label}: {count}")
    print("\nPeak RSS per gunicorn worker:\n")
    for pid, kb in sorted(workers.items()):
        print(f"- worker {pid}: {kb / 1024:.0f} MB")
    print("\nQuery plans of the queue (EXPLAIN at this scale):\n")
    print("| from | table | indexes used | sequential scans |")
    print("| --- | --- | --- | --- |")
    for plan in plans:
        print(
            f"| {plan['origin']} | {plan['table']} | {', '.join(plan['indexes']) or '—'} | "
            f"{', '.join(plan['seq']) or '—'} |"
        )
        if options.plans:
            print(f"\n```\n{plan['sql']}\n{plan['plan']}\n```\n")

    queue_api, queue_html = summary["queue_api"], summary["queue_html"]
    queue_plans = [plan for plan in plans if plan["table"] == "permits_application"]
    max_queries = max(count for _label, count in depth)
    peak_mb = max(workers.values()) / 1024 if workers else float("nan")
    print(
        "\nTargets of issue 11 (ratios from this run, each with the margin by which it is met or missed):\n"
    )
    targets = [
        (
            "queue API throughput ≥ 25 % of the baseline",
            f"{queue_api['rps'] / base['rps'] * 100:.1f} %",
            _margin(queue_api["rps"] / base["rps"], 0.25),
        ),
        (
            "queue API throughput ≥ 3× the plain-DRF reference",
            f"{queue_api['rps'] / plain['rps']:.2f}×",
            _margin(queue_api["rps"] / plain["rps"], 3),
        ),
        (
            "HTML queue throughput ≥ 15 % of the baseline",
            f"{queue_html['rps'] / base['rps'] * 100:.1f} %",
            _margin(queue_html["rps"] / base["rps"], 0.15),
        ),
        ("queue API p99 ≤ 50 ms", f"{queue_api['p99']:.1f} ms", _margin(queue_api["p99"], 50, False)),
        ("HTML queue p99 ≤ 50 ms", f"{queue_html['p99']:.1f} ms", _margin(queue_html["p99"], 50, False)),
    ]
    for key, name in (("queue_api", "queue API"), ("queue_html", "HTML queue")):
        target = f"{name} p99 at 1,000,000 cases ≤ 1.5× its p99 at {prepared['cases']:,}"
        if million:
            ratio = summary[f"{key}_1m"]["p99"] / summary[key]["p99"]
            measured = f"{ratio:.2f}× ({summary[f'{key}_1m']['p99']:.1f} ms vs {summary[key]['p99']:.1f} ms)"
            targets.append((target, measured, _margin(ratio, 1.5, False)))
        else:
            targets.append((target, f"not measured: {million_note}", "not measured"))
    targets += [
        (
            "queue queries per request ≤ 4, whatever the size and depth",
            f"{max_queries} (max)",
            _margin(max_queries, 4, False),
        ),
        (
            "every queue query on permits_application uses an index",
            f"{sum(1 for plan in queue_plans if 'permits_application' not in plan['seq'])}/{len(queue_plans)}"
            " read permits_application through an index",
            "meets" if all("permits_application" not in plan["seq"] for plan in queue_plans) else "MISSES",
        ),
        ("gunicorn worker ≤ 150 MB RSS", f"{peak_mb:.0f} MB (peak)", _margin(peak_mb, 150, False)),
    ]
    print("| target | measured | verdict |")
    print("| --- | --- | --- |")
    for target, measured, verdict in targets:
        print(f"| {target} | {measured} | {verdict} |")
    print(
        f"\nload average after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} (on "
        f"{os.cpu_count()} CPUs: above that, other work shared the machine and the ratios are the figures "
        f"to trust); gunicorn logs: {', '.join(logs)}; total {(datetime.now(UTC) - started).total_seconds():.0f} s"
    )


if __name__ == "__main__":
    main()
