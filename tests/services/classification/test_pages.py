"""The public pages: the self-assessment and the catalogue, in the four languages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from services.classification import demo
from services.classification.models import LocalAverageWage, ShortagePost

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en", "ja", "ko"]
ANSWERS = {
    "annual_salary_cny": "380000",
    "education": "doctorate",
    "related_experience_years": "6",
    "months_in_china_per_year": "12",
    "hsk_level": "0",
    "work_location": "shanghai",
    "age": "34",
    "local_bonus": "0",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_renders_in_each_language(client, language):
    response = client.get(f"/{language}/classification/self-assessment/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert 'name="annual_salary_cny"' in body
    assert 'name="extras"' in body
    assert "<table" not in body  # no result before answering


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_result_shows_points_class_breakdown_bar_hint_and_table_version(client, language):
    response = client.post(f"/{language}/classification/self-assessment/", ANSWERS)
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.points, result.category, result.decided_by) == (76, "B", "points")
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    table = re.search(r'<table class="table points-breakdown[^"]*">(.*?)</table>', body, re.S).group(1)
    assert "<caption>" in table
    assert table.count('<th scope="row">') == 10  # nine factors and the total
    assert '<meter class="w-100 points-total" min="0" max="120" low="60" high="85"' in body
    assert 'value="76"' in body
    assert body.count("<meter") == 10
    assert 'id="next-category-hint"' in body
    assert "2017" in body
    assert "style=" not in body and "<script>" not in body  # the strict CSP allows neither


def test_labels_come_from_the_table_in_the_page_language(client):
    body = client.post("/ja/classification/self-assessment/", ANSWERS).content.decode()
    assert "中国で支払われる年収" in body


def test_invalid_answers_are_shown_on_the_form(client):
    response = client.post(
        "/en/classification/self-assessment/", {**ANSWERS, "age": "16", "months_in_china_per_year": "13"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"months_in_china_per_year"}
    response = client.post("/en/classification/self-assessment/", {**ANSWERS, "age": "16"})
    assert "age" in response.context["form"].errors
    assert response.context["result"] is None


def test_assessing_stores_nothing(client):
    with CaptureQueriesContext(connection) as context:
        client.post("/en/classification/self-assessment/", ANSWERS)
    writes = [
        q["sql"] for q in context.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
    ]
    assert writes == []
    assert "self_assessment" not in client.session


def _permits_started() -> bool:
    try:
        reverse("permits:application_start")
    except NoReverseMatch:
        return False
    return True


def test_starting_an_application_carries_the_answers_over(client):
    response = client.post("/en/classification/self-assessment/", {**ANSWERS, "extras": ["patent"]})
    body = response.content.decode()
    if not _permits_started():
        assert "start-application" not in body
        return
    assert 'action="/en/classification/self-assessment/start-application/"' in body
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', body))
    assert hidden["annual_salary_cny"] == "380000"
    form = {name: value for name, value in hidden.items() if name != "csrfmiddlewaretoken"}
    response = client.post(
        "/en/classification/self-assessment/start-application/", {**form, "extras": ["patent"]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("permits:application_start")
    stored = client.session["self_assessment"]
    assert stored["annual_salary_cny"] == 380000
    assert stored["education"] == "doctorate"
    assert stored["extras"] == ["patent"]
    assert stored["former_chinese_national"] is False


def test_a_broken_carry_over_goes_back_to_the_form(client):
    response = client.post("/en/classification/self-assessment/start-application/", {"age": "x"})
    assert response.status_code == 302
    assert response["Location"] == "/en/classification/self-assessment/"
    assert "self_assessment" not in client.session


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_renders_in_each_language(client, language):
    demo.seed()
    response = client.get(f"/{language}/classification/catalogue/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert len(response.context["categories"]) == 4
    assert body.count('<article class="card') == 4
    assert body.count("badge text-bg-warning") >= 4  # the example posts are marked


def test_the_home_page_links_to_the_self_assessment(client):
    body = client.get("/en/").content.decode()
    assert 'href="/en/classification/self-assessment/"' in body


def test_the_demo_data_is_idempotent_and_marked_as_examples():
    demo.seed()
    demo.seed()
    assert ShortagePost.objects.count() == 4
    assert all(post.is_example for post in ShortagePost.objects.all())
    assert LocalAverageWage.objects.filter(is_example=True).count() == 2


def test_with_the_demo_wage_the_result_says_the_wage_is_an_example(client):
    demo.seed()
    result = client.post("/en/classification/self-assessment/", ANSWERS).context["result"]
    assert any("example" in note for note in result.notes)
