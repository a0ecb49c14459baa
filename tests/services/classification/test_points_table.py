"""Every band edge of every factor of the 2017 table, as loaded by the data migration."""

from datetime import date

import pytest

from services.classification.engine import assess
from tests.services.classification.factories import profile

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 1)


def factor_points(code: str, **changes) -> int:
    result = assess(profile(**changes), on=ON)
    return next(item.points for item in result.breakdown if item.code == code)


@pytest.mark.parametrize(
    ("salary", "points"),
    [
        (0, 0),
        (49_999, 0),
        (50_000, 5),
        (69_999, 5),
        (70_000, 8),
        (149_999, 8),
        (150_000, 11),
        (249_999, 11),
        (250_000, 14),
        (349_999, 14),
        (350_000, 17),
        (449_999, 17),
        (450_000, 20),
        (5_000_000, 20),
    ],
)
def test_salary_bands(salary, points):
    assert factor_points("salary", annual_salary_cny=salary) == points


@pytest.mark.parametrize(
    ("education", "points"), [("doctorate", 20), ("master", 15), ("bachelor", 10), ("none", 0)]
)
def test_education(education, points):
    assert factor_points("education", education=education) == points


@pytest.mark.parametrize(
    ("years", "points"),
    [(0, 0), (1, 0), (2, 5), (3, 6), (4, 7), (10, 13), (16, 19), (17, 20), (18, 20), (30, 20)],
)
def test_experience_two_years_then_one_point_a_year_up_to_twenty(years, points):
    assert factor_points("experience", related_experience_years=years) == points


@pytest.mark.parametrize(
    ("months", "points"),
    [(0, 0), (2, 0), (3, 5), (5, 5), (6, 10), (8, 10), (9, 15), (12, 15)],
)
def test_months_in_china(months, points):
    assert factor_points("months_in_china", months_in_china_per_year=months) == points


@pytest.mark.parametrize(("level", "points"), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 5)])
def test_hsk_levels(level, points):
    assert factor_points("chinese", hsk_level=level) == points


@pytest.mark.parametrize(
    ("changes", "points"),
    [
        ({"former_chinese_national": True}, 5),
        ({"degree_taught_in_chinese": True}, 5),
        ({"former_chinese_national": True, "degree_taught_in_chinese": True}, 5),
        ({"hsk_level": 3, "former_chinese_national": True}, 5),
        ({"hsk_level": 6, "degree_taught_in_chinese": True, "former_chinese_national": True}, 5),
        ({"hsk_level": 2, "degree_taught_in_chinese": False}, 2),
    ],
)
def test_chinese_never_gives_more_than_five(changes, points):
    assert factor_points("chinese", **changes) == points


@pytest.mark.parametrize(
    ("location", "points"),
    [("shanghai", 0), ("western_region", 10), ("northeast_industrial_base", 10), ("poverty_county", 10)],
)
def test_work_location(location, points):
    assert factor_points("work_location", work_location=location) == points


@pytest.mark.parametrize(
    ("age", "points"),
    [(18, 10), (25, 10), (26, 15), (45, 15), (46, 10), (55, 10), (56, 5), (60, 5), (61, 0), (75, 0)],
)
def test_age_bands(age, points):
    assert factor_points("age", age=age) == points


@pytest.mark.parametrize(
    ("extras", "points"),
    [
        (set(), 0),
        ({"top_university"}, 5),
        ({"fortune_500"}, 5),
        ({"patent"}, 5),
        ({"five_years_in_china"}, 5),
        ({"top_university", "patent"}, 5),
        ({"top_university", "fortune_500", "patent", "five_years_in_china"}, 5),
    ],
)
def test_extras_count_once(extras, points):
    assert factor_points("extras", extras=frozenset(extras)) == points


@pytest.mark.parametrize("bonus", [0, 1, 7, 10])
def test_local_bonus_as_given(bonus):
    assert factor_points("local_bonus", local_bonus=bonus) == bonus


def test_the_breakdown_lists_every_factor_with_its_maximum():
    result = assess(profile(), on=ON)
    assert [(item.code, item.max) for item in result.breakdown] == [
        ("salary", 20),
        ("education", 20),
        ("experience", 20),
        ("months_in_china", 15),
        ("chinese", 5),
        ("work_location", 10),
        ("age", 15),
        ("extras", 5),
        ("local_bonus", 10),
    ]
    assert result.max_points == 120
    assert result.table_version == "2017"


def test_the_example_of_the_issue_scores_76():
    result = assess(
        profile(
            annual_salary_cny=380_000,
            education="doctorate",
            related_experience_years=6,
            months_in_china_per_year=12,
            age=34,
        ),
        on=ON,
    )
    assert [item.points for item in result.breakdown] == [17, 20, 9, 15, 0, 0, 15, 0, 0]
    assert (result.points, result.category, result.decided_by) == (76, "B", "points")
