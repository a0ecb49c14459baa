"""Small forms of the dashboards: the statistics' date range, the extension window, a document's language."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from permits.holder_documents import HolderDocument
from talent_portal.core.forms import PortalForm

from .selectors import EXTENSION_WINDOWS
from .statistics import MAX_RANGE_DAYS


class StatisticsRangeForm(PortalForm):
    date_from = forms.DateField(
        label=pgettext_lazy("start of a date range", "From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=pgettext_lazy("end of a date range", "To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end of the range must not be before its start."))
            elif (end - start).days > MAX_RANGE_DAYS:
                self.add_error("date_to", _("Choose a range of at most five years."))
        return data


class ExtensionWindowForm(PortalForm):
    within_days = forms.TypedChoiceField(
        label=_("Permits ending within"),
        coerce=int,
        choices=[(days, _("{days} days").format(days=days)) for days in EXTENSION_WINDOWS],
    )


class HolderDocumentForm(PortalForm):
    kind = forms.ChoiceField(label=_("Document"), choices=HolderDocument.choices)
    language = forms.ChoiceField(label=_("Language (with Chinese)"), choices=settings.LANGUAGES)
