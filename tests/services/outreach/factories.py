"""Factories of outreach; states are traits (``EventFactory(draft=True)``, ``EventFactory(full=...)``)."""

from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from services.outreach.models import (
    Award,
    AwardGrant,
    AwardRound,
    Event,
    LiaisonOffice,
    Registration,
    ServiceStation,
    SupervisingUnit,
)
from tests.factories import OrganizationFactory, UserFactory
from tests.permits.factories import pdf_bytes

# A well-formed one-page PDF: uploads are opened (pypdfium2) before they are stored.
PDF_BYTES = pdf_bytes("evidence")


def pdf(name="document.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    event_type = "site_visit"
    title = factory.Sequence(lambda n: f"活动 {n}")
    title_zh_hans = factory.SelfAttribute("title")
    title_en = factory.Sequence(lambda n: f"Event {n}")
    description = "活动介绍"
    description_zh_hans = "活动介绍"
    description_en = "About the event"
    venue = "浦东新区世纪大道 1 号"
    venue_zh_hans = "浦东新区世纪大道 1 号"
    venue_en = "1 Century Avenue, Pudong"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=4))
    capacity = 2
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    registration_closes_at = factory.LazyAttribute(lambda event: event.starts_at - timedelta(hours=1))
    audience = "all"
    languages = factory.LazyFunction(lambda: ["zh", "en"])
    status = "published"
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status="draft", published_at=None)
        fair = factory.Trait(event_type="recruitment_fair", series="go-to-shanghai", capacity=100)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = "confirmed"
    queued_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
    code = factory.Sequence(lambda n: f"T{n:07d}")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceStation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"服务站 {n}")
    name_zh_hans = factory.SelfAttribute("name")
    name_en = factory.Sequence(lambda n: f"Station {n}")
    district = "pudong"
    address = "浦东新区 1 号"
    address_en = "1 Pudong Road"
    hours = "9:00–17:00"
    services = "工作许可"
    services_en = "Permits"
    topics = factory.LazyFunction(lambda: ["permits", "housing"])
    languages = factory.LazyFunction(lambda: ["zh", "en"])

    @factory.post_generation
    def staff_members(self, create, extracted, **kwargs):
        for user in extracted or []:
            self.staff.add(user)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiaisonOffice

    name = factory.Sequence(lambda n: f"联络处 {n}")
    name_zh_hans = factory.SelfAttribute("name")
    name_en = factory.Sequence(lambda n: f"Liaison office {n}")
    countries = factory.LazyFunction(lambda: ["USA"])
    city = "旧金山"
    city_en = "San Francisco"
    services = "介绍政策"
    services_en = "Policy information"


def award(code: str) -> Award:
    return Award.objects.get(code=code)


class AwardRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardRound
        django_get_or_create = ("award", "year")

    award = factory.LazyFunction(lambda: Award.objects.get(code="magnolia_silver"))
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    nominations_open_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    nominations_close_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class SupervisingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisingUnit

    organization = factory.SubFactory(OrganizationFactory, verified=True)


class AwardGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardGrant

    award = factory.LazyFunction(lambda: Award.objects.get(code="magnolia_silver"))
    laureate = factory.SubFactory(UserFactory)
    year = 2020
