"""The category engine: thresholds, the order of the rules, ages, the catalogue and the hint."""

from datetime import date

import pytest
from django.utils import translation

from services.classification.engine import Profile, assess
from talent_portal.core.errors import InvalidInput
from tests.services.classification.factories import (
    LocalAverageWageFactory,
    ShortagePostFactory,
    TalentCategoryFactory,
    profile,
)

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 1)
# 20 (salary) + 20 (doctorate) + 15 (age 30) = 55; HSK and the local bonus tune the rest.
BASE = {"annual_salary_cny": 450_000, "education": "doctorate", "age": 30}


@pytest.mark.parametrize(
    ("changes", "points", "category"),
    [
        ({"hsk_level": 4}, 59, "C"),
        ({"hsk_level": 5}, 60, "B"),
        ({"hsk_level": 4, "months_in_china_per_year": 9, "local_bonus": 10}, 84, "B"),
        ({"hsk_level": 5, "months_in_china_per_year": 9, "local_bonus": 10}, 85, "A"),
    ],
)
def test_thresholds_include_their_bound(changes, points, category):
    result = assess(profile(**BASE, **changes), on=ON)
    assert result.points == points
    assert result.category == category
    assert result.decided_by == "points"


def test_the_person_gets_the_highest_class_and_the_first_rule_granting_it_decides():
    category = TalentCategoryFactory(grants_class="A")
    LocalAverageWageFactory(year=ON.year, annual_amount_cny=100_000)
    rich_and_listed = profile(
        **{**BASE, "annual_salary_cny": 700_000},
        hsk_level=5,
        months_in_china_per_year=12,
        local_bonus=10,
        direct_a_criteria={"listed_achievement"},
        recognised_category_codes={category.code},
    )
    assert assess(rich_and_listed, on=ON).decided_by == "direct_a"
    without_direct = Profile.from_dict({**rich_and_listed.as_dict(), "direct_a_criteria": []})
    assert assess(without_direct, on=ON).decided_by == "recognised_category"
    without_recognition = Profile.from_dict({**without_direct.as_dict(), "recognised_category_codes": []})
    result = assess(without_recognition, on=ON)
    assert (result.category, result.decided_by) == ("A", "salary_multiple")
    assert result.points >= 85  # points would also grant A, but come later in the order


def test_salary_multiples_use_the_local_average_wage_of_the_year():
    LocalAverageWageFactory(year=ON.year, annual_amount_cny=100_000)
    assert assess(profile(annual_salary_cny=600_000, age=30), on=ON).category == "A"
    result = assess(profile(annual_salary_cny=599_999, age=30), on=ON)
    assert (result.category, result.decided_by) == ("B", "salary_multiple")
    result = assess(profile(annual_salary_cny=399_999, age=30), on=ON)
    assert (result.category, result.decided_by) == ("C", "points")


def test_without_a_local_average_wage_the_salary_multiple_rules_do_not_apply_and_say_so():
    result = assess(profile(annual_salary_cny=9_000_000, age=30), on=ON)
    assert result.decided_by == "points"
    assert any("2026" in note for note in result.notes)


def test_an_example_wage_is_flagged_in_the_notes():
    LocalAverageWageFactory(year=ON.year, is_example=True)
    result = assess(profile(annual_salary_cny=50_000, age=30), on=ON)
    assert any("example" in note for note in result.notes)


def test_points_come_before_the_direct_class_b_criteria():
    result = assess(profile(**BASE, hsk_level=5, related_experience_years=2), on=ON)
    assert (result.category, result.decided_by) == ("B", "points")


@pytest.mark.parametrize(
    ("changes", "category"),
    [
        ({"education": "bachelor", "related_experience_years": 2}, "B"),
        ({"education": "master", "related_experience_years": 5}, "B"),
        ({"education": "bachelor", "related_experience_years": 1}, "C"),
        ({"education": "none", "related_experience_years": 10}, "C"),
    ],
)
def test_a_bachelors_degree_and_two_years_is_derived_as_class_b(changes, category):
    result = assess(profile(age=30, **changes), on=ON)
    assert result.category == category
    if category == "B":
        assert result.decided_by == "direct_b"


def test_claimed_class_b_criteria_grant_b():
    result = assess(profile(age=30, direct_b_criteria={"language_teacher"}), on=ON)
    assert (result.category, result.decided_by) == ("B", "direct_b")


@pytest.mark.parametrize(("age", "category"), [(39, "A"), (40, "C")])
def test_the_young_postdoc_criterion_is_for_people_under_forty(age, category):
    result = assess(profile(age=age, direct_a_criteria={"young_postdoc"}), on=ON)
    assert result.category == category


@pytest.mark.parametrize(("age", "category"), [(60, "B"), (61, "C"), (70, "C")])
def test_class_b_needs_age_sixty_or_under(age, category):
    result = assess(profile(age=age, education="bachelor", related_experience_years=5), on=ON)
    assert result.category == category
    if category == "C":
        assert result.notes


def test_class_a_has_no_age_limit():
    result = assess(profile(age=82, direct_a_criteria={"talent_programme"}), on=ON)
    assert (result.category, result.decided_by) == ("A", "direct_a")


