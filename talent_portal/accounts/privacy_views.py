"""Pages of the person's rights over their personal data: the privacy notice, "Download my data"
and "Ask for a correction"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from talent_portal.core.errors import DomainError
from talent_portal.core.views import apply_domain_error

from . import actions, selectors
from .forms import CorrectionRequestForm
from .privacy import PRIVACY_CONTACT_EMAIL, PRIVACY_NOTICE_VERSION, retention_days


def privacy_notice(request):
    """Public: what is collected, why, who sees it, for how long, the person's rights, contact."""
    return render(
        request,
        "accounts/privacy_notice.html",
        {"version": PRIVACY_NOTICE_VERSION, "contact_email": PRIVACY_CONTACT_EMAIL, **retention_days()},
    )


@login_required
def personal_data(request):
    """The person's rights in one place: download, corrections asked for, consents given."""
    return render(
        request,
        "accounts/personal_data.html",
        {
            "consents": request.user.privacy_consents.all(),
            "corrections": selectors.correction_requests_of(request.user),
        },
    )


@login_required
def personal_data_download(request):
    """Everything the portal holds about the signed-in person, as an attachment (audited)."""
    with_files = request.GET.get("format") != "json"
    name, content, content_type = actions.personal_data_export(
        actor=request.user, with_files=with_files, request=request
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def correction_requests(request):
    """Ask for a correction; the person's requests with their status and the answers."""
    form = CorrectionRequestForm(request.POST or None, initial={"subject": request.GET.get("subject", "")})
    if request.method == "POST" and form.is_valid():
        try:
            actions.correction_request_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your request was sent. An administrator answers it on this page."))
            return redirect("accounts:correction_requests")
    return render(
        request,
        "accounts/correction_requests.html",
        {"form": form, "corrections": selectors.correction_requests_of(request.user)},
    )
