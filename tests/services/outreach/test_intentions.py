"""Hiring intentions at recruitment fairs: recorded by the employer, confirmed by the talent,
counted for the commission per fair, per series and overall."""

import pytest
from django.utils import translation

from services.notifications.models import Notification
from services.outreach import actions, selectors
from services.outreach.models import HiringIntention, SalaryBand
from talent_portal.core.errors import Forbidden, InvalidInput, NotAllowed, NotFound
from tests.factories import OrganizationFactory, UserFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _record(employer, registration, **overrides):
    values = {
        "actor": employer,
        "organization": getattr(employer, "organization", None),
        "event": registration.event,
        "code": registration.code.lower(),
        "post": "Battery engineer",
        "salary_band": "400k_600k",
    }
    values.update(overrides)
    return actions.hiring_intention_record(**values)


def test_an_intention_is_recorded_then_confirmed_by_the_talent(employer_admin):
    registration = RegistrationFactory(
        event=EventFactory(fair=True), user=UserFactory(preferred_language="ja")
    )
    intention = _record(employer_admin, registration)

    row = Notification.objects.get(kind="hiring_intention_recorded")
    assert row.recipient == registration.user
    with translation.override("ja"):
        assert row.context["salary"] == str(SalaryBand("400k_600k").label)  # in the talent's language
    with pytest.raises(NotFound):
        actions.hiring_intention_confirm(actor=employer_admin, intention=intention)
    assert (
        actions.hiring_intention_confirm(actor=registration.user, intention=intention).status == "confirmed"
    )
    with pytest.raises(NotAllowed):
        actions.hiring_intention_decline(actor=registration.user, intention=intention)
    with pytest.raises(NotAllowed):
        _record(employer_admin, registration)


def test_intentions_only_at_fairs_for_confirmed_registrations_by_verified_employers(employer_admin):
    visit = RegistrationFactory()
    with pytest.raises(NotAllowed):
        _record(employer_admin, visit)
    waiting = RegistrationFactory(event=EventFactory(fair=True), status="waitlisted", confirmed_at=None)
    with pytest.raises(InvalidInput):
        _record(employer_admin, waiting)
    registration = RegistrationFactory(event=EventFactory(fair=True))
    with pytest.raises(Forbidden):
        _record(UserFactory(), registration, organization=employer_admin.organization)
    unverified = OrganizationFactory()
    member = UserFactory(member_of=unverified)
    with pytest.raises(NotAllowed):
        _record(member, registration, organization=unverified)


def test_the_commission_counts_confirmed_intentions_per_fair_and_series(employer_admin, reviewer, client):
    fairs = [EventFactory(fair=True, edition=edition) for edition in (1, 2)]
    for fair, confirmed in zip(fairs, (3, 2), strict=True):
        for index in range(confirmed + 1):
            intention = _record(employer_admin, RegistrationFactory(event=fair))
            if index < confirmed:
                actions.hiring_intention_confirm(actor=intention.registration.user, intention=intention)

    report = selectors.intention_report(reviewer)
    assert report.confirmed_total == 5 and report.proposed_total == 2
    assert report.series == [{"series": "go-to-shanghai", "editions": 2, "confirmed": 5}]
    assert [event.confirmed_intentions for event in report.events] == [3, 2]
    assert selectors.intention_report(employer_admin) is None

    client.force_login(reviewer)
    body = client.get("/en/outreach/commission/intentions/").content.decode()
    assert "5 confirmed intentions in all" in body
    client.force_login(employer_admin)
    assert client.get("/en/outreach/commission/intentions/").status_code == 404


def test_the_employer_records_through_the_page_and_the_talent_confirms_there(client, employer_admin):
    registration = RegistrationFactory(event=EventFactory(fair=True))
    client.force_login(employer_admin)
    response = client.post(
        f"/en/outreach/events/{registration.event.pk}/intentions/",
        {
            "code": registration.code,
            "post": "Data scientist",
            "salary_band": "600k_1m",
            "organization": employer_admin.organization.pk,
        },
    )
    assert response.status_code == 302
    intention = HiringIntention.objects.get()
    client.force_login(registration.user)
    page = client.get(f"/en/outreach/registrations/{registration.pk}/").content.decode()
    assert "Data scientist" in page
    client.post(f"/en/outreach/intentions/{intention.pk}/answer/", {"answer": "confirm"})
    intention.refresh_from_db()
    assert intention.status == "confirmed"
    client.force_login(UserFactory())
    assert (
        client.post(f"/en/outreach/intentions/{intention.pk}/answer/", {"answer": "decline"}).status_code
        == 404
    )
