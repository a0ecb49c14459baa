"""Prometheus metrics without a dependency: counters and histograms, the text exposition format.

Events counted as they happen (requests, latencies, Celery task durations) live in a per-process
registry. Several processes (gunicorn workers, Celery pool processes) each write their samples to
``METRICS_DIR/<pid>.json`` (at most once a second, and at exit); a scrape adds up the files of
every process, so counters never go back when one process answers the scrape. Without
``METRICS_DIR`` a scrape sees only the process that answers it (fine for ``runserver`` and
tasks run in process). Gauges (cases by state, the notification backlog) are computed at scrape
time by collectors that higher floors register with ``register_collector``.
"""

import atexit
import json
import logging
import os
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
FLUSH_SECONDS = 1.0

# name → (type, help)
_FAMILIES: dict[str, tuple[str, str]] = {
    "portal_http_requests_total": ("counter", "HTTP requests answered, by view name, method and status."),
    "portal_http_request_duration_seconds": ("histogram", "Time to answer an HTTP request, by view name."),
    "portal_celery_task_duration_seconds": ("histogram", "Time a Celery task ran, by task name and outcome."),
}


def _key(name: str, labels: dict) -> str:
    return json.dumps([name, sorted(labels.items())], ensure_ascii=False)


class Registry:
    """Additive samples only (counter values, histogram buckets, sums and counts)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples: dict[str, float] = defaultdict(float)
        self._last_flush = 0.0
        self._timer: threading.Timer | None = None

    def inc(self, name: str, labels: dict, amount: float = 1.0) -> None:
        with self.lock:
            self.samples[_key(name, labels)] += amount
        self._maybe_flush()

    def observe(self, name: str, labels: dict, value: float) -> None:
        with self.lock:
            for bound in BUCKETS:
                if value <= bound:
                    self.samples[_key(f"{name}_bucket", {**labels, "le": _bound(bound)})] += 1
            self.samples[_key(f"{name}_bucket", {**labels, "le": "+Inf"})] += 1
            self.samples[_key(f"{name}_sum", labels)] += value
            self.samples[_key(f"{name}_count", labels)] += 1
        self._maybe_flush()

    def snapshot(self) -> dict[str, float]:
        with self.lock:
            return dict(self.samples)

    def reset(self) -> None:
        with self.lock:
            self.samples.clear()

    # --- several processes ------------------------------------------------------------------
    def _maybe_flush(self) -> None:
        if not metrics_dir():
            return
        now = time.monotonic()
        if now - self._last_flush >= FLUSH_SECONDS:
            self.flush()
        elif self._timer is None:
            # Flush the tail of a burst a moment later, from a daemon thread.
            self._timer = threading.Timer(FLUSH_SECONDS, self.flush)
            self._timer.daemon = True
            self._timer.start()

    def flush(self) -> None:
        directory = metrics_dir()
        self._timer = None
        if not directory:
            return
        self._last_flush = time.monotonic()
        data = self.snapshot()
        try:
            directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
            with os.fdopen(handle, "w") as file:
                json.dump(data, file)
            os.replace(temporary, directory / f"{os.getpid()}.json")
        except OSError as error:
            logger.warning("metrics_flush_failed", extra={"error": type(error).__name__})


def _bound(value: float) -> str:
    return repr(float(value))


REGISTRY = Registry()
atexit.register(REGISTRY.flush)


def metrics_dir() -> Path | None:
    value = getattr(settings, "METRICS_DIR", "")
    return Path(value) if value else None


def collected_samples() -> dict[str, float]:
    """This process's samples, plus every other process's last flushed file (with METRICS_DIR)."""
    directory = metrics_dir()
    if not directory:
        return REGISTRY.snapshot()
    REGISTRY.flush()
    total: dict[str, float] = defaultdict(float)
    for path in directory.glob("*.json"):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue  # being replaced right now: the next scrape reads it
        for key, value in data.items():
            total[key] += value
    return total


# --- scrape-time collectors -----------------------------------------------------------------
# Each returns a list of (name, type, help, [(labels, value), ...]).
_COLLECTORS: list = []


def register_collector(collector) -> None:
    if collector not in _COLLECTORS:
        _COLLECTORS.append(collector)


def _escape(value: str) -> str:
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(labels) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{name}="{_escape(value)}"' for name, value in labels) + "}"


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def exposition() -> str:
    """The Prometheus text format (version 0.0.4) of every metric."""
    families: dict[str, list[str]] = defaultdict(list)
    for key, value in sorted(collected_samples().items()):
        name, labels = json.loads(key)
        family = name
        for suffix in ("_bucket", "_sum", "_count"):
            if name.endswith(suffix) and name[: -len(suffix)] in _FAMILIES:
                family = name[: -len(suffix)]
        families[family].append(f"{name}{_labels(labels)} {_number(value)}")
    lines = []
    for family, (kind, help_text) in _FAMILIES.items():
        lines += [f"# HELP {family} {help_text}", f"# TYPE {family} {kind}", *families.get(family, [])]
    for collector in _COLLECTORS:
        for name, kind, help_text, samples in collector():
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
            lines += [
                f"{name}{_labels(sorted(labels.items()))} {_number(value)}" for labels, value in samples
            ]
    return "\n".join(lines) + "\n"


# --- what is counted ------------------------------------------------------------------------
class RequestMetricsMiddleware:
    """Counts every answer by view name (not path: bounded labels), method and status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or match._func_path) if match is not None else "unresolved"
        REGISTRY.inc(
            "portal_http_requests_total",
            {
                "view": view,
                "method": request.method if request.method in _METHODS else "other",
                "status": str(response.status_code),
            },
        )
        REGISTRY.observe("portal_http_request_duration_seconds", {"view": view}, elapsed)
        return response


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

_task_started: dict[str, float] = {}


def connect_task_signals() -> None:
    """Task durations from Celery's signals (called by ``talent_portal.celery``)."""
    from celery.signals import task_postrun, task_prerun

    @task_prerun.connect(weak=False, dispatch_uid="portal_metrics_prerun")
    def _started(task_id=None, **kwargs):
        _task_started[task_id] = time.perf_counter()

    @task_postrun.connect(weak=False, dispatch_uid="portal_metrics_postrun")
    def _finished(task_id=None, task=None, state=None, **kwargs):
        started = _task_started.pop(task_id, None)
        if started is None:
            return
        REGISTRY.observe(
            "portal_celery_task_duration_seconds",
            {"task": getattr(task, "name", "unknown"), "state": state or "unknown"},
            time.perf_counter() - started,
        )
