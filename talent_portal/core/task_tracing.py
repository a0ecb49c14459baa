"""The request id follows a request into the Celery tasks it causes.

``before_task_publish`` puts the id of the request being answered into the message headers
(``portal_request_id``); in the worker, ``task_prerun`` restores it into the tracing context for
the duration of the task and ``task_postrun`` removes it again, so every log line a task writes
(and every audit event it records) carries the same ``request_id`` as the request. A task
published outside a request (beat, a shell) runs under ``task-<task id>``.

Tasks run eagerly in the web process (no broker) already see the request's context: it is kept.
Connected when ``talent_portal.celery`` is imported (web and worker processes alike).
"""

from celery.signals import before_task_publish, task_postrun, task_prerun

from . import tracing

HEADER = "portal_request_id"

# task id → the token that resets the context (prefork and solo pools run one task per thread).
_tokens: dict[str, object] = {}


@before_task_publish.connect(weak=False, dispatch_uid="portal_request_id_publish")
def _put_request_id(sender=None, headers=None, **kwargs):
    request_id = tracing.current_request_id()
    if request_id and headers is not None:
        headers.setdefault(HEADER, request_id)


def _incoming_request_id(task) -> str:
    request = task.request
    value = getattr(request, HEADER, None)
    if not value:
        value = (getattr(request, "headers", None) or {}).get(HEADER)
    return value or ""


@task_prerun.connect(weak=False, dispatch_uid="portal_request_id_prerun")
def _restore_request_id(task_id=None, task=None, **kwargs):
    if tracing.current() is not None:
        return  # eager: the request's own context
    request_id = tracing.sane_request_id(_incoming_request_id(task) or f"task-{task_id}")
    _tokens[task_id] = tracing._current.set(tracing.RequestContext(request_id=request_id))


@task_postrun.connect(weak=False, dispatch_uid="portal_request_id_postrun")
def _forget_request_id(task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        try:
            tracing._current.reset(token)
        except ValueError:  # set in another context (should not happen): clear instead
            tracing._current.set(None)
