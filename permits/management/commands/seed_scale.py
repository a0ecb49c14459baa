"""``python manage.py seed_scale --cases N``: realistic cases in bulk, for the queue and benchmarks.

Each run adds N cases (a top-up: existing rows are kept) with everything a case carries: the
applicant's account, the employer (one organisation per 40 cases), the case in a realistic state
with its dates, class, route and deadlines, its documents (the checklist of its business type,
one version each, a rejected first version where the case was returned), its history (submission,
returns and resubmissions with defect codes, acceptance, review, requests for documents with the
open pause, approval, refusal, issuance, withdrawal), the residence track of single-window cases,
the permits issued, and a fixed pool of officers the reviewed cases are assigned to.

Rows are generated in batches (``--batch`` cases, one transaction each, bounded memory) as plain
column values and written with PostgreSQL's ``COPY`` (on SQLite, the embedded default and the
tests, with ``executemany``). Primary keys are reserved from the tables' sequences first, so the
batches link their rows without reading them back. Columns the generator does not name take their
model default, so a field added later needs no change here (unless it is unique). A large fill on
PostgreSQL (``--rebuild-indexes``) runs in one transaction with the secondary indexes and the
unique and foreign-key constraints dropped, and rebuilds them at the end.
"""

import csv
import io
import json
import random
import time
import uuid
from contextlib import contextmanager, nullcontext
from datetime import timedelta
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import JSONField
from django.utils import timezone
from stdnum import luhn

from permits.checklist import Facts, required_kinds
from permits.models import (
    Application,
    Document,
    DocumentVersion,
    Pause,
    Permit,
    ReasonCode,
    ReasonKind,
    ResidenceTrack,
    State,
    Transition,
)
from permits.uploads import SENSITIVE_KINDS
from talent_portal.accounts.models import District, Duty, Industry, Organization, User
from talent_portal.core.crypto import EncryptedTextField, encrypt, keyed_digest
from talent_portal.core.workdays import add_working_days

STATE_WEIGHTS = [
    (State.DRAFT, 8),
    (State.SUBMITTED, 10),
    (State.RETURNED, 4),
    (State.ACCEPTED, 6),
    (State.UNDER_REVIEW, 12),
    (State.AWAITING_DOCUMENTS, 4),
    (State.APPROVED, 2),
    (State.ISSUED, 45),
    (State.REFUSED, 3),
    (State.WITHDRAWN, 4),
    (State.CLOSED, 2),
]
NATIONALITIES = [
    "USA",
    "JPN",
    "KOR",
    "DEU",
    "FRA",
    "GBR",
    "CAN",
    "AUS",
    "SGP",
    "ITA",
    "ESP",
    "IND",
    "RUS",
    "BRA",
]
LANGUAGES = ["en", "en", "zh-hans", "ja", "ko"]
ROUTES = ["ordinary", "entrepreneur", "delta_recognition"]
BUSINESS_TYPES = ["new_notice", "new_in_country", "extension", "new_card"]
BATCH = 10_000
CASES_PER_ORGANIZATION = 40
REBUILD_THRESHOLD = 50_000
# The tables a fill writes to (their indexes are rebuilt after a large fill).
FILLED_MODELS = (
    User,
    Organization,
    Application,
    Transition,
    Pause,
    ResidenceTrack,
    Permit,
    Document,
    DocumentVersion,
)
OFFICERS = 200
DECIDED = (State.APPROVED, State.ISSUED, State.REFUSED)
ACCEPTED_STATES = (State.ACCEPTED, State.UNDER_REVIEW, State.AWAITING_DOCUMENTS, *DECIDED)
REVIEWED_STATES = (State.UNDER_REVIEW, State.AWAITING_DOCUMENTS, *DECIDED)
RETURN_SHARE = 0.15
SINGLE_WINDOW_SHARE = 0.1
# A reference is SH<year>-XXXX-XXXX like ``new_reference``'s, but derived from the case's id by a
# bijection of 40 bits (an odd multiplier), so a million references never collide.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_SCRAMBLE = 0x9E3779B97F4A7C15
_MASK40 = (1 << 40) - 1


