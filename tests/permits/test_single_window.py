"""Single window: eligibility, two tracks in parallel, synchronised issuance, rules between tracks."""

from datetime import date

import pytest
import time_machine

from permits import actions, deadlines, residence
from permits.models import (
    DocumentVersion,
    Permit,
    ResidencePermit,
    ResidenceTrack,
    Transition,
)
from services.notifications.models import Notification
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed
from tests.factories import UserFactory

from .factories import add_version, declared, upload_checklist

pytestmark = pytest.mark.django_db

WORK_VALID_UNTIL = date(2028, 3, 1)


@pytest.fixture
def officer():
    return UserFactory(duties=["work_permit_officer"], preferred_language="zh-hans")


@pytest.fixture
def lead():
    return UserFactory(duties=["work_permit_officer", "lead_officer"])


@pytest.fixture
def exit_entry():
    return UserFactory(duties=["exit_entry_officer"])


@pytest.fixture
def exit_entry_second():
    return UserFactory(duties=["exit_entry_officer"])


def make_eligible(case, *, zone="pudong_ftz"):
    """An in-country new permit (class B by points) at an employer in a designated zone."""
    case.business_type = "new_in_country"
    case.in_china = True
    case.save()
    case.organization.zone = zone
    case.organization.save()
    return case


def opened(case, **data):
    hr = getattr(case, "hr", None)
    make_eligible(case)
    values = {
        "shanghai_address": "上海市浦东新区张江路 100 号 1201 室",
        "accommodation_registration_number": "PD2026-000123",
        "requested_validity_months": 24,
        "family_members": [
            {
                "full_name": "TANAKA HARU",
                "relationship": "child",
                "nationality": "JPN",
                "date_of_birth": date(2019, 1, 2),
            }
        ],
    }
    values.setdefault("guardian_consent", True)
    values.update(data)
    actions.single_window_open(actor=case.applicant, application=case, **values)
    case.refresh_from_db()
    case.hr = hr
    return case


def accepted(case, officer):
    hr = case.hr
    upload_checklist(case)
    declared(case, by=hr)
    case.refresh_from_db()
    case = actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    for version in DocumentVersion.objects.filter(document__application=case):
        actions.document_review(actor=officer, version=version, status="accepted")
    case = actions.application_accept(actor=officer, application=case, expected_version=case.version)
    case.hr = hr
    return case


def both_in_review(case, officer, exit_entry):
    hr = case.hr
    if not case.is_single_window:
        case = opened(case)
    case.hr = hr
    case = accepted(case, officer)
    actions.application_claim(actor=officer, application=case)
    case.refresh_from_db()
    case = actions.application_start_review(actor=officer, application=case, expected_version=case.version)
    actions.track_claim(actor=exit_entry, application=case)
    track = ResidenceTrack.objects.get(application=case)
    actions.track_start_review(actor=exit_entry, application=case, expected_version=track.version)
    case.refresh_from_db()
    return case


def approve_work(case, officer):
    case.refresh_from_db()
    return actions.application_approve(
        actor=officer, application=case, expected_version=case.version, valid_until=WORK_VALID_UNTIL
    )


def approve_residence(case, exit_entry):
    track = ResidenceTrack.objects.get(application=case)
    return actions.track_approve(actor=exit_entry, application=case, expected_version=track.version)


def refuse_residence(case, first, second):
    track = ResidenceTrack.objects.get(application=case)
    track = actions.track_propose_refusal(
        actor=first,
        application=case,
        expected_version=track.version,
        reason_codes=["degree_unverified"],
        note="Accommodation not registered at the address given.",
    )
    return actions.track_confirm_refusal(actor=second, application=case, expected_version=track.version)


@pytest.fixture(autouse=True)
def refusal_reason(db):
    from permits.models import ReasonCode

    ReasonCode.objects.get_or_create(
        code="degree_unverified", kind="refusal", defaults={"text": "The degree could not be verified."}
    )


# --- Eligibility --------------------------------------------------------------------------------


