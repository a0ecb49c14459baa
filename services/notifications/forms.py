from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    """One checkbox per kind: e-mail on or off. Legal notices are shown ticked and locked."""

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.legal = set()
        for choice in choices:
            self.fields[choice["kind"]] = forms.BooleanField(
                label=choice["label"],
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                initial=choice["email"],
                disabled=choice["legal"],
                help_text=_("A legal notice: always sent by e-mail.") if choice["legal"] else "",
            )
            if choice["legal"]:
                self.legal.add(choice["kind"])

    def choices(self) -> dict[str, bool]:
        return {name: value for name, value in self.cleaned_data.items() if name not in self.legal}
