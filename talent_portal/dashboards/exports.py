"""The statistics as CSV and XLSX: the same tables, the same numbers as the page."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .statistics import Statistics

# A cell starting with one of these is a formula to a spreadsheet (CSV injection): quote it.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = str.maketrans({character: " " for character in "[]:*?/\\"})


def _safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _period(statistics: Statistics) -> str:
    return _("From {start} to {end}").format(
        start=statistics.date_from.isoformat(), end=statistics.date_to.isoformat()
    )


def statistics_csv(statistics: Statistics) -> bytes:
    """Every table one after the other: its title, its header row, its rows, a blank line.

    UTF-8 with a byte-order mark, so that spreadsheet programs read Chinese correctly.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Statistics of the foreign talent work permits"), _period(statistics)])
    writer.writerow([])
    for table in statistics.tables:
        writer.writerow([_safe(table.title)])
        writer.writerow([_safe(column) for column in table.columns])
        for row in table.rows:
            writer.writerow([_safe(value) for value in row])
        writer.writerow([])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title: str, used: set) -> str:
    base = title.translate(_SHEET_FORBIDDEN).strip()[:28] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in used:
        candidate = f"{base[:26]} {number}"
        number += 1
    used.add(candidate.lower())
    return candidate


def statistics_xlsx(statistics: Statistics) -> bytes:
    """One sheet per table: the title, the period, the header row, then the rows (numbers as numbers)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set = set()
    for table in statistics.tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        sheet.append([_safe(table.title)])
        sheet.append([_period(statistics)])
        sheet.append([_safe(column) for column in table.columns])
        for row in table.rows:
            sheet.append([_safe(value) for value in row])
        sheet.column_dimensions[get_column_letter(1)].width = 48
        for position in range(2, len(table.columns) + 1):
            sheet.column_dimensions[get_column_letter(position)].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
