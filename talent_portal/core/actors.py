"""The system actor: who periodic tasks and automatic transitions act as. It cannot sign in."""

from django.contrib.auth import get_user_model

SYSTEM_ACTOR_EMAIL = "system@portal.invalid"


def get_system_actor():
    """The system user, created on first use (without a usable password, never active)."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        email=SYSTEM_ACTOR_EMAIL,
        defaults={"full_name": "System", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def is_system_actor(user) -> bool:
    return getattr(user, "email", None) == SYSTEM_ACTOR_EMAIL
