"""Account-security e-mails (e-mail verification and e-mail change).

These carry one-time links and are sent directly after commit instead of through the
notification outbox, so that no usable link is ever stored in the database.
Templates are triplets: ``templates/emails/<name>.subject.txt``, ``.txt`` and ``.html``.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def render_email(name: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render the subject, text and HTML of an e-mail template in ``language``."""
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, "language": language, **context}
        subject = render_to_string(f"emails/{name}.subject.txt", context).strip()
        subject = " ".join(subject.split())
        text = render_to_string(f"emails/{name}.txt", context)
        html = render_to_string(f"emails/{name}.html", context)
    return subject, text, html


def send_email_on_commit(*, name: str, to: str, context: dict, language: str) -> None:
    """Render now (in the caller's transaction) and send once the transaction commits."""
    subject, text, html = render_email(name, context, language)

    def send():
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
        message.attach_alternative(html, "text/html")
        try:
            message.send()
        except OSError:
            logger.exception("account_email_failed", extra={"template": name})

    transaction.on_commit(send)
