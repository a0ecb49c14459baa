"""Domain errors: what an action raises when it refuses. Views and the API map them to answers.

Each error carries a stable machine ``code`` and a translated message. The HTTP status follows
STYLE.md: not allowed now → 409, not yours → 403 (or 404 when existence itself is private),
bad input → 400.
"""

from django.utils.translation import gettext_lazy as _

from .tracing import note_denial


class DomainError(Exception):
    """Base of every refusal raised by an action."""

    status_code = 400
    default_code = "invalid"
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, code=None, fields=None):
        self.message = message if message is not None else self.default_message
        self.code = code or self.default_code
        self.fields = fields or {}
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    """The input is wrong; ``fields`` names what, field by field."""

    status_code = 400
    default_code = "invalid"
    default_message = _("Some of the information given is not valid.")


class NotAllowed(DomainError):
    """The action is not allowed in the current state of the object."""

    status_code = 409
    default_code = "not_allowed"
    default_message = _("This action is not allowed at this stage.")


class ConditionsNotMet(NotAllowed):
    """The conditions of a step are not met: every problem at once.

    ``fields["problems"]`` keeps the messages (as before); ``findings`` gives each one as a dict
    with its ``code``, ``message``, ``severity`` and ``concerns`` — the API answers with both.
    """

    default_code = "conditions_not_met"

    def __init__(self, problems, *, findings=()):
        problems = list(problems)
        super().__init__(" ".join(str(problem) for problem in problems), fields={"problems": problems})
        self.findings = list(findings)


class StaleVersion(NotAllowed):
    """Someone else changed the object since the actor loaded it."""

    default_code = "conflict"
    default_message = _(
        "Someone else changed this record after you opened it. Reload the page and try again."
    )


class Forbidden(DomainError):
    """The actor has no right to do this."""

    status_code = 403
    default_code = "permission_denied"
    default_message = _("You do not have permission to do this.")

    def __init__(self, message=None, *, code=None, fields=None):
        super().__init__(message, code=code, fields=fields)
        # A page may turn the refusal into a message; the audit trail still records the denial.
        note_denial(self.code)


class NotFound(DomainError):
    """The object does not exist, or its existence is private to the actor."""

    status_code = 404
    default_code = "not_found"
    default_message = _("Not found.")


class TooManyAttempts(DomainError):
    """Too many wrong guesses in a short time (a number with a date of birth, say)."""

    status_code = 429
    default_code = "throttled"
    default_message = _("Too many attempts. Please try again in an hour.")
