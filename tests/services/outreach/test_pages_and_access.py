"""Every outreach page renders in the four languages under the strict CSP, and a role × page
matrix of who may open what. The demo data is idempotent."""

import pytest
from django.core.management import call_command

from services.outreach import demo
from services.outreach.models import Event, LiaisonOffice, ServiceStation
from tests.factories import UserFactory

from .factories import EventFactory, RegistrationFactory, StationFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en", "ja", "ko"]
PUBLIC = [
    "/outreach/events/",
    "/outreach/events/?when=past",
    "/outreach/events/calendar/",
    "/outreach/directory/liaison-offices/",
    "/outreach/directory/service-stations/",
]
SIGNED_IN = [
    "/outreach/registrations/",
    "/outreach/requests/",
    "/outreach/requests/new/",
    "/outreach/nominations/",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_and_personal_pages_render_in_each_language(client, language):
    demo.seed()
    event = Event.objects.order_by("pk").first()
    person = UserFactory(preferred_language=language)
    registration = RegistrationFactory(event=event, user=person)
    client.force_login(person)
    for path in [
        *PUBLIC,
        *SIGNED_IN,
        f"/outreach/events/{event.pk}/",
        f"/outreach/registrations/{registration.pk}/",
    ]:
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, path
        body = response.content.decode()
        assert f'<html lang="{language}">' in body, path
        assert "style=" not in body and "<script>" not in body, path


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/outreach/check-in/", {"door_staff", "administrator"}),
        ("/outreach/station/queue/", {"door_staff"}),
        ("/outreach/commission/nominations/", {"administrator", "reviewer"}),
        ("/outreach/commission/intentions/", {"administrator", "reviewer"}),
    ],
)
def test_staff_pages_by_role(client, path, allowed, administrator, reviewer, door_staff, employer_admin):
    StationFactory(staff_members=[door_staff])
    people = {
        "door_staff": door_staff,
        "administrator": administrator,
        "reviewer": reviewer,
        "employer": employer_admin,
        "applicant": UserFactory(),
        "work_permit_officer": UserFactory(duties=["work_permit_officer"]),
    }
    response = client.get(f"/en{path}")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    for role, person in people.items():
        client.force_login(person)
        expected = 200 if role in allowed else 404
        assert client.get(f"/en{path}").status_code == expected, role


def test_personal_pages_ask_anonymous_visitors_to_sign_in(client):
    registration = RegistrationFactory()
    for path in [*SIGNED_IN, f"/outreach/registrations/{registration.pk}/"]:
        response = client.get(f"/en{path}")
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"], path


def test_a_person_never_sees_anothers_registration(client):
    registration = RegistrationFactory()
    client.force_login(UserFactory())
    assert client.get(f"/en/outreach/registrations/{registration.pk}/").status_code == 404
    assert client.post(f"/en/outreach/registrations/{registration.pk}/cancel/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_the_check_in_page_lists_the_attendees_of_the_chosen_event(client, door_staff):
    event = EventFactory()
    RegistrationFactory(event=event, user=UserFactory(full_name="Anna Schmidt"))
    client.force_login(door_staff)
    body = client.get(f"/en/outreach/check-in/?event={event.pk}").content.decode()
    assert "Anna Schmidt" in body and "0 of 1 attendees checked in" in body


def test_the_demo_seeds_the_visit_the_fair_eight_offices_and_the_hongqiao_centre():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - discarded output
    counts = (Event.objects.count(), LiaisonOffice.objects.count(), ServiceStation.objects.count())
    demo.seed()
    assert (Event.objects.count(), LiaisonOffice.objects.count(), ServiceStation.objects.count()) == counts
    visit = Event.objects.get(title_en="Foreign experts see Pudong")
    assert visit.capacity == 2 and all(
        getattr(visit, f"title_{code}") for code in ("zh_hans", "en", "ja", "ko")
    )
    assert Event.objects.filter(series="go-to-shanghai").exists()
    countries = [code for office in LiaisonOffice.objects.all() for code in office.countries]
    assert len(countries) == 8 and sorted(set(countries)) == ["AUS", "CAN", "DEU", "FRA", "GBR", "JPN", "USA"]
    hongqiao = ServiceStation.objects.get(name_en__startswith="Hongqiao")
    assert hongqiao.staff.filter(email="station@demo.talent.example.cn").exists()
