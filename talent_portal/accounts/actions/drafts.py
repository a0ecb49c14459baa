"""Form drafts: what a person was typing when their session was about to end."""

import json
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from talent_portal.core.errors import InvalidInput

from ..models import FormDraft, User

DRAFT_MAX_BYTES = 64 * 1024
DRAFT_MAX_AGE = timedelta(days=7)
# Never kept in a draft, whatever the page calls them.
NEVER_KEPT = frozenset({"csrfmiddlewaretoken", "password", "password1", "password2", "old_password", "code"})


def form_draft_save(*, user: User, path: str, fields: dict[str, list[str]]) -> FormDraft:
    """Keep (replace) the draft of one page; refuses what is not a page path or too large."""
    if not path.startswith("/") or path.startswith("//") or len(path) > 300:
        raise InvalidInput(fields={"path": [_("This is not a page of the portal.")]})
    kept = {name: values for name, values in fields.items() if name not in NEVER_KEPT}
    payload = json.dumps(kept, ensure_ascii=False)
    if len(payload.encode()) > DRAFT_MAX_BYTES:
        raise InvalidInput(fields={"fields": [_("The draft is too large to keep.")]})
    draft, _created = FormDraft.objects.update_or_create(
        user=user, path=path, defaults={"data": payload, "saved_at": timezone.now()}
    )
    return draft


def form_draft_take(*, user: User, path: str) -> dict[str, list[str]] | None:
    """The draft of a page, once: it is deleted as it is handed back (or if it is too old)."""
    draft = FormDraft.objects.filter(user=user, path=path).first()
    if draft is None:
        return None
    draft.delete()
    if timezone.now() - draft.saved_at > DRAFT_MAX_AGE:
        return None
    return json.loads(draft.data)
