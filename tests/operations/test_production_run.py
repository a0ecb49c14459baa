"""The production run, as deploy/ describes it: gunicorn with deploy/gunicorn.conf.py, a Celery worker
and beat started with the commands of the systemd units, production settings (DJANGO_DEBUG=0 and the
Makefile's PRODUCTION_CHECK_ENV), PostgreSQL, Redis, real SMTP, collected static files. One case
goes from the employer's first request to the issued permit through HTTP only, as the reverse proxy
would send it (``X-Forwarded-Proto: https``); then the metrics, the JSON logs (with the request id
carried into the worker) and the static files are checked.
"""

import datetime as dt
import http.client
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from permits import rules
from permits.models import Application
from talent_portal.accounts.actions import api_token_create
from tests.factories import OrganizationFactory, UserFactory
from tests.permits.factories import jpeg_bytes, pdf_bytes
from tests.services.notifications.smtp import SmtpSink, free_port
from tests.services.notifications.test_integration import RedisServer, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BASE = Path(settings.BASE_DIR)
DEPLOY = BASE / "deploy"
PASSWORD = "Correct-Horse-42"


# --- the deploy files -----------------------------------------------------------------------
def exec_start(unit: str, env: dict) -> list[str]:
    """The ExecStart command of a systemd unit, for this checkout (paths, variables, specifiers)."""
    text = (DEPLOY / "systemd" / unit).read_text().replace("\\\n", " ")
    (line,) = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    command = line.removeprefix("ExecStart=").replace("/opt/talent-portal", str(BASE))
    command = command.replace("%H", socket.gethostname())
    command = re.sub(r"\$\{(\w+)\}", lambda match: env[match.group(1)], command)
    return shlex.split(command)


def production_check_env() -> dict:
    """The variables of the Makefile's PRODUCTION_CHECK_ENV."""
    text = (BASE / "Makefile").read_text()
    block = re.search(r"^PRODUCTION_CHECK_ENV := (.*?)(?:\n\n|\n(?=\S))", text, re.S | re.M).group(1)
    return dict(item.split("=", 1) for item in shlex.split(block.replace("\\\n", " ")))


def _database_url() -> str:
    db = connection.settings_dict
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


# --- an HTTP client as a browser behind the TLS proxy ------------------------------------------
class Client:
    def __init__(self, port: int, token: str = "", *, proxied: bool = True):
        self.proxied = proxied
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self.token = token

    def request(self, method, path, body=None, headers=None, content_type=None):
        headers = {"Host": self.host, **(headers or {})}
        if self.proxied:  # as nginx sends it (deploy/nginx/talent-portal.conf)
            headers |= {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": "203.0.113.7",
                "Referer": f"https://{self.host}/",
            }
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if content_type:
            headers["Content-Type"] = content_type
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        conn.close()
        response.body = data
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def json(self, method, path, payload=None, **headers):
        response = self.request(method, path, json.dumps(payload or {}).encode(), headers, "application/json")
        return response.status, (json.loads(response.body) if response.body else None)

    def form(self, path, fields: dict):
        from urllib.parse import urlencode

        fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self.request(
            "POST", path, urlencode(fields).encode(), None, "application/x-www-form-urlencoded"
        )

    def upload(self, path, fields: dict, filename: str, content: bytes):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        response = self.request(
            "POST", path, b"".join(parts), None, f"multipart/form-data; boundary={boundary}"
        )
        return response.status, json.loads(response.body)