def test_class_b_in_a_designated_zone_with_an_in_country_new_permit_is_eligible(case):
    make_eligible(case)
    assert residence.eligibility_problems(case, on=date(2026, 3, 2)) == []


@pytest.mark.parametrize("zone", ["pudong_ftz", "lingang", "hongqiao", "yrd_demo_zone"])
def test_every_designated_zone_admits_class_b(case, zone):
    make_eligible(case, zone=zone)
    assert residence.eligibility_problems(case, on=date(2026, 3, 2)) == []


def test_class_b_outside_the_designated_zones_is_told_why(case):
    make_eligible(case, zone="none")
    problems = residence.eligibility_problems(case, on=date(2026, 3, 2))
    assert len(problems) == 1 and "zone" in problems[0]


def test_class_a_is_eligible_everywhere_and_class_c_nowhere(case, monkeypatch):
    make_eligible(case, zone="none")
    monkeypatch.setattr("permits.classify.talent_class", lambda application, on: "A")
    assert residence.eligibility_problems(case, on=date(2026, 3, 2)) == []
    monkeypatch.setattr("permits.classify.talent_class", lambda application, on: "C")
    make_eligible(case, zone="pudong_ftz")
    assert len(residence.eligibility_problems(case, on=date(2026, 3, 2))) == 1


def test_someone_still_abroad_files_the_notice_first(case):
    case.organization.zone = "pudong_ftz"
    case.organization.save()
    problems = residence.eligibility_problems(case, on=date(2026, 3, 2))  # a new_notice case
    assert len(problems) == 1 and "notice" in problems[0]


def test_transfers_and_cards_after_entry_are_eligible_but_extensions_are_not(case):
    make_eligible(case)
    case.changing_employer = True
    assert residence.eligibility_problems(case, on=date(2026, 3, 2)) == []
    case.business_type = "new_card"
    assert residence.eligibility_problems(case, on=date(2026, 3, 2)) == []
    case.business_type = "extension"
    assert len(residence.eligibility_problems(case, on=date(2026, 3, 2))) == 1


def test_an_ineligible_case_stays_ordinary_and_hears_why(case):
    make_eligible(case, zone="none")
    with pytest.raises(NotAllowed) as error:
        actions.single_window_open(
            actor=case.applicant,
            application=case,
            shanghai_address="x",
            accommodation_registration_number="y",
        )
    assert error.value.code == "not_eligible"
    assert error.value.fields["problems"]
    case.refresh_from_db()
    assert not case.is_single_window
    assert not ResidenceTrack.objects.filter(application=case).exists()


def test_a_health_certificate_from_abroad_needs_a_chinese_health_check_record_for_residence(case):
    from permits import rules

    make_eligible(case)
    # An ordinary case never needs it.
    assert "health_check_china" not in rules.required_documents(case, on=date(2026, 3, 2))
    case = opened(case, health_certificate_issued_abroad=False)
    assert "health_check_china" not in rules.required_documents(case, on=date(2026, 3, 2))
    case = opened(case, health_certificate_issued_abroad=True)
    assert ResidenceTrack.objects.get(application=case).health_certificate_issued_abroad
    required = rules.required_documents(case, on=date(2026, 3, 2))
    assert "health_check_china" in required and "health_certificate" in required


def test_the_health_check_condition_is_a_checklist_row():
    from permits.checklist import CHECKLIST, Facts, required_kinds

    row = next(item for item in CHECKLIST if item.kind == "health_check_china")
    assert set(row.only_if) == {"single_window", "health_certificate_abroad"}
    base = {
        "business_type": "new_in_country",
        "route": "ordinary",
        "talent_class": "B",
        "pledge": False,
        "good_credit": False,
        "claims_criteria": False,
        "changing_employer": False,
        "change_kinds": frozenset(),
    }
    assert "health_check_china" in required_kinds(
        Facts(**base, single_window=True, health_certificate_abroad=True)
    )
    # Stated abroad but not a single-window case: the work permit alone does not need it.
    assert "health_check_china" not in required_kinds(
        Facts(**base, single_window=False, health_certificate_abroad=True)
    )


