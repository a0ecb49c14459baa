import datetime as dt

import pytest
import time_machine

from talent_portal.core import workdays
from tests.factories import UserFactory

from .factories import TODAY, ApplicationFactory


@pytest.fixture(autouse=True)
def frozen_today():
    """Cases are filed on Monday 2 March 2026, 10:00 in Shanghai."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        workdays.clear_cache()
        yield TODAY


@pytest.fixture
def case(db):
    """A complete new-notice case (class B by points) of a verified employer of good credit."""
    application = ApplicationFactory(complete=True)
    application.hr = UserFactory(member_of=application.organization, preferred_language="ko")
    return application
