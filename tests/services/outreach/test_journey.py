"""The issue's "done when", tried as new users would, through the pages.

An administrator publishes a "Foreign experts see Pudong" visit in four languages with 2 places;
three experts register (the third waits, and is promoted when another cancels); the attendee
checks in by QR. An employer nominates its expert for a Magnolia Silver award and the nomination
moves through its stages, each notified.
"""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from services.notifications.models import Notification
from services.outreach.models import AwardRound, Event, Nomination, Registration, SupervisingUnit
from tests.factories import OrganizationFactory, UserFactory

from .factories import award, pdf

pytestmark = pytest.mark.django_db

TITLES = {
    "zh_hans": "外国专家看浦东",
    "en": "Foreign experts see Pudong",
    "ja": "外国人専門家が見る浦東",
    "ko": "외국인 전문가 푸둥 탐방",
}


def _split(moment):
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def _event_form(start):
    data = {
        "event_type": "site_visit",
        "series": "",
        "edition": "",
        "online_url": "",
        "capacity": "2",
        "audience": "foreign_experts",
        "languages": ["zh", "en"],
        "invitations-TOTAL_FORMS": "0",
        "invitations-INITIAL_FORMS": "0",
        "invitations-MIN_NUM_FORMS": "0",
        "invitations-MAX_NUM_FORMS": "1000",
    }
    for code, title in TITLES.items():
        data[f"title_{code}"] = title
        data[f"description_{code}"] = f"{title} — Zhangjiang and Lujiazui"
        data[f"venue_{code}"] = f"{title} · Zhangjiang Science Hall"
    for name, moment in {
        "starts_at": start,
        "ends_at": start + timedelta(hours=6),
        "registration_opens_at": timezone.now() - timedelta(hours=1),
        "registration_closes_at": start - timedelta(days=1),
        "cancellation_until": start - timedelta(days=2),
    }.items():
        data[f"{name}_0"], data[f"{name}_1"] = _split(moment)
    return data


