"""The example files in deploy/ are consistent with the portal (the production-run test starts them)."""

import runpy
import shlex
from pathlib import Path

from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"


def _exec_start(unit: str) -> list[str]:
    text = (DEPLOY / "systemd" / unit).read_text()
    (line,) = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart="))


def test_the_units_run_gunicorn_with_the_config_file_a_worker_and_beat():
    web = _exec_start("talent-portal-web.service")
    assert web[0].endswith("/.venv/bin/gunicorn") and web[1:] == [
        "--config",
        "/opt/talent-portal/deploy/gunicorn.conf.py",
    ]
    worker = _exec_start("talent-portal-worker.service")
    assert worker[1:4] == ["-A", "talent_portal", "worker"]
    beat = _exec_start("talent-portal-beat.service")
    assert beat[1:4] == ["-A", "talent_portal", "beat"] and "--schedule" in beat
    for unit in ("web", "worker", "beat"):
        text = (DEPLOY / "systemd" / f"talent-portal-{unit}.service").read_text()
        assert "EnvironmentFile=/etc/talent-portal/portal.env" in text
        assert "User=talent-portal" in text


def test_the_gunicorn_config_serves_the_wsgi_app_behind_the_local_proxy(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["wsgi_app"] == "talent_portal.wsgi:application"
    assert config["workers"] == 3
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert '"request_id": "%({x-request-id}o)s"' in config["access_log_format"]


def test_gunicorn_forgets_the_metric_files_of_dead_processes(monkeypatch, tmp_path):
    import os

    monkeypatch.setenv("METRICS_DIR", str(tmp_path))
    (tmp_path / f"{os.getpid()}.json").write_text("{}")
    (tmp_path / "999999999.json").write_text("{}")
    runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["on_starting"](None)
    assert sorted(path.name for path in tmp_path.iterdir()) == [f"{os.getpid()}.json"]


def test_the_proxy_passes_scheme_address_and_request_id_and_hides_metrics():
    conf = (DEPLOY / "nginx" / "talent-portal.conf").read_text()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_set_header X-Request-ID $request_id;" in conf
    assert "location = /metrics { return 404; }" in conf


def test_the_example_environment_names_only_documented_variables():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    names = [
        line.split("=", 1)[0]
        for line in (DEPLOY / "portal.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    undocumented = [name for name in names if f"`{name}`" not in readme]
    assert not undocumented
