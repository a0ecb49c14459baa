import datetime as dt

import pytest
import time_machine

from talent_portal.core import workdays

# Monday 2 November 2026, 10:00 in Shanghai: after the National Day week of 2026.
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        workdays.clear_cache()
        yield NOW
