"""Backups: the database (``pg_dump -Fc``, or SQLite's online backup) and the media folder (a tar),
with a SHA-256 manifest that a restore checks before it touches anything.

A backup is a folder ``talent-portal-<UTC time>/`` holding ``database.pgdump`` (or
``database.sqlite3``), ``media.tar.gz`` and ``SHA256SUMS`` (``sha256sum -c`` reads it too), plus
``manifest.json`` (when, which engine, sizes). ``manage.py backup`` / ``manage.py restore`` and
``make backup`` / ``make restore`` call these functions.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections

DATABASE_PG = "database.pgdump"
DATABASE_SQLITE = "database.sqlite3"
MEDIA = "media.tar.gz"
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(database: dict) -> tuple[dict, list[str]]:
    """libpq environment and connection arguments of a Django database dict (password via env)."""
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    args = []
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    return env, args


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def backup(*, output_dir: Path, database: dict | None = None, media_root: Path | None = None) -> Path:
    """Write one backup folder under ``output_dir`` and return it."""
    database = database or connections["default"].settings_dict
    media_root = Path(media_root or settings.MEDIA_ROOT)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = Path(output_dir) / f"talent-portal-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    os.chmod(folder, 0o700)  # personal data: the owner only
    engine = database["ENGINE"]
    if "postgresql" in engine:
        env, args = _pg_env(database)
        dump = folder / DATABASE_PG
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *args,
                "--file",
                str(dump),
                database["NAME"],
            ],
            env,
        )
    elif "sqlite3" in engine:
        dump = folder / DATABASE_SQLITE
        source = sqlite3.connect(str(database["NAME"]))
        target = sqlite3.connect(str(dump))
        try:
            source.backup(target)  # a consistent copy while the portal runs
        finally:
            target.close()
            source.close()
    else:
        raise BackupError(f"No backup method for the database engine {engine}.")
    archive = folder / MEDIA
    with tarfile.open(archive, "w:gz") as tar:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
    files = {path.name: sha256_of(path) for path in (dump, archive)}
    (folder / SUMS).write_text("".join(f"{digest}  {name}\n" for name, digest in files.items()))
    (folder / MANIFEST).write_text(
        json.dumps(
            {
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "engine": "postgresql" if "postgresql" in engine else "sqlite",
                "files": {
                    name: {"sha256": digest, "bytes": (folder / name).stat().st_size}
                    for name, digest in files.items()
                },
            },
            indent=2,
        )
    )
    return folder


def verify(folder: Path) -> dict[str, str]:
    """The checksums of ``SHA256SUMS``, each checked against its file; BackupError on any mismatch."""
    folder = Path(folder)
    sums_file = folder / SUMS
    if not sums_file.is_file():
        raise BackupError(f"{sums_file} is missing: not a backup folder.")
    sums = {}
    for line in sums_file.read_text().splitlines():
        if not line.strip():
            continue
        digest, name = line.split(maxsplit=1)
        name = name.strip().lstrip("*")
        if "/" in name or name.startswith("."):
            raise BackupError(f"Unexpected file name in {SUMS}: {name!r}.")
        path = folder / name
        if not path.is_file():
            raise BackupError(f"{name} is listed in {SUMS} but missing.")
        if sha256_of(path) != digest:
            raise BackupError(f"{name} does not match its SHA-256 checksum: the backup is damaged.")
        sums[name] = digest
    if MEDIA not in sums or not ({DATABASE_PG, DATABASE_SQLITE} & set(sums)):
        raise BackupError(f"{SUMS} must list the database dump and {MEDIA}.")
    return sums


def _pg_has_tables(database: dict) -> bool:
    env, args = _pg_env(database)
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [  # noqa: S607 - the client tools from PATH, like pg_dump
            "psql",
            *args,
            "--no-psqlrc",
            "-Atc",
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            database["NAME"],
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"Cannot reach the target database: {result.stderr.strip()[-500:]}")
    return int(result.stdout.strip() or 0) > 0


def restore(
    *, folder: Path, database: dict | None = None, media_root: Path | None = None, force: bool = False
) -> dict:
    """Check the checksums, then load the dump into ``database`` and unpack the media into ``media_root``.

    The target database must exist and be empty, and the media folder empty (or ``force``).
    """
    folder = Path(folder)
    sums = verify(folder)
    database = database or connections["default"].settings_dict
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if media_root.is_dir() and any(media_root.iterdir()) and not force:
        raise BackupError(f"The media folder {media_root} is not empty (use --force to restore over it).")
    engine = database["ENGINE"]
    if DATABASE_PG in sums:
        if "postgresql" not in engine:
            raise BackupError("This backup is of PostgreSQL; the target database is not.")
        if _pg_has_tables(database) and not force:
            raise BackupError(
                f"The database {database['NAME']} is not empty (use --force to restore over it)."
            )
        env, args = _pg_env(database)
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                *args,
                "--dbname",
                database["NAME"],
                str(folder / DATABASE_PG),
            ],
            env,
        )
    else:
        if "sqlite3" not in engine:
            raise BackupError("This backup is of SQLite; the target database is not.")
        target = Path(database["NAME"])
        if target.exists() and target.stat().st_size > 0 and not force:
            raise BackupError(f"The database file {target} exists (use --force to restore over it).")
        shutil.copyfile(folder / DATABASE_SQLITE, target)
    media_root.mkdir(parents=True, exist_ok=True)
    count = 0
    with tarfile.open(folder / MEDIA, "r:gz") as tar:
        members = [member for member in tar.getmembers() if member.isfile()]
        tar.extractall(media_root, members=members, filter="data")
        count = len(members)
    return {"database": database["NAME"], "media_root": str(media_root), "media_files": count}
