import pytest

from services.outreach import actions
from tests.factories import OrganizationFactory, UserFactory

from .factories import SupervisingUnitFactory, award, pdf


@pytest.fixture
def administrator(db):
    return UserFactory(duties=["administrator"], full_name="Portal Administrator")


@pytest.fixture
def reviewer(db):
    """A lead officer: reviews nominations for the commission."""
    return UserFactory(duties=["lead_officer"], full_name="Chen Wei")


@pytest.fixture
def door_staff(db):
    return UserFactory(duties=["service_station_staff"], full_name="Zhao Min")


@pytest.fixture
def unit_member(db):
    """A member of a supervising unit; the unit is ``.unit``."""
    unit = SupervisingUnitFactory()
    member = UserFactory(member_of=unit.organization, member_of__role="administrator", full_name="Unit Staff")
    member.unit = unit
    return member


@pytest.fixture
def expert(db):
    return UserFactory(full_name="KIM MINJUN", preferred_language="ko")


def materials_for(code: str):
    return [(kind, pdf(f"{kind}.pdf")) for kind in award(code).required_materials]


@pytest.fixture
def nominate(employer_admin, unit_member):
    """File a nomination as ``employer_admin`` (keyword arguments override the defaults)."""

    def file(*, round, nominee, **overrides):
        values = {
            "actor": employer_admin,
            "organization": employer_admin.organization,
            "round": round,
            "nominee_email": nominee.email,
            "supervising_unit": unit_member.unit,
            "post": "Chief scientist",
            "citation": "Built the battery laboratory.",
            "materials": materials_for(round.award.code),
            "shanghai_since": None,
            "exception_reason": "",
        }
        if round.award.min_years_in_shanghai:
            from datetime import date

            values["shanghai_since"] = date(2015, 3, 1)
        values.update(overrides)
        return actions.nomination_create(**values)

    return file


@pytest.fixture
def second_employer(db):
    organization = OrganizationFactory(verified=True)
    admin = UserFactory(member_of=organization, member_of__role="administrator")
    admin.organization = organization
    return admin
