"""Each role's home, combining what every app shows that person (read through selectors)."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, render

from permits import selectors as permit_selectors
from services.outreach import selectors as outreach_selectors
from talent_portal.accounts import selectors as account_selectors
from talent_portal.accounts.models import Duty
from talent_portal.core.audit import audit_record
from talent_portal.core.views import officer_required

from .forms import HolderDocumentForm
from .selectors import applicant_home
from .statistics import may_see_statistics


def home(request):
    """The public home page: what the portal does and where each kind of user starts."""
    return render(request, "dashboards/home.html")


@login_required
def dashboard(request):
    """One page with a section per duty the person holds; most people hold one or two."""
    user = request.user
    memberships = list(account_selectors.memberships_of(user))
    context = {
        "memberships": memberships,
        "applications": permit_selectors.my_applications(user)[:10],
        "permits": permit_selectors.permits_of(user)[:10],
        "is_employer": bool(memberships),
        "is_work_permit_officer": user.has_duty(Duty.WORK_PERMIT_OFFICER) or user.has_duty(Duty.LEAD_OFFICER),
        "is_exit_entry_officer": user.has_duty(Duty.EXIT_ENTRY_OFFICER),
        "is_service_staff": user.has_duty(Duty.SERVICE_STATION_STAFF),
        "is_administrator": user.has_duty(Duty.ADMINISTRATOR) or user.is_superuser,
        "organizations_to_verify": account_selectors.organizations_awaiting_verification(user).count(),
        "may_see_statistics": may_see_statistics(user),
        "holder": applicant_home(user),
        "document_form": HolderDocumentForm(
            initial={"language": user.preferred_language or request.LANGUAGE_CODE}
        ),
    }
    return render(request, "dashboards/dashboard.html", context)


@officer_required(Duty.ADMINISTRATOR, Duty.LEAD_OFFICER)
def nomination_permits(request, pk):
    """For the commission's reviewers of an award nomination: the nominee's permit history (outreach
    may not read permits, so the page lives here). Each opening is logged."""
    nomination = get_object_or_404(outreach_selectors.nominations_visible_to(request.user), pk=pk)
    permits = list(permit_selectors.permits_of(nomination.nominee))
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action="nomination_permit_history_viewed",
            target=nomination,
            data={"nominee": nomination.nominee_id},
            request=request,
        )
    return render(
        request, "dashboards/nomination_permits.html", {"nomination": nomination, "permits": permits}
    )
