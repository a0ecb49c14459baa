"""Choices of the case: business types, routes, states and their named groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from services.classification.models import Education, TalentClass

# Re-exported: the class and education of a case are the classification app's choices.
__all__ = ["Education", "TalentClass"]


class BusinessType(models.TextChoices):
    NEW_NOTICE = "new_notice", _("New permit: notice before entry (applicant abroad)")
    NEW_CARD = "new_card", _("New permit: card after entry on a notice")
    NEW_IN_COUNTRY = "new_in_country", _("New permit: applicant already in China")
    EXTENSION = "extension", _("Extension")
    CHANGE = "change", _("Change of details")
    CANCELLATION = "cancellation", _("Cancellation")
    REISSUE = "reissue", _("Re-issue of a lost or damaged card")


NEW_PERMIT_TYPES = frozenset({BusinessType.NEW_NOTICE, BusinessType.NEW_CARD, BusinessType.NEW_IN_COUNTRY})
# These start from an issued permit and carry its data forward.
FOLLOW_UP_TYPES = frozenset(
    {BusinessType.EXTENSION, BusinessType.CHANGE, BusinessType.CANCELLATION, BusinessType.REISSUE}
)


class Route(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary employment")
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur sponsored by an incubator or park")
    DELTA_RECOGNITION = "delta_recognition", _("Yangtze River Delta demonstration zone recognition")


class State(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("case state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("case state", "Submitted")
    RETURNED = "returned", pgettext_lazy("case state", "Returned for correction")
    ACCEPTED = "accepted", pgettext_lazy("case state", "Accepted")
    UNDER_REVIEW = "under_review", pgettext_lazy("case state", "Under review")
    AWAITING_DOCUMENTS = "awaiting_documents", pgettext_lazy("case state", "Waiting for documents")
    APPROVED = "approved", pgettext_lazy("case state", "Approved")
    ISSUED = "issued", pgettext_lazy("case state", "Issued")
    REFUSED = "refused", pgettext_lazy("case state", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("case state", "Withdrawn")
    CLOSED = "closed", pgettext_lazy("case state", "Closed")


# Named groups of states.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
OPEN_STATES = frozenset(
    {
        State.SUBMITTED,
        State.RETURNED,
        State.ACCEPTED,
        State.UNDER_REVIEW,
        State.AWAITING_DOCUMENTS,
        State.APPROVED,
    }
)
UNDECIDED_STATES = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.RETURNED,
        State.ACCEPTED,
        State.UNDER_REVIEW,
        State.AWAITING_DOCUMENTS,
    }
)
FINAL_STATES = frozenset({State.ISSUED, State.REFUSED, State.WITHDRAWN, State.CLOSED})


class SponsorshipStatus(models.TextChoices):
    """Whether the employer stands behind the application (it started it, or confirmed it)."""

    PENDING = "pending", _("Waiting for the employer's confirmation")
    CONFIRMED = "confirmed", _("Confirmed by the employer")
    DECLINED = "declined", _("Declined by the employer")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNSPECIFIED = "X", _("Unspecified (X)")


class DeclarationKind(models.TextChoices):
    DECLARATION = "declaration", _("Declaration that the filed information is true")
    PLEDGE = "pledge", _("Commitment pledge (no-meeting approval)")


class ChangeKind(models.TextChoices):
    NAME = "name", _("Name")
    PASSPORT = "passport", _("Passport")
    POSITION = "position", _("Position")
    EMPLOYER_DETAILS = "employer_details", _("Employer's name or address")


class DeltaOrigin(models.TextChoices):
    WUJIANG = "wujiang", _("Wujiang (Jiangsu)")
    JIASHAN = "jiashan", _("Jiashan (Zhejiang)")
