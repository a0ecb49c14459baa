import pytest
from django.db import DatabaseError, transaction

from talent_portal.core.audit import audit_record
from talent_portal.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_event_records_actor_action_and_target(user):
    event = audit_record(actor=user, action="signed_in", target=user, data={"via": "password"})
    assert event.actor == user
    assert event.object_type == "accounts.user"
    assert event.object_id == str(user.pk)


@pytest.mark.postgres
def test_postgresql_refuses_update_of_an_audit_event(user):
    event = audit_record(actor=user, action="signed_in", target=user)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    assert AuditEvent.objects.get(pk=event.pk).action == "signed_in"


@pytest.mark.postgres
def test_postgresql_refuses_delete_of_an_audit_event(user):
    event = audit_record(actor=user, action="signed_in", target=user)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_cannot_change_or_delete_audit_events(admin_client, user):
    event = audit_record(actor=user, action="signed_in", target=user)
    response = admin_client.post(f"/en/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
