"""The one door of every state change: ``application_transition``.

It locks the case row, checks the version the actor saw, checks that the step is declared for
the current state and for the actor's capacity, runs its guards, performs it, appends an
immutable ``Transition`` row, writes the notification rows and bumps the version — all in one
transaction.
"""

import logging
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from services.notifications.actions import notification_create
from talent_portal.accounts.models import Membership
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import (
    ConditionsNotMet,
    Forbidden,
    InvalidInput,
    NotAllowed,
    NotFound,
    StaleVersion,
)

from .. import deadlines, rules, workflow
from ..models import Application, Transition
from ..selectors import is_sponsor_member

logger = logging.getLogger(__name__)


def _today() -> date:
    return deadlines.today()


def _is_member(user, organization_id) -> bool:
    return Membership.objects.active().filter(user=user, organization_id=organization_id).exists()


def _parties(application, actor) -> frozenset:
    return workflow.parties_of(application, actor, is_sponsor_member=is_sponsor_member(actor, application))


def _lock(application, expected_version: int | None) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("organization", "applicant", "source_permit")
        .get(pk=application.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion()
    return locked


def _record(
    application, *, actor, party, action, from_state, reason_codes=(), comment="", internal=False, data=None
):
    return Transition.objects.create(
        application=application,
        actor=actor,
        actor_role=str(party),
        action=action,
        from_state=from_state,
        to_state=application.state,
        reason_codes=list(reason_codes),
        comment=comment,
        internal=internal,
        data=data or {},
    )


def _case_link(application) -> str:
    with translation.override(None):
        return reverse("permits:application", kwargs={"public_id": application.public_id}).replace("//", "/")


def _sponsor_contacts(application):
    return [
        membership.user
        for membership in Membership.objects.active()
        .filter(organization_id=application.organization_id)
        .select_related("user")
    ]


def notify_case(application, *, actor, kind: str, key: str, to_applicant=True, to_sponsor=True, extra=None):
    """Write the notification rows of a case event (plain values only in the context).

    ``extra`` is a dict, or a callable taking the recipient's language and returning one — for
    texts from translated catalogues (reasons, document labels), rendered per recipient.
    """
    base = {
        "reference": application.reference,
        "applicant_name": application.applicant_name,
        "organization": application.organization.display_name,
        "state": application.state,
    }
    recipients = []
    if to_applicant and application.applicant_id:
        recipients.append(application.applicant)
    if to_sponsor:
        recipients.extend(
            user for user in _sponsor_contacts(application) if user.pk != application.applicant_id
        )
    for recipient in recipients:
        added = extra(recipient.preferred_language) if callable(extra) else (extra or {})
        notification_create(
            actor=actor,
            kind=kind,
            context={**base, **added},
            recipient=recipient,
            dedupe_key=f"{kind}:{application.pk}:{key}:{recipient.pk}",
            link=_case_link(application),
        )


def ensure_may_fire(*, actor, application: Application, action: str) -> None:
    """Refuse, before looking at any input, someone who may never fire ``action`` on this case.

    ``application_transition`` checks again under the lock; this early check only makes sure a
    filer posting an officer's decision hears "not yours" (403), not a remark on its input.
    """
    parties = _parties(application, actor)
    if workflow.acting_party(workflow.step(action), parties) is None:
        if not parties:
            raise NotFound()
        raise Forbidden(_("You cannot do this on this case."))


def _findings(step, context, problems) -> list[dict]:
    """Each problem as a finding (code, message, severity, concerns): at submission the whole
    pre-check report; for other steps, one ``condition_not_met`` per problem."""
    from .. import precheck

    if rules.ready_to_submit in step.guards:
        found = precheck.submission_findings(context.application, problems, on=context.on)
    else:
        found = precheck.findings_of(problems)
    return [finding.as_dict() for finding in found]


def application_transition(
    *,
    actor,
    application: Application,
    action: str,
    expected_version: int | None,
    reason_codes=(),
    comment: str = "",
    payload: dict | None = None,
    effects=None,
    notify=None,
) -> Application:
    """Fire one declared step of the workflow on a case (see the module docstring)."""
    try:
        step = workflow.step(action)
    except KeyError:
        raise NotFound(_("Unknown action."), code="unknown_action") from None
    if step.needs_comment and not comment.strip():
        raise InvalidInput(fields={"comment": [_("Please write a comment for this step.")]})
    with transaction.atomic():
        case = _lock(application, expected_version)
        parties = _parties(case, actor)
        party = workflow.acting_party(step, parties)
        if party is None:
            # Someone with no part in the case learns nothing about it.
            if not parties:
                raise NotFound()
            raise Forbidden(_("You cannot do this on this case."))
        if case.state not in step.sources:
            raise NotAllowed(
                _("This cannot be done while the case is “%(state)s”.") % {"state": case.get_state_display()},
                code="invalid_transition",
            )
        context = rules.Context(
            application=case,
            actor=actor,
            parties=parties,
            on=_today(),
            payload={"reason_codes": list(reason_codes), **(payload or {})},
        )
        problems = [problem for guard in step.guards for problem in guard(context)]
        if problems:
            raise ConditionsNotMet(problems, findings=_findings(step, context, problems))
        from_state = case.state
        if step.target is not None:
            case.state = step.target
        if effects is not None:
            effects(case)
        case.version += 1
        case.save()
        transition = _record(
            case,
            actor=actor,
            party=party,
            action=action,
            from_state=from_state,
            reason_codes=reason_codes,
            comment=comment,
            internal=not step.public,
        )
        if notify is not None:
            notify(case, transition)
        audit_record(
            actor=actor,
            action=f"application_{action}",
            target=case,
            data={"from": from_state, "to": case.state},
        )
    logger.info("application_transition", extra={"action": action, "application": case.pk, "to": case.state})
    return case
