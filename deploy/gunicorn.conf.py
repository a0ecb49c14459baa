"""gunicorn configuration of the portal's web processes (``gunicorn -c deploy/gunicorn.conf.py``).

Every knob can be overridden from the environment (the systemd unit reads
``/etc/talent-portal/portal.env``). Behind a reverse proxy that terminates TLS and sends
``X-Forwarded-Proto`` and ``X-Forwarded-For`` (deploy/nginx/talent-portal.conf).
"""

import json
import multiprocessing
import os
from pathlib import Path

wsgi_app = "talent_portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Mostly waiting for PostgreSQL: (2 × CPUs) + 1 synchronous workers is the usual start.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# A release (SIGHUP or a restart) lets requests in flight finish this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then (memory), not all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Uploads arrive through the proxy, which buffers them: no slow-client protection needed here.
# Only the local proxy may set the scheme and address headers gunicorn trusts.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else None)  # noqa: S108 - heartbeat files in RAM, as gunicorn advises

# Logs on standard error (journald): the access log as JSON lines, like the application's logs.
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1" else None
access_log_format = json.dumps(
    {
        "time": "%(t)s",
        "level": "INFO",
        "logger": "gunicorn.access",
        "message": "%(m)s %(U)s %(s)s",
        "request_id": "%({x-request-id}o)s",
        "status": "%(s)s",
        "duration_ms": "%(M)s",
        "bytes": "%(B)s",
    }
)


def on_starting(server):
    """Forget the metric files of processes that no longer run (see METRICS_DIR)."""
    directory = os.environ.get("METRICS_DIR")
    if not directory:
        return
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for file in path.glob("*.json"):
        try:
            os.kill(int(file.stem), 0)
        except (ValueError, ProcessLookupError):
            file.unlink(missing_ok=True)
        except PermissionError:
            pass