# --- the processes --------------------------------------------------------------------------
class Processes:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.running: list[tuple[str, subprocess.Popen, Path]] = []

    def start(self, name, command, env):
        log = self.tmp / f"{name}.log"
        process = subprocess.Popen(  # noqa: S603 - the units' own command lines
            command,
            cwd=BASE,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running.append((name, process, log))
        return process

    def log(self, name) -> str:
        return next(log for n, _p, log in self.running if n == name).read_text(errors="replace")

    def stop(self):
        for _name, process, _log in reversed(self.running):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process, _log in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


@pytest.fixture
def stack(tmp_path):
    redis_binary = subprocess.run(["which", "redis-server"], capture_output=True, text=True).stdout.strip()  # noqa: S607
    if not redis_binary:
        pytest.skip("redis-server is not installed")
    redis = RedisServer(redis_binary)
    redis.start()
    smtp = SmtpSink().start()
    port = free_port()
    state = tmp_path / "state"
    state.mkdir()
    env = {
        **{
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PYTEST", "DATABASE_"))
        },
        **production_check_env(),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": redis.url,
        "CACHE_URL": redis.url.rsplit("/", 1)[0] + "/1",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "METRICS_DIR": str(state / "metrics"),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "STATE_DIRECTORY": str(state),
        "PATH": f"{BASE / '.venv' / 'bin'}:{os.environ.get('PATH', '')}",
    }
    subprocess.run(  # noqa: S603 - a release step
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=BASE, env=env, check=True
    )
    processes = Processes(tmp_path)
    try:
        processes.start("web", exec_start("talent-portal-web.service", env), env)
        processes.start("worker", exec_start("talent-portal-worker.service", env), env)
        processes.start("beat", exec_start("talent-portal-beat.service", env), env)
        client = Client(port)

        def ready():
            try:
                response = client.get("/healthz/ready")
            except OSError:
                return False
            return response.status == 200 and json.loads(response.body)["status"] == "ok"

        assert wait_for(ready, timeout=60, interval=0.2), processes.log("web")[-3000:]
        yield {"port": port, "smtp": smtp, "processes": processes, "state": state, "env": env}
    finally:
        processes.stop()
        smtp.stop()
        redis.stop()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def _mail_to(smtp, address, pattern):
    def found():
        for message in smtp.messages:
            if message["To"] and address in message["To"]:
                body = message.get_body(preferencelist=("plain",)).get_content()
                match = re.search(pattern, body)
                if match:
                    return match
        return None

    assert wait_for(lambda: found() is not None, timeout=30), [m["Subject"] for m in smtp.messages]
    return found()


def test_one_case_end_to_end_on_the_production_stack(stack):
    port, smtp, processes = stack["port"], stack["smtp"], stack["processes"]
    today = dt.date.today()
    organization = OrganizationFactory(verified=True, credit_standing="good")
    hr = UserFactory(member_of=organization)
    employee = UserFactory(email="ana.silva@example.com", preferred_language="en")
    officer = UserFactory(duties=["work_permit_officer"], preferred_language="en")
    officer.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    officer.save(update_fields=["password"])
    device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    hr_client = Client(port, api_token_create(actor=hr, name="HR", days=30, scope="read_write")[1])
    applicant = Client(port, api_token_create(actor=employee, name="me", days=30, scope="read_write")[1])

    # The employer starts the case; the worker e-mails the invitation through SMTP.
    status, started = hr_client.json(
        "POST",
        "/api/v1/applications/",
        {
            "organization_id": organization.pk,
            "business_type": "new_notice",
            "employee_email": employee.email,
            "employee_language": "en",
        },
        **{"Idempotency-Key": "start-1", "X-Request-ID": "e2e-start-0001"},
    )
    assert status == 201, started
    base = f"/api/v1/applications/{started['public_id']}/"
    status, body = hr_client.json(
        "PATCH",
        base + "employer-part/",
        {
            "version": started["version"],
            "data": {
                "post_title": "Data scientist",
                "duties": "Builds models.",
                "annual_salary_cny": 400000,
                "contract_start": str(today + dt.timedelta(days=30)),
                "contract_end": str(today + dt.timedelta(days=760)),
                "work_district": "pudong",
                "work_address": "世纪大道 8 号",
            },
        },
    )
    assert status == 200, body
    link = _mail_to(smtp, employee.email, r"https?://\S+/(\S+?)/?\s")
    token = link.group(0).strip().rstrip("/").rsplit("/", 1)[-1]
    assert applicant.json("POST", f"/api/v1/application-invitations/{token}/accept/")[0] == 200

    # The applicant's part and every document of the checklist, uploaded over HTTP.
    version = applicant.json("GET", base)[1]["version"]
    status, body = applicant.json(
        "PATCH",
        base + "applicant-part/",
        {
            "version": version,
            "data": {
                "surname": "SILVA",
                "given_names": "ANA",
                "nationality": "PRT",
                "date_of_birth": "1988-07-01",
                "sex": "F",
                "passport_number": "CB123456",
                "passport_expiry": str(today + dt.timedelta(days=2000)),
                "education": "master",
                "related_experience_years": 8,
                "months_in_china_per_year": 12,
                "hsk_level": 2,
                "extras": ["fortune_500"],
            },
        },
    )
    assert status == 200, body
    for kind in rules.required_documents(Application.objects.get(), on=today):
        client = hr_client if kind == "employment_contract" else applicant
        fields = {"kind": kind}
        if kind in rules.DATED_KINDS:
            fields |= {"issue_date": str(today - dt.timedelta(days=20)), "consent": "true"}
        status, body = client.upload(
            base + "documents/", fields, f"{kind}.bin", jpeg_bytes() if kind == "photo" else pdf_bytes(kind)
        )
        assert status == 201, (kind, body)
    status, body = hr_client.json(
        "POST", base + "declare/", {"version": hr_client.json("GET", base)[1]["version"]}
    )
    assert status == 200, body
    status, body = applicant.json(
        "POST", base + "submit/", {"version": body["version"]}, **{"Idempotency-Key": "s-1"}
    )
    assert status == 200 and body["state"] == "submitted", body

    # The officer signs in through the real forms, with the second factor, and decides the case.
    desk = Client(port)
    assert desk.get("/en/accounts/sign-in/").status == 200
    response = desk.form("/en/accounts/sign-in/", {"email": officer.email, "password": PASSWORD})
    assert response.status == 302 and "two-factor" in response.getheader("Location"), response.body[:500]
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = desk.form("/en/accounts/sign-in/two-factor/", {"code": code})
    assert response.status == 302, response.body[:500]
    detail = desk.json("GET", base)[1]
    assert detail["checklist"], detail
    for row in detail["checklist"]:
        version_id = row["current"]["id"]
        status, body = desk.json("POST", base + f"documents/{version_id}/review/", {"status": "accepted"})
        assert status == 200, (row["kind"], body)
    for action in ("accept", "claim", "start-review"):
        status, body = desk.json(
            "POST", base + f"{action}/", {"version": desk.json("GET", base)[1]["version"]}
        )
        assert status == 200, (action, body)
    status, body = desk.json(
        "POST",
        base + "approve/",
        {"version": body["version"], "valid_until": str(today + dt.timedelta(days=700))},
    )
    assert status == 200 and body["state"] == "issued", body
    _mail_to(smtp, employee.email, r"(?i)permit")

    # What operations see: the case in the metrics, JSON logs, the request id in the worker.
    # Prometheus scrapes the web process directly, from an allowed network (127.0.0.1 here).
    metrics = Client(port, proxied=False).get("/metrics").body.decode()
    assert 'portal_cases{state="issued"} 1' in metrics
    assert re.search(
        r'portal_http_requests_total\{method="POST",status="201",view="api:application-documents"\} \d',
        metrics,
    )
    assert "portal_celery_task_duration_seconds_count{" in metrics  # from the worker's processes
    public = Client(port)
    assert public.get("/metrics").status == 404  # through the proxy: never public
    web_lines = [json.loads(line) for line in processes.log("web").splitlines() if line.startswith("{")]
    assert any(line.get("request_id") == "e2e-start-0001" for line in web_lines)
    worker_lines = [json.loads(line) for line in processes.log("worker").splitlines() if line.startswith("{")]
    assert any(
        line["message"] == "notification_delivery" and line["request_id"] == "e2e-start-0001"
        for line in worker_lines
    ), processes.log("worker")[-3000:]
    assert all({"time", "level", "logger", "message", "request_id"} <= set(line) for line in worker_lines)
    # Static files from WhiteNoise (hashed names, long cache); health over HTTPS semantics.
    page = Client(port).get("/en/").body.decode()
    css = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    static = Client(port).get(css)
    assert static.status == 200 and "max-age" in static.getheader("Cache-Control")