def test_the_residence_track_adds_only_its_own_document_and_needs_its_data(case):
    from permits import rules

    make_eligible(case)
    before = rules.required_documents(case, on=date(2026, 3, 2))
    case = opened(case, accommodation_registration_number="")
    after = rules.required_documents(case, on=date(2026, 3, 2))
    assert set(after) - set(before) == {"accommodation_registration"}
    assert any(
        "accommodation registration number" in p
        for p in rules.single_window_problems(case, on=date(2026, 3, 2))
    )


# --- Two tracks from acceptance -----------------------------------------------------------------


def test_acceptance_starts_both_tracks_with_the_single_window_deadlines(case, officer):
    case = accepted(opened(case), officer)
    track = ResidenceTrack.objects.get(application=case)
    assert case.state == "accepted" and track.state == "accepted"
    # Accepted Monday 2 March 2026: 7 working days → 11 March; residence statutory 15 → 23 March.
    assert case.target_date == date(2026, 3, 11)
    assert track.target_date == date(2026, 3, 11)
    assert track.statutory_limit == date(2026, 3, 23)
    assert deadlines.expected_date(case) == date(2026, 3, 11)
    assert Transition.objects.filter(application=case, track="residence", action="accept").count() == 1


def test_a_document_request_on_the_residence_track_pauses_only_its_clock(case, officer, exit_entry):
    case = both_in_review(case, officer, exit_entry)
    track = ResidenceTrack.objects.get(application=case)
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        track = actions.track_request_documents(
            actor=exit_entry,
            application=case,
            expected_version=track.version,
            kinds=["accommodation_registration"],
            message="Upload the registration stamped by the police station.",
        )
    case.refresh_from_db()
    assert track.state == "awaiting_documents" and case.state == "under_review"
    assert Notification.objects.filter(kind="documents_requested", recipient=case.applicant).exists()
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False):
        add_version(case, "accommodation_registration")
        track = actions.track_answer(actor=case.applicant, application=case, expected_version=track.version)
    case.refresh_from_db()
    # Counted Tue 3 and Wed 4 (the request's day), resumed after Mon 9: 5 more → 16 March.
    assert track.state == "under_review"
    assert track.target_date == date(2026, 3, 16)
    assert case.target_date == date(2026, 3, 11)  # the work-permit clock never stopped
    assert deadlines.expected_date(case) == date(2026, 3, 16)


# --- Synchronised issuance ----------------------------------------------------------------------


@pytest.mark.parametrize("order", ["work_first", "residence_first"])
def test_approving_the_second_track_issues_both_permits_together(case, officer, exit_entry, order):
    hr = case.hr
    case = both_in_review(case, officer, exit_entry)
    if order == "work_first":
        case = approve_work(case, officer)
        assert case.state == "approved"  # waits for the residence track
        assert not Permit.objects.filter(application=case).exists()
        approve_residence(case, exit_entry)
    else:
        track = approve_residence(case, exit_entry)
        assert track.state == "approved"
        assert not Permit.objects.filter(application=case).exists()
        approve_work(case, officer)
    case.refresh_from_db()
    track = ResidenceTrack.objects.get(application=case)
    assert case.state == "issued" and track.state == "issued"
    permit = Permit.objects.get(application=case)
    residence_permit = ResidencePermit.objects.get(track=track)
    assert residence_permit.work_permit == permit
    assert residence_permit.valid_until <= permit.valid_until
    assert residence_permit.valid_until == date(2028, 3, 1)
    assert residence_permit.fee_cny == track.fee_cny == 800
    # One message for both permits, to the applicant and the employer; no separate permit message.
    assert Notification.objects.filter(kind="single_window_issued", recipient=case.applicant).count() == 1
    assert Notification.objects.filter(kind="single_window_issued", recipient=hr).count() == 1
    assert not Notification.objects.filter(kind="permit_issued").exists()


