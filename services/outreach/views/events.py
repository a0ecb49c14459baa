"""Pages of events: the public list and calendar, an event's page and its .ics, the iCalendar feed,
registering and cancelling, one's registration with its QR code, check-in at the door, and hiring
intentions at recruitment fairs."""

import calendar
from datetime import date

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_portal.accounts.models import Duty
from talent_portal.accounts.selectors import organizations_of_member
from talent_portal.core.errors import DomainError
from talent_portal.core.views import apply_domain_error, officer_required

from .. import actions, ical, selectors
from ..actions.events import ensure_in_audience, registration_refusal, waitlist_position
from ..forms import CheckInForm, EventFilterForm, HiringIntentionForm
from ..models import Audience, EventType, RegistrationStatus


def event_list(request):
    """Upcoming (or past) events with filters; each with its places left and my registration."""
    form = EventFilterForm(request.GET or None)
    past = request.GET.get("when") == "past"
    events = list(selectors.event_list(request.user, past=past, **form.filters()))
    mine = selectors.registrations_by_event(request.user, events)
    for event in events:
        event.places_left = max(event.capacity - event.confirmed_count, 0)
        event.my_registration = mine.get(event.pk)
    return render(request, "outreach/event_list.html", {"form": form, "events": events, "past": past})


def _month(request) -> date:
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return timezone.localdate().replace(day=1)


