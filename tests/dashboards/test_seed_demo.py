import pytest
from django.core.management import call_command

from permits.models import Application, Permit
from talent_portal.accounts.models import Organization, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_every_duty_and_is_idempotent():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - discarded output
    counts = (
        User.objects.count(),
        Organization.objects.count(),
        Application.objects.count(),
        Permit.objects.count(),
    )
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        User.objects.count(),
        Organization.objects.count(),
        Application.objects.count(),
        Permit.objects.count(),
    ) == counts
    officer = User.objects.get(email="officer@demo.talent.example.cn")
    assert officer.has_duty("work_permit_officer")
    assert Permit.objects.filter(state="valid", kind="card").count() == 1
    assert Application.objects.filter(state="submitted").count() == 1
