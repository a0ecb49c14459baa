"""The in-app inbox: the bell, the list, marking read, e-mail preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from talent_portal.core.errors import DomainError

from . import actions, selectors
from .forms import PreferencesForm

PAGE_SIZE = 20


@never_cache
def bell(request):
    """The unread count (htmx refreshes it every minute). Signed out: nothing to swap in."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "notifications/_bell.html", {"unread": selectors.unread_count(request.user)})


@login_required
def inbox(request):
    entries = selectors.inbox_for(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        entries = entries.filter(read_at__isnull=True)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"entry": entry, "title": selectors.entry_title(entry), "url": selectors.entry_url(entry)}
        for entry in page.object_list
    ]
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "rows": rows,
            "unread_only": unread_only,
            "unread": selectors.unread_count(request.user),
        },
    )


@login_required
@require_POST
def open_entry(request, pk: int):
    """Mark an entry read and go where it leads."""
    try:
        entry = actions.notification_mark_read(actor=request.user, notification_id=pk)
    except DomainError:
        raise Http404 from None
    return redirect(selectors.entry_url(entry) or "notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk: int):
    try:
        actions.notification_mark_read(actor=request.user, notification_id=pk)
    except DomainError:
        raise Http404 from None
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = actions.notification_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("Every message is marked as read."))
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    choices = selectors.email_preferences(request.user)
    form = PreferencesForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            actions.preference_set(actor=request.user, choices=form.choices())
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
