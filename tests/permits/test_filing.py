import pytest

from permits import actions, rules
from permits.models import Application, Transition
from services.notifications.models import Notification
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound, StaleVersion
from tests.factories import OrganizationFactory, UserFactory

from .factories import TODAY, PermitFactory, declared, upload_checklist

pytestmark = pytest.mark.django_db


def _ready(case):
    upload_checklist(case)
    declared(case, by=case.hr)
    fresh = Application.objects.get(pk=case.pk)
    fresh.hr = case.hr
    return fresh


# --- Sponsorship both ways ----------------------------------------------------------------------


def test_an_applicant_names_the_employer_who_is_asked_to_confirm(user, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(verified=True)
    hr = UserFactory(member_of=organization)
    application = actions.application_start_by_applicant(
        actor=user, organization=organization, business_type="new_notice"
    )
    assert application.state == "draft"
    assert application.sponsorship == "pending"
    notification = Notification.objects.get(kind="employer_confirmation_needed")
    assert notification.recipient == hr
    assert notification.context["reference"] == application.reference

    with pytest.raises(InvalidInput):
        actions.application_decide_sponsorship(actor=hr, application=application, confirm=False, note=" ")
    application = actions.application_decide_sponsorship(actor=hr, application=application, confirm=True)
    assert application.sponsorship == "confirmed"
    assert Notification.objects.filter(kind="sponsorship_confirmed", recipient=user).exists()


def test_an_unverified_or_blacklisted_employer_cannot_be_named(user):
    for organization in (OrganizationFactory(), OrganizationFactory(verified=True, blacklisted=True)):
        with pytest.raises(NotAllowed):
            actions.application_start_by_applicant(
                actor=user, organization=organization, business_type="new_notice"
            )
    assert not Application.objects.exists()


def test_hr_starts_and_invites_the_employee_in_the_chosen_language():
    organization = OrganizationFactory(verified=True)
    hr = UserFactory(member_of=organization)
    application = actions.application_start_by_employer(
        actor=hr,
        organization=organization,
        business_type="new_notice",
        employee_email="Yuki@Example.jp",
        employee_language="ja",
    )
    assert application.sponsorship == "confirmed"
    assert application.applicant is None
    invitation = Notification.objects.get(kind="application_invitation")
    assert invitation.email == "yuki@example.jp"
    assert invitation.language == "ja"
    assert invitation.context["accept_url"].startswith("/ja/applications/invitations/")

    token = invitation.context["accept_url"].rstrip("/").rsplit("/", 1)[-1]
    stranger = UserFactory(email="someone@example.com")
    with pytest.raises(Forbidden):
        actions.application_accept_invitation(actor=stranger, token=token)
    employee = UserFactory(email="yuki@example.jp")
    application = actions.application_accept_invitation(actor=employee, token=token)
    assert application.applicant == employee
    with pytest.raises(NotFound):
        actions.application_accept_invitation(actor=employee, token=token)


def test_a_non_member_cannot_start_for_an_organisation(user):
    organization = OrganizationFactory(verified=True)
    with pytest.raises(NotFound):
        actions.application_start_by_employer(
            actor=user,
            organization=organization,
            business_type="new_notice",
            employee_email="a@b.c",
            employee_language="en",
        )


# --- Each party edits its own part --------------------------------------------------------------


def test_each_party_edits_only_its_own_part(case):
    with pytest.raises(Forbidden):
        actions.application_update_employer_part(
            actor=case.applicant,
            application=case,
            expected_version=case.version,
            data={"annual_salary_cny": 1},
        )
    with pytest.raises(Forbidden):
        actions.application_update_applicant_part(
            actor=case.hr, application=case, expected_version=case.version, data={"surname": "X"}
        )
    with pytest.raises(NotFound):
        actions.application_update_applicant_part(
            actor=UserFactory(), application=case, expected_version=case.version, data={"surname": "X"}
        )
    with pytest.raises(InvalidInput):
        actions.application_update_applicant_part(
            actor=case.applicant,
            application=case,
            expected_version=case.version,
            data={"annual_salary_cny": 1},
        )
    updated = actions.application_update_employer_part(
        actor=case.hr, application=case, expected_version=case.version, data={"annual_salary_cny": 460_000}
    )
    assert updated.annual_salary_cny == 460_000
    assert updated.version == case.version + 1


def test_a_stale_form_gets_a_conflict_not_an_overwrite(case):
    actions.application_update_employer_part(
        actor=case.hr, application=case, expected_version=case.version, data={"post_title": "First"}
    )
    with pytest.raises(StaleVersion):
        actions.application_update_employer_part(
            actor=case.hr, application=case, expected_version=case.version, data={"post_title": "Second"}
        )
    assert Application.objects.get(pk=case.pk).post_title == "First"


def test_a_change_after_the_declaration_requires_a_new_one(case):
    case = declared(case, by=case.hr)
    updated = actions.application_update_applicant_part(
        actor=case.applicant, application=case, expected_version=case.version, data={"hsk_level": 4}
    )
    assert updated.declared_at is None


def test_the_passport_number_is_encrypted_and_found_by_digest(case):
    from django.db import connection

    from talent_portal.core.crypto import keyed_digest

    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM permits_application WHERE id = %s", [case.pk])
        raw = cursor.fetchone()[0]
    assert "TK1234567" not in raw
    assert Application.objects.get(passport_digest=keyed_digest("tk 1234567")).pk == case.pk
    assert case.masked_passport_number == "TK•••••67"


# --- The pledge ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("business_type", "talent_class", "pledge"),
    [
        ("new_notice", "B", True),
        ("new_notice", "C", True),
        ("new_notice", "A", False),
        ("new_in_country", "B", False),
        ("extension", "B", True),
        ("extension", "A", False),
        ("cancellation", "A", True),
        ("change", "B", False),
    ],
)
def test_the_pledge_covers_bc_notices_bc_extensions_and_every_cancellation(
    business_type, talent_class, pledge
):
    assert rules.pledge_applies(business_type, talent_class) is pledge


