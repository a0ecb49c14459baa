"""Award nominations: the rules as data (ladder gaps, years in Shanghai, previous laureates, the
Friendship quota and single channel), the stages and their notifications, and who sees what."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from services.notifications.models import Notification
from services.outreach import actions, rules
from services.outreach.models import AwardGrant, Nomination
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed
from tests.factories import UserFactory

from .conftest import materials_for
from .factories import AwardGrantFactory, AwardRoundFactory, award

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _round(code, year=YEAR):
    return AwardRoundFactory(award=award(code), year=year)


# --- The ladder, as data ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "held", "allowed"),
    [
        ("magnolia_gold", {}, False),  # no Silver at all
        ("magnolia_gold", {"magnolia_silver": YEAR - 1}, False),  # Silver only a year ago
        ("magnolia_gold", {"magnolia_silver": YEAR - 2}, True),  # exactly two years
        ("magnolia_gold", {"magnolia_silver": YEAR - 5}, True),
        ("honorary_citizen", {"magnolia_silver": YEAR - 9}, False),  # Gold is the step before
        ("honorary_citizen", {"magnolia_silver": YEAR - 9, "magnolia_gold": YEAR - 1}, False),
        ("honorary_citizen", {"magnolia_silver": YEAR - 9, "magnolia_gold": YEAR - 2}, True),
        ("magnolia_silver", {"magnolia_silver": YEAR - 6}, False),  # previous laureate
        ("friendship", {"friendship": YEAR - 10}, False),
        ("friendship", {"magnolia_gold": YEAR - 1}, True),
    ],
)
def test_the_ladder_and_previous_laureates(code, held, allowed):
    grants = {award(held_code).pk: year for held_code, year in held.items()}
    problems = rules.eligibility_problems(award(code), year=YEAR, grants=grants)
    assert (problems == []) is allowed, problems


def test_the_ladder_message_names_the_first_possible_year():
    [problem] = rules.eligibility_problems(
        award("magnolia_gold"), year=YEAR, grants={award("magnolia_silver").pk: YEAR - 1}
    )
    assert "at least 2 years earlier" in problem and str(YEAR + 1) in problem


def test_a_gold_nomination_too_soon_after_silver_is_refused(nominate, expert):
    AwardGrantFactory(award=award("magnolia_silver"), laureate=expert, year=YEAR - 1)
    with pytest.raises(NotAllowed) as refused:
        nominate(round=_round("magnolia_gold"), nominee=expert)
    assert refused.value.code == "not_eligible"
    AwardGrant.objects.filter(laureate=expert).update(year=YEAR - 2)
    assert nominate(round=_round("magnolia_gold"), nominee=expert).status == "submitted"


def test_a_previous_laureate_is_not_nominated_again(nominate, expert):
    AwardGrantFactory(award=award("friendship"), laureate=expert, year=2019)
    with pytest.raises(NotAllowed) as refused:
        nominate(round=_round("friendship"), nominee=expert)
    assert "already received" in str(refused.value.message)


def test_silver_needs_two_years_in_shanghai_or_a_stated_reason(nominate, expert):
    recent = timezone.localdate() - timedelta(days=400)
    with pytest.raises(InvalidInput) as refused:
        nominate(round=_round("magnolia_silver"), nominee=expert, shanghai_since=recent)
    assert "shanghai_since" in refused.value.fields
    with pytest.raises(InvalidInput):
        nominate(round=_round("magnolia_silver"), nominee=expert, shanghai_since=None)
    nomination = nominate(
        round=_round("magnolia_silver"),
        nominee=expert,
        shanghai_since=recent,
        exception_reason="Led the city's vaccine programme from abroad before moving here.",
    )
    assert nomination.exception_reason


def test_required_materials_come_from_the_award(nominate, expert):
    materials = [item for item in materials_for("magnolia_silver") if item[0] != "shanghai_work"]
    with pytest.raises(InvalidInput) as refused:
        nominate(round=_round("magnolia_silver"), nominee=expert, materials=materials)
    assert "Evidence of the years worked in Shanghai" in refused.value.fields["materials"][0]


# --- The Friendship Award: one channel, at most four ranked -------------------------------------


def test_a_second_channel_is_refused_and_only_officers_are_told_which(
    nominate, expert, second_employer, unit_member, reviewer
):
    round_ = _round("friendship")
    first = nominate(round=round_, nominee=expert)
    values = {
        "organization": second_employer.organization,
        "round": round_,
        "nominee_email": expert.email,
        "supervising_unit": unit_member.unit,
        "post": "Adviser",
        "citation": "Advice.",
        "materials": materials_for("friendship"),
    }
    with pytest.raises(NotAllowed) as refused:
        actions.nomination_create(actor=second_employer, **values)
    assert refused.value.code == "other_channel"
    assert first.organization.display_name not in str(refused.value.message)
    assert "another channel" in str(refused.value.message)

    # An officer who is also on the second employer's staff files it: the message names the channel.
    from talent_portal.accounts.models import Membership

    Membership.objects.create(user=reviewer, organization=second_employer.organization, role="hr_staff")
    values["materials"] = materials_for("friendship")
    with pytest.raises(NotAllowed) as told:
        actions.nomination_create(actor=reviewer, **values)
    assert first.organization.display_name in str(told.value.message)
    assert f"#{first.pk}" in str(told.value.message)
    assert Nomination.objects.filter(nominee=expert).count() == 1


def test_a_withdrawn_nomination_frees_the_channel(
    nominate, expert, second_employer, unit_member, employer_admin
):
    round_ = _round("friendship")
    first = nominate(round=round_, nominee=expert)
    actions.nomination_withdraw(actor=employer_admin, nomination=first)
    second = actions.nomination_create(
        actor=second_employer,
        organization=second_employer.organization,
        round=round_,
        nominee_email=expert.email,
        supervising_unit=unit_member.unit,
        post="Adviser",
        citation="Advice.",
        materials=materials_for("friendship"),
    )
    assert second.status == "submitted"


def test_magnolia_awards_allow_two_employers_to_nominate_the_same_person(
    nominate, expert, second_employer, unit_member
):
    round_ = _round("magnolia_silver")
    nominate(round=round_, nominee=expert)
    second = actions.nomination_create(
        actor=second_employer,
        organization=second_employer.organization,
        round=round_,
        nominee_email=expert.email,
        supervising_unit=unit_member.unit,
        post="Adviser",
        citation="Advice.",
        materials=materials_for("magnolia_silver"),
        shanghai_since=date(2014, 1, 1),
    )
    assert second.status == "submitted"
    with pytest.raises(NotAllowed) as again:
        nominate(round=round_, nominee=expert)
    assert again.value.code == "already_nominated"


def _endorsed(nominate, unit_member, nominee, round_):
    nomination = nominate(round=round_, nominee=nominee)
    return actions.nomination_endorse(actor=unit_member, nomination=nomination)


def test_the_friendship_award_ranks_at_most_four_nominees(nominate, unit_member, reviewer):
    round_ = _round("friendship")
    nominations = [_endorsed(nominate, unit_member, UserFactory(), round_) for _ in range(5)]
    with pytest.raises(InvalidInput) as unranked:
        actions.nomination_recommend(actor=reviewer, nomination=nominations[0])
    assert "rank" in unranked.value.fields
    with pytest.raises(InvalidInput):
        actions.nomination_recommend(actor=reviewer, nomination=nominations[0], rank=5)
    for rank, nomination in enumerate(nominations[:4], start=1):
        actions.nomination_recommend(actor=reviewer, nomination=nomination, rank=rank)
    with pytest.raises(NotAllowed) as taken:
        actions.nomination_recommend(actor=reviewer, nomination=nominations[4], rank=2)
    assert taken.value.code == "rank_taken"
    assert Nomination.objects.filter(round=round_, rank__isnull=False).count() == 4
    # A rank already given cannot be given twice when re-ranking either.
    with pytest.raises(NotAllowed):
        actions.nomination_rank(actor=reviewer, nomination=nominations[3], rank=1)
    assert actions.nomination_rank(actor=reviewer, nomination=nominations[3], rank=4).rank == 4


# --- The stages and their notifications ---------------------------------------------------------


def test_every_stage_is_notified(nominate, expert, employer_admin, unit_member, reviewer):
    nomination = nominate(round=_round("magnolia_silver"), nominee=expert)
    assert Notification.objects.get(kind="nomination_submitted").recipient == unit_member

    actions.nomination_endorse(actor=unit_member, nomination=nomination, note="Fully supported.")
    assert Notification.objects.get(kind="nomination_endorsed").recipient == employer_admin
    assert Notification.objects.get(kind="nomination_to_review").recipient == reviewer

    actions.nomination_recommend(actor=reviewer, nomination=nomination, rank=1)
    assert Notification.objects.get(kind="nomination_recommended").context["rank"] == 1

    actions.nomination_record_outcome(actor=reviewer, nomination=nomination, awarded=True)
    awarded = Notification.objects.filter(kind="nomination_awarded")
    assert {row.recipient for row in awarded} == {employer_admin, expert}
    korean = awarded.get(recipient=expert)
    assert korean.context["award"] == "상하이시 백옥란 기념상"  # in the nominee's language
    assert AwardGrant.objects.get(laureate=expert).year == YEAR
    nomination.refresh_from_db()
    assert nomination.status == "awarded"


def test_declined_and_not_recommended_nominations_tell_the_employer_why(nominate, unit_member, reviewer):
    declined = nominate(round=_round("magnolia_silver"), nominee=UserFactory())
    with pytest.raises(InvalidInput):
        actions.nomination_decline(actor=unit_member, nomination=declined, reason=" ")
    actions.nomination_decline(actor=unit_member, nomination=declined, reason="Materials incomplete.")
    assert Notification.objects.get(kind="nomination_declined").context["reason"] == "Materials incomplete."

    rejected = _endorsed(nominate, unit_member, UserFactory(), _round("magnolia_silver"))
    actions.nomination_reject(actor=reviewer, nomination=rejected, reason="Not yet.")
    assert Notification.objects.get(kind="nomination_not_recommended").context["reason"] == "Not yet."


def test_stages_are_kept_in_order_and_to_their_people(
    nominate, expert, employer_admin, unit_member, reviewer
):
    nomination = nominate(round=_round("magnolia_silver"), nominee=expert)
    with pytest.raises(NotAllowed):
        actions.nomination_recommend(actor=reviewer, nomination=nomination, rank=1)
    with pytest.raises(Forbidden):
        actions.nomination_endorse(actor=employer_admin, nomination=nomination)
    with pytest.raises(Forbidden):
        actions.nomination_endorse(actor=UserFactory(), nomination=nomination)
    actions.nomination_endorse(actor=unit_member, nomination=nomination)
    with pytest.raises(Forbidden):
        actions.nomination_recommend(actor=UserFactory(duties=["work_permit_officer"]), nomination=nomination)
    with pytest.raises(Forbidden):
        actions.nomination_recommend(actor=unit_member, nomination=nomination)
    with pytest.raises(NotAllowed):
        actions.nomination_record_outcome(actor=reviewer, nomination=nomination, awarded=True)


def test_only_staff_of_a_verified_employer_nominate_while_the_round_is_open(
    nominate, expert, employer_admin, unit_member
):
    with pytest.raises(Forbidden):
        nominate(round=_round("magnolia_silver"), nominee=expert, actor=UserFactory())
    closed = AwardRoundFactory(
        award=award("friendship"),
        year=YEAR - 1,
        nominations_open_on=date(YEAR - 1, 1, 1),
        nominations_close_on=date(YEAR - 1, 3, 1),
    )
    with pytest.raises(NotAllowed) as refused:
        nominate(round=closed, nominee=expert)
    assert refused.value.code == "round_closed"
    with pytest.raises(InvalidInput) as unknown:
        nominate(round=_round("friendship"), nominee=expert, nominee_email="nobody@example.com")
    assert "nominee_email" in unknown.value.fields
    with pytest.raises(InvalidInput):
        nominate(round=_round("friendship"), nominee=employer_admin)


# --- Who sees what ------------------------------------------------------------------------------


def test_a_nomination_is_seen_by_its_employer_unit_and_reviewers_only(
    client, nominate, expert, employer_admin, unit_member, reviewer, second_employer
):
    nomination = nominate(round=_round("magnolia_silver"), nominee=expert)
    material = nomination.materials.first()
    page = f"/en/outreach/nominations/{nomination.pk}/"
    file = f"/en/outreach/nominations/{nomination.pk}/materials/{material.pk}/"
    for person, status in [
        (employer_admin, 200),
        (unit_member, 200),
        (reviewer, 200),
        (expert, 404),
        (second_employer, 404),
        (UserFactory(duties=["work_permit_officer"]), 404),
    ]:
        client.force_login(person)
        assert client.get(page).status_code == status, person
        assert client.get(file).status_code == status, person


def test_the_reviewer_sees_the_permit_history_on_a_commission_page(
    client, nominate, expert, reviewer, employer_admin
):
    from tests.permits.factories import PermitFactory

    nomination = nominate(round=_round("magnolia_silver"), nominee=expert)
    permit = PermitFactory(holder=expert)
    client.force_login(reviewer)
    response = client.get(f"/en/commission/nominations/{nomination.pk}/permits/")
    assert response.status_code == 200
    assert permit.number in response.content.decode()
    client.force_login(employer_admin)
    assert client.get(f"/en/commission/nominations/{nomination.pk}/permits/").status_code == 404


def test_the_reviewer_page_shows_the_review_form_and_the_outcome(
    client, nominate, expert, unit_member, reviewer
):
    nomination = _endorsed(nominate, unit_member, expert, _round("friendship"))
    client.force_login(reviewer)
    assert client.get(f"/en/outreach/nominations/{nomination.pk}/").context["review_form"] is not None
    response = client.post(
        f"/en/outreach/nominations/{nomination.pk}/review/", {"decision": "recommend", "rank": "", "note": ""}
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == "endorsed"  # the Friendship Award needs a rank
    client.post(f"/en/outreach/nominations/{nomination.pk}/review/", {"decision": "recommend", "rank": "1"})
    nomination.refresh_from_db()
    assert (nomination.status, nomination.rank) == ("recommended", 1)
    listed = client.get("/en/outreach/commission/nominations/").context["nominations"]
    assert nomination in listed
