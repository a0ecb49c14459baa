"""Labels of workflow steps, parties and fields for the case pages."""

from django import template
from django.utils.translation import gettext as _

from permits.models import Application, DocumentKind
from permits.workflow import ACTION_LABELS, PARTY_LABELS, Party

register = template.Library()

# Steps recorded on the timeline that are not workflow transitions.
EVENT_LABELS = {
    "create": lambda: _("Application started"),
    "join": lambda: _("The employee joined the application"),
    "declared": lambda: _("The employer made the declaration"),
    "sponsorship_confirmed": lambda: _("The employer confirmed the sponsorship"),
    "sponsorship_declined": lambda: _("The employer declined the sponsorship"),
}

STATE_STYLES = {
    "draft": "secondary",
    "submitted": "info",
    "returned": "warning",
    "accepted": "info",
    "under_review": "primary",
    "awaiting_documents": "warning",
    "approved": "success",
    "issued": "success",
    "refused": "danger",
    "withdrawn": "secondary",
    "closed": "secondary",
}


@register.filter
def action_label(action: str) -> str:
    if action in EVENT_LABELS:
        return EVENT_LABELS[action]()
    label = ACTION_LABELS.get(action)
    return str(label) if label else action


@register.filter
def party_label(party: str) -> str:
    try:
        return str(PARTY_LABELS[Party(party)])
    except ValueError:
        return party


@register.filter
def field_label(name: str) -> str:
    try:
        return str(Application._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - an unknown name is shown as it is
        return name


@register.filter
def document_label(kind: str) -> str:
    return str(dict(DocumentKind.choices).get(kind, kind))


@register.filter
def state_style(state: str) -> str:
    return STATE_STYLES.get(state, "secondary")


@register.filter
def in_set(value, collection) -> bool:
    return value in collection


@register.filter
def attr_value(obj, name: str):
    """The display value of a field: choices shown by label, lists joined."""
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None:
        return display()
    value = getattr(obj, name, None)
    if name == "passport_number":
        return obj.masked_passport_number
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value