def rebuilds_indexes(vendor: str, cases: int, existing: int) -> bool:
    """Whether a fill rebuilds the indexes (cheaper than maintaining them row by row): on PostgreSQL,
    when it adds at least ``REBUILD_THRESHOLD`` cases and at least as many as there are."""
    return vendor == "postgresql" and cases >= REBUILD_THRESHOLD and cases >= existing


def scale_reference(year: int, case_id: int) -> str:
    """A unique, non-sequential reference for a seeded case (``new_reference``'s format)."""
    n = (case_id * _SCRAMBLE + 0x2545F4914F) & _MASK40
    body = "".join(_REFERENCE_ALPHABET[(n >> shift) & 31] for shift in range(35, -1, -5))
    return f"SH{year}-{body[:4]}-{body[4:]}"


def scale_passport(user_id: int) -> str:
    """A passport number per person, distinct for distinct people (7919 is prime to 10⁸)."""
    return f"E{(user_id * 7919) % 100_000_000:08d}"


def _uscc(n: int) -> str:
    from stdnum.cn import uscc

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91310000" + "".join(alphabet[int(c)] for c in f"{n:09d}")
    return body + uscc.calc_check_digit(body)


# --- Writing rows in bulk -------------------------------------------------------------------------


def _csv_value(field, value):
    """A value as the CSV of ``COPY`` reads it: JSON as JSON text, ``None`` as the empty, unquoted NULL."""
    if value is None:
        return None
    if isinstance(field, JSONField):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(field, EncryptedTextField) and value:
        return encrypt(value)
    return value


