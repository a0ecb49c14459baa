"""The commission's statistics: the page (charts and tables), and its CSV and XLSX downloads."""

from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from talent_portal.core.audit import audit_record
from talent_portal.core.workdays import shanghai_today

from .charts import chart_for
from .exports import statistics_csv, statistics_xlsx
from .forms import StatisticsRangeForm
from .statistics import PRESETS, may_see_statistics, preset_range, statistics_for
from .summary import last_refresh, refresh_statistics

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Without a broker (the embedded default) no beat runs: a page finding the summary older than
# this refreshes it first, in the request. With a broker the beat task keeps it fresh.
STALE_AFTER = timedelta(minutes=15)


def statistics_required(view):
    """Officers and administrators only; anyone else signed in gets a 404, as for officer pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_see_statistics(request.user):
            raise Http404
        if settings.CELERY_TASK_ALWAYS_EAGER:
            refreshed = last_refresh()
            if refreshed is None or timezone.now() - refreshed > STALE_AFTER:
                refresh_statistics()
        return view(request, *args, **kwargs)

    return wrapper


def _range(request):
    """The range asked for: a preset, or both dates; last quarter when nothing (valid) is given."""
    today = shanghai_today()
    preset = request.GET.get("preset", "")
    if preset in dict(PRESETS):
        start, end = preset_range(preset, today=today)
        return start, end, StatisticsRangeForm(initial={"date_from": start, "date_to": end})
    if "date_from" in request.GET or "date_to" in request.GET:
        form = StatisticsRangeForm(request.GET)
        if form.is_valid():
            return form.cleaned_data["date_from"], form.cleaned_data["date_to"], form
        start, end = preset_range("last_quarter", today=today)
        return start, end, form
    start, end = preset_range("last_quarter", today=today)
    return start, end, StatisticsRangeForm(initial={"date_from": start, "date_to": end})


@statistics_required
def statistics_page(request):
    """Charts drawn on the server, each followed by the same numbers as a table."""
    start, end, form = _range(request)
    statistics = statistics_for(request.user, date_from=start, date_to=end)
    query = urlencode({"date_from": start.isoformat(), "date_to": end.isoformat()})
    return render(
        request,
        "dashboards/statistics.html",
        {
            "form": form,
            "statistics": statistics,
            "sections": [(table, chart_for(table)) for table in statistics.tables],
            "presets": PRESETS,
            "query": query,
        },
    )


def _download(request, *, kind: str, content_type: str, render_file):
    start, end, _form = _range(request)
    statistics = statistics_for(request.user, date_from=start, date_to=end)
    content = render_file(statistics)
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action="export",
            data={"what": "statistics", "format": kind, "from": start.isoformat(), "to": end.isoformat()},
            request=request,
        )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="statistics-{start:%Y%m%d}-{end:%Y%m%d}.{kind}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@statistics_required
def statistics_csv_download(request):
    return _download(request, kind="csv", content_type="text/csv; charset=utf-8", render_file=statistics_csv)


@statistics_required
def statistics_xlsx_download(request):
    return _download(request, kind="xlsx", content_type=XLSX_TYPE, render_file=statistics_xlsx)
