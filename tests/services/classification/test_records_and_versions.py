"""Assessments stored on applications, their review, and versions of the points table."""

from datetime import date

import pytest
from django.db import IntegrityError

from services.classification import actions
from services.classification.engine import assess
from services.classification.models import AssessmentRecord, Factor, PointsTable
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed
from talent_portal.core.models import AuditEvent
from tests.factories import UserFactory
from tests.services.classification.factories import profile

pytestmark = pytest.mark.django_db

PERSON = profile(
    annual_salary_cny=380_000,
    education="doctorate",
    related_experience_years=6,
    months_in_china_per_year=12,
    age=34,
)


@pytest.fixture
def administrator(db):
    return UserFactory(duties=["administrator"])


def test_recording_stores_the_snapshot_and_flags_a_different_claim(user):
    record = actions.assessment_record(actor=user, profile=PERSON, on=date(2026, 6, 1), claimed_category="A")
    record.refresh_from_db()
    assert (record.table_version, record.points, record.computed_category, record.decided_by_rule) == (
        "2017",
        76,
        "B",
        "points",
    )
    assert record.snapshot["inputs"]["annual_salary_cny"] == 380_000
    assert record.snapshot["computed_at"] == "2026-06-01"
    assert record.claimed_differs
    assert record.category == "B"
    assert AuditEvent.objects.filter(action="assessment_recorded", object_id=str(record.pk)).exists()
    same = actions.assessment_record(actor=user, profile=PERSON, on=date(2026, 6, 1), claimed_category="B")
    assert not same.claimed_differs
    assert not actions.assessment_record(actor=user, profile=PERSON, on=date(2026, 6, 1)).claimed_differs


def test_an_officer_confirms_the_computed_class(user, officer):
    record = actions.assessment_record(actor=user, profile=PERSON, on=date(2026, 6, 1))
    record = actions.assessment_confirm(actor=officer, record=record)
    assert (record.category, record.is_reviewed, record.is_overridden) == ("B", True, False)
    assert record.reviewed_by == officer
    with pytest.raises(NotAllowed):
        actions.assessment_confirm(actor=officer, record=record)


def test_an_override_needs_a_reason_and_an_officer(user, officer):
    record = actions.assessment_record(actor=user, profile=PERSON, on=date(2026, 6, 1))
    with pytest.raises(Forbidden):
        actions.assessment_override(actor=user, record=record, category="A", reason="Nobel prize")
    with pytest.raises(InvalidInput) as error:
        actions.assessment_override(actor=officer, record=record, category="A", reason="  ")
    assert "reason" in error.value.fields
    with pytest.raises(InvalidInput):
        actions.assessment_override(actor=officer, record=record, category="B", reason="Same")
    record = actions.assessment_override(
        actor=officer, record=record, category="A", reason="Nobel prize laureate"
    )
    record.refresh_from_db()
    assert (record.category, record.is_overridden, record.override_reason) == (
        "A",
        True,
        "Nobel prize laureate",
    )
    assert AuditEvent.objects.filter(action="assessment_overridden").exists()


