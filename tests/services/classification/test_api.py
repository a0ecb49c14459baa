"""The public assessment API (a contract other systems call) and the catalogue API."""

import pytest

from services.classification.models import AssessmentRecord
from tests.services.classification.factories import ShortagePostFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/classification/assessments/"
EXAMPLE = {
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


def test_the_example_answers_76_points_class_b_by_points(api_client):
    response = api_client.post(URL, EXAMPLE, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["table_version"] == "2017"
    assert body["points"] == 76
    assert body["category"] == "B"
    assert body["decided_by"] == "points"
    assert [(item["factor"], item["points"], item["max"]) for item in body["breakdown"]] == [
        ("salary", 17, 20),
        ("education", 20, 20),
        ("experience", 9, 20),
        ("months_in_china", 15, 15),
        ("chinese", 0, 5),
        ("work_location", 0, 10),
        ("age", 15, 15),
        ("extras", 0, 5),
        ("local_bonus", 0, 10),
    ]
    assert body["breakdown"][0]["label"] == "Annual salary paid in China"
    assert body["next_category_hint"].startswith("9 more points for class A")
    assert not AssessmentRecord.objects.exists()


def test_no_sign_in_is_needed_and_no_session_is_written(api_client):
    from django.contrib.sessions.models import Session

    response = api_client.post(URL, EXAMPLE, format="json")
    assert response.status_code == 200
    assert not Session.objects.exists()
    assert "sessionid" not in response.cookies


@pytest.mark.parametrize(
    ("language", "label"), [("ja", "中国で支払われる年収"), ("zh-hans", "在华年薪"), ("ko", "중국 내 연봉")]
)
def test_labels_follow_accept_language(api_client, language, label):
    response = api_client.post(URL, EXAMPLE, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.json()["breakdown"][0]["label"] == label


def test_the_direct_criteria_are_optional(api_client):
    data = {key: value for key, value in EXAMPLE.items() if not key.startswith("direct_")}
    assert api_client.post(URL, data, format="json").status_code == 200


@pytest.mark.parametrize(
    "field",
    [
        "annual_salary_cny",
        "education",
        "related_experience_years",
        "months_in_china_per_year",
        "hsk_level",
        "former_chinese_national",
        "degree_taught_in_chinese",
        "work_location",
        "age",
        "extras",
        "local_bonus",
    ],
)
def test_a_missing_answer_is_a_400_naming_the_field(api_client, field):
    data = {key: value for key, value in EXAMPLE.items() if key != field}
    response = api_client.post(URL, data, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("annual_salary_cny", -1),
        ("related_experience_years", -1),
        ("months_in_china_per_year", 13),
        ("months_in_china_per_year", -1),
        ("hsk_level", 7),
        ("hsk_level", -1),
        ("local_bonus", 11),
        ("local_bonus", -1),
        ("age", 17),
        ("age", 0),
        ("age", "thirty"),
        ("education", "phd"),
        ("work_location", "beijing"),
        ("extras", ["charm"]),
        ("extras", "patent"),
        ("direct_a_criteria", ["fame"]),
        ("direct_b_criteria", ["talent_programme"]),
    ],
)
def test_out_of_range_or_unknown_values_are_a_400_naming_the_field(api_client, field, value):
    response = api_client.post(URL, {**EXAMPLE, field: value}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]
    assert all(isinstance(message, str) and message for message in body["fields"][field])


def test_an_unknown_key_is_a_400(api_client):
    response = api_client.post(URL, {**EXAMPLE, "salary": 1}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["salary"]


def test_under_eighteen_is_refused_with_a_translated_message(api_client):
    english = api_client.post(URL, {**EXAMPLE, "age": 17}, format="json").json()
    japanese = api_client.post(URL, {**EXAMPLE, "age": 17}, format="json", HTTP_ACCEPT_LANGUAGE="ja").json()
    assert "18" in english["fields"]["age"][0]
    assert english["detail"] != japanese["detail"]


def test_missing_field_messages_are_translated(api_client):
    data = {key: value for key, value in EXAMPLE.items() if key != "age"}
    body = api_client.post(URL, data, format="json", HTTP_ACCEPT_LANGUAGE="ja").json()
    assert body["fields"]["age"] == ["この項目は必須です。"]


def test_a_body_that_is_not_json_is_a_400(api_client):
    response = api_client.post(URL, "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_the_endpoint_is_throttled_per_address(api_client, monkeypatch):
    from services.classification.api import AssessmentThrottle

    monkeypatch.setattr(AssessmentThrottle, "rate", "2/hour")
    assert api_client.post(URL, EXAMPLE, format="json").status_code == 200
    assert api_client.post(URL, EXAMPLE, format="json").status_code == 200
    response = api_client.post(URL, EXAMPLE, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_a_shortage_post_can_be_named(api_client):
    post = ShortagePostFactory()
    data = {
        **EXAMPLE,
        "age": 65,
        "education": "bachelor",
        "related_experience_years": 3,
        "shortage_post_code": post.code,
    }
    body = api_client.post(URL, data, format="json").json()
    assert (body["category"], body["decided_by"]) == ("B", "shortage_catalogue")


def test_the_catalogue_lists_what_is_in_force_in_the_requested_language(api_client):
    ShortagePostFactory(title_ja="チップ設計者", code="chip")
    response = api_client.get("/api/v1/classification/catalogue/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    body = response.json()
    assert body["points_table"]["version"] == "2017"
    assert body["points_table"]["threshold_a"] == 85
    assert [category["code"] for category in body["categories"]] == [
        "high_end",
        "high_skilled",
        "top_scientist",
        "shortage",
    ]
    assert body["categories"][0]["name"] == "ハイレベル人材"
    assert body["categories"][0]["criteria"]
    assert body["shortage_posts"][0]["title"] == "チップ設計者"
    assert "name_en" not in body["categories"][0]


def test_the_catalogue_of_a_past_date(api_client):
    body = api_client.get("/api/v1/classification/catalogue/?on=2020-01-01").json()
    assert body["points_table"]["version"] == "2017"
    assert body["categories"] == []
    assert api_client.get("/api/v1/classification/catalogue/?on=yesterday").status_code == 400


def test_the_schema_documents_the_contract():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/classification/assessments/"]["post"]
    assert {"200", "400", "429"} <= set(operation["responses"])
    assert "401" not in operation["responses"]
    request = schema["components"]["schemas"]["AssessmentRequestRequest"]
    assert set(request["required"]) == set(EXAMPLE) - {"direct_a_criteria", "direct_b_criteria"}
    criteria = request["properties"]["direct_a_criteria"]["items"]
    enum = schema["components"]["schemas"][criteria["$ref"].split("/")[-1]]["enum"]
    assert "talent_programme" in enum
