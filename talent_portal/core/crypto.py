"""Secrets at rest: a Fernet-encrypted text field with key rotation, and keyed digests.

Keys come from the environment (``FIELD_ENCRYPTION_KEYS``, newest first). A value that none of
the keys can decrypt raises ``DecryptionError``: it is never returned empty or as cipher text.
"""

import hashlib
import hmac
import unicodedata
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver


class DecryptionError(Exception):
    """Stored cipher text could not be decrypted with any configured key."""


@cache
def _fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    return MultiFernet([Fernet(key) for key in keys])


@receiver(setting_changed)
def _reset_keys(*, setting, **kwargs):
    if setting in ("FIELD_ENCRYPTION_KEYS", "FIELD_DIGEST_KEY"):
        _fernet.cache_clear()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("The stored value cannot be decrypted with the configured keys.") from error


def rotate(token: str) -> str:
    """Re-encrypt a stored value under the newest key (for ``rotate_encryption_keys``)."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("The stored value cannot be decrypted with the configured keys.") from error


def normalize_identifier(value: str) -> str:
    """Canonical form of a document number before hashing: NFKC, no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def keyed_digest(value: str) -> str:
    """HMAC-SHA256 of the normalised value: lets a number be found without decrypting it."""
    key = settings.FIELD_DIGEST_KEY.encode()
    return hmac.new(key, normalize_identifier(value).encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored as Fernet cipher text. Not searchable: pair it with a digest."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
