"""A local SMTP sink for tests and the benchmark: aiosmtpd on a free port, in a thread.

It records every accepted message, can refuse the next messages with a temporary error, and can
hold a client at MAIL FROM (before anything is accepted) until released — to kill a worker
while its task is blocked before sending.
"""

import asyncio
import email
import email.policy
import socket
import threading
import time

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.sink.mail_from_seen.set()
        if not self.sink.release.is_set():
            await asyncio.get_running_loop().run_in_executor(None, self.sink.release.wait, 30)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.sink.lock:
            if self.sink.refuse_next > 0:
                self.sink.refuse_next -= 1
                self.sink.refused += 1
                return "451 4.3.0 Try again later"
            self.sink.messages.append(
                email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            )
            self.sink.accepted_at.append(time.monotonic())
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self):
        self.port = free_port()
        self.messages = []
        self.accepted_at = []
        self.refuse_next = 0
        self.refused = 0
        self.lock = threading.Lock()
        self.mail_from_seen = threading.Event()
        self.release = threading.Event()
        self.release.set()
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> "SmtpSink":
        self._controller.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self._controller.stop()

    def hold(self) -> None:
        """Keep the next clients waiting at MAIL FROM until ``release.set()``."""
        self.mail_from_seen.clear()
        self.release.clear()

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def settings(self) -> dict:
        """Django e-mail settings that deliver here."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 10,
        }
