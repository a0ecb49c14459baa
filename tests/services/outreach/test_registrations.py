"""Registrations: capacity with an automatic waiting list, promotion in order, cancellation until
the cut-off, audience restrictions, check-in once, and reminders."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from services.notifications.models import Notification
from services.outreach import actions
from services.outreach.actions.events import check_in_token
from services.outreach.models import EventInvitation, Registration
from talent_portal.core.actors import get_system_actor
from talent_portal.core.errors import Forbidden, NotAllowed, NotFound
from tests.factories import UserFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _kinds(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


def test_places_are_confirmed_until_full_then_people_wait_in_order():
    event = EventFactory(capacity=2)
    people = UserFactory.create_batch(4)
    registrations = [actions.registration_create(actor=person, event=event) for person in people]

    assert [r.status for r in registrations] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert _kinds(people[0]) == ["registration_confirmed"]
    assert _kinds(people[3]) == ["registration_waitlisted"]
    assert Notification.objects.get(recipient=people[3]).context["position"] == 2


def test_a_cancellation_promotes_the_first_person_waiting_and_tells_them():
    event = EventFactory(capacity=2)
    first, second, third, fourth = UserFactory.create_batch(4)
    held = actions.registration_create(actor=first, event=event)
    actions.registration_create(actor=second, event=event)
    waiting = actions.registration_create(actor=third, event=event)
    later = actions.registration_create(actor=fourth, event=event)

    actions.registration_cancel(actor=first, registration=held)

    waiting.refresh_from_db()
    later.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.promoted_at is not None
    assert later.status == "waitlisted"
    assert _kinds(third) == ["registration_waitlisted", "registration_promoted"]
    assert _kinds(first) == ["registration_confirmed", "registration_cancelled"]
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2


def test_a_person_waiting_who_cancels_frees_no_place_and_promotes_nobody():
    event = EventFactory(capacity=1)
    holder, waiting, next_one = UserFactory.create_batch(3)
    actions.registration_create(actor=holder, event=event)
    registration = actions.registration_create(actor=waiting, event=event)
    actions.registration_create(actor=next_one, event=event)

    actions.registration_cancel(actor=waiting, registration=registration)

    assert list(Registration.objects.filter(event=event).values_list("status", flat=True).order_by("pk")) == [
        "confirmed",
        "cancelled",
        "waitlisted",
    ]


def test_one_registration_per_person_and_registering_again_rejoins_at_the_end():
    event = EventFactory(capacity=1)
    person, other = UserFactory.create_batch(2)
    registration = actions.registration_create(actor=person, event=event)
    with pytest.raises(NotAllowed) as refused:
        actions.registration_create(actor=person, event=event)
    assert refused.value.code == "already_registered"

    actions.registration_cancel(actor=person, registration=registration)
    actions.registration_create(actor=other, event=event)
    again = actions.registration_create(actor=person, event=event)

    assert again.pk == registration.pk and again.status == "waitlisted"
    assert Registration.objects.filter(event=event, user=person).count() == 1


def test_cancellation_is_refused_after_the_cut_off():
    event = EventFactory(capacity=2, cancellation_until=timezone.now() + timedelta(days=1))
    person = UserFactory()
    registration = actions.registration_create(actor=person, event=event)

    with (
        time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)),
        pytest.raises(NotAllowed) as refused,
    ):
        actions.registration_cancel(actor=person, registration=registration)
    assert refused.value.code == "cancellation_closed"
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_without_a_cut_off_cancellation_closes_when_the_event_starts():
    event = EventFactory(capacity=2)
    person = UserFactory()
    registration = actions.registration_create(actor=person, event=event)
    with time_machine.travel(event.starts_at + timedelta(minutes=1)), pytest.raises(NotAllowed):
        actions.registration_cancel(actor=person, registration=registration)
    with time_machine.travel(event.starts_at - timedelta(minutes=1)):
        assert actions.registration_cancel(actor=person, registration=registration).status == "cancelled"


def test_nobody_cancels_someone_elses_registration():
    registration = RegistrationFactory()
    with pytest.raises(NotFound):
        actions.registration_cancel(actor=UserFactory(), registration=registration)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": "draft", "published_at": None}, "registration_closed"),
        ({"status": "cancelled"}, "registration_closed"),
        ({"registration_opens_at": "future"}, "registration_closed"),
        ({"registration_closes_at": "past"}, "registration_closed"),
    ],
)
def test_registration_only_while_published_and_within_its_window(change, code):
    now = timezone.now()
    values = {
        key: now + timedelta(days=1)
        if value == "future"
        else now - timedelta(minutes=1)
        if value == "past"
        else value
        for key, value in change.items()
    }
    if "registration_closes_at" in values:
        values["registration_opens_at"] = now - timedelta(days=2)
    event = EventFactory(**values)
    with pytest.raises(NotAllowed) as refused:
        actions.registration_create(actor=UserFactory(), event=event)
    assert refused.value.code == code


# --- Audience -----------------------------------------------------------------------------------


def test_foreign_experts_only_refuses_organisation_staff(employer_admin):
    event = EventFactory(audience="foreign_experts")
    with pytest.raises(Forbidden) as refused:
        actions.registration_create(actor=employer_admin, event=event)
    assert refused.value.code == "audience"
    assert actions.registration_create(actor=UserFactory(), event=event).status == "confirmed"


def test_employers_only_refuses_people_without_an_organisation(employer_admin):
    event = EventFactory(audience="employers")
    with pytest.raises(Forbidden):
        actions.registration_create(actor=UserFactory(), event=event)
    assert actions.registration_create(actor=employer_admin, event=event).status == "confirmed"


def test_invited_only_events_exist_for_their_guests_alone():
    event = EventFactory(audience="invited")
    guest = UserFactory(email="Guest@Example.com")
    EventInvitation.objects.create(event=event, email="guest@example.com")
    with pytest.raises(NotFound):
        actions.registration_create(actor=UserFactory(), event=event)
    assert actions.registration_create(actor=guest, event=event).status == "confirmed"


def test_audience_is_enforced_on_the_page_and_the_api(client, api_client, employer_admin):
    event = EventFactory(audience="foreign_experts")
    client.force_login(employer_admin)
    page = client.get(f"/en/outreach/events/{event.pk}/")
    assert "for foreign experts only" in page.content.decode()
    response = client.post(f"/en/outreach/events/{event.pk}/register/")
    assert response.status_code == 302
    api_client.force_authenticate(employer_admin)
    answer = api_client.post(f"/api/v1/outreach/events/{event.pk}/register/")
    assert answer.status_code == 403 and answer.json()["code"] == "audience"
    assert not Registration.objects.filter(event=event).exists()


# --- Check-in -----------------------------------------------------------------------------------


def test_check_in_is_recorded_once_and_a_second_scan_says_when(door_staff):
    registration = RegistrationFactory()
    token = check_in_token(registration)

    checked = actions.registration_check_in(actor=door_staff, token=token, event=registration.event)
    first_time = checked.checked_in_at
    with pytest.raises(NotAllowed) as second:
        actions.registration_check_in(actor=door_staff, token=token, event=registration.event)

    assert second.value.code == "already_checked_in"
    assert "already checked in at" in str(second.value.message)
    registration.refresh_from_db()
    assert registration.checked_in_at == first_time and registration.checked_in_by == door_staff


def test_check_in_refuses_forged_codes_other_events_waiting_people_and_other_users(door_staff):
    registration = RegistrationFactory()
    forged = signing.Signer(salt="another-salt").sign(registration.code)
    with pytest.raises(NotFound):
        actions.registration_check_in(actor=door_staff, token=forged)
    with pytest.raises(NotFound):
        actions.registration_check_in(actor=door_staff, token=registration.code)
    with pytest.raises(NotAllowed) as other_event:
        actions.registration_check_in(
            actor=door_staff, token=check_in_token(registration), event=EventFactory()
        )
    assert other_event.value.code == "check_in_other_event"
    waiting = RegistrationFactory(status="waitlisted", confirmed_at=None)
    with pytest.raises(NotAllowed) as not_confirmed:
        actions.registration_check_in(actor=door_staff, token=check_in_token(waiting))
    assert not_confirmed.value.code == "registration_not_confirmed"
    for person in (UserFactory(), UserFactory(duties=["work_permit_officer"]), registration.user):
        with pytest.raises(Forbidden):
            actions.registration_check_in(actor=person, token=check_in_token(registration))


def test_a_checked_in_person_cannot_cancel(door_staff):
    registration = RegistrationFactory()
    actions.registration_check_in(actor=door_staff, token=check_in_token(registration))
    registration.refresh_from_db()
    with pytest.raises(NotAllowed):
        actions.registration_cancel(actor=registration.user, registration=registration)


# --- Organisers ---------------------------------------------------------------------------------


def test_cancelling_an_event_cancels_every_registration_and_tells_everyone(administrator):
    event = EventFactory(capacity=1)
    holder, waiting = UserFactory.create_batch(2)
    actions.registration_create(actor=holder, event=event)
    actions.registration_create(actor=waiting, event=event)

    actions.event_cancel(actor=administrator, event=event, reason="Typhoon warning")

    assert set(Registration.objects.filter(event=event).values_list("status", flat=True)) == {"cancelled"}
    rows = Notification.objects.filter(kind="event_cancelled")
    assert {row.recipient for row in rows} == {holder, waiting}
    assert rows.first().context["reason"] == "Typhoon warning"


def test_added_places_go_to_the_waiting_list_in_order(administrator):
    event = EventFactory(capacity=1)
    people = UserFactory.create_batch(3)
    for person in people:
        actions.registration_create(actor=person, event=event)
    event.capacity = 2
    event.save()

    promoted = actions.event_fill_places(actor=administrator, event=event)

    assert [registration.user for registration in promoted] == [people[1]]


def test_only_administrators_publish_and_cancel_events(door_staff):
    event = EventFactory(draft=True)
    with pytest.raises(Forbidden):
        actions.event_publish(actor=door_staff, event=event)
    with pytest.raises(Forbidden):
        actions.event_cancel(actor=UserFactory(), event=event)


# --- Reminders ----------------------------------------------------------------------------------


def test_reminders_go_out_once_per_threshold_to_confirmed_people_only():
    start = timezone.now() + timedelta(days=10)
    event = EventFactory(starts_at=start, capacity=1)
    with time_machine.travel(start - timedelta(days=9)):
        confirmed = actions.registration_create(actor=UserFactory(), event=event)
        actions.registration_create(actor=UserFactory(), event=event)  # waiting: no reminder
    system = get_system_actor()

    assert actions.event_remind(actor=system, now=start - timedelta(hours=80)) == 0
    assert actions.event_remind(actor=system, now=start - timedelta(hours=71)) == 1
    assert actions.event_remind(actor=system, now=start - timedelta(hours=70)) == 0
    assert actions.event_remind(actor=system, now=start - timedelta(hours=23)) == 1
    assert actions.event_remind(actor=system, now=start - timedelta(hours=1)) == 0

    rows = Notification.objects.filter(kind="event_reminder")
    assert rows.count() == 2 and {row.recipient_id for row in rows} == {confirmed.user_id}


def test_no_reminder_for_a_threshold_passed_before_the_place_was_confirmed():
    start = timezone.now() + timedelta(days=10)
    event = EventFactory(starts_at=start)
    with time_machine.travel(start - timedelta(hours=30)):
        actions.registration_create(actor=UserFactory(), event=event)
    system = get_system_actor()
    assert actions.event_remind(actor=system, now=start - timedelta(hours=29)) == 0
    assert actions.event_remind(actor=system, now=start - timedelta(hours=20)) == 1


def test_the_periodic_task_runs_the_reminders():
    from services.outreach import tasks

    start = timezone.now() + timedelta(hours=20)
    event = EventFactory(starts_at=start)
    RegistrationFactory(event=event, confirmed_at=timezone.now() - timedelta(days=5))
    assert tasks.send_event_reminders.delay().get() == 1


def test_an_organisation_member_registers_for_an_employers_event_via_the_page(client, employer_admin):
    event = EventFactory(audience="employers")
    client.force_login(employer_admin)
    response = client.post(f"/en/outreach/events/{event.pk}/register/")
    registration = Registration.objects.get(event=event)
    assert response["Location"] == f"/en/outreach/registrations/{registration.pk}/"
    assert registration.user == employer_admin and registration.status == "confirmed"