def test_the_database_constraint_on_overrides(user):
    from django.db import transaction
    from django.utils import timezone

    record = actions.assessment_record(actor=user, profile=PERSON, on=date(2026, 6, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentRecord.objects.filter(pk=record.pk).update(
            confirmed_category="A", reviewed_at=timezone.now()
        )


def _later_version(administrator, *, effective_from=date(2030, 1, 1)) -> PointsTable:
    """A made-up later table: class B from 80 points, and salaries count double."""
    table = PointsTable.objects.get(version="2017")
    later = actions.points_table_copy(
        actor=administrator, table=table, version="2030-test", effective_from=effective_from
    )
    PointsTable.objects.filter(pk=later.pk).update(threshold_a=95, threshold_b=80)
    Factor.objects.filter(table=later, code="salary").update(max_points=40)
    for band in Factor.objects.get(table=later, code="salary").bands.all():
        band.points *= 2
        band.save()
    return actions.points_table_publish(actor=administrator, table=later)


def test_a_case_keeps_its_result_when_a_later_version_takes_effect(user, administrator):
    record = actions.assessment_record(actor=user, profile=PERSON, on=date(2026, 6, 1))
    _later_version(administrator)

    record.refresh_from_db()
    assert (record.table_version, record.points, record.computed_category) == ("2017", 76, "B")
    before = assess(PERSON, on=date(2029, 12, 31))
    assert (before.table_version, before.points, before.category) == ("2017", 76, "B")
    after = assess(PERSON, on=date(2030, 1, 1))
    assert (after.table_version, after.points, after.category) == ("2030-test", 93, "B")
    assert after.threshold_b == 80
    # The 2017 table itself is unchanged.
    assert assess(PERSON, on=date(2026, 6, 1)).as_snapshot() == {**record.snapshot}


def test_a_draft_is_not_used_until_published(administrator):
    table = PointsTable.objects.get(version="2017")
    draft = actions.points_table_copy(
        actor=administrator, table=table, version="draft", effective_from=date(2030, 1, 1)
    )
    PointsTable.objects.filter(pk=draft.pk).update(threshold_b=100, threshold_a=110)
    assert assess(PERSON, on=date(2031, 1, 1)).table_version == "2017"


def test_a_version_is_published_only_for_a_future_date_and_by_an_administrator(user, administrator):
    table = PointsTable.objects.get(version="2017")
    with pytest.raises(Forbidden):
        actions.points_table_copy(actor=user, table=table, version="x", effective_from=date(2030, 1, 1))
    with pytest.raises(InvalidInput):
        actions.points_table_copy(
            actor=administrator, table=table, version="past", effective_from=date(2020, 1, 1)
        )
    with pytest.raises(InvalidInput):
        actions.points_table_copy(
            actor=administrator, table=table, version="2017", effective_from=date(2030, 1, 1)
        )
    with pytest.raises(NotAllowed):
        actions.points_table_publish(actor=administrator, table=table)
    _later_version(administrator)
    other = actions.points_table_copy(
        actor=administrator, table=table, version="same-day", effective_from=date(2030, 1, 1)
    )
    with pytest.raises(NotAllowed):
        actions.points_table_publish(actor=administrator, table=other)


# --- The admin ----------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_the_table_in_force_is_read_only_in_the_admin(client, superuser):
    table = PointsTable.objects.get(version="2017")
    client.force_login(superuser)
    response = client.get(f"/en/admin/classification/pointstable/{table.pk}/change/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="threshold_a"' not in body
    assert 'name="factors-0-max_points"' not in body
    response = client.post(f"/en/admin/classification/pointstable/{table.pk}/change/", {"threshold_a": 1})
    assert response.status_code == 403
    factor = table.factors.get(code="salary")
    response = client.get(f"/en/admin/classification/factor/{factor.pk}/change/")
    assert 'name="bands-0-points"' not in response.content.decode()


def test_a_draft_is_editable_in_the_admin(client, superuser):
    table = PointsTable.objects.get(version="2017")
    draft = actions.points_table_copy(
        actor=superuser, table=table, version="draft", effective_from=date(2030, 1, 1)
    )
    client.force_login(superuser)
    body = client.get(f"/en/admin/classification/pointstable/{draft.pk}/change/").content.decode()
    assert 'name="threshold_a"' in body
    assert 'name="title_ja"' in body


@pytest.mark.parametrize(
    "model", ["pointstable", "factor", "talentcategory", "shortagepost", "localaveragewage"]
)
def test_admin_pages_load_nothing_from_another_origin(client, superuser, model):
    import re

    client.force_login(superuser)
    response = client.get(f"/en/admin/classification/{model}/add/")
    assert response.status_code == 200
    body = response.content.decode()
    assert not re.search(r'<script[^>]+src="https?://', body)
    assert not re.search(r'<link[^>]+href="https?://', body)


def test_a_shortage_post_is_added_in_four_languages_through_the_admin(client, superuser):
    from services.classification.models import ShortagePost

    client.force_login(superuser)
    response = client.post(
        "/ja/admin/classification/shortagepost/add/",
        {
            "code": "ic-verification",
            "industry": "integrated_circuits",
            "title_zh_hans": "芯片验证工程师",
            "title_en": "Chip verification engineer",
            "title_ja": "チップ検証エンジニア",
            "title_ko": "칩 검증 엔지니어",
            "requirements_zh_hans": "学士及以上学位，2年以上芯片验证经验。",
            "requirements_en": "A bachelor's degree or higher and 2 years' chip verification experience.",
            "requirements_ja": "学士以上の学位と2年以上のチップ検証の経験。",
            "requirements_ko": "학사 이상 학위와 2년 이상의 칩 검증 경력.",
            "min_education": "bachelor",
            "min_experience_years": 2,
            "effective_from": "2026-01-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = ShortagePost.objects.get(code="ic-verification")
    assert (post.title_ja, post.title_ko, post.title_zh_hans) == (
        "チップ検証エンジニア",
        "칩 검증 엔지니어",
        "芯片验证工程师",
    )
