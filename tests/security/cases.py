"""Fixtures of the security tests that need a case: the permits tests' complete case, filed on
Monday 2 March 2026 (imported by the modules that use them, so other tests are not affected)."""

import datetime as dt

import pytest
import time_machine

from talent_portal.core import workdays
from tests.factories import UserFactory
from tests.permits.factories import ApplicationFactory


@pytest.fixture
def filed_on_monday():
    """Monday 2 March 2026, 10:00 in Shanghai (the permits tests' day)."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        workdays.clear_cache()
        yield
    workdays.clear_cache()


@pytest.fixture
def filed_case(db, filed_on_monday):
    """A complete new-notice case of a verified employer; ``.hr`` is a member of the employer."""
    application = ApplicationFactory(complete=True)
    application.hr = UserFactory(member_of=application.organization, preferred_language="ko")
    return application