def test_an_administrator_publishes_a_visit_and_three_experts_register(
    client, django_capture_on_commit_callbacks
):
    administrator = UserFactory(duties=["administrator"], is_staff=True, is_superuser=True)
    door = UserFactory(duties=["service_station_staff"])
    experts = [
        UserFactory(full_name=name, preferred_language=lang)
        for name, lang in (("Anna Schmidt", "en"), ("Kenji Sato", "ja"), ("Park Jiwoo", "ko"))
    ]

    # The administrator writes the visit in four languages and publishes it.
    client.force_login(administrator)
    response = client.post("/en/admin/outreach/event/add/", _event_form(timezone.now() + timedelta(days=20)))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = Event.objects.get()
    assert event.status == "draft"
    client.post("/en/admin/outreach/event/", {"action": "publish_events", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.status == "published"
    for language, code in (("zh-hans", "zh_hans"), ("en", "en"), ("ja", "ja"), ("ko", "ko")):
        assert TITLES[code] in client.get(f"/{language}/outreach/events/").content.decode()

    # Three experts register; the third joins the waiting list.
    registrations = []
    for expert in experts:
        client.force_login(expert)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/en/outreach/events/{event.pk}/register/")
        registrations.append(Registration.objects.get(event=event, user=expert))
        assert response["Location"] == f"/en/outreach/registrations/{registrations[-1].pk}/"
    assert [r.status for r in registrations] == ["confirmed", "confirmed", "waitlisted"]
    page = client.get(f"/ko/outreach/registrations/{registrations[2].pk}/").content.decode()
    assert "check-in-qr" not in page

    # The first cancels; the one waiting is promoted and told.
    client.force_login(experts[0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/outreach/registrations/{registrations[0].pk}/cancel/")
    registrations[2].refresh_from_db()
    assert registrations[2].status == "confirmed"
    assert {message.to[0] for message in mail.outbox} == {experts[0].email, experts[2].email}
    promoted = Notification.objects.get(kind="registration_promoted")
    assert promoted.recipient == experts[2] and promoted.context["event"] == TITLES["ko"]

    # The attendee shows the QR code at the door; the staff scan it once, and a second time.
    client.force_login(experts[1])
    page = client.get(f"/ja/outreach/registrations/{registrations[1].pk}/").content.decode()
    assert 'src="data:image/svg+xml' in page
    token = re.search(r'<code class="check-in-token">([^<]+)</code>', page).group(1)
    client.force_login(door)
    response = client.post("/en/outreach/check-in/", {"token": token, "event": event.pk}, follow=True)
    assert "Kenji Sato is checked in" in response.content.decode()
    response = client.post("/en/outreach/check-in/", {"token": token, "event": event.pk}, follow=True)
    assert "Kenji Sato already checked in at" in response.content.decode()
    registrations[1].refresh_from_db()
    assert registrations[1].checked_in_by == door


def test_an_employer_nominates_its_expert_for_a_magnolia_silver_award(client, employer_admin):
    administrator = UserFactory(duties=["administrator"], is_staff=True, is_superuser=True)
    reviewer = UserFactory(duties=["lead_officer"])
    supervising = OrganizationFactory(verified=True, name_en="Pudong Science and Economy Commission")
    endorser = UserFactory(member_of=supervising, member_of__role="administrator")
    expert = UserFactory(full_name="Maria Rossi", preferred_language="en")
    year = timezone.localdate().year

    # The administrator opens this year's round and flags the supervising unit.
    client.force_login(administrator)
    client.post(
        "/en/admin/outreach/awardround/add/",
        {
            "award": award("magnolia_silver").pk,
            "year": str(year),
            "nominations_open_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "nominations_close_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
        },
    )
    client.post(
        "/en/admin/outreach/supervisingunit/add/", {"organization": supervising.pk, "is_active": "on"}
    )
    round_ = AwardRound.objects.get(award__code="magnolia_silver")
    unit = SupervisingUnit.objects.get()
    assert unit.flagged_by == administrator

    # The employer nominates online with the required materials.
    client.force_login(employer_admin)
    form = client.get("/en/outreach/nominations/new/")
    assert form.status_code == 200
    response = client.post(
        "/en/outreach/nominations/new/",
        {
            "round": round_.pk,
            "organization": employer_admin.organization.pk,
            "nominee_email": expert.email,
            "post": "Chief engineer",
            "citation": "Led the lab that built Shanghai's first solid-state battery line.",
            "shanghai_since": date(2016, 9, 1).isoformat(),
            "exception_reason": "",
            "supervising_unit": unit.pk,
            "material_nomination_form": pdf("form.pdf"),
            "material_curriculum_vitae": pdf("cv.pdf"),
            "material_contributions": pdf("patents.pdf"),
            "material_shanghai_work": pdf("contracts.pdf"),
        },
    )
    nomination = Nomination.objects.get()
    assert response["Location"] == f"/en/outreach/nominations/{nomination.pk}/"
    assert nomination.materials.count() == 4

    # The supervising unit endorses; the commission recommends and records the award.
    client.force_login(endorser)
    assert nomination in client.get("/en/outreach/nominations/").context["to_endorse"]
    client.post(f"/en/outreach/nominations/{nomination.pk}/endorse/", {"note": "Supported."})
    client.force_login(reviewer)
    assert client.get(f"/en/commission/nominations/{nomination.pk}/permits/").status_code == 200
    client.post(f"/en/outreach/nominations/{nomination.pk}/review/", {"decision": "recommend", "rank": "1"})
    client.post(f"/en/outreach/nominations/{nomination.pk}/outcome/", {"outcome": "awarded"})
    nomination.refresh_from_db()
    assert nomination.status == "awarded"

    def told(kind):
        return set(Notification.objects.filter(kind=kind).values_list("recipient", flat=True))

    assert told("nomination_submitted") == {endorser.pk}
    assert told("nomination_endorsed") == {employer_admin.pk}
    assert told("nomination_to_review") == {reviewer.pk, administrator.pk}  # the commission's reviewers
    assert told("nomination_recommended") == {employer_admin.pk}
    assert told("nomination_awarded") == {employer_admin.pk, expert.pk}
    client.force_login(employer_admin)
    page = client.get(f"/en/outreach/nominations/{nomination.pk}/").content.decode()
    assert "Awarded" in page and "Supported." in page
