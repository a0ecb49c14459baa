"""Documents a permit holder downloads: the salary-remittance form and the employment certificate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from permits import deadlines
from permits.holder_documents import holder_document_pdf, is_current
from talent_portal.core.audit import audit_record

from . import selectors
from .forms import HolderDocumentForm


@login_required
def holder_document(request, number):
    """The PDF in the chosen language and Chinese, for the holder of a current card only."""
    permit = selectors.holder_permit(request.user, number)
    if permit is None:
        raise Http404
    form = HolderDocumentForm(
        request.GET or None, initial={"language": request.user.preferred_language or request.LANGUAGE_CODE}
    )
    if not form.is_bound or not form.is_valid():
        messages.error(request, _("Choose a document and a language."))
        return redirect("dashboards:home")
    today = deadlines.today()
    if not is_current(permit, today=today):
        messages.error(request, _("These documents are only issued for a valid work-permit card."))
        return redirect("dashboards:home")
    kind, language = form.cleaned_data["kind"], form.cleaned_data["language"]
    content = holder_document_pdf(permit, kind, language=language, issued_on=today)
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action="holder_document_issued",
            target=permit,
            data={"kind": kind, "language": language, "issued_on": today.isoformat()},
            request=request,
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{permit.number}-{language}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
