"""Demo people and organisations for ``seed_demo``. Idempotent: found by e-mail or code."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from .models import (
    CreditStanding,
    District,
    Duty,
    Industry,
    Membership,
    MembershipRole,
    Organization,
    User,
    VerificationStatus,
    Zone,
)

DEMO_PASSWORD = "Demo-Portal-2026"  # noqa: S105 - demo accounts only, printed by seed_demo
# The demo officers' shared authenticator key (hex; base32 below), created only when DEBUG is on
# (the embedded demo). `manage.py demo_code` prints its current code.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_TOTP_KEY_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

# (e-mail, name, language, duties, superuser)
DEMO_USERS = [
    ("applicant@demo.talent.example.cn", "Yuki Tanaka", "ja", [], False),
    ("hr@demo.talent.example.cn", "Min-jun Kim", "ko", [], False),
    ("incubator@demo.talent.example.cn", "Li Na", "zh-hans", [], False),
    ("officer@demo.talent.example.cn", "王芳 (Wang Fang)", "zh-hans", [Duty.WORK_PERMIT_OFFICER], False),
    (
        "lead@demo.talent.example.cn",
        "陈伟 (Chen Wei)",
        "zh-hans",
        [Duty.WORK_PERMIT_OFFICER, Duty.LEAD_OFFICER],
        False,
    ),
    ("exit-entry@demo.talent.example.cn", "刘洋 (Liu Yang)", "zh-hans", [Duty.EXIT_ENTRY_OFFICER], False),
    ("station@demo.talent.example.cn", "赵敏 (Zhao Min)", "en", [Duty.SERVICE_STATION_STAFF], False),
    ("admin@demo.talent.example.cn", "Portal Administrator", "en", [Duty.ADMINISTRATOR], True),
]

# Check digits are real (python-stdnum); the organisations are invented.
DEMO_ORGANIZATIONS = [
    {
        "uscc": "91310115MA1H7XY404",
        "kind": "employer",
        "name_zh": "上海浦江示范科技有限公司",
        "name_en": "Pujiang Demo Technology Co., Ltd.",
        "district": District.PUDONG,
        "address": "上海市浦东新区张江路 100 号",
        "industry": Industry.INTEGRATED_CIRCUITS,
        "zone": Zone.PUDONG_FREE_TRADE_ZONE,
        "credit_standing": CreditStanding.GOOD,
        "admin": "hr@demo.talent.example.cn",
    },
    {
        "uscc": "91310118MA1JL0AB1X",
        "kind": "incubator",
        "name_zh": "青浦示范创新孵化器",
        "name_en": "Qingpu Demo Innovation Incubator",
        "district": District.QINGPU,
        "address": "上海市青浦区朱家角镇示范路 8 号",
        "industry": Industry.ARTIFICIAL_INTELLIGENCE,
        "zone": Zone.YANGTZE_DELTA_DEMO_ZONE,
        "credit_standing": CreditStanding.GOOD,
        "admin": "incubator@demo.talent.example.cn",
    },
]


def _demo_second_factors(users) -> None:
    """Officers and administrators of the demo share one known authenticator key."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .actions import requires_two_factor

    for user in users:
        if requires_two_factor(user):
            TOTPDevice.objects.update_or_create(
                user=user, name="demo authenticator", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
            )


def seed() -> list[tuple[str, str, str]]:
    """Create the demo accounts; return (e-mail, password, what for) for each."""
    users = {}
    for email, name, language, duties, superuser in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                full_name=name,
                preferred_language=language,
                email_verified_at=timezone.now(),
                is_staff=superuser,
                is_superuser=superuser,
            )
        for duty in duties:
            user.groups.add(Group.objects.get_or_create(name=duty.value)[0])
        users[email] = user
    if settings.DEBUG:
        _demo_second_factors(users.values())
    officer = users["officer@demo.talent.example.cn"]
    for data in DEMO_ORGANIZATIONS:
        data = dict(data)
        admin_email = data.pop("admin")
        organization, _created = Organization.objects.get_or_create(
            uscc=data["uscc"],
            defaults={
                **data,
                "credit_reason": "Demo organisation",
                "verification_status": VerificationStatus.VERIFIED,
                "verified_at": timezone.now(),
                "verified_by": officer,
            },
        )
        Membership.objects.get_or_create(
            user=users[admin_email],
            organization=organization,
            ended_at=None,
            defaults={"role": MembershipRole.ADMINISTRATOR},
        )
    roles = {
        "applicant@demo.talent.example.cn": "applicant (Japanese)",
        "hr@demo.talent.example.cn": "employer administrator, Pujiang Demo Technology (Korean)",
        "incubator@demo.talent.example.cn": "incubator administrator, Qingpu Demo Innovation Incubator",
        "officer@demo.talent.example.cn": "work-permit officer",
        "lead@demo.talent.example.cn": "lead officer",
        "exit-entry@demo.talent.example.cn": "exit-entry officer",
        "station@demo.talent.example.cn": "service-station staff",
        "admin@demo.talent.example.cn": "portal administrator (admin site)",
    }
    return [(email, DEMO_PASSWORD, roles[email]) for email, *_rest in DEMO_USERS]
