"""Security headers and the Content-Security-Policy on every kind of answer, in production settings.

Also scans every template: no inline script, style or event handler (the CSP would block them),
a CSRF token in every POST form, and nothing loaded from another origin.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from django.urls import path, reverse

from talent_portal.urls import urlpatterns as _root_urlpatterns
from tests.factories import UserFactory

BASE_DIR = Path(settings.BASE_DIR)

# The Makefile's PRODUCTION_CHECK_ENV: production mode with every required secret set.
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "check-deploy-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
    "DJANGO_ALLOWED_HOSTS": "talent.example.cn",
    "FIELD_ENCRYPTION_KEYS": "uW2nFXJ0p7bW8WJ1tq1m6rPjJ6t6o5m7qX9y2Qe3r5w=",
    "FIELD_DIGEST_KEY": "check-deploy-only",
    # A shared cache (check --deploy warns about a process-local one, core.W001); never connected here.
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}

# The settings a production process computes from that environment, read in a subprocess.
PRODUCTION_KEYS = (
    "DEBUG",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
)


def _production_process(*args):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(PRODUCTION_ENV)
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=BASE_DIR,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def production_settings():
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{key: getattr(settings, key) for key in {PRODUCTION_KEYS!r}}}))"
    )
    result = _production_process("shell", "-v", "0", "-c", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_deployment_check_is_clean_in_production_settings():
    result = _production_process("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_turn_every_protection_on(production_settings):
    assert production_settings == {
        "DEBUG": False,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
    }


# --- Answers in production settings ------------------------------------------------------------


def _boom(request):
    raise RuntimeError("a bug")


# This module doubles as a URL configuration: the portal's URLs plus one that fails.
urlpatterns = [*_root_urlpatterns, path("boom/", _boom)]
handler404 = "talent_portal.core.views.page_not_found"
handler403 = "talent_portal.core.views.permission_denied"
handler500 = "talent_portal.core.views.server_error"


@pytest.fixture
def production(production_settings, settings):
    """This process, with the security settings a production process has."""
    for key, value in production_settings.items():
        if key != "DEBUG":
            setattr(settings, key, value)
    settings.ALLOWED_HOSTS = ["talent.example.cn", "testserver"]
    return production_settings


def _directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response.get('Content-Type')}"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_strict_csp(response):
    directives = _directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    for name in ("script-src", "style-src", "default-src"):
        values = directives.get(name, [])
        assert "'unsafe-inline'" not in values, name
        assert "'unsafe-eval'" not in values, name
        assert "*" not in values, name
        assert not any(value.startswith(("http:", "https:")) for value in values), name


def assert_security_headers(response):
    assert_strict_csp(response)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Request-ID"]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_every_kind_of_answer_carries_the_headers(production, admin_user, tmp_path):
    client = Client(raise_request_exception=False, HTTP_HOST="talent.example.cn")
    answers = {
        "page": client.get("/en/", secure=True),
        "not found": client.get("/en/no-such-page/", secure=True),
        "server error": client.get("/boom/", secure=True),
        "api json": client.get("/api/v1/me/", secure=True),
        "health json": client.get("/healthz", secure=True),
        "schema": client.get("/api/schema/", secure=True),
        "api docs": client.get("/api/docs/", secure=True),
        "api docs script": client.get("/api/docs/?script=", secure=True),
    }
    csrf_client = Client(enforce_csrf_checks=True, HTTP_HOST="talent.example.cn")
    answers["csrf failure"] = csrf_client.post("/i18n/setlang/", {"language": "en"}, secure=True)
    staff = Client(HTTP_HOST="talent.example.cn")
    staff.force_login(admin_user)
    answers["admin"] = staff.get("/en/admin/", secure=True)
    answers["admin list"] = staff.get("/en/admin/accounts/user/", secure=True)
    answers["download"] = staff.get(reverse("outreach:events_feed"), secure=True)

    expected_status = {
        "not found": 404,
        "server error": 500,
        "api json": 401,
        "csrf failure": 403,
    }
    for name, response in answers.items():
        assert response.status_code == expected_status.get(name, 200), (name, response.status_code)
        assert_security_headers(response)
    assert answers["api docs script"]["Content-Type"].startswith("application/javascript")


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(production):
    response = Client(HTTP_HOST="talent.example.cn").get("/en/")
    assert response.status_code == 301
    assert response["Location"] == "https://talent.example.cn/en/"


@pytest.mark.django_db
def test_cookies_are_secure_and_the_session_cookie_is_http_only(production):
    client = Client(HTTP_HOST="talent.example.cn")
    login_page = client.get(reverse("accounts:login"), secure=True)
    assert login_page.status_code == 200
    csrf_cookie = login_page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["secure"] is True
    assert csrf_cookie["samesite"] == "Lax"
    person = UserFactory()
    signed_in = client.post(
        reverse("accounts:login"), {"email": person.email, "password": "Correct-Horse-42"}, secure=True
    )
    assert signed_in.status_code == 302
    session_cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"


# --- Every mode: the CSP is the same in development -------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@override_settings(DEBUG=True)
def test_the_csp_is_strict_in_development_too():
    client = Client(raise_request_exception=False)
    answers = {
        "page": client.get("/en/"),
        # Django's debug pages, which django-csp alone would leave without a policy.
        "debug not found": client.get("/en/no-such-page/"),
        "debug server error": client.get("/boom/"),
    }
    assert [response.status_code for response in answers.values()] == [200, 404, 500]
    for response in answers.values():
        assert_strict_csp(response)


# --- Templates ---------------------------------------------------------------------------------

# E-mails are read in mail programs, which need inline styles and never see our CSP.
NOT_SERVED_BY_THE_WEB = ("emails/",)


def _template_dirs() -> list[Path]:
    dirs = [Path(directory) for directory in settings.TEMPLATES[0]["DIRS"]]
    for package in ("talent_portal", "permits", "services"):
        dirs.extend(path for path in (BASE_DIR / package).rglob("templates") if path.is_dir())
    return dirs


def _templates() -> list[tuple[str, str]]:
    found = []
    for directory in _template_dirs():
        for file in sorted(directory.rglob("*.html")):
            name = file.relative_to(directory).as_posix()
            if name.startswith(NOT_SERVED_BY_THE_WEB):
                continue
            found.append((name, file.read_text(encoding="utf-8")))
    return found


TEMPLATES = _templates()

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=[\"']application/json)[^>]*>", re.I)
INLINE_STYLE_BLOCK = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"javascript:", re.I)
# src/href/action/srcset/poster attributes of any tag but <a>: what the browser loads or posts to.
LOADED = re.compile(
    r"<(?!a\b)([a-z]+)\b[^>]*?\s(src|href|srcset|action|poster|data)\s*=\s*[\"']([^\"']*)", re.I
)
OTHER_ORIGIN = re.compile(r"^\s*(https?:|//|\\\\)", re.I)


def inline_code_problems(html: str) -> list[str]:
    problems = []
    for label, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("<style> block", INLINE_STYLE_BLOCK),
        ("style= attribute", STYLE_ATTRIBUTE),
        ("on…= handler", EVENT_HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
    ):
        problems.extend(f"{label}: {match.group(0)[:80]!r}" for match in pattern.finditer(html))
    return problems


def other_origin_problems(html: str) -> list[str]:
    return [
        f"<{tag} {attribute}={value!r}>"
        for tag, attribute, value in LOADED.findall(html)
        if OTHER_ORIGIN.match(value)
    ]


def test_the_scan_finds_what_it_looks_for():
    bad = (
        '<script>alert(1)</script><p style="color:red" onclick="x()"><style>p{}</style>'
        '<script src="https://cdn.example.com/x.js"></script><link href="//fonts.example.com/f.css">'
        '<img src="http://example.com/i.png"><a href="https://example.com/">fine</a>'
    )
    assert len(inline_code_problems(bad)) == 4
    assert len(other_origin_problems(bad)) == 3
    good = '<script src="/static/x.js"></script><script type="application/json">{}</script>'
    assert inline_code_problems(good) == []
    assert other_origin_problems(good) == []
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize(("name", "source"), TEMPLATES, ids=[name for name, _ in TEMPLATES])
def test_no_template_has_inline_code_or_loads_from_another_origin(name, source):
    assert inline_code_problems(source) == []
    assert other_origin_problems(source) == []


FORM = re.compile(r"<form\b[^>]*>", re.I)
POST = re.compile(r"method\s*=\s*[\"']?post", re.I)


def post_forms_without_token(source: str) -> list[str]:
    missing = []
    for match in FORM.finditer(source):
        if not POST.search(match.group(0)):
            continue
        end = source.find("</form>", match.end())
        body = source[match.end() : end if end != -1 else len(source)]
        if "{% csrf_token %}" not in body:
            missing.append(match.group(0))
    return missing


def test_the_form_scan_finds_a_post_form_without_a_token():
    assert post_forms_without_token('<form method="post"><button>Go</button></form>') == [
        '<form method="post">'
    ]
    assert (
        post_forms_without_token('<form method="get"></form><form method="POST">{% csrf_token %}</form>')
        == []
    )


@pytest.mark.parametrize(("name", "source"), TEMPLATES, ids=[name for name, _ in TEMPLATES])
def test_every_post_form_has_a_csrf_token(name, source):
    assert post_forms_without_token(source) == []


# --- Rendered pages: the admin and the API documentation ---------------------------------------


def _admin_pages():
    pages = ["/en/admin/", "/en/admin/password_change/"]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(f"/en/admin/{info[0]}/{info[1]}/")
        if model_admin.has_add_permission(_SuperRequest()):
            pages.append(f"/en/admin/{info[0]}/{info[1]}/add/")
    return pages


class _SuperRequest:
    class user:  # noqa: N801 - a stand-in for a superuser on a request
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(*args, **kwargs):
            return True


@pytest.mark.django_db
def test_the_admin_pages_have_no_inline_code_and_load_nothing_from_elsewhere(admin_client):
    problems = {}
    for page in _admin_pages():
        response = admin_client.get(page)
        assert response.status_code == 200, page
        assert_strict_csp(response)
        html = response.content.decode()
        found = inline_code_problems(html) + other_origin_problems(html)
        if found:
            problems[page] = found
    assert problems == {}


@pytest.mark.django_db
def test_the_api_documentation_works_without_inline_code():
    client = Client()
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert inline_code_problems(html) == []
    assert other_origin_problems(html) == []
    scripts = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html)
    # Swagger UI's bundle and preset from the sidecar, and the split view's own init script.
    assert any("swagger-ui-bundle.js" in src for src in scripts)
    init = next(src for src in scripts if "script" in src.split("?", 1)[-1])
    script = client.get(init.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert '"validatorUrl": null' in script.content.decode()
    static_files = [src for src in scripts if "?" not in src]
    static_files += re.findall(r"<link\b[^>]*\bhref=\"([^\"]+)\"", html)
    assert len(static_files) >= 4  # two scripts, Swagger UI's style sheet and ours (+ the icon)
    for url in static_files:
        assert url.startswith(settings.STATIC_URL), url
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url
