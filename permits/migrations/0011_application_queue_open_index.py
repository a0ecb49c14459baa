"""The officers' queue as an ordered index scan: a partial index on (target_date, id) of open cases.

With ``application_queue`` (state, target_date, id) PostgreSQL has to read every case of the five
queue states and sort them to return one page (about 100 ms at 100,000 cases, measured with
``bench/city_bench.py``); with this index it walks the open cases in queue order and stops after
one page (well under a millisecond). The applications table is large: on PostgreSQL the index is
built ``CONCURRENTLY`` (no lock on writes while it builds), so this migration is not atomic;
elsewhere (SQLite in tests and the embedded default) it is an ordinary ``CREATE INDEX``.
"""

from django.db import migrations, models

from talent_portal.core.migration_operations import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("permits", "0010_application_backlog_index"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="application",
            index=models.Index(
                fields=["target_date", "id"],
                condition=models.Q(
                    state__in=["submitted", "accepted", "under_review", "awaiting_documents", "approved"]
                ),
                name="application_queue_open",
            ),
        ),
    ]
