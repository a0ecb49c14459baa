"""Reference data as files: the classification catalogue, the points tables, the calendar overrides
and the outreach events, with every translated field (``*_zh_hans``, ``*_en``, ``*_ja``, ``*_ko``).

The file is one JSON document (``{"format": ..., "version": 1, "sets": {name: [objects]}}``, each
object in Django's serialisation: ``model``, ``pk``, ``fields``). An import updates the rows with
the same primary key and creates the others; it checks every object (the model's validation, its
constraints, foreign keys) and changes nothing at all when any check fails — one transaction, every
problem reported at once. A points table that is published and in force is read-only, here too:
a change to it is refused (publish a new version instead). Both directions are audited.
"""

import datetime as dt
import json

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.classification.models import (
    Band,
    Criterion,
    DirectCriterion,
    Factor,
    LocalAverageWage,
    PointsTable,
    ShortagePost,
    TalentCategory,
)
from services.outreach.models import Event
from talent_portal.core.audit import audit_record
from talent_portal.core.errors import InvalidInput
from talent_portal.core.models import CalendarOverride, CalendarYear

FORMAT = "talent-portal-reference-data"
VERSION = 1

# Parents before children: an import saves in this order.
SETS = {
    "catalogue": (TalentCategory, Criterion, ShortagePost),
    "points": (PointsTable, Factor, Band, DirectCriterion, LocalAverageWage),
    "calendar": (CalendarOverride, CalendarYear),
    "events": (Event,),
}
# Not carried between installations: who created an event (the importing administrator does).
EXCLUDED = {Event: {"created_by"}}
_TIMESTAMPS = {"created_at", "updated_at"}


def _translated(model) -> set[str]:
    """The original names of translated fields: the file carries their four ``_<lang>`` columns."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def _fields(model) -> list[str]:
    excluded = EXCLUDED.get(model, set()) | _TIMESTAMPS | _translated(model)
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in excluded
    ]


def _serialize(model, queryset) -> list[dict]:
    return json.loads(serializers.serialize("json", queryset.order_by("pk"), fields=_fields(model)))


def reference_data_export(*, actor, sets=None) -> dict:
    """The chosen sets (all by default) as a JSON-ready document; audited."""
    sets = list(sets or SETS)
    unknown = [name for name in sets if name not in SETS]
    if unknown:
        raise InvalidInput(
            fields={"sets": [_("Unknown reference data: %(names)s.") % {"names": ", ".join(unknown)}]}
        )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "sets": {
            name: [row for model in SETS[name] for row in _serialize(model, model.objects.all())]
            for name in sets
        },
    }
    counts = {name: len(rows) for name, rows in document["sets"].items()}
    with transaction.atomic():
        audit_record(actor=actor, action="reference_data_exported", data={"counts": counts})
    return document


def _table_of(instance):
    if isinstance(instance, PointsTable):
        return PointsTable.objects.filter(pk=instance.pk).first()
    if isinstance(instance, Factor | DirectCriterion):
        return PointsTable.objects.filter(pk=instance.table_id).first()
    if isinstance(instance, Band):
        return PointsTable.objects.filter(factors__pk=instance.factor_id).first()
    return None


def _unchanged(model, row: dict) -> bool:
    existing = model.objects.filter(pk=row.get("pk"))
    if not existing.exists():
        return False
    current = _serialize(model, existing)[0]["fields"]
    return all(current.get(name) == value for name, value in row.get("fields", {}).items())


def _check_structure(document) -> dict:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput(fields={"file": [_("This is not a reference data file of the portal.")]})
    if document.get("version") != VERSION:
        raise InvalidInput(
            fields={"file": [_("This reference data file has a version the portal cannot read.")]}
        )
    sets = document.get("sets")
    if not isinstance(sets, dict) or not sets:
        raise InvalidInput(fields={"file": [_("The file holds no reference data.")]})
    problems = {}
    for name, rows in sets.items():
        if name not in SETS:
            problems[name] = [_("Unknown reference data: %(names)s.") % {"names": name}]
            continue
        allowed = {model._meta.label_lower for model in SETS[name]}
        if not isinstance(rows, list) or any(
            not isinstance(row, dict) or row.get("model") not in allowed for row in rows
        ):
            problems[name] = [_("An entry is not of the kinds this set holds.")]
    if problems:
        raise InvalidInput(fields=problems)
    return sets


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [
            f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages
        ]
    return list(error.messages)


def reference_data_import(*, actor, document: dict) -> dict:
    """Create or update every object of the file, or nothing: InvalidInput lists every problem."""
    sets = _check_structure(document)
    problems: dict[str, list[str]] = {}
    counts = {}
    with transaction.atomic():
        for name in SETS:  # parents' sets first, in a fixed order
            if name not in sets:
                continue
            rows = sorted(
                enumerate(sets[name]),
                key=lambda pair: [model._meta.label_lower for model in SETS[name]].index(pair[1]["model"]),
            )
            created = updated = 0
            for index, row in rows:
                where = f"{name}[{index}]"
                model = next(model for model in SETS[name] if model._meta.label_lower == row["model"])
                row = {
                    **row,
                    "fields": {
                        key: value
                        for key, value in (row.get("fields") or {}).items()
                        if key in _fields(model)
                    },
                }
                try:
                    (item,) = serializers.deserialize("python", [row], ignorenonexistent=True)
                except (DeserializationError, ValueError, TypeError) as error:
                    problems[where] = [str(error.__cause__ or error)]
                    continue
                instance = item.object
                table = _table_of(instance)
                if table is not None and table.is_locked and not _unchanged(model, row):
                    problems[where] = [
                        _(
                            "Points table %(version)s is published and in force: publish a new version instead."
                        )
                        % {"version": table.version}
                    ]
                    continue
                current = model.objects.filter(pk=instance.pk).first() if instance.pk is not None else None
                exists = current is not None
                if exists:
                    # An update: the fields of the file on the stored row (timestamps and the rest kept).
                    for field in model._meta.concrete_fields:
                        if field.name in row["fields"]:
                            setattr(current, field.attname, getattr(instance, field.attname))
                    instance = current
                if isinstance(instance, Event) and not exists:
                    instance.created_by_id = actor.pk
                try:
                    instance.full_clean()
                    with transaction.atomic():
                        instance.save()
                except ValidationError as error:
                    problems[where] = _messages(error)
                    continue
                except DatabaseError as error:
                    problems[where] = [str(error).strip().splitlines()[0]]
                    continue
                if exists:
                    updated += 1
                else:
                    created += 1
            counts[name] = {"created": created, "updated": updated}
        if problems:
            transaction.set_rollback(True)
        else:
            audit_record(actor=actor, action="reference_data_imported", data={"counts": counts})
    if problems:
        raise InvalidInput(_("Nothing was imported: the file has errors."), fields=problems)
    return counts


def export_filename() -> str:
    return f"reference-data-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
