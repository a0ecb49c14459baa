"""Every edit in the Django admin goes into the audit log, with masked before/after values.

``audit_admin_site`` (called from ``CoreConfig.ready``, after the admin's autodiscovery) gives
every registered ``ModelAdmin`` the ``AuditedAdminMixin``, so no app has to remember it and a
new admin is audited from its first day. It does not read Django's ``LogEntry``; it writes one
``AuditEvent`` per saved or deleted object, in the admin's own transaction:

- ``admin_added`` / ``admin_changed``: ``data.changes`` = ``{field: {"before", "after"}}`` for
  each changed field (and ``data.inlines`` for inline rows added, changed or deleted);
- ``admin_deleted``: ``data.before`` = the object's field values;
- ``admin_password_set``: an administrator set someone's password (the value is never written).

Values of personal fields (passport numbers, dates of birth, e-mail addresses, phone numbers,
addresses…) are masked with ``masking.mask_identifier``; secrets (passwords, tokens, keys,
digests) are never written at all.

An admin that audits in its own words sets ``audits_itself = True`` and is left alone.
"""

import contextlib
import datetime
import decimal
import uuid

from django.db import models, transaction

from .audit import audit_record
from .masking import mask_identifier

REDACTED = "[redacted]"
# Field names containing one of these are secrets: their values never reach the log.
SECRET_PARTS = ("password", "secret", "token", "digest", "key", "otp", "seed")
# Field names containing one of these are personal data: their values are masked.
PERSONAL_PARTS = (
    "passport",
    "birth",
    "email",
    "phone",
    "mobile",
    "address",
    "identity",
    "id_number",
    "national_id",
    "ciphertext",
    "full_name",
    "surname",
    "given_name",
    "family_name",
    "applicant_name",
)


def _plain(value):
    """A JSON-safe rendering of a form or model value."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return sorted(str(_plain(item)) for item in value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a file
        return value.name or ""
    return str(value)


def masked(name: str, value):
    """The value as the audit log may show it: secrets hidden, personal data masked."""
    lowered = name.lower()
    if any(part in lowered for part in SECRET_PARTS):
        return REDACTED if value not in (None, "") else ""
    value = _plain(value)
    if any(part in lowered for part in PERSONAL_PARTS):
        if isinstance(value, list):
            return [mask_identifier(str(item)) for item in value]
        return mask_identifier(str(value)) if value not in (None, "") else value
    return value


def form_changes(form) -> dict:
    """``{field: {"before", "after"}}`` for each field the form changed, masked."""
    changes = {}
    cleaned = getattr(form, "cleaned_data", {}) or {}
    for name in form.changed_data:
        before = form.initial.get(name)
        if name in form.fields and before is not None:
            with contextlib.suppress(TypeError, ValueError, AttributeError):
                before = form.fields[name].prepare_value(before)
        changes[name] = {"before": masked(name, before), "after": masked(name, cleaned.get(name))}
    return changes


def snapshot(obj) -> dict:
    """The object's concrete field values, masked (what a deletion removes)."""
    values = {}
    for field in obj._meta.concrete_fields:
        values[field.name] = masked(field.name, field.value_from_object(obj))
    return values


class AuditedAdminMixin:
    """See the module docstring. Works with any ``ModelAdmin`` (``UserAdmin`` included)."""

    audits_itself = False

    def save_model(self, request, obj, form, change):
        # Measured before the save: afterwards the form's instance already holds the new values.
        # Kept on the request: the ModelAdmin instance is shared by every thread.
        request._portal_admin_changes = form_changes(form)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        data = {"model": obj._meta.label_lower, "changes": getattr(request, "_portal_admin_changes", {})}
        inlines = [summary for formset in formsets if (summary := self._formset_summary(formset))]
        if inlines:
            data["inlines"] = inlines
        audit_record(
            actor=request.user,
            action="admin_changed" if change else "admin_added",
            target=obj,
            data=data,
            request=request,
        )

    @staticmethod
    def _formset_summary(formset) -> dict | None:
        added = [str(obj.pk) for obj in getattr(formset, "new_objects", [])]
        deleted = [snapshot(obj) for obj in getattr(formset, "deleted_objects", [])]
        changed = {}
        changed_pks = {obj.pk for obj, _fields in getattr(formset, "changed_objects", [])}
        for form in formset.forms:
            if form.instance.pk in changed_pks:
                changed[str(form.instance.pk)] = form_changes(form)
        if not (added or deleted or changed):
            return None
        return {
            "model": formset.model._meta.label_lower,
            "added": added,
            "changed": changed,
            "deleted": deleted,
        }

    def user_change_password(self, request, id, form_url=""):  # noqa: A002 - Django's signature
        """``UserAdmin``'s own page for setting a password (it saves outside ``save_model``)."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            audit_record(
                actor=request.user,
                action="admin_password_set",
                target=user,
                data={
                    "model": user._meta.label_lower,
                    "changes": {"password": {"before": REDACTED, "after": REDACTED}},
                },
                request=request,
            )
        return response

    def _audit_deletion(self, request, obj):
        audit_record(
            actor=request.user,
            action="admin_deleted",
            target=obj,
            data={"model": obj._meta.label_lower, "before": snapshot(obj)},
            request=request,
        )

    def delete_model(self, request, obj):
        # Before the delete: afterwards the object has lost its primary key.
        self._audit_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The bulk "delete selected" action runs outside the admin's own transaction.
        with transaction.atomic():
            for obj in queryset:
                self._audit_deletion(request, obj)
            super().delete_queryset(request, queryset)


def audited_admin_class(admin_class):
    if issubclass(admin_class, AuditedAdminMixin) or getattr(admin_class, "audits_itself", False):
        return admin_class
    return type(f"Audited{admin_class.__name__}", (AuditedAdminMixin, admin_class), {})


def audit_admin_site(site) -> None:
    """Give every registered ``ModelAdmin`` of ``site`` the mixin (idempotent)."""
    for model, model_admin in list(site._registry.items()):
        admin_class = audited_admin_class(type(model_admin))
        if admin_class is not type(model_admin):
            site._registry[model] = admin_class(model, site)
