"""The public part of the API: the assessment (a contract other systems call) and the catalogue."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from talent_portal.accounts.models import Industry

from .. import selectors
from ..engine import Profile, assess
from ..models import DIRECT_A_CODES, DIRECT_B_CLAIM_CODES, Education, Extra, Rule, WorkLocation

# --- The public assessment ----------------------------------------------------------------------


class AssessmentThrottle(AnonRateThrottle):
    """Anonymous callers, per address. Generous: partner systems call it, and it stores nothing."""

    scope = "classification_assessment"
    rate = "1000/hour"


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not know, so that a misspelt answer is not silently ignored."""

    def to_internal_value(self, data):
        unknown = sorted(set(getattr(data, "keys", dict)()) - set(self.fields))
        value = super().to_internal_value(data)
        if unknown:
            raise serializers.ValidationError({name: [_("This field is not known.")] for name in unknown})
        return value


class CodeListField(serializers.ListField):
    """A list of codes; unknown codes are reported on the field itself, not item by item."""

    def run_child_validation(self, data):
        unknown = [str(value) for value in data if str(value) not in self.child.choices]
        if unknown:
            raise serializers.ValidationError(_("Unknown codes: {codes}.").format(codes=", ".join(unknown)))
        return super().run_child_validation(data)


class AssessmentRequestSerializer(StrictSerializer):
    annual_salary_cny = serializers.IntegerField(
        min_value=0, help_text="Gross annual salary paid in China, CNY."
    )
    education = serializers.ChoiceField(choices=Education.choices)
    related_experience_years = serializers.IntegerField(min_value=0, max_value=70)
    months_in_china_per_year = serializers.IntegerField(min_value=0, max_value=12)
    hsk_level = serializers.IntegerField(min_value=0, max_value=6, help_text="0 = no HSK certificate.")
    former_chinese_national = serializers.BooleanField()
    degree_taught_in_chinese = serializers.BooleanField()
    work_location = serializers.ChoiceField(choices=WorkLocation.choices)
    age = serializers.IntegerField(
        min_value=0,
        max_value=120,
        help_text="In years. Below the table's minimum age (adults only) is a 400.",
    )
    extras = CodeListField(child=serializers.ChoiceField(choices=Extra.choices), allow_empty=True)
    local_bonus = serializers.IntegerField(
        min_value=0,
        help_text="Points set by the province, from 0 to the factor's maximum in the table in force.",
    )
    direct_a_criteria = CodeListField(
        child=serializers.ChoiceField(choices=[(code.value, code.label) for code in DIRECT_A_CODES]),
        required=False,
        default=list,
        help_text="Direct class A criteria claimed (proved with evidence in an application).",
    )
    direct_b_criteria = CodeListField(
        child=serializers.ChoiceField(choices=[(code.value, code.label) for code in DIRECT_B_CLAIM_CODES]),
        required=False,
        default=list,
        help_text="Direct class B criteria claimed. A bachelor's degree with enough experience is derived.",
    )
    shortage_post_code = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        max_length=40,
        help_text="Code of a post in Shanghai's shortage catalogue (see the catalogue endpoint).",
    )


class FactorResultSerializer(serializers.Serializer):
    factor = serializers.CharField(source="code")
    points = serializers.IntegerField()
    max = serializers.IntegerField()
    label = serializers.CharField(help_text="In the request's language.")


class AssessmentResultSerializer(serializers.Serializer):
    table_version = serializers.CharField()
    points = serializers.IntegerField()
    category = serializers.CharField(help_text="The class: `A`, `B` or `C`.")
    decided_by = serializers.ChoiceField(choices=Rule.choices)
    breakdown = FactorResultSerializer(many=True)
    next_category_hint = serializers.CharField(help_text="Empty for class A.")
    notes = serializers.ListField(child=serializers.CharField())


EXAMPLE_REQUEST = {
    "annual_salary_cny": 380000,
    "education": "doctorate",
    "related_experience_years": 6,
    "months_in_china_per_year": 12,
    "hsk_level": 0,
    "former_chinese_national": False,
    "degree_taught_in_chinese": False,
    "work_location": "shanghai",
    "age": 34,
    "extras": [],
    "local_bonus": 0,
    "direct_a_criteria": [],
    "direct_b_criteria": [],
}


class AssessmentView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AssessmentThrottle]

    @extend_schema(
        request=AssessmentRequestSerializer,
        responses={200: AssessmentResultSerializer},
        summary="Assess a profile under the points table in force (no sign-in; nothing is stored)",
        examples=[
            OpenApiExample("A doctor with six years' experience", value=EXAMPLE_REQUEST, request_only=True)
        ],
    )
    def post(self, request):
        serializer = AssessmentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = assess(Profile.from_dict(serializer.validated_data), on=timezone.localdate())
        return Response(AssessmentResultSerializer(result).data)


# --- The catalogue in force ---------------------------------------------------------------------


class CatalogueFactorSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    max_points = serializers.IntegerField()
    explanation = serializers.CharField()


class CataloguePointsTableSerializer(serializers.Serializer):
    version = serializers.CharField()
    title = serializers.CharField()
    source_note = serializers.CharField()
    effective_from = serializers.DateField()
    threshold_a = serializers.IntegerField()
    threshold_b = serializers.IntegerField()
    factors = CatalogueFactorSerializer(many=True, source="factors.all")


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    evidence = serializers.CharField()


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    grants_class = serializers.CharField(help_text="The class the category gives: `A` or `B`.")
    green_channel = serializers.BooleanField()
    max_validity_years = serializers.IntegerField()
    uses_shortage_posts = serializers.BooleanField()
    effective_from = serializers.DateField()
    effective_until = serializers.DateField(allow_null=True)
    is_example = serializers.BooleanField()
    criteria = CriterionSerializer(many=True, source="criteria.all")


class ShortagePostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    industry = serializers.ChoiceField(choices=Industry.choices)
    title = serializers.CharField()
    requirements = serializers.CharField()
    min_education = serializers.CharField(help_text="Lowest education, one of the `education` codes.")
    min_experience_years = serializers.IntegerField()
    effective_from = serializers.DateField()
    effective_until = serializers.DateField(allow_null=True)
    is_example = serializers.BooleanField()


class CatalogueSerializer(serializers.Serializer):
    on = serializers.DateField()
    points_table = CataloguePointsTableSerializer(allow_null=True)
    categories = CategorySerializer(many=True)
    shortage_posts = ShortagePostSerializer(many=True)


class CatalogueView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("on", OpenApiTypes.DATE, description="The date of reference (default: today).")
        ],
        responses=CatalogueSerializer,
        summary="The points table, categories and shortage posts in force (texts in the request's language)",
    )
    def get(self, request):
        query = serializers.DateField(required=False)
        on = timezone.localdate()
        if request.query_params.get("on"):
            try:
                on = query.run_validation(request.query_params["on"])
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"on": error.detail}) from None
        data = {
            "on": on,
            "points_table": selectors.points_table_in_force(on=on),
            "categories": selectors.categories_in_force(on=on),
            "shortage_posts": selectors.shortage_posts_in_force(on=on),
        }
        return Response(CatalogueSerializer(data).data)