class BulkWriter:
    """Inserts rows given as tuples of named columns; the other columns get their model default."""

    def __init__(self, now):
        self.now = now
        self.postgres = connection.vendor == "postgresql"
        if connection.vendor not in ("postgresql", "sqlite"):
            raise CommandError("seed_scale writes to PostgreSQL or SQLite only.")
        self.rows = {}
        self.seconds = {}

    def reserve_ids(self, model, count: int) -> list[int]:
        """``count`` primary keys no other row has or will get."""
        if count == 0:
            return []
        table = model._meta.db_table
        column = model._meta.pk.column
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, column, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite (one writer): after the highest id ever handed out (AUTOINCREMENT's counter).
            cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {table}")  # noqa: S608
            highest = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = max(highest, row[0] if row else 0) + 1
            return list(range(start, start + count))

    def _rest(self, model, names):
        """The columns not named, with their defaults: constants, or callables run per row."""
        constant, per_row = [], []
        for field in model._meta.concrete_fields:
            if field.attname in names or (field.primary_key and field.db_returning):
                continue  # named, or an identity column the database numbers itself
            if field.unique and not field.primary_key:
                raise CommandError(f"seed_scale must fill the unique column {model.__name__}.{field.name}.")
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                constant.append((field, self.now))
            elif field.has_default() and callable(field.default) and field.default not in (list, dict):
                per_row.append((field, field.default))
            else:
                constant.append((field, field.get_default()))
        return constant, per_row

    def write(self, model, names: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        self.rows[model] = self.rows.get(model, 0) + len(rows)
        constant, per_row = self._rest(model, names)
        fields = {field.attname: field for field in model._meta.concrete_fields}
        given = [fields[name] for name in names]
        columns = [*given, *(field for field, _ in constant), *(field for field, _ in per_row)]
        started = time.perf_counter()
        if self.postgres:
            self._copy(model, given, constant, per_row, columns, rows)
        else:
            self._insert(model, constant, per_row, columns, rows)
        self.seconds[model] = self.seconds.get(model, 0) + time.perf_counter() - started

    def _copy(self, model, given, constant, per_row, columns, rows):
        # Python's csv module (C) writes None as an unquoted empty field: NULL for COPY, and an
        # empty string wherever the column is NOT NULL (FORCE_NOT_NULL).
        converted = [
            index for index, field in enumerate(given) if isinstance(field, JSONField | EncryptedTextField)
        ]
        if converted:
            rows = [list(row) for row in rows]
            for row in rows:
                for index in converted:
                    row[index] = _csv_value(given[index], row[index])
        rest = tuple(_csv_value(field, value) for field, value in constant)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if per_row:
            writer.writerows(
                (*row, *rest, *(_csv_value(field, make()) for field, make in per_row)) for row in rows
            )
        else:
            writer.writerows((*row, *rest) for row in rows)
        buffer.seek(0)
        quote = connection.ops.quote_name
        not_null = ", ".join(quote(field.column) for field in columns if not field.null)
        sql = (
            f"COPY {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in columns)}) "
            f"FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))"
        )
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if hasattr(raw, "copy_expert"):  # psycopg2
                raw.copy_expert(sql, buffer)
            else:  # psycopg 3
                with raw.copy(sql) as copy:
                    copy.write(buffer.getvalue())

    def _insert(self, model, constant, per_row, columns, rows):
        quote = connection.ops.quote_name
        rest = tuple(value for _field, value in constant)
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        values = [
            tuple(
                field.get_db_prep_save(value, connection)
                for field, value in zip(
                    columns, (*row, *rest, *(make() for _field, make in per_row)), strict=True
                )
            )
            for row in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)


# --- The command ----------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Add N realistic cases (bulk inserts: COPY on PostgreSQL) with organisations, people, documents, "
        "history and permits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch", type=int, default=BATCH, help="cases generated and written at a time")
        parser.add_argument(
            "--rebuild-indexes",
            choices=["auto", "always", "never"],
            default="auto",
            help=(
                "PostgreSQL: fill in one transaction with the secondary indexes and the unique and "
                "foreign-key constraints dropped, then rebuild them (auto: when the fill at least "
                f"doubles the cases and adds {REBUILD_THRESHOLD:,} or more)"
            ),
        )

    def handle(self, *args, cases, seed, batch, rebuild_indexes, **options):
        started = time.perf_counter()
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.now = now = timezone.now()
        self.today = now.date()
        self.password = make_password(None)
        self.writer = writer = BulkWriter(now)
        self.defects = list(
            ReasonCode.objects.filter(kind=ReasonKind.DEFECT).values_list("code", flat=True)
        ) or ["missing_document"]
        self.kinds_cache = {}
        self.states = [state for state, _ in STATE_WEIGHTS]
        self.weights = list(accumulate(weight for _, weight in STATE_WEIGHTS))
        rebuild = rebuild_indexes == "always" or (
            rebuild_indexes == "auto"
            and rebuilds_indexes(connection.vendor, cases, Application.objects.count())
        )
        if rebuild and connection.vendor != "postgresql":
            raise CommandError("--rebuild-indexes always needs PostgreSQL.")
        self.rebuild_seconds = 0.0
        if rebuild:
            # One transaction for the whole fill: an interrupted run leaves the tables as they were.
            with transaction.atomic(), self._indexes_rebuilt(FILLED_MODELS):
                self._fill(cases, batch, started, atomic=False)
        else:
            self._fill(cases, batch, started, atomic=True)
        totals = ", ".join(
            f"{count} {model._meta.verbose_name_plural} ({writer.seconds[model]:.1f} s)"
            for model, count in writer.rows.items()
        )
        if rebuild:
            totals += f"; indexes and constraints rebuilt in {self.rebuild_seconds:.1f} s"
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {cases} cases in {len(self.organizations)} organisations "
                f"in {time.perf_counter() - started:.0f} s ({totals})."
            )
        )

    def _fill(self, cases, batch, started, *, atomic):
        with transaction.atomic() if atomic else nullcontext():
            self.officers = self._officers()
            self.organizations = self._organizations(max(1, cases // CASES_PER_ORGANIZATION))
        created = 0
        while created < cases:
            size = min(batch, cases - created)
            with transaction.atomic() if atomic else nullcontext():
                self._batch(size)
            created += size
            elapsed = time.perf_counter() - started
            self.stdout.write(f"{created} cases ({created / elapsed:.0f}/s)")

    @contextmanager
    def _indexes_rebuilt(self, models):
        """Drop the secondary indexes (not the partial ones), unique and foreign-key constraints of the tables, then (after
        the fill) recreate them from their own definitions, as ``pg_restore`` does: building an index
        once over a million rows is far cheaper than inserting into it a million times. In the
        fill's transaction (PostgreSQL's DDL is transactional): a failure restores everything."""
        tables = [model._meta.db_table for model in models]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
                FROM pg_constraint c
                WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')
                  AND NOT EXISTS (
                      SELECT 1 FROM pg_constraint f
                      WHERE f.contype = 'f' AND f.conindid = c.conindid AND c.contype = 'u'
                        AND NOT f.conrelid = ANY(%s::regclass[])
                  )
                ORDER BY c.contype, c.conname
                """,
                [tables, tables],
            )
            constraints = cursor.fetchall()  # foreign keys first ('f' < 'u')
            for table, name, _definition, _kind in constraints:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
                  -- Partial indexes stay: their condition would come back re-worded (ARRAY[…]::text[]
                  -- instead of ARRAY[…::text]), which the planner may no longer match to a query.
                  AND i.indpred IS NULL
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                                  AND c.conrelid = i.indrelid)
                ORDER BY 1
                """,
                [tables],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
        yield
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            for table, name, definition, _kind in reversed(constraints):  # unique ones first
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        self.rebuild_seconds = time.perf_counter() - started

    # Officers and employers ------------------------------------------------------------------

    def _officers(self) -> list[int]:
        """A fixed pool of work-permit officers (created once): reviewers and actors of the history."""
        emails = [f"scale-officer{n}@scale.invalid" for n in range(OFFICERS)]
        existing = dict(User.objects.filter(email__in=emails).values_list("email", "id"))
        missing = [email for email in emails if email not in existing]
        ids = self.writer.reserve_ids(User, len(missing))
        self.writer.write(
            User,
            ("id", "email", "full_name", "password", "preferred_language", "date_joined"),
            [
                (pk, email, f"Scale Officer {email[13:-14]}", self.password, "zh-hans", self.now)
                for pk, email in zip(ids, missing, strict=True)
            ],
        )
        if ids:
            group, _created = Group.objects.get_or_create(name=Duty.WORK_PERMIT_OFFICER)
            group.user_set.add(*ids)
        return sorted([*existing.values(), *ids])

    def _organizations(self, count: int) -> list[tuple[int, str]]:
        rng = self.rng
        start = Organization.objects.count()
        ids = self.writer.reserve_ids(Organization, count)
        rows = []
        for i, pk in enumerate(ids):
            rows.append(
                (
                    pk,
                    "employer",
                    _uscc(900_000_000 - start - i),
                    f"规模测试企业{start + i}",
                    f"Scale Test Company {start + i}",
                    rng.choice(District.values),
                    "上海市",
                    rng.choice(Industry.values),
                    "verified",
                    "good",
                    self.now,
                )
            )
        self.writer.write(
            Organization,
            (
                "id",
                "kind",
                "uscc",
                "name_zh",
                "name_en",
                "district",
                "address",
                "industry",
                "verification_status",
                "credit_standing",
                "verified_at",
            ),
            rows,
        )
        return [(row[0], row[5]) for row in rows]

    def _kinds(self, business_type, route, talent_class, single_window):
        key = (business_type, route, talent_class, single_window)
        if key not in self.kinds_cache:
            self.kinds_cache[key] = required_kinds(
                Facts(
                    business_type=business_type,
                    route=route,
                    talent_class=talent_class,
                    pledge=False,
                    good_credit=True,
                    claims_criteria=False,
                    changing_employer=False,
                    change_kinds=frozenset(),
                    single_window=single_window,
                    health_certificate_abroad=single_window,
                )
            )
        return self.kinds_cache[key]

    # One batch of cases ----------------------------------------------------------------------

    def _batch(self, size: int) -> None:  # noqa: C901, PLR0912, PLR0915 - one pass over the batch
        rng, now, today, writer = self.rng, self.now, self.today, self.writer
        user_ids = writer.reserve_ids(User, size)
        case_ids = writer.reserve_ids(Application, size)
        users, cases, tracks, permits, history, pauses, documents = [], [], [], [], [], [], []
        for user_id, case_id in zip(user_ids, case_ids, strict=True):
            state = rng.choices(self.states, cum_weights=self.weights)[0]
            business_type = rng.choice(BUSINESS_TYPES)
            route = rng.choices(ROUTES, cum_weights=(90, 97, 100))[0]
            claimed_class = rng.choices("ABC", cum_weights=(15, 75, 100))[0]
            single_window = state in ACCEPTED_STATES and rng.random() < SINGLE_WINDOW_SHARE
            organization_id, district = rng.choice(self.organizations)
            nationality = rng.choice(NATIONALITIES)
            born = today.replace(year=today.year - rng.randint(23, 60), day=1)
            passport = scale_passport(user_id)
            digest = keyed_digest(passport)
            created = now - timedelta(days=rng.randint(0, 400), seconds=rng.randint(0, 86_399))
            submitted = accepted = decided = target = limit = awaiting = respond_by = None
            officer = None
            returned = False
            if state != State.DRAFT:
                submitted = min(created + timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 8)), now)
                target = add_working_days(submitted.date(), 5)
                returned = state == State.RETURNED or rng.random() < RETURN_SHARE
            if state in ACCEPTED_STATES:
                accepted = min(submitted + timedelta(days=rng.randint(1, 7)), now)
                target = add_working_days(accepted.date(), 10)
                limit = add_working_days(accepted.date(), 20)
            if state in DECIDED or state == State.WITHDRAWN:
                decided = min((accepted or submitted) + timedelta(days=rng.randint(2, 40)), now)
            if state in REVIEWED_STATES:
                officer = rng.choice(self.officers)
            language = rng.choice(LANGUAGES)
            users.append(
                (user_id, f"scale{user_id}@scale.invalid", f"Scale Person {user_id}", self.password)
                + (language, created, created)
            )
            public_id = uuid.uuid4()
            case = {
                "id": case_id,
                "public_id": public_id,
                "state": state,
                "applicant": user_id,
                "submitted": submitted,
                "accepted": accepted,
                "decided": decided,
                "officer": officer,
            }
            # The history, in order; each entry (actor, role, action, from, to, at, reason codes).
            entries = []
            if submitted is not None:
                entries.append((user_id, "applicant", "submit", "draft", "submitted", submitted, []))
                if returned:
                    returned_at = min(submitted + timedelta(hours=20), now)
                    codes = rng.sample(self.defects, k=min(len(self.defects), rng.randint(1, 2)))
                    reviewer = rng.choice(self.officers)
                    entries.append(
                        (reviewer, "officer", "return", "submitted", "returned", returned_at, codes)
                    )
                    if state != State.RETURNED:
                        until = accepted or decided or min(submitted + timedelta(days=3), now)
                        entries.append(
                            (
                                user_id,
                                "applicant",
                                "resubmit",
                                "returned",
                                "submitted",
                                returned_at + (until - returned_at) / 2,
                                [],
                            )
                        )
                    case["return_codes"] = codes
                    case["returned_at"] = returned_at
            if accepted is not None:
                entries.append(
                    (
                        officer or rng.choice(self.officers),
                        "officer",
                        "accept",
                        "submitted",
                        "accepted",
                        accepted,
                        [],
                    )
                )
            if state in REVIEWED_STATES:
                review_at = min(accepted + timedelta(hours=rng.randint(1, 48)), now)
                entries.append(
                    (officer, "officer", "start_review", "accepted", "under_review", review_at, [])
                )
                if state == State.AWAITING_DOCUMENTS:
                    awaiting = min(review_at + timedelta(days=rng.randint(1, 10)), now)
                    respond_by = add_working_days(awaiting.date(), 15)
                    entries.append(
                        (
                            officer,
                            "officer",
                            "request_documents",
                            "under_review",
                            "awaiting_documents",
                            awaiting,
                            [],
                        )
                    )
                    pauses.append((case_id, awaiting.date(), None, ["experience_proof"], ""))
                elif state in (State.APPROVED, State.ISSUED):
                    approved = max(decided, review_at)
                    entries.append((officer, "officer", "approve", "under_review", "approved", approved, []))
                    if state == State.ISSUED:
                        entries.append(
                            (
                                user_id,
                                "system",
                                "issue",
                                "approved",
                                "issued",
                                min(approved + timedelta(hours=1), now),
                                [],
                            )
                        )
                elif state == State.REFUSED:
                    entries.append(
                        (officer, "officer", "refuse", "under_review", "refused", max(decided, review_at), [])
                    )
            if state == State.WITHDRAWN:
                entries.append((user_id, "applicant", "withdraw", "submitted", "withdrawn", decided, []))
            history.extend(
                (case_id, actor, role, action, before, after, at, codes)
                for actor, role, action, before, after, at, codes in entries
            )
            cases.append(
                (
                    case_id,
                    public_id,
                    scale_reference(today.year, case_id),
                    business_type,
                    route,
                    single_window,
                    claimed_class,
                    district,
                    state,
                    user_id,
                    organization_id,
                    user_id,
                    "confirmed",
                    f"PERSON{user_id}",
                    "SCALE",
                    nationality,
                    born,
                    passport,
                    digest,
                    today + timedelta(days=rng.randint(200, 3000)),
                    rng.randint(80, 900) * 1000,
                    rng.choice(["bachelor", "master", "doctorate"]),
                    "Engineer",
                    submitted,
                    language if submitted else "",
                    accepted,
                    decided,
                    target,
                    limit,
                    awaiting,
                    respond_by,
                    officer,
                    created,
                    max(entry[5] for entry in entries) if entries else created,
                )
            )
            if single_window:
                tracks.append(
                    (
                        case_id,
                        state,
                        accepted,
                        decided,
                        add_working_days(accepted.date(), 7),
                        add_working_days(accepted.date(), 15),
                    )
                )
            if state == State.ISSUED:
                number = f"31{today.year}{case_id:011d}"
                permits.append(
                    (
                        number + luhn.calc_check_digit(number),
                        user_id,
                        organization_id,
                        case_id,
                        rng.choice("ABC"),
                        "Engineer",
                        f"PERSON{user_id} SCALE",
                        nationality,
                        born,
                        digest,
                        passport[-3:],
                        today - timedelta(days=rng.randint(0, 700)),
                        today + timedelta(days=rng.randint(1, 720)),
                    )
                )
            kinds = self._kinds(business_type, route, claimed_class, single_window)
            if state == State.DRAFT:
                kinds = kinds[: rng.randint(0, len(kinds))]
            documents.append((case, created, kinds))

        writer.write(
            User,
            (
                "id",
                "email",
                "full_name",
                "password",
                "preferred_language",
                "date_joined",
                "email_verified_at",
            ),
            users,
        )
        writer.write(
            Application,
            (
                "id",
                "public_id",
                "reference",
                "business_type",
                "route",
                "is_single_window",
                "claimed_class",
                "work_district",
                "state",
                "applicant_id",
                "organization_id",
                "created_by_id",
                "sponsorship",
                "surname",
                "given_names",
                "nationality",
                "date_of_birth",
                "passport_number",
                "passport_digest",
                "passport_expiry",
                "annual_salary_cny",
                "education",
                "post_title",
                "submitted_at",
                "submitted_language",
                "accepted_at",
                "decided_at",
                "target_date",
                "statutory_limit",
                "awaiting_since",
                "respond_by",
                "assigned_officer_id",
                "created_at",
                "updated_at",
            ),
            cases,
        )
        writer.write(
            Transition,
            (
                "application_id",
                "actor_id",
                "actor_role",
                "action",
                "from_state",
                "to_state",
                "at",
                "reason_codes",
            ),
            history,
        )
        writer.write(
            Pause, ("application_id", "started_on", "ended_on", "requested_kinds", "message"), pauses
        )
        writer.write(
            ResidenceTrack,
            ("application_id", "state", "accepted_at", "decided_at", "target_date", "statutory_limit"),
            tracks,
        )
        writer.write(
            Permit,
            (
                "number",
                "holder_id",
                "organization_id",
                "application_id",
                "talent_class",
                "post_title",
                "holder_name",
                "nationality",
                "date_of_birth",
                "passport_digest",
                "passport_last_digits",
                "valid_from",
                "valid_until",
            ),
            permits,
        )
        self._documents(documents)

    def _documents(self, documents) -> None:
        """One slot per checklist item; version 1 uploaded before submission, version 2 after a return."""
        rng, now, writer = self.rng, self.now, self.writer
        document_ids = iter(
            writer.reserve_ids(Document, sum(len(kinds) for _case, _created, kinds in documents))
        )
        slots, versions = [], []
        for case, created, kinds in documents:
            folder = f"documents/{case['public_id']}"
            accepted = case["accepted"]
            returned_at = case.get("returned_at")
            for position, kind in enumerate(kinds):
                document_id = next(document_ids)
                uploaded = min(created + timedelta(minutes=5 * (position + 1)), case["submitted"] or now)
                slots.append((document_id, case["id"], kind, uploaded, uploaded))
                rejected = returned_at is not None and position == 0
                first_status = "rejected" if rejected else ("accepted" if accepted else "pending")
                versions.append(
                    self._version(
                        document_id,
                        1,
                        kind,
                        folder,
                        case["applicant"],
                        uploaded,
                        first_status,
                        case["return_codes"][0] if rejected else "",
                        returned_at if rejected else (accepted if accepted else None),
                        case["officer"] if accepted else None,
                    )
                )
                if rejected and case["state"] != State.RETURNED:
                    again = min(returned_at + timedelta(hours=rng.randint(2, 30)), now)
                    versions.append(
                        self._version(
                            document_id,
                            2,
                            kind,
                            folder,
                            case["applicant"],
                            again,
                            "accepted" if accepted else "pending",
                            "",
                            accepted,
                            case["officer"] if accepted else None,
                        )
                    )
        writer.write(Document, ("id", "application_id", "kind", "created_at", "updated_at"), slots)
        writer.write(
            DocumentVersion,
            (
                "document_id",
                "number",
                "file",
                "original_name",
                "content_type",
                "size",
                "sha256",
                "issue_date",
                "uploaded_by_id",
                "uploaded_at",
                "consent_given_at",
                "status",
                "reason_code",
                "reviewed_by_id",
                "reviewed_at",
            ),
            versions,
        )

    def _version(
        self, document_id, number, kind, folder, uploader, at, status, reason, reviewed_at, reviewer
    ):
        rng = self.rng
        photo = kind == "photo"
        return (
            document_id,
            number,
            f"{folder}/{rng.getrandbits(128):032x}",
            f"{kind}.{'jpg' if photo else 'pdf'}",
            "image/jpeg" if photo else "application/pdf",
            rng.randint(40_000, 900_000) if photo else rng.randint(80_000, 4_000_000),
            f"{rng.getrandbits(256):064x}",
            (at - timedelta(days=rng.randint(5, 120))).date()
            if kind in ("criminal_record", "health_certificate")
            else None,
            uploader,
            at,
            at if kind in SENSITIVE_KINDS else None,
            status,
            reason,
            reviewer if reviewed_at else None,
            reviewed_at,
        )
