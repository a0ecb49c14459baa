"""Filters for message templates: contexts carry dates as ISO strings."""

from datetime import date, datetime

from django import template

register = template.Library()


@register.filter
def isodate(value):
    """``"2026-03-16"`` → a date, so that ``|date:"DATE_FORMAT"`` shows it in the active locale."""
    if isinstance(value, date):
        return value
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
