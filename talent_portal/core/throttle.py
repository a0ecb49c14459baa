"""Counting failed guesses: the public look-ups and the cancellation request name a person by a
number and a date of birth, so wrong guesses are limited per address, per account and per number.

A failure is counted under every key given; a request is refused while any of its keys has
reached the limit. Counts live in the cache for the window (losing them only forgets failures).
"""

from dataclasses import dataclass

from django.core.cache import cache

from .crypto import keyed_digest


@dataclass(frozen=True)
class FailureLimit:
    scope: str
    limit: int
    window_seconds: int = 3600

    def _key(self, part: str) -> str:
        # Numbers and addresses are personal data: the cache only sees a keyed digest.
        return f"failures:{self.scope}:{keyed_digest(part)[:32]}"

    def blocked(self, *parts: str) -> bool:
        keys = [self._key(part) for part in parts if part]
        counts = cache.get_many(keys)
        return any(count >= self.limit for count in counts.values())

    def fail(self, *parts: str) -> None:
        for part in parts:
            if not part:
                continue
            key = self._key(part)
            if cache.add(key, 1, self.window_seconds):
                continue
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, self.window_seconds)
