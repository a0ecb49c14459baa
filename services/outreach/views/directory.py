"""Pages of the directory (liaison offices and service stations, public) and of service requests
(the person's own, and the station staff's queue)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talent_portal.accounts.models import Duty
from talent_portal.core.countries import country_name
from talent_portal.core.errors import DomainError
from talent_portal.core.views import apply_domain_error, officer_required

from .. import actions, selectors
from ..forms import LiaisonOfficeFilterForm, MessageForm, ServiceRequestForm, StationFilterForm
from ..models import Language, RequestStatus, RequestTopic


def _cleaned(form) -> dict:
    return form.cleaned_data if form.is_valid() else dict.fromkeys(form.fields, "")


def liaison_offices(request):
    form = LiaisonOfficeFilterForm(request.GET or None)
    offices = list(selectors.liaison_offices(**_cleaned(form)))
    for office in offices:
        office.country_names = [country_name(code) for code in office.countries]
    return render(request, "outreach/liaison_offices.html", {"form": form, "offices": offices})


def service_stations(request):
    form = StationFilterForm(request.GET or None)
    stations = list(selectors.service_stations(**_cleaned(form)))
    languages, topics = dict(Language.choices), dict(RequestTopic.choices)
    for station in stations:
        station.language_labels = [languages[code] for code in station.languages if code in languages]
        station.topic_labels = [topics[code] for code in station.topics if code in topics]
    return render(request, "outreach/service_stations.html", {"form": form, "stations": stations})


@login_required
def service_requests(request):
    return render(
        request,
        "outreach/service_requests.html",
        {"requests": selectors.service_requests_of(request.user)},
    )


@login_required
def service_request_create(request):
    stations = list(selectors.service_stations())
    initial = {"station": request.GET.get("station", ""), "topic": request.GET.get("topic", "")}
    form = ServiceRequestForm(request.POST or None, stations=stations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service_request = actions.service_request_create(
                actor=request.user,
                station=next(s for s in stations if s.pk == data["station"]),
                topic=data["topic"],
                subject=data["subject"],
                body=data["body"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your request is sent. The station answers here and by e-mail."))
            return redirect("outreach:service_request", pk=service_request.pk)
    return render(request, "outreach/service_request_form.html", {"form": form})


def _visible_request(request, pk):
    service_request = selectors.service_requests_visible_to(request.user).filter(pk=pk).first()
    if service_request is None:
        raise Http404
    return service_request


@login_required
def service_request_detail(request, pk):
    """The conversation; the requester follows up, the station's staff reply, either may close it."""
    service_request = _visible_request(request, pk)
    is_staff = selectors.is_station_staff(request.user, service_request.station_id)
    is_requester = service_request.requester_id == request.user.pk
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        write = (
            actions.service_request_reply
            if is_staff and not is_requester
            else actions.service_request_follow_up
        )
        try:
            write(actor=request.user, request=service_request, body=form.cleaned_data["body"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("outreach:service_request", pk=service_request.pk)
    return render(
        request,
        "outreach/service_request.html",
        {
            "service_request": service_request,
            "messages_list": selectors.request_messages(request.user, service_request),
            "form": form if service_request.status != RequestStatus.CLOSED else None,
            "is_staff": is_staff and not is_requester,
        },
    )


@login_required
@require_POST
def service_request_close(request, pk):
    service_request = _visible_request(request, pk)
    try:
        actions.service_request_close(actor=request.user, request=service_request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request is closed."))
    return redirect("outreach:service_request", pk=service_request.pk)


@officer_required(Duty.SERVICE_STATION_STAFF)
def station_queue(request):
    """The station staff's queue: requests waiting for an answer, longest waiting first."""
    status = request.GET.get("status", RequestStatus.OPEN)
    if status not in RequestStatus.values:
        status = RequestStatus.OPEN
    return render(
        request,
        "outreach/station_queue.html",
        {
            "requests": selectors.station_queue(request.user, status=status),
            "status": status,
            "statuses": RequestStatus.choices,
            "stations": selectors.stations_of_staff(request.user),
        },
    )
