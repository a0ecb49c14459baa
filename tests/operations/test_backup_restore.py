"""The backup and restore drill: back up a populated portal, restore it into an empty database and
media folder, and find every case, document (by SHA-256), permit and notification again."""

import hashlib
import sqlite3
import uuid
from pathlib import Path

import environ
import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from permits.models import Application, DocumentVersion, Permit
from services.notifications.models import Notification
from talent_portal.operations import backups
from tests.permits.factories import ApplicationFactory, PermitFactory, upload_checklist


def _populate():
    cases = [ApplicationFactory(complete=True, state=state) for state in ("submitted", "issued")]
    for case in cases:
        upload_checklist(case)
    for version in DocumentVersion.objects.all():
        with version.file.open("rb") as file:
            version.sha256 = hashlib.sha256(file.read()).hexdigest()
        version.save(update_fields=["sha256"])
    PermitFactory(holder=cases[1].applicant)
    Notification.objects.create(
        recipient=cases[0].applicant, language="ja", kind="x", dedupe_key="drill-1", channel="inbox"
    )
    return cases


def _table(model) -> str:
    return model._meta.db_table


@pytest.fixture
def throwaway_database():
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    name = f"talent_portal_restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    database = {**connection.settings_dict, "NAME": name}
    yield database
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _url(database: dict) -> str:
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}/{database['NAME']}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restored_into_an_empty_database_and_media_folder_has_everything(
    tmp_path, throwaway_database
):
    _populate()
    expected_cases = set(Application.objects.values_list("reference", "state"))
    expected_documents = set(DocumentVersion.objects.values_list("file", "sha256"))
    expected_permits = set(Permit.objects.values_list("number", "state"))
    expected_notifications = set(Notification.objects.values_list("dedupe_key", "status"))
    assert expected_documents and len(expected_cases) == 2

    call_command("backup", output=str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    assert {path.name for path in folder.iterdir()} == {
        "database.pgdump",
        "media.tar.gz",
        "SHA256SUMS",
        "manifest.json",
    }
    restored_media = tmp_path / "restored-media"
    call_command(
        "restore", str(folder), database_url=_url(throwaway_database), media_root=str(restored_media)
    )

    params = environ.Env.db_url_config(_url(throwaway_database))
    with (
        psycopg2.connect(
            dbname=params["NAME"],
            user=params["USER"] or None,
            password=params["PASSWORD"] or None,
            host=params["HOST"],
            port=params["PORT"] or None,
        ) as restored,
        restored.cursor() as cursor,
    ):
        cursor.execute(f"SELECT reference, state FROM {_table(Application)}")  # noqa: S608 - table names from the models
        assert set(cursor.fetchall()) == expected_cases
        cursor.execute(f"SELECT file, sha256 FROM {_table(DocumentVersion)}")  # noqa: S608 - table names from the models
        documents = set(cursor.fetchall())
        cursor.execute(f"SELECT number, state FROM {_table(Permit)}")  # noqa: S608 - table names from the models
        assert set(cursor.fetchall()) == expected_permits
        cursor.execute(f"SELECT dedupe_key, status FROM {_table(Notification)}")  # noqa: S608 - table names from the models
        assert set(cursor.fetchall()) == expected_notifications
    restored.close()
    assert documents == expected_documents
    for name, digest in documents:
        assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == digest

    # Restoring again over the restored data is refused without --force.
    with pytest.raises(CommandError, match="not empty"):
        call_command(
            "restore", str(folder), database_url=_url(throwaway_database), media_root=str(tmp_path / "m2")
        )


def _sqlite_database(path: Path, rows: list[str]) -> dict:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE cases (reference TEXT)")
    db.executemany("INSERT INTO cases VALUES (?)", [(row,) for row in rows])
    db.commit()
    db.close()
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def test_sqlite_backup_and_restore_with_media(tmp_path):
    media = tmp_path / "media"
    (media / "documents" / "a").mkdir(parents=True)
    (media / "documents" / "a" / "passport.pdf").write_bytes(b"%PDF-1.4 passport")
    folder = backups.backup(
        output_dir=tmp_path / "out",
        database=_sqlite_database(tmp_path / "live.sqlite3", ["WP-1", "WP-2"]),
        media_root=media,
    )
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored.sqlite3")}
    result = backups.restore(folder=folder, database=target, media_root=tmp_path / "restored-media")
    assert result["media_files"] == 1
    assert (
        tmp_path / "restored-media" / "documents" / "a" / "passport.pdf"
    ).read_bytes() == b"%PDF-1.4 passport"
    rows = sqlite3.connect(target["NAME"]).execute("SELECT reference FROM cases ORDER BY 1").fetchall()
    assert rows == [("WP-1",), ("WP-2",)]


def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "f.pdf").write_bytes(b"one")
    folder = backups.backup(
        output_dir=tmp_path / "out",
        database=_sqlite_database(tmp_path / "live.sqlite3", ["WP-1"]),
        media_root=media,
    )
    archive = folder / backups.MEDIA
    archive.write_bytes(archive.read_bytes() + b"tampered")
    target = tmp_path / "restored.sqlite3"
    with pytest.raises(backups.BackupError, match="checksum"):
        backups.restore(
            folder=folder,
            database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)},
            media_root=tmp_path / "restored-media",
        )
    assert not target.exists()
    assert not (tmp_path / "restored-media").exists()


def test_the_makefile_offers_backup_and_restore():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    assert "\nbackup:" in makefile and "$(MANAGE) backup" in makefile
    assert "\nrestore:" in makefile and "$(MANAGE) restore $(BACKUP)" in makefile
