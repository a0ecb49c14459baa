"""The backlog per officer (commission statistics) as an index-only scan.

The applications table is large (100,000 rows and more): on PostgreSQL the index is built
``CONCURRENTLY`` (no lock on writes while it builds), so this migration is not atomic; elsewhere
(SQLite in tests and the embedded default) it is an ordinary ``CREATE INDEX``.
"""

from django.db import migrations, models

from talent_portal.core.migration_operations import AddIndexConcurrentlyOnPostgres


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