def test_the_residence_permit_never_outlasts_the_work_permit(case, officer, exit_entry):
    case = opened(case, requested_validity_months=60)
    case = both_in_review(case, officer, exit_entry)
    approve_residence(case, exit_entry)
    approve_work(case, officer)
    residence_permit = ResidencePermit.objects.get(track__application=case)
    assert residence_permit.valid_until == WORK_VALID_UNTIL


def test_a_shorter_residence_request_is_granted_as_asked_with_its_fee_band(case, officer, exit_entry):
    case = opened(case, requested_validity_months=6)
    case = both_in_review(case, officer, exit_entry)
    approve_work(case, officer)
    approve_residence(case, exit_entry)
    residence_permit = ResidencePermit.objects.get(track__application=case)
    assert residence_permit.valid_until == date(2026, 9, 1)
    assert residence_permit.fee_cny == 400


@pytest.mark.parametrize(
    ("valid_until", "fee"),
    [
        (date(2026, 5, 31), 400),  # 90 days
        (date(2027, 2, 28), 400),  # one day short of a year
        (date(2027, 3, 1), 800),  # exactly one year (the last day included)
        (date(2029, 2, 28), 800),  # one day short of 3 years
        (date(2029, 3, 1), 1000),  # exactly 3 years
        (date(2031, 3, 1), 1000),  # 5 years
    ],
)
def test_fee_bands(valid_until, fee):
    assert residence.fee_for(date(2026, 3, 2), valid_until) == fee


# --- Rules between the tracks -------------------------------------------------------------------


def test_a_work_permit_refusal_closes_the_residence_track_with_the_reason(case, officer, lead, exit_entry):
    case = both_in_review(case, officer, exit_entry)
    case = actions.application_propose_refusal(
        actor=officer, application=case, expected_version=case.version, reason_codes=["degree_unverified"]
    )
    case = actions.application_confirm_proposal(actor=lead, application=case, expected_version=case.version)
    track = ResidenceTrack.objects.get(application=case)
    assert case.state == "refused"
    assert track.state == "closed" and "work permit was refused" in track.closed_reason
    assert not ResidencePermit.objects.exists()


def test_a_residence_refusal_needs_a_second_exit_entry_officer(case, officer, exit_entry):
    case = both_in_review(case, officer, exit_entry)
    track = ResidenceTrack.objects.get(application=case)
    track = actions.track_propose_refusal(
        actor=exit_entry, application=case, expected_version=track.version, reason_codes=["degree_unverified"]
    )
    assert track.state == "under_review"
    with pytest.raises(NotAllowed):
        actions.track_confirm_refusal(actor=exit_entry, application=case, expected_version=track.version)


@pytest.mark.parametrize("work_already_approved", [False, True])
def test_a_residence_refusal_takes_the_case_out_of_the_single_window(
    case, officer, exit_entry, exit_entry_second, work_already_approved
):
    case = both_in_review(case, officer, exit_entry)
    if work_already_approved:
        approve_work(case, officer)
    track = refuse_residence(case, exit_entry, exit_entry_second)
    case.refresh_from_db()
    assert track.state == "refused" and not case.is_single_window
    if work_already_approved:
        # The work permit waited only for the residence track: it is issued as an ordinary case.
        assert case.state == "issued"
        assert Notification.objects.filter(kind="permit_issued", recipient=case.applicant).exists()
    else:
        assert case.state == "under_review"
        # Back to the ordinary review time (class B: 10 working days from 2 March).
        assert case.target_date == date(2026, 3, 16)
        case = approve_work(case, officer)
        assert case.state == "issued"
    assert Permit.objects.filter(application=case).count() == 1
    assert not ResidencePermit.objects.exists()