def test_the_declaration_is_a_pledge_for_a_class_b_notice(case):
    case = declared(case, by=case.hr)
    assert case.declaration_kind == "pledge"
    # At a good-credit employer the pledge replaces the non-criminal record.
    assert "criminal_record" not in rules.required_documents(case, on=TODAY)


def test_an_ordinary_credit_employer_still_needs_the_non_criminal_record(case):
    case.organization.credit_standing = "ordinary"
    case.organization.save()
    assert "criminal_record" in rules.required_documents(case, on=TODAY)


# --- Submission ---------------------------------------------------------------------------------


def test_submission_lists_every_problem_at_once(case):
    with pytest.raises(NotAllowed) as error:
        actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    problems = error.value.fields["problems"]
    assert any("declaration" in str(p) for p in problems)
    assert sum("not uploaded yet" in str(p) for p in problems) == len(
        rules.required_documents(case, on=TODAY)
    )
    assert Application.objects.get(pk=case.pk).state == "draft"


def test_submission_stamps_language_snapshot_deadline_transition_and_notifications(case):
    case.applicant.preferred_language = "ja"
    case.applicant.save()
    case = _ready(case)
    submitted = actions.application_submit(
        actor=case.applicant, application=case, expected_version=case.version
    )
    assert submitted.state == "submitted"
    assert submitted.submitted_language == "ja"
    assert submitted.submitted_at is not None
    # Pre-check target: 5 working days after Monday 2 March 2026.
    assert str(submitted.target_date) == "2026-03-09"
    snapshot = submitted.assessment.snapshot
    assert snapshot["category"] == "B"
    assert snapshot["points"] == 76
    assert snapshot["table_version"] == "2017"
    transition = Transition.objects.get(application=case, action="submit")
    assert (transition.from_state, transition.to_state, transition.actor_role) == (
        "draft",
        "submitted",
        "applicant",
    )
    kinds = set(
        Notification.objects.filter(kind="application_submitted").values_list("recipient_id", flat=True)
    )
    assert kinds == {case.applicant_id, case.hr.pk}


def test_submission_is_idempotent(case):
    case = _ready(case)
    first = actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    again = actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    assert again.pk == first.pk and again.version == first.version
    assert Transition.objects.filter(application=case, action="submit").count() == 1
    assert Notification.objects.filter(kind="application_submitted").count() == 2


def test_a_certificate_that_lapsed_since_upload_is_caught_at_submission(case):
    from datetime import timedelta

    from .factories import add_version

    case.organization.credit_standing = "ordinary"
    case.organization.save()
    case = _ready(case)
    add_version(case, "criminal_record", issue_date=TODAY - timedelta(days=200))
    with pytest.raises(NotAllowed) as error:
        actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    assert any("lapsed on" in str(p) for p in error.value.fields["problems"])


def test_withdrawal_of_an_undecided_case(case):
    case = _ready(case)
    hr = case.hr
    case = actions.application_submit(actor=case.applicant, application=case, expected_version=case.version)
    case = actions.application_withdraw(actor=hr, application=case, expected_version=case.version)
    assert case.state == "withdrawn"
    with pytest.raises(NotAllowed):
        actions.application_withdraw(actor=case.applicant, application=case, expected_version=case.version)


# --- Routes -------------------------------------------------------------------------------------


