"""factory_boy factories; states are traits (``OrganizationFactory(verified=True)``)."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from stdnum.cn import uscc

from talent_portal.accounts.models import Membership, Organization, User

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_uscc(n: int) -> str:
    """A valid unified social credit code, different for each ``n``."""
    body = f"91310115{n:09d}"
    body = body[:8] + "".join(_USCC_ALPHABET[int(ch)] for ch in body[8:])
    return body + uscc.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    preferred_language = "en"
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password("Correct-Horse-42")

    class Params:
        unverified = factory.Trait(email_verified_at=None)

    @factory.post_generation
    def duties(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get_or_create(name=name)[0])
        self.__dict__.pop("duties", None)

    @factory.post_generation
    def member_of(self, create, extracted, **kwargs):
        if extracted is not None:
            Membership.objects.create(user=self, organization=extracted, role=kwargs.get("role", "hr_staff"))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = "employer"
    uscc = factory.Sequence(make_uscc)
    name_zh = factory.Sequence(lambda n: f"上海测试公司{n}")
    name_en = factory.Sequence(lambda n: f"Shanghai Test Company {n}")
    district = "pudong"
    address = "上海市浦东新区世纪大道 1 号"
    industry = "information_technology"
    zone = "none"

    class Params:
        verified = factory.Trait(
            verification_status="verified", verified_at=factory.LazyFunction(timezone.now)
        )
        blacklisted = factory.Trait(credit_standing="blacklisted", credit_reason="False pledge")
        incubator = factory.Trait(kind="incubator")
