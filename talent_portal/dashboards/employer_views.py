"""The employer's dashboard: headcount, upcoming expiries, open cases, extensions in one click."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from talent_portal.core.errors import DomainError

from . import actions, selectors
from .forms import ExtensionWindowForm


def _window(request) -> int:
    form = ExtensionWindowForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["within_days"]
    return selectors.DEFAULT_EXTENSION_WINDOW


@login_required
def employer_dashboard(request, organization_id):
    """Only active members of the organisation; anyone else gets a 404."""
    window = _window(request)
    overview = selectors.employer_overview(request.user, organization_id, window=window)
    if overview is None:
        raise Http404
    expiry_chart = _expiry_chart(overview.expiry_months)
    return render(
        request,
        "dashboards/employer.html",
        {
            "overview": overview,
            "organization": overview.organization,
            "window_form": ExtensionWindowForm(initial={"within_days": window}),
            "expiry_chart": expiry_chart,
            "to_extend": sum(
                1 for permit in overview.expiring if not permit.open_extension and permit.kind == "card"
            ),
        },
    )


def _expiry_chart(months):
    from .charts import bar_chart
    from .statistics import Table

    return bar_chart(Table(key="expiries", title="", columns=["", _("Permits ending")], rows=months))


@login_required
@require_POST
def extensions_start(request, organization_id):
    """One click: a separate extension application for everyone whose card ends within the window."""
    form = ExtensionWindowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the offered periods."))
        return redirect("dashboards:employer", organization_id=organization_id)
    within_days = form.cleaned_data["within_days"]
    try:
        result = actions.extensions_start_for_expiring(
            actor=request.user, organization_id=organization_id, within_days=within_days
        )
    except DomainError as error:
        if error.status_code == 404:
            raise Http404 from error
        messages.error(request, str(error.message))
        return redirect("dashboards:employer", organization_id=organization_id)
    count = len(result.started)
    if count:
        messages.success(
            request,
            ngettext(
                "{count} extension application was started: {references}.",
                "{count} extension applications were started: {references}.",
                count,
            ).format(
                count=count, references=", ".join(application.reference for application in result.started)
            ),
        )
    else:
        messages.info(request, _("No permit ends within that period without an extension already under way."))
    for permit, message in result.skipped:
        messages.warning(
            request,
            _("No extension was started for {name} ({number}): {reason}").format(
                name=permit.holder_name, number=permit.number, reason=message
            ),
        )
    url = reverse("dashboards:employer", kwargs={"organization_id": organization_id})
    return redirect(f"{url}?within_days={within_days}")
