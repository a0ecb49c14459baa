"""Labels of workflow steps, parties and fields for the case pages."""

from django import forms, template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from permits.models import Application, DocumentKind, ReasonCode, State
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
def transition_label(transition) -> str:
    """The label of a step on the timeline. A lead officer's confirmation reads as the decision it
    made ("Refused", "Approved"): that is what it means to the applicant."""
    if transition.action == "confirm_proposal" and transition.to_state in State.values:
        return str(State(transition.to_state).label)
    return action_label(transition.action)


@register.filter
def reason_texts(codes) -> list[str]:
    """The texts of reason codes in the reader's language (an unknown code stays as it is)."""
    codes = list(codes or ())
    if not codes:
        return []
    texts = {reason.code: reason.text for reason in ReasonCode.objects.filter(code__in=codes)}
    return [texts.get(code, code) for code in codes]


@register.filter
def party_label(party: str) -> str:
    try:
        return str(PARTY_LABELS[Party(party)])
    except ValueError:
        return party


def _form_field(name: str):
    """The step and form field in which a person fills in ``name`` (None, None when no step asks)."""
    from permits.steps import ALL_STEPS

    for step in ALL_STEPS.values():
        field = step.form_class.base_fields.get(name)
        if field is not None:
            return step, field
    return None, None


def _choice_labels(name: str) -> dict:
    """Stored value → label, for a field whose choices only its form knows (some set when it is made)."""
    step, field = _form_field(name)
    if field is None or not isinstance(field, forms.ChoiceField):
        return {}
    kwargs = {}
    if step.slug == "talent":
        from services.classification.selectors import application_choices

        kwargs = application_choices(on=None)
    choices = step.form_class(**kwargs).fields[name].choices
    return {str(value): str(label) for value, label in choices}


@register.filter
def field_label(name: str) -> str:
    """The model's label, or the form's where the model has none of its own."""
    try:
        model_field = Application._meta.get_field(name)
    except Exception:  # noqa: BLE001 - an unknown name is shown as it is
        return name
    if model_field.verbose_name == name.replace("_", " "):
        _step, form_field = _form_field(name)
        if form_field is not None and form_field.label:
            return str(form_field.label)
    return str(model_field.verbose_name)


@register.filter
def is_user_text(name: str) -> bool:
    """Whether a field holds text a person typed (a post, an address), not a label of ours."""
    _step, form_field = _form_field(name)
    return isinstance(form_field, forms.CharField) and not isinstance(form_field, forms.RegexField)


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
    labels = _choice_labels(name) if isinstance(value, list | str) and value else {}
    if isinstance(value, list):
        return ", ".join(labels.get(str(item), str(item)) for item in value)
    return labels.get(value, value) if isinstance(value, str) else value


@register.filter
def user_data(value):
    """A name or other user data inside a translated sentence, marked ``translate="no"``: neither a
    browser's translator nor a reader of the page's language should take it for the page's text."""
    if value in (None, ""):
        return value
    return format_html('<span translate="no">{}</span>', value)
