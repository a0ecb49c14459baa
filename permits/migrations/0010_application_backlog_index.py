"""The backlog per officer (commission statistics) as an index-only scan.

The applications table is large (100,000 rows and more): on PostgreSQL the index is built
``CONCURRENTLY`` (no lock on writes while it builds), so this migration is not atomic; elsewhere
(SQLite in tests and the embedded default) it is an ordinary ``CREATE INDEX``.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("permits", "0009_application_passport_reading_declared_salary"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="application",
            index=models.Index(
                fields=["state", "assigned_officer"],
                include=("target_date", "statutory_limit", "id"),
                name="application_backlog",
            ),
        ),
    ]
