"""Pages for administrators: reference data as files (export, import)."""

import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from talent_portal.accounts.models import Duty
from talent_portal.core.errors import DomainError
from talent_portal.core.views import apply_domain_error, officer_required

from . import reference_data
from .forms import ExportForm, ImportForm

# A reference data file is small (the whole catalogue and every points table: well under 1 MB).
MAX_FILE_BYTES = 5 * 1024 * 1024


@never_cache
@officer_required(Duty.ADMINISTRATOR)
def reference_data_page(request):
    export_form = (
        ExportForm(request.POST or None, prefix="export")
        if "export" in request.POST
        else ExportForm(prefix="export")
    )
    import_form = (
        ImportForm(request.POST, request.FILES, prefix="import")
        if "import" in request.POST
        else ImportForm(prefix="import")
    )
    if request.method == "POST" and "export" in request.POST and export_form.is_valid():
        document = reference_data.reference_data_export(
            actor=request.user, sets=export_form.cleaned_data["sets"]
        )
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{reference_data.export_filename()}"'
        return response
    if request.method == "POST" and "import" in request.POST and import_form.is_valid():
        upload = import_form.cleaned_data["file"]
        try:
            if upload.size > MAX_FILE_BYTES:
                raise ValueError
            document = json.loads(upload.read().decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            import_form.add_error("file", _("This is not a reference data file of the portal."))
        else:
            try:
                counts = reference_data.reference_data_import(actor=request.user, document=document)
            except DomainError as error:
                apply_domain_error(import_form, error)
                problems = error.fields
                return render(
                    request,
                    "operations/reference_data.html",
                    {"export_form": export_form, "import_form": import_form, "problems": problems},
                    status=400,
                )
            created = sum(count["created"] for count in counts.values())
            updated = sum(count["updated"] for count in counts.values())
            messages.success(
                request,
                _("Imported: %(created)d new and %(updated)d updated entries.")
                % {"created": created, "updated": updated},
            )
            return redirect("operations:reference_data")
    return render(
        request,
        "operations/reference_data.html",
        {"export_form": export_form, "import_form": import_form, "languages": settings.LANGUAGES},
    )
