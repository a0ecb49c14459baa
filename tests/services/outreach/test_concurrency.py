"""Registrations under load on the real database: places are never given twice."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from services.outreach import actions
from services.outreach.models import Registration
from talent_portal.core.errors import DomainError
from tests.factories import UserFactory

from .factories import EventFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="module", autouse=True)
def _empty_database_before_the_reload(django_db_setup, django_db_blocker):
    """Start from an empty database, as the serialized reload expects.

    A transactional test without ``serialized_rollback`` elsewhere in the suite ends with a flush
    that runs ``post_migrate``, which re-creates content types under new ids; reloading the
    serialized contents on top of them would collide. (Module scope: this runs before the
    function-scoped database set-up of the first test.)
    """
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)


def _run_together(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", call())
        except DomainError as error:
            outcomes[index] = ("refused", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_concurrent_registrations_never_exceed_capacity():
    event = EventFactory(capacity=3)
    people = UserFactory.create_batch(10)

    outcomes = _run_together(
        *[lambda person=person: actions.registration_create(actor=person, event=event) for person in people]
    )

    assert all(kind == "ok" for kind, _result in outcomes)
    statuses = [result.status for _kind, result in outcomes]
    assert statuses.count("confirmed") == 3 and statuses.count("waitlisted") == 7
    assert Registration.objects.filter(event=event, status="confirmed").count() == 3


def test_concurrent_cancellations_promote_each_waiting_person_once():
    event = EventFactory(capacity=2)
    holders = [
        actions.registration_create(actor=person, event=event) for person in UserFactory.create_batch(2)
    ]
    for person in UserFactory.create_batch(3):
        actions.registration_create(actor=person, event=event)

    _run_together(
        *[
            lambda registration=registration: actions.registration_cancel(
                actor=registration.user, registration=registration
            )
            for registration in holders
        ]
    )

    assert Registration.objects.filter(event=event, status="confirmed").count() == 2
    assert Registration.objects.filter(event=event, status="waitlisted").count() == 1
    assert Registration.objects.filter(event=event, promoted_at__isnull=False).count() == 2


def test_the_same_person_registering_twice_at_once_gets_one_registration():
    event = EventFactory(capacity=5)
    person = UserFactory()

    outcomes = _run_together(
        *[lambda: actions.registration_create(actor=person, event=event) for _ in range(4)]
    )

    assert sorted(kind for kind, _result in outcomes) == ["ok", "refused", "refused", "refused"]
    assert Registration.objects.filter(event=event, user=person).count() == 1