def test_a_confirmed_residence_refusal_leaves_a_written_decision_with_the_case(
    case, officer, exit_entry, exit_entry_second
):
    from django.utils import translation

    from permits import notices
    from permits.models import WrittenNotice

    case = both_in_review(case, officer, exit_entry)
    track = ResidenceTrack.objects.get(application=case)
    actions.track_propose_refusal(
        actor=exit_entry,
        application=case,
        expected_version=track.version,
        reason_codes=["degree_unverified"],
        note="Accommodation not registered at the address given.",
    )
    assert not WrittenNotice.objects.filter(application=case, kind="residence_refusal").exists()
    track.refresh_from_db()
    actions.track_confirm_refusal(actor=exit_entry_second, application=case, expected_version=track.version)
    notice = WrittenNotice.objects.get(application=case, kind="residence_refusal")
    assert notice.file.read().startswith(b"%PDF")
    assert notice.language == case.submitted_language
    # Its text: the reasons, then the right to reconsideration (60 days) or a lawsuit (6 months).
    with translation.override("en"):
        body = notices.Content(
            kind="residence_refusal",
            date=date(2026, 3, 5),
            data={"reason_codes": ["degree_unverified"], "note": "Accommodation not registered."},
        ).body()
    text = " ".join(body)
    assert "residence permit" in body[0]
    assert "Accommodation not registered." in text
    assert "60 days" in body[-1] and "6 months" in body[-1]


def test_residence_approved_then_work_refused(case, officer, lead, exit_entry):
    case = both_in_review(case, officer, exit_entry)
    approve_residence(case, exit_entry)
    case.refresh_from_db()
    case = actions.application_propose_refusal(
        actor=officer, application=case, expected_version=case.version, reason_codes=["degree_unverified"]
    )
    case = actions.application_confirm_proposal(actor=lead, application=case, expected_version=case.version)
    track = ResidenceTrack.objects.get(application=case)
    assert case.state == "refused" and track.state == "closed"
    assert not Permit.objects.exists() and not ResidencePermit.objects.exists()


def test_both_refused(case, officer, lead, exit_entry, exit_entry_second):
    case = both_in_review(case, officer, exit_entry)
    refuse_residence(case, exit_entry, exit_entry_second)
    case.refresh_from_db()
    case = actions.application_propose_refusal(
        actor=officer, application=case, expected_version=case.version, reason_codes=["degree_unverified"]
    )
    case = actions.application_confirm_proposal(actor=lead, application=case, expected_version=case.version)
    track = ResidenceTrack.objects.get(application=case)
    assert case.state == "refused" and track.state == "refused"


@pytest.mark.parametrize("stage", ["draft", "in_review", "work_approved"])
def test_withdrawal_ends_both_tracks(case, officer, exit_entry, stage):
    if stage == "draft":
        case = opened(case)
    else:
        case = both_in_review(case, officer, exit_entry)
        if stage == "work_approved":
            case = approve_work(case, officer)
    if stage == "work_approved":
        # An approved case can no longer be withdrawn by the filers.
        with pytest.raises(NotAllowed):
            actions.application_withdraw(
                actor=case.applicant, application=case, expected_version=case.version
            )
        return
    case = actions.application_withdraw(actor=case.applicant, application=case, expected_version=case.version)
    track = ResidenceTrack.objects.get(application=case)
    assert case.state == "withdrawn" and track.state == "withdrawn"


# --- Role isolation in the door -----------------------------------------------------------------


def test_officers_of_one_track_cannot_decide_the_other(case, officer, exit_entry):
    case = both_in_review(case, officer, exit_entry)
    track = ResidenceTrack.objects.get(application=case)
    with pytest.raises(Forbidden):
        actions.track_approve(actor=officer, application=case, expected_version=track.version)
    with pytest.raises(Forbidden):
        actions.application_approve(
            actor=exit_entry, application=case, expected_version=case.version, valid_until=WORK_VALID_UNTIL
        )
    with pytest.raises(Forbidden):
        actions.track_claim(actor=officer, application=case)


# --- Fee and passport hand-over -----------------------------------------------------------------