def event_calendar(request):
    """A month of events as a calendar grid (Monday first), with the same filters as the list."""
    form = EventFilterForm(request.GET or None)
    first = _month(request)
    events = selectors.events_in_month(request.user, year=first.year, month=first.month, **form.filters())
    by_day: dict[date, list] = {}
    for event in events:
        day, last = timezone.localdate(event.starts_at), timezone.localdate(event.ends_at)
        while day <= last:
            by_day.setdefault(day, []).append(event)
            day = date.fromordinal(day.toordinal() + 1)
    weeks = [
        [{"date": day, "in_month": day.month == first.month, "events": by_day.get(day, [])} for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    previous = date.fromordinal(first.toordinal() - 1).replace(day=1)
    following = date.fromordinal(first.toordinal() + 32).replace(day=1)
    filters = request.GET.copy()
    filters.pop("month", None)
    return render(
        request,
        "outreach/event_calendar.html",
        {
            "form": form,
            "month": first,
            "weeks": weeks,
            "weekdays": [date(2024, 1, day) for day in range(1, 8)],  # a Monday to a Sunday
            "previous": previous,
            "following": following,
            "filters": filters.urlencode(),
            "events": events,
        },
    )


def _visible_event(request, pk):
    event = selectors.event_for(request.user, pk)
    if event is None:
        raise Http404
    return event


def event_detail(request, pk):
    event = _visible_event(request, pk)
    registration = selectors.registrations_by_event(request.user, [event]).get(event.pk)
    now = timezone.now()
    audience_problem = None
    if request.user.is_authenticated:
        try:
            ensure_in_audience(request.user, event)
        except DomainError as error:
            audience_problem = error.message
    context = {
        "event": event,
        "audience_problem": audience_problem,
        "places_left": max(event.capacity - event.confirmed_count, 0),
        "registration": registration,
        "refusal": registration_refusal(event, now=now),
        "audience_is_restricted": event.audience != Audience.ALL,
        "is_fair": event.event_type == EventType.RECRUITMENT_FAIR,
        "is_employer": organizations_of_member(request.user).exists(),
    }
    return render(request, "outreach/event_detail.html", context)


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, pk):
    """One event as an .ics file (public events, and invited-only ones for their guests)."""
    event = _visible_event(request, pk)
    return _calendar_response(ical.calendar_of([event], name=event.title), f"event-{event.pk}.ics")


def events_feed(request):
    """The iCalendar feed of every public event (subscribe to it in a calendar application)."""
    content = ical.calendar_of(selectors.feed_events(), name=_("Shanghai foreign talent events"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="outreach-events.ics"'
    return response


@login_required
@require_POST
def event_register(request, pk):
    event = _visible_event(request, pk)
    try:
        registration = actions.registration_create(actor=request.user, event=event)
    except DomainError as error:
        if error.status_code == 404:
            raise Http404 from error
        messages.error(request, error.message)
        return redirect("outreach:event", pk=event.pk)
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(request, _("You are registered. Show the QR code below at the door."))
    else:
        messages.info(
            request,
            _(
                "The event is full: you are number {position} on the waiting list. We will tell you when a place becomes free."
            ).format(position=waitlist_position(registration)),
        )
    return redirect("outreach:registration", pk=registration.pk)


@login_required
def my_registrations(request):
    return render(
        request,
        "outreach/my_registrations.html",
        {
            "registrations": selectors.registrations_of(request.user),
            "intentions": selectors.intentions_of_talent(request.user),
        },
    )


@login_required
def registration_detail(request, pk):
    """One's own registration: status, place in the queue, the check-in QR code, hiring intentions."""
    registration = selectors.registration_of(request.user, pk)
    if registration is None:
        raise Http404
    token = qr = None
    if registration.status == RegistrationStatus.CONFIRMED:
        token = actions.check_in_token(registration)
        qr = segno.make(token, error="m").svg_data_uri(scale=6, border=2)
    return render(
        request,
        "outreach/registration.html",
        {
            "registration": registration,
            "event": registration.event,
            "token": token,
            "qr": qr,
            "position": waitlist_position(registration)
            if registration.status == RegistrationStatus.WAITLISTED
            else None,
            "may_cancel": registration.is_active
            and not registration.checked_in_at
            and timezone.now() < registration.event.cancellation_deadline,
            "intentions": selectors.intentions_of_talent(request.user).filter(registration=registration),
        },
    )


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = selectors.registration_of(request.user, pk)
    if registration is None:
        raise Http404
    try:
        actions.registration_cancel(actor=request.user, registration=registration)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("outreach:registration", pk=registration.pk)


@officer_required(Duty.SERVICE_STATION_STAFF, Duty.ADMINISTRATOR)
def check_in(request):
    """The door: staff scan the QR code (a scanner types into the field) or type the code."""
    events = selectors.check_in_events(request.user)
    event = None
    if request.GET.get("event") or request.POST.get("event"):
        event = events.filter(pk=request.GET.get("event") or request.POST.get("event")).first()
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = actions.registration_check_in(
                actor=request.user, token=form.cleaned_data["token"], event=event
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("{name} is checked in for {event}.").format(
                    name=registration.user.full_name, event=registration.event.title
                ),
            )
        target = f"{request.path}?event={event.pk}" if event else request.path
        return redirect(target)
    attendees = selectors.event_registrations_for_check_in(request.user, event) if event else []
    return render(
        request,
        "outreach/check_in.html",
        {
            "form": form,
            "events": events,
            "event": event,
            "attendees": attendees,
            "checked_in": sum(1 for attendee in attendees if attendee.checked_in_at),
        },
    )


# --- Hiring intentions --------------------------------------------------------------------------


@login_required
def intention_create(request, pk):
    """An employer records a hiring intention agreed at a recruitment fair."""
    event = _visible_event(request, pk)
    organizations = list(organizations_of_member(request.user))
    if not organizations or event.event_type != EventType.RECRUITMENT_FAIR:
        raise Http404
    form = HiringIntentionForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organization = next(o for o in organizations if o.pk == data["organization"])
        try:
            actions.hiring_intention_record(
                actor=request.user,
                organization=organization,
                event=event,
                code=data["code"],
                post=data["post"],
                salary_band=data["salary_band"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The intention is recorded. The talent is asked to confirm it."))
            return redirect("outreach:intention_create", pk=event.pk)
    return render(
        request,
        "outreach/intention_form.html",
        {"event": event, "form": form, "intentions": selectors.intentions_of_employer(request.user, event)},
    )


@login_required
@require_POST
def intention_answer(request, pk):
    intention = get_object_or_404(selectors.intentions_of_talent(request.user), pk=pk)
    confirm = request.POST.get("answer") == "confirm"
    answer = actions.hiring_intention_confirm if confirm else actions.hiring_intention_decline
    try:
        answer(actor=request.user, intention=intention)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you: your answer is recorded."))
    return redirect("outreach:registration", pk=intention.registration_id)


@officer_required(Duty.ADMINISTRATOR, Duty.LEAD_OFFICER)
def intention_report(request):
    """The commission's counts of hiring intentions per fair, per series and overall."""
    return render(
        request, "outreach/intention_report.html", {"report": selectors.intention_report(request.user)}
    )
