"""Masking of identifiers (passport numbers) wherever a list, a log, an export or the audit log
shows one. Only a detail page for the owner or the officers handling the case shows it whole."""

MASK = "•"


def mask_identifier(value: str | None, *, keep_start: int = 2, keep_end: int = 2) -> str:
    """``E12345678`` → ``E1•••••78``: the first and last two characters, the rest hidden.

    A value too short to hide anything with those ends shown is masked entirely, so a mask never
    gives away more than half of a number.
    """
    value = "".join((value or "").split())
    if not value:
        return ""
    if len(value) < 2 * (keep_start + keep_end):
        return MASK * len(value)
    hidden = len(value) - keep_start - keep_end
    return f"{value[:keep_start]}{MASK * hidden}{value[-keep_end:]}"
