"""Limits on guessing: a number with a date of birth names a person, so wrong guesses are counted
per address (or account) and per number, on the pages and in the API alike."""

from talent_portal.core.throttle import FailureLimit

STATUS_LOOKUPS = FailureLimit("status-lookup", limit=10)
VERIFY_LOOKUPS = FailureLimit("verify-lookup", limit=10)
CANCELLATION_LOOKUPS = FailureLimit("cancellation-request", limit=10)
