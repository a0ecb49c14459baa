"""HTML forms of classification. They validate input; the engine and the actions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from talent_portal.core.forms import PortalForm

from .engine import Profile
from .models import (
    DIRECT_A_CODES,
    DIRECT_B_CLAIM_CODES,
    Criterion,
    Education,
    Extra,
    WorkLocation,
)
from .selectors import categories_in_force, shortage_posts_in_force

HSK_CHOICES = [(0, _("No HSK certificate"))] + [
    (level, _("HSK %(level)s") % {"level": level}) for level in range(1, 7)
]


class SelfAssessmentForm(PortalForm):
    """The answers of the public self-assessment (the same as the API's)."""

    annual_salary_cny = forms.IntegerField(
        label=_("Annual salary paid in China (CNY, before tax)"),
        min_value=0,
        widget=forms.NumberInput(attrs={"step": 1000}),
    )
    education = forms.ChoiceField(label=_("Highest education"), choices=Education.choices)
    related_experience_years = forms.IntegerField(
        label=_("Years of work experience related to the post"), min_value=0, max_value=70
    )
    months_in_china_per_year = forms.IntegerField(
        label=_("Months a year you will work in China"), min_value=0, max_value=12, initial=12
    )
    hsk_level = forms.TypedChoiceField(
        label=_("Chinese proficiency test (HSK)"), choices=HSK_CHOICES, coerce=int, initial=0
    )
    former_chinese_national = forms.BooleanField(label=_("I was a Chinese national"), required=False)
    degree_taught_in_chinese = forms.BooleanField(
        label=_("I hold a degree from a programme taught in Chinese"), required=False
    )
    work_location = forms.ChoiceField(
        label=_("Place of work"), choices=WorkLocation.choices, initial=WorkLocation.SHANGHAI
    )
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=120)
    extras = forms.MultipleChoiceField(
        label=_("Extras (any that apply)"),
        choices=Extra.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    local_bonus = forms.IntegerField(
        label=_("Local bonus points"),
        min_value=0,
        initial=0,
        help_text=_("Only if the commission told you that you qualify for local bonus points."),
    )
    direct_a_criteria = forms.MultipleChoiceField(
        label=_("Class A criteria you can prove (optional)"),
        choices=[(code.value, code.label) for code in DIRECT_A_CODES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    direct_b_criteria = forms.MultipleChoiceField(
        label=_("Class B criteria you can prove (optional)"),
        choices=[(code.value, code.label) for code in DIRECT_B_CLAIM_CODES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shortage_post_code = forms.ChoiceField(
        label=_("Post in Shanghai's shortage catalogue (optional)"), required=False
    )

    def __init__(self, *args, on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shortage_post_code"].choices = [("", "—")] + [
            (post.code, f"{post.get_industry_display()} — {post.title}")
            for post in shortage_posts_in_force(on=on)
        ]

    def answers(self) -> dict:
        """The cleaned answers as plain values (lists for the sets), in the API's shape."""
        data = dict(self.cleaned_data)
        data["shortage_post_code"] = data.get("shortage_post_code") or None
        for name in ("extras", "direct_a_criteria", "direct_b_criteria"):
            data[name] = sorted(data.get(name) or [])
        return data

    def profile(self) -> Profile:
        return Profile.from_dict(self.answers())


class _CriterionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.text


class ClaimForm(PortalForm):
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, to_field_name="code")
    criterion = _CriterionChoiceField(
        label=_("Criterion you meet"),
        queryset=None,
        required=False,
        help_text=_("For every category except urgently needed and shortage talent."),
    )
    shortage_post = forms.ModelChoiceField(
        label=_("Post in the shortage catalogue"),
        queryset=None,
        required=False,
        help_text=_("For urgently needed and shortage talent only."),
    )
    organization_uscc = forms.CharField(
        label=_("Unified social credit code of your employer"),
        max_length=30,
        help_text=_("Your employer certifies the claim before an officer decides it."),
    )
    statement = forms.CharField(
        label=_("How you meet the criterion"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    evidence = forms.FileField(
        label=_("Evidence (PDF, JPEG or PNG, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = list(categories_in_force())
        self.fields["category"].queryset = categories_in_force()
        self.fields["criterion"].queryset = Criterion.objects.filter(category__in=[c.pk for c in categories])
        self.fields["criterion"].choices = [("", "—")] + [
            (category.name, [(criterion.pk, criterion.text) for criterion in category.criteria.all()])
            for category in categories
            if not category.uses_shortage_posts
        ]
        self.fields["shortage_post"].queryset = shortage_posts_in_force()
        self.fields["shortage_post"].label_from_instance = lambda post: (
            f"{post.get_industry_display()} — {post.title}"
        )


class EvidenceForm(PortalForm):
    evidence = forms.FileField(
        label=_("Another file (PDF, JPEG or PNG, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class CertificationForm(PortalForm):
    note = forms.CharField(
        label=_("Note for the officer (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ClaimDecisionForm(PortalForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("recognise", _("Recognise the category")), ("refuse", _("Refuse the claim"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a refusal; the applicant reads them."),
    )