@pytest.mark.parametrize(
    ("age", "category", "decided_by"),
    [
        (40, "B", "direct_b"),
        (61, "B", "shortage_catalogue"),
        (70, "B", "shortage_catalogue"),
        (71, "C", "points"),
    ],
)
def test_a_shortage_post_allows_class_b_to_seventy(age, category, decided_by):
    post = ShortagePostFactory()
    result = assess(
        profile(age=age, education="bachelor", related_experience_years=3, shortage_post_code=post.code),
        on=ON,
    )
    assert (result.category, result.decided_by) == (category, decided_by)
    if category == "B":
        assert result.quota_exempt


def test_the_catalogue_decides_when_nothing_else_grants_b():
    post = ShortagePostFactory(min_education="bachelor", min_experience_years=2)
    with_post = profile(
        age=35, education="bachelor", related_experience_years=2, shortage_post_code=post.code
    )
    # The derived class B criterion comes first; without it the catalogue would still grant B.
    assert assess(with_post, on=ON).decided_by == "direct_b"
    assert assess(with_post, on=ON).quota_exempt


def test_a_post_not_in_force_or_whose_requirements_are_not_met_grants_nothing():
    retired = ShortagePostFactory(effective_until=date(2025, 1, 1))
    demanding = ShortagePostFactory(min_education="master", min_experience_years=5)
    for code in (retired.code, demanding.code, "no-such-post"):
        result = assess(
            profile(age=65, education="bachelor", related_experience_years=3, shortage_post_code=code), on=ON
        )
        assert result.category == "C"
        assert result.notes


def test_a_recognised_category_grants_its_class():
    category = TalentCategoryFactory(grants_class="B", uses_shortage_posts=True)
    result = assess(profile(age=66, recognised_category_codes={category.code}), on=ON)
    assert (result.category, result.decided_by) == ("B", "recognised_category")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"age": 17}, "age"),
        ({"local_bonus": 11}, "local_bonus"),
        ({"education": "phd"}, "education"),
        ({"work_location": "beijing"}, "work_location"),
        ({"extras": {"charm"}}, "extras"),
        ({"direct_a_criteria": {"fame"}}, "direct_a_criteria"),
    ],
)
def test_the_engine_refuses_what_it_cannot_score(changes, field):
    with pytest.raises(InvalidInput) as error:
        assess(profile(**changes), on=ON)
    assert field in error.value.fields


def test_before_any_table_there_is_nothing_to_assess():
    from talent_portal.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        assess(profile(), on=date(2016, 1, 1))


# --- The hint -----------------------------------------------------------------------------------


def test_the_hint_lists_single_changes_that_reach_the_next_class():
    # 20 + 20 + 15 + 15 + 10 (bonus) = 80: class A needs 5 more.
    person = profile(
        annual_salary_cny=300_000,  # 14
        education="doctorate",
        months_in_china_per_year=12,
        age=30,
        local_bonus=10,
        hsk_level=0,
        related_experience_years=3,  # 6
    )
    result = assess(person, on=ON)
    assert result.points == 80
    hint = result.next_category_hint
    assert hint.startswith("5 more points for class A: ")
    assert "a salary of 450,000 CNY" in hint
    assert "HSK 5" in hint
    assert "8 years of related experience" in hint
    assert "one of the extras" in hint
    assert "months" not in hint  # already at the maximum
    assert ", or " in hint


def test_the_hint_suggests_only_changes_that_are_enough_on_their_own():
    person = profile(
        annual_salary_cny=300_000, education="doctorate", months_in_china_per_year=12, age=30, hsk_level=2
    )
    result = assess(person, on=ON)  # 14 + 20 + 15 + 2 + 15 = 66 → A needs 19 more
    assert result.points == 66
    assert result.next_category_hint == "19 more points for class A: 16 years of related experience"
    person = profile(age=30)  # 15: class B needs 45, more than any one factor gives
    assert assess(person, on=ON).next_category_hint == (
        "45 more points for class B; no single change is enough."
    )


def test_the_hint_for_class_c_aims_at_class_b():
    person = profile(annual_salary_cny=150_000, education="none", months_in_china_per_year=12, age=30)
    result = assess(person, on=ON)  # 11 + 15 + 15 = 41 → B needs 19
    assert result.category == "C"
    assert result.next_category_hint.startswith("19 more points for class B: ")
    assert "a doctorate" in result.next_category_hint


def test_class_a_has_no_hint_and_work_location_age_and_bonus_are_never_suggested():
    assert assess(profile(age=30, direct_a_criteria={"talent_programme"}), on=ON).next_category_hint == ""
    hint = assess(profile(age=30, annual_salary_cny=449_999, education="doctorate"), on=ON).next_category_hint
    for word in ("location", "region", "age", "bonus"):
        assert word not in hint.replace("a salary", "")


def test_the_hint_follows_the_active_language_and_its_number_format():
    person = profile(
        annual_salary_cny=300_000,
        education="doctorate",
        months_in_china_per_year=12,
        age=30,
        local_bonus=10,
        related_experience_years=3,
    )
    with translation.override("ja"):
        hint = assess(person, on=ON).next_category_hint
    assert "450,000" in hint
    with translation.override("zh-hans"):
        hint = assess(person, on=ON).next_category_hint
    assert "450000" in hint


def test_the_snapshot_is_plain_json():
    import json

    result = assess(profile(**BASE, hsk_level=5, extras={"patent"}), on=ON)
    snapshot = result.as_snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["table_version"] == "2017"
    assert snapshot["category"] == result.category
    assert snapshot["inputs"]["extras"] == ["patent"]
    assert snapshot["computed_at"] == "2026-06-01"
    assert {item["factor"] for item in snapshot["breakdown"]} >= {"salary", "age", "local_bonus"}
