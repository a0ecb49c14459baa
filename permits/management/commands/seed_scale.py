"""``python manage.py seed_scale --cases N``: realistic cases in bulk, for the queue and benchmarks."""

import random
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from permits.models import (
    Application,
    Permit,
    ReasonCode,
    ReasonKind,
    ResidenceTrack,
    State,
    Transition,
    new_reference,
)
from talent_portal.accounts.models import District, Industry, Organization, User
from talent_portal.core.crypto import keyed_digest
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
BATCH = 5000
DECIDED = (State.APPROVED, State.ISSUED, State.REFUSED)
ACCEPTED_STATES = (State.ACCEPTED, State.UNDER_REVIEW, State.AWAITING_DOCUMENTS, *DECIDED)
RETURN_SHARE = 0.15
SINGLE_WINDOW_SHARE = 0.1


@contextmanager
def _history_times_kept():
    """Let bulk-created history rows keep their own ``at`` (the field is ``auto_now_add``)."""
    field = Transition._meta.get_field("at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def _uscc(n: int) -> str:
    from stdnum.cn import uscc

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91310000" + "".join(alphabet[int(c)] for c in f"{n:09d}")
    return body + uscc.calc_check_digit(body)


class Command(BaseCommand):
    help = "Fill the database with N realistic cases (bulk inserts), with organisations, people and permits."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, cases, seed, **options):
        rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        password = make_password(None)
        start_org = Organization.objects.count()
        organizations = Organization.objects.bulk_create(
            [
                Organization(
                    kind="employer",
                    uscc=_uscc(900_000_000 - start_org - i),
                    name_zh=f"规模测试企业{start_org + i}",
                    name_en=f"Scale Test Company {start_org + i}",
                    district=rng.choice(District.values),
                    address="上海市",
                    industry=rng.choice(Industry.values),
                    verification_status="verified",
                    credit_standing="good",
                )
                for i in range(max(1, cases // 40))
            ],
            batch_size=BATCH,
        )
        states = [state for state, _ in STATE_WEIGHTS]
        weights = [weight for _, weight in STATE_WEIGHTS]
        now = timezone.now()
        today = now.date()
        digest = keyed_digest("E00000000")
        defects = list(ReasonCode.objects.filter(kind=ReasonKind.DEFECT).values_list("code", flat=True)) or [
            "missing_document"
        ]
        created = 0
        while created < cases:
            size = min(BATCH, cases - created)
            with transaction.atomic(), _history_times_kept():
                base = User.objects.count()
                users = User.objects.bulk_create(
                    [
                        User(
                            email=f"scale{base + i}@scale.invalid",
                            full_name=f"Scale Person {base + i}",
                            password=password,
                        )
                        for i in range(size)
                    ],
                    batch_size=BATCH,
                )
                applications = []
                for user in users:
                    state = rng.choices(states, weights)[0]
                    submitted = now - timedelta(days=rng.randint(0, 400))
                    accepted = min(submitted + timedelta(days=rng.randint(1, 7)), now)
                    organization = rng.choice(organizations)
                    application = Application(
                        reference=new_reference(today.year),
                        business_type=rng.choice(["new_notice", "new_in_country", "extension", "new_card"]),
                        route=rng.choices(["ordinary", "entrepreneur", "delta_recognition"], [90, 7, 3])[0],
                        is_single_window=state in ACCEPTED_STATES and rng.random() < SINGLE_WINDOW_SHARE,
                        claimed_class=rng.choices("ABC", [15, 60, 25])[0],
                        work_district=organization.district,
                        state=state,
                        applicant=user,
                        organization=organization,
                        created_by=user,
                        sponsorship="confirmed",
                        surname=f"PERSON{user.pk}",
                        given_names="SCALE",
                        nationality=rng.choice(NATIONALITIES),
                        date_of_birth=today.replace(year=today.year - rng.randint(23, 60)),
                        passport_number="E00000000",
                        passport_digest=digest,
                        annual_salary_cny=rng.randint(80, 900) * 1000,
                        education=rng.choice(["bachelor", "master", "doctorate"]),
                        post_title="Engineer",
                    )
                    if state != State.DRAFT:
                        application.submitted_at = submitted
                        application.target_date = add_working_days(submitted.date(), 5)
                    if state in (
                        State.ACCEPTED,
                        State.UNDER_REVIEW,
                        State.AWAITING_DOCUMENTS,
                        State.APPROVED,
                        State.ISSUED,
                        State.REFUSED,
                    ):
                        application.accepted_at = accepted
                        application.target_date = add_working_days(accepted.date(), 10)
                        application.statutory_limit = add_working_days(accepted.date(), 20)
                    if state in DECIDED or state == State.WITHDRAWN:
                        application.decided_at = min(accepted + timedelta(days=rng.randint(2, 40)), now)
                    applications.append(application)
                Application.objects.bulk_create(applications, batch_size=BATCH)
                Transition.objects.bulk_create(
                    self._history(applications, rng=rng, defects=defects), batch_size=BATCH
                )
                ResidenceTrack.objects.bulk_create(
                    [
                        ResidenceTrack(
                            application=a,
                            state=a.state,
                            accepted_at=a.accepted_at,
                            decided_at=a.decided_at,
                            target_date=add_working_days(a.accepted_at.date(), 7),
                            statutory_limit=add_working_days(a.accepted_at.date(), 15),
                        )
                        for a in applications
                        if a.is_single_window
                    ],
                    batch_size=BATCH,
                )
                Transition.objects.bulk_create(
                    [
                        Transition(
                            application=a,
                            actor=a.applicant,
                            actor_role="applicant",
                            action="submit",
                            from_state="draft",
                            to_state="submitted",
                            at=a.submitted_at,
                        )
                        for a in applications
                        if a.state != State.DRAFT
                    ],
                    batch_size=BATCH,
                )
                Permit.objects.bulk_create(
                    [
                        Permit(
                            number=f"31{today.year}{a.pk:011d}"
                            + luhn.calc_check_digit(f"31{today.year}{a.pk:011d}"),
                            holder=a.applicant,
                            organization=a.organization,
                            application=a,
                            talent_class=rng.choice("ABC"),
                            post_title="Engineer",
                            holder_name=f"PERSON{a.applicant_id} SCALE",
                            nationality=a.nationality,
                            date_of_birth=a.date_of_birth,
                            passport_digest=digest,
                            passport_last_digits="000",
                            valid_from=today - timedelta(days=rng.randint(0, 700)),
                            valid_until=today + timedelta(days=rng.randint(1, 720)),
                        )
                        for a in applications
                        if a.state == State.ISSUED
                    ],
                    batch_size=BATCH,
                )
            created += size
            self.stdout.write(f"{created} cases")
        self.stdout.write(self.style.SUCCESS(f"Created {cases} cases in {len(organizations)} organisations."))

    @staticmethod
    def _history(applications, *, rng, defects):
        """Returns (with defect codes), acceptances and decisions, at their own times."""
        rows = []
        for a in applications:
            if a.submitted_at is None:
                continue
            if a.state == State.RETURNED or rng.random() < RETURN_SHARE:
                rows.append(
                    Transition(
                        application=a,
                        actor=a.applicant,
                        actor_role="officer",
                        action="return",
                        from_state="submitted",
                        to_state="returned",
                        reason_codes=rng.sample(defects, k=min(len(defects), rng.randint(1, 2))),
                        at=a.submitted_at + timedelta(hours=20),
                    )
                )
            if a.accepted_at is not None:
                rows.append(
                    Transition(
                        application=a,
                        actor=a.applicant,
                        actor_role="officer",
                        action="accept",
                        from_state="submitted",
                        to_state="accepted",
                        at=a.accepted_at,
                    )
                )
            if a.state == State.ISSUED:
                rows.append(
                    Transition(
                        application=a,
                        actor=a.applicant,
                        actor_role="system",
                        action="issue",
                        from_state="approved",
                        to_state="issued",
                        at=a.decided_at,
                    )
                )
        return rows
