"""The outbox port: how rooms below ``services`` write a notification without importing it.

``accounts`` sits on a lower floor than ``services.notifications`` and must not import it, yet
some of its actions notify people (an organisation verified, an HR invitation). They call
``notify(...)`` here, inside their transaction; the notifications app registers the handler
(its ``notification_create``) when Django starts, in its ``AppConfig.ready``. Without a
registered handler ``notify`` raises: a message is never dropped silently.
"""

from collections.abc import Callable

_handler: Callable | None = None


class OutboxNotConfigured(RuntimeError):
    """No outbox handler is registered (is ``services.notifications`` installed?)."""


def register(handler: Callable) -> None:
    """Install the function that writes outbox rows (called once, at startup)."""
    global _handler  # noqa: PLW0603 - the port holds one handler for the process
    _handler = handler


def notify(**kwargs):
    """Write one notification row (the keyword arguments of ``notification_create``)."""
    if _handler is None:
        raise OutboxNotConfigured("No outbox handler is registered: install services.notifications.")
    return _handler(**kwargs)
