from django import forms
from django.utils.translation import gettext_lazy as _

from talent_portal.core.forms import PortalForm

from .reference_data import SETS

SET_LABELS = {
    "catalogue": _("Talent catalogue (categories, criteria, shortage posts)"),
    "points": _("Points tables (factors, bands, direct criteria, local average wages)"),
    "calendar": _("Calendar overrides (holidays, working days, published years)"),
    "events": _("Outreach events"),
}


class ExportForm(PortalForm):
    sets = forms.MultipleChoiceField(
        label=_("Reference data to export"),
        choices=[(name, SET_LABELS[name]) for name in SETS],
        initial=list(SETS),
        widget=forms.CheckboxSelectMultiple,
    )


class ImportForm(PortalForm):
    file = forms.FileField(
        label=_("Reference data file (JSON)"),
        help_text=_("A file exported from this page. Nothing is changed if any entry has an error."),
    )
