"""The privacy notice: its version, and how long the portal keeps what (shown on the notice).

Change ``PRIVACY_NOTICE_VERSION`` whenever the text of ``templates/accounts/privacy_notice.html``
changes in substance: consents record the version the person agreed to.
"""

from django.conf import settings

PRIVACY_NOTICE_VERSION = "2026-03"

# Where people write about their personal data (the commission's personal-information contact).
PRIVACY_CONTACT_EMAIL = "privacy@talent.example.cn"


def retention_days() -> dict:
    """The retention periods the notice states, read from the settings that the purge applies."""
    return {
        "draft_days": settings.RETENTION_ABANDONED_DRAFT_DAYS,
        "closed_case_days": settings.RETENTION_CLOSED_CASE_DAYS,
        "closed_case_years": round(settings.RETENTION_CLOSED_CASE_DAYS / 365),
    }
