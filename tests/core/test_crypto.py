import pytest
from cryptography.fernet import Fernet
from django.db import connection

from talent_portal.core import crypto

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def test_round_trip_and_cipher_text_differs(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    token = crypto.encrypt("E12345678")
    assert token != "E12345678"
    assert "E12345678" not in token
    assert crypto.decrypt(token) == "E12345678"


def test_a_wrong_key_raises_instead_of_returning_garbage(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    token = crypto.encrypt("E12345678")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_rotation_keeps_old_values_readable_and_rewrites_them_under_the_new_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    token = crypto.encrypt("E12345678")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert crypto.decrypt(token) == "E12345678"
    rotated = crypto.rotate(token)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert crypto.decrypt(rotated) == "E12345678"


def test_the_digest_is_keyed_and_ignores_spacing_and_case(settings):
    settings.FIELD_DIGEST_KEY = "one"
    first = crypto.keyed_digest("e 1234 5678")
    assert first == crypto.keyed_digest("E12345678")
    settings.FIELD_DIGEST_KEY = "two"
    assert crypto.keyed_digest("E12345678") != first


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_field_stores_cipher_text_in_the_database(settings):
    """The encrypted field round-trips through a real table and stores no clear text."""
    from django.db import models

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    class Secret(models.Model):
        value = crypto.EncryptedTextField()

        class Meta:
            app_label = "core"
            db_table = "test_core_secret"

        def __str__(self):
            return "secret"

    with connection.schema_editor() as editor:
        editor.create_model(Secret)
    try:
        Secret.objects.create(value="P1234567")
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM test_core_secret")
            raw = cursor.fetchone()[0]
        assert "P1234567" not in raw
        assert Secret.objects.get().value == "P1234567"
        settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
        with pytest.raises(crypto.DecryptionError):
            Secret.objects.get()
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Secret)
