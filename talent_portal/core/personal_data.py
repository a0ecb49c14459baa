"""The port through which every app contributes what it holds about a person (PIPL art. 45).

``core`` cannot import the apps above it, yet "Download my data" must gather everything. Each app
that holds personal data has a ``personal_data`` module that registers its sections with
``@section(...)`` (and, for uploaded files, ``@files``); ``collect`` discovers those modules the
way the admin discovers ``admin`` modules. A new app only has to add its own module.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .masking import mask_identifier

# Never exported, whoever asks: secrets and the keyed digests that would let a number be tested.
SECRET_FIELD_NAMES = frozenset(
    {"password", "token_key", "digest", "salt", "key", "secret", "invitation_token_digest"}
)
SECRET_FIELD_SUFFIXES = ("_digest", "_digests", "_token", "_secret")
# Exported masked: a downloaded file lies around on disks and in mail boxes.
MASKED_FIELD_NAMES = frozenset({"passport_number"})


@dataclass(frozen=True)
class Section:
    name: str
    order: int
    collect: Callable


@dataclass(frozen=True)
class StoredFile:
    """One uploaded file of the person's, and the path it gets inside the archive."""

    path: str
    file: FieldFile


_sections: dict[str, Section] = {}
_file_providers: list[Callable] = []


def section(name: str, *, order: int = 100):
    """Register ``function(user) -> JSON-able`` as the section ``name`` of the export."""

    def register(function):
        _sections[name] = Section(name=name, order=order, collect=function)
        return function

    return register


def files(function: Callable[..., Iterable[StoredFile]]):
    """Register ``function(user) -> iterable of StoredFile``: the person's uploaded files."""
    _file_providers.append(function)
    return function


@cache
def autodiscover() -> None:
    autodiscover_modules("personal_data")


def field_values(obj: Model, *, exclude: Iterable[str] = ()) -> dict:
    """The stored values of one row: foreign keys as ids, files by name, secrets left out and
    passport numbers masked."""
    excluded = set(exclude)
    values = {}
    for field in obj._meta.concrete_fields:
        name = field.name
        if name in excluded or name in SECRET_FIELD_NAMES or name.endswith(SECRET_FIELD_SUFFIXES):
            continue
        value = field.value_from_object(obj)
        if isinstance(value, FieldFile):
            value = value.name or ""
        if name in MASKED_FIELD_NAMES:
            value = mask_identifier(value)
        key = field.attname if field.is_relation else name
        values[key] = value
    return values


def collect(user) -> dict:
    """Everything the portal holds about ``user``, section by section."""
    autodiscover()
    ordered = sorted(_sections.values(), key=lambda item: (item.order, item.name))
    return {
        "generated_at": timezone.now(),
        "person": {"id": user.pk, "email": user.email},
        "sections": {item.name: item.collect(user) for item in ordered},
    }


def stored_files(user) -> list[StoredFile]:
    """The person's uploaded files, from every app."""
    autodiscover()
    found = []
    for provider in _file_providers:
        found.extend(provider(user))
    return found


@section("audit_events", order=900)
def _audit_events(user) -> list[dict]:
    """The security log's events the person caused or that are about their account."""
    from django.db.models import Q

    from .models import AuditEvent

    about = Q(actor=user) | Q(object_type=user._meta.label_lower, object_id=str(user.pk))
    return [field_values(event) for event in AuditEvent.objects.filter(about).order_by("at", "id")]