def test_fee_payment_and_passport_hand_over(case, officer, exit_entry):
    case = both_in_review(case, officer, exit_entry)
    with pytest.raises(NotAllowed):
        actions.fee_record_payment(actor=case.applicant, application=case, amount_cny=800, method="online")
    approve_work(case, officer)
    approve_residence(case, exit_entry)
    with pytest.raises(InvalidInput):
        actions.fee_record_payment(actor=case.applicant, application=case, amount_cny=400, method="online")
    track = actions.fee_record_payment(
        actor=case.applicant, application=case, amount_cny=800, method="online"
    )
    assert track.fee_paid_cny == 800 and track.fee_paid_at is not None

    track = actions.appointment_book(
        actor=case.applicant, application=case, centre="Pudong", on=date(2026, 3, 10), slot="09:00-10:30"
    )
    with time_machine.travel("2026-03-08 10:00 +0800", tick=False):
        track = actions.appointment_book(
            actor=case.applicant, application=case, centre="Pudong", on=date(2026, 3, 12), slot="13:30-15:00"
        )
    assert track.appointment_reschedules == 1
    with time_machine.travel("2026-03-12 09:00 +0800", tick=False):
        with pytest.raises(NotAllowed):  # the day itself: too late to change
            actions.appointment_book(
                actor=case.applicant,
                application=case,
                centre="Pudong",
                on=date(2026, 3, 20),
                slot="09:00-10:30",
            )
        with pytest.raises(Forbidden):
            actions.passport_returned(actor=case.applicant, application=case)
        track = actions.passport_returned(actor=exit_entry, application=case)
    assert track.passport_returned_at is not None


def test_each_track_has_its_own_document_decisions(case, officer, exit_entry):
    from permits.models import ReasonCode

    ReasonCode.objects.get_or_create(code="photo_noncompliant", kind="defect", defaults={"text": "Photo"})
    case = both_in_review(case, officer, exit_entry)
    photo = DocumentVersion.objects.get(document__application=case, document__kind="photo")
    with pytest.raises(Forbidden):
        actions.track_document_review(
            actor=officer,
            application=case,
            version=photo,
            status="rejected",
            reason_code="photo_noncompliant",
        )
    actions.track_document_review(
        actor=exit_entry, application=case, version=photo, status="rejected", reason_code="photo_noncompliant"
    )
    photo.refresh_from_db()
    assert photo.status == "accepted"  # the work-permit side's decision is untouched
    with pytest.raises(NotAllowed) as error:
        approve_residence(case, exit_entry)
    assert error.value.code == "conditions_not_met"
    actions.track_document_review(actor=exit_entry, application=case, version=photo, status="accepted")
    assert approve_residence(case, exit_entry).state == "approved"


def test_residence_deadline_alerts_reach_the_assigned_exit_entry_officer_once(case, officer, exit_entry):
    import datetime as dt

    from permits import tasks

    case = both_in_review(case, officer, exit_entry)
    track = ResidenceTrack.objects.get(application=case)
    assert track.assigned_officer == exit_entry
    assert (track.target_date, track.statutory_limit) == (date(2026, 3, 11), date(2026, 3, 23))

    def run(day):
        with time_machine.travel(dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=dt.UTC), tick=False):
            tasks.send_deadline_alerts()
        return Notification.objects.filter(kind="residence_deadline")

    assert not run(date(2026, 3, 11)).exists()
    # Past the target: one alert, to the assigned exit-entry officer only; the next run sends nothing.
    sent = run(date(2026, 3, 12))
    assert [(row.recipient, row.context["which"]) for row in sent] == [(exit_entry, "target_passed")]
    assert sent.get().link.endswith(f"/applications/{case.public_id}/residence/")
    assert run(date(2026, 3, 12)).count() == 1
    assert run(date(2026, 3, 13)).count() == 1
    # Two working days before the statutory limit, then after it.
    near = run(date(2026, 3, 19)).filter(context__which="statutory_near")
    assert near.get().context["working_days_left"] <= 3
    run(date(2026, 3, 24))
    assert run(date(2026, 3, 24)).filter(context__which="statutory_breached").count() == 1
    assert set(run(date(2026, 3, 25)).values_list("recipient", flat=True)) == {exit_entry.pk}
    assert run(date(2026, 3, 25)).count() == 3
