"""Pages of work-permit officers: the queue and the decisions on a case."""

from datetime import date
from functools import lru_cache

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_portal.accounts.models import Duty, User
from talent_portal.core.errors import DomainError
from talent_portal.core.forms import PortalForm
from talent_portal.core.views import officer_required

from . import actions, selectors
from .models import BusinessType, DocumentVersion, PermitHolder, Route, State, TalentClass
from .templatetags.permits_tags import state_style

OFFICER_DUTIES = (Duty.WORK_PERMIT_OFFICER, Duty.LEAD_OFFICER)


class QueueFilterForm(PortalForm):
    q = forms.CharField(
        label=gettext_lazy("Reference, organisation, name or passport number"), required=False
    )
    state = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", "—"), *[(s, State(s).label) for s in selectors.QUEUE_STATES]],
    )
    business_type = forms.ChoiceField(
        label=gettext_lazy("Business type"), required=False, choices=[("", "—"), *BusinessType.choices]
    )
    route = forms.ChoiceField(
        label=gettext_lazy("Route"), required=False, choices=[("", "—"), *Route.choices]
    )
    talent_class = forms.ChoiceField(
        label=gettext_lazy("Class"), required=False, choices=[("", "—"), *TalentClass.choices]
    )
    assigned = forms.ChoiceField(
        label=gettext_lazy("Assigned"),
        required=False,
        choices=[("", "—"), ("me", gettext_lazy("To me")), ("nobody", gettext_lazy("To nobody"))],
    )
    overdue = forms.BooleanField(label=gettext_lazy("Overdue"), required=False)
    in_breach = forms.BooleanField(label=gettext_lazy("In breach of the statutory limit"), required=False)
    due_within_days = forms.IntegerField(
        label=gettext_lazy("Due within (working days)"), required=False, min_value=0, max_value=60
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"],
            "states": [data["state"]] if data["state"] else None,
            "business_type": data["business_type"],
            "route": data["route"],
            "talent_class": data["talent_class"],
            "assigned": data["assigned"],
            "overdue": data["overdue"],
            "in_breach": data["in_breach"],
            "due_within_days": data["due_within_days"],
        }


@officer_required(*OFFICER_DUTIES)
def queue(request):
    form = QueueFilterForm(request.GET or None)
    cases = selectors.officer_queue(request.user, filters=form.filters())
    try:
        size = min(max(int(request.GET.get("size", 25)), 1), 100)
    except ValueError:
        size = 25
    page, next_cursor = selectors.keyset_page(cases, after=request.GET.get("after", ""), size=size)
    # What the rows show, prepared once for the page (the template does no per-row look-ups).
    link = reverse("permits:application", args=[_ANY_ID])
    dates = {None: ""}  # a page has few distinct dates: each formatted once (as the date filter does)
    for case in page:
        case["url"] = link.replace(_ANY_ID, str(case.public_id))
        case["state_style"] = state_style(case.state)
        for day in (case.target_date, case.statutory_limit):
            if day not in dates:
                dates[day] = date_format(day, "SHORT_DATE_FORMAT")
        case["target_date_text"] = dates[case.target_date]
        case["statutory_limit_text"] = dates[case.statutory_limit]
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "permits/officer_queue.html",
        {
            "form": form,
            "filters": _filters_html(form),
            "rows": [(case, case.flags) for case in page],
            "next_cursor": next_cursor,
            "query": query.urlencode(),
        },
    )


_ANY_ID = "00000000-0000-0000-0000-000000000000"


def _filters_html(form) -> str:
    """The queue's filter form; without filters the same for everyone, so rendered once per language."""
    if form.is_bound or settings.DEBUG:
        return render_to_string("permits/_queue_filters.html", {"form": form})
    return _unfiltered_filters_html(get_language())


@lru_cache(maxsize=8)
def _unfiltered_filters_html(language: str) -> str:
    return render_to_string("permits/_queue_filters.html", {"form": QueueFilterForm()})


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@officer_required(*OFFICER_DUTIES)
@require_POST
def decide(request, public_id, action):
    """One door for the officer's buttons: each posts its action and the case version it saw."""
    application = selectors.application_detail(request.user, public_id)
    if application is None:
        return redirect("permits:queue")
    user, post, version = request.user, request.POST, _version(request)
    calls = {
        "claim": lambda: actions.application_claim(actor=user, application=application),
        "release": lambda: actions.application_release(actor=user, application=application),
        "reassign": lambda: actions.application_reassign(
            actor=user, application=application, officer=get_object_or_404(User, pk=post.get("officer"))
        ),
        "accept": lambda: actions.application_accept(
            actor=user, application=application, expected_version=version
        ),
        "return": lambda: actions.application_return(
            actor=user,
            application=application,
            expected_version=version,
            reason_codes=post.getlist("reason_codes"),
            note=post.get("note", ""),
        ),
        "start_review": lambda: actions.application_start_review(
            actor=user, application=application, expected_version=version
        ),
        "request_documents": lambda: actions.application_request_documents(
            actor=user,
            application=application,
            expected_version=version,
            kinds=post.getlist("kinds"),
            message=post.get("message", ""),
        ),
        "approve": lambda: actions.application_approve(
            actor=user,
            application=application,
            expected_version=version,
            valid_until=_date(post.get("valid_until")),
            returning_holder=PermitHolder.objects.filter(pk=post.get("holder") or None).first(),
        ),
        "propose_refusal": lambda: actions.application_propose_refusal(
            actor=user,
            application=application,
            expected_version=version,
            reason_codes=post.getlist("reason_codes"),
            note=post.get("note", ""),
        ),
        "confirm_proposal": lambda: actions.application_confirm_proposal(
            actor=user, application=application, expected_version=version
        ),
        "send_back_proposal": lambda: actions.application_send_back_proposal(
            actor=user, application=application, expected_version=version, comment=post.get("comment", "")
        ),
        "extend_limit": lambda: actions.application_extend_limit(
            actor=user, application=application, expected_version=version, reason=post.get("reason", "")
        ),
        "confirm_class": lambda: actions.application_confirm_class(actor=user, application=application),
        "override_class": lambda: actions.application_override_class(
            actor=user,
            application=application,
            category=post.get("category", ""),
            reason=post.get("reason", ""),
        ),
        "note": lambda: actions.internal_note_add(
            actor=user, application=application, text=post.get("text", "")
        ),
        "review_document": lambda: actions.document_review(
            actor=user,
            version=get_object_or_404(
                DocumentVersion, pk=post.get("version_id"), document__application=application
            ),
            status=post.get("status", ""),
            reason_code=post.get("reason_code", ""),
            note=post.get("note", ""),
        ),
    }
    call = calls.get(action)
    if call is None:
        return redirect("permits:application", public_id=public_id)
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
        for field_messages in (error.fields or {}).values():
            for message in field_messages:
                messages.error(request, message)
    else:
        messages.success(request, _("Done."))
    return redirect("permits:application", public_id=public_id)