def test_an_entrepreneur_team_has_at_most_five_founders():
    incubator = OrganizationFactory(verified=True, incubator=True)
    staff = UserFactory(member_of=incubator)
    team = actions.team_create(actor=staff, organization=incubator, name="Quantum sensors")
    for number in range(5):
        actions.application_start_by_employer(
            actor=staff,
            organization=incubator,
            business_type="new_notice",
            route="entrepreneur",
            team=team,
            employee_email=f"founder{number}@example.com",
            employee_language="en",
        )
    with pytest.raises(NotAllowed) as error:
        actions.application_start_by_employer(
            actor=staff,
            organization=incubator,
            business_type="new_notice",
            route="entrepreneur",
            team=team,
            employee_email="founder6@example.com",
            employee_language="en",
        )
    assert error.value.code == "team_full"


def test_only_incubators_and_parks_sponsor_entrepreneurs():
    employer = OrganizationFactory(verified=True)
    staff = UserFactory(member_of=employer)
    with pytest.raises(NotAllowed):
        actions.team_create(actor=staff, organization=employer, name="Team")


def test_a_class_c_founder_cannot_be_submitted(case):
    incubator = OrganizationFactory(verified=True, incubator=True, credit_standing="good")
    staff = UserFactory(member_of=incubator)
    team = actions.team_create(actor=staff, organization=incubator, name="Team")
    case.organization = incubator
    case.route = "entrepreneur"
    case.team = team
    case.education = "none"
    case.related_experience_years = 0
    case.annual_salary_cny = 60_000
    case.save()
    problems = rules.route_problems(case, on=TODAY)
    assert any("class A or class B" in str(p) for p in problems)


def test_delta_recognition_needs_a_qingpu_employer_and_an_a_or_b_permit(case):
    case.route = "delta_recognition"
    case.delta_origin = "wujiang"
    case.delta_permit_number = "123456789012345678"
    case.delta_permit_class = "C"
    case.save()
    problems = [str(p) for p in rules.route_problems(case, on=TODAY)]
    assert any("Qingpu" in p for p in problems)
    assert any("class A and class B" in p for p in problems)
    case.organization.zone = "yrd_demo_zone"
    case.organization.save()
    case.delta_permit_class = "B"
    assert rules.route_problems(case, on=TODAY) == []
    # Recognition waives the degree, experience and non-criminal record.
    assert "highest_degree" not in rules.required_documents(case, on=TODAY)


# --- Follow-ups carry the permit's data forward ---------------------------------------------------


def test_an_extension_starts_from_the_issued_permit_and_carries_its_data(case):
    permit = PermitFactory(
        holder=case.applicant, organization=case.organization, application=case, talent_class="B"
    )
    extension = actions.application_start_by_employer(
        actor=case.hr,
        organization=case.organization,
        business_type="extension",
        source_permit=permit,
        employee_email=case.applicant.email,
        employee_language="en",
    )
    assert extension.applicant == case.applicant
    assert extension.surname == case.surname
    assert extension.passport_number == "TK1234567"
    assert extension.annual_salary_cny == case.annual_salary_cny
    assert extension.applicant_part_completed_at is not None
    assert rules.expected_declaration(extension, on=TODAY) == "pledge"


def test_a_cancellation_is_filed_by_the_employer_from_a_valid_permit(case):
    permit = PermitFactory(holder=case.applicant, organization=case.organization, application=case)
    with pytest.raises(InvalidInput):
        actions.application_start_by_employer(
            actor=case.hr,
            organization=case.organization,
            business_type="cancellation",
            employee_email=case.applicant.email,
            employee_language="en",
        )
    cancellation = actions.application_start_by_employer(
        actor=case.hr,
        organization=case.organization,
        business_type="cancellation",
        source_permit=permit,
        employee_email=case.applicant.email,
        employee_language="en",
    )
    assert rules.required_documents(cancellation, on=TODAY) == ["job_end_proof"]
    other_employer = OrganizationFactory(verified=True)
    with pytest.raises(NotFound):
        actions.application_start_by_employer(
            actor=UserFactory(member_of=other_employer),
            organization=other_employer,
            business_type="cancellation",
            source_permit=permit,
            employee_email="x@example.com",
            employee_language="en",
        )


def test_entry_date_after_a_notice_gives_card_and_residence_deadlines(case):
    from datetime import date, timedelta

    permit = PermitFactory(
        holder=case.applicant,
        organization=case.organization,
        application=case,
        kind="notice",
        valid_from=date(2026, 1, 5),
    )
    actions.permit_record_entry(actor=case.applicant, permit=permit, entry_date=date(2026, 2, 20))
    case.refresh_from_db()
    assert case.card_deadline == date(2026, 3, 7)
    assert case.residence_deadline == date(2026, 3, 22)
    with pytest.raises(InvalidInput):
        actions.permit_record_entry(actor=case.applicant, permit=permit, entry_date=TODAY + timedelta(days=1))
    with pytest.raises(NotFound):
        actions.permit_record_entry(actor=case.hr, permit=permit, entry_date=date(2026, 2, 20))
