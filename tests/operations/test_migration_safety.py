"""Migrations must be safe to run while the previous release serves traffic (docs/OPERATIONS.md).

On the large tables (cases, documents, history, notifications, the audit log):

- a new column is nullable or has a database default (``db_default``): the old release inserts
  rows without it, and Django drops a Python ``default`` from the database once the column exists;
- an index is built with ``AddIndexConcurrently`` (PostgreSQL; a plain CREATE INDEX blocks
  writes for the whole build), in a migration with ``atomic = False``;
- a constraint is added in two steps (``NOT VALID`` then ``VALIDATE``, with ``RunSQL``), never with
  ``AddConstraint``, which scans the table under a lock that blocks writes.

Migrations that predate the rule ran on empty tables, before the first production release; they
are listed below with that reason, and the list may only shrink.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations
from django.db.migrations.loader import MigrationLoader
from django.db.models import NOT_PROVIDED

LARGE_TABLES = {
    ("permits", "application"),
    ("permits", "document"),
    ("permits", "documentversion"),
    ("permits", "transition"),
    ("notifications", "notification"),
    ("core", "auditevent"),
}

# (app, migration) → why it is allowed. All ran before the first production release, on empty tables.
PREDATES_THE_RULE = "ran on empty tables before the first production release"
ALLOWED = {
    ("notifications", "0002_delivery_inbox_preferences"): PREDATES_THE_RULE,
    ("permits", "0004_single_window"): PREDATES_THE_RULE,
}


def _problems(migration) -> list[str]:
    created = {
        (migration.app_label, operation.name_lower)
        for operation in migration.operations
        if isinstance(operation, migrations.CreateModel)
    }
    problems = []
    for operation in migration.operations:
        model = getattr(operation, "model_name_lower", None) or getattr(operation, "model_name", "")
        key = (migration.app_label, str(model).lower())
        if key not in LARGE_TABLES or key in created:
            continue
        if isinstance(operation, migrations.AddField):
            field = operation.field
            has_db_default = getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED
            if not field.null and not has_db_default and not field.many_to_many:
                problems.append(f"AddField {key[1]}.{operation.name}: NOT NULL without db_default")
        elif isinstance(operation, migrations.AddIndex) and not isinstance(operation, AddIndexConcurrently):
            problems.append(f"AddIndex on {key[1]}: use AddIndexConcurrently (atomic = False)")
        elif isinstance(operation, migrations.AddConstraint):
            problems.append(f"AddConstraint on {key[1]}: add it NOT VALID, then VALIDATE (RunSQL)")
    return problems


def _all_problems() -> dict[tuple[str, str], list[str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = {}
    for (app_label, name), migration in sorted(loader.disk_migrations.items()):
        problems = _problems(migration)
        if problems:
            found[(app_label, name)] = problems
    return found


def test_no_migration_locks_or_breaks_a_large_table_while_the_old_release_runs():
    found = _all_problems()
    new = {key: problems for key, problems in found.items() if key not in ALLOWED}
    assert not new, f"Unsafe migrations (see the docstring of this test for the safe patterns): {new}"


def test_the_allow_list_only_names_migrations_that_still_need_it():
    found = _all_problems()
    assert set(ALLOWED) <= set(found), f"No longer needed in ALLOWED: {set(ALLOWED) - set(found)}"


def test_the_rule_catches_each_unsafe_pattern():
    from django.db import models

    unsafe = type(
        "Migration",
        (migrations.Migration,),
        {
            "operations": [
                migrations.AddField("application", "flag", models.BooleanField(default=False)),
                migrations.AddIndex("notification", models.Index(fields=["kind"], name="n_kind")),
                migrations.AddConstraint(
                    "auditevent", models.CheckConstraint(condition=models.Q(id__gt=0), name="a_pos")
                ),
            ]
        },
    )("0999_unsafe", "permits")
    problems = _problems(unsafe)
    assert problems == ["AddField application.flag: NOT NULL without db_default"]
    safe = type(
        "Migration",
        (migrations.Migration,),
        {
            "atomic": False,
            "operations": [
                migrations.AddField("application", "flag", models.BooleanField(db_default=False)),
                migrations.AddField("application", "note", models.TextField(null=True)),
                AddIndexConcurrently("application", models.Index(fields=["route"], name="a_route")),
            ],
        },
    )("0999_safe", "permits")
    assert _problems(safe) == []
    notifications = type(
        "Migration",
        (migrations.Migration,),
        {"operations": [migrations.AddIndex("notification", models.Index(fields=["kind"], name="n_kind"))]},
    )("0999_unsafe", "notifications")
    assert _problems(notifications) == ["AddIndex on notification: use AddIndexConcurrently (atomic = False)"]
