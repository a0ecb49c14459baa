"""Validation of identifiers that people type."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def clean_uscc(value: str) -> str:
    """Return the code in its canonical form, or raise a translated error naming the problem."""
    compact = uscc.compact(value or "")
    try:
        return uscc.validate(compact)
    except InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d.")
            % {"count": len(compact)},
            code="uscc_length",
        ) from None
    except InvalidFormat:
        raise ValidationError(
            _(
                "A unified social credit code is 8 digits followed by 10 digits or capital "
                "letters (the letters I, O, S, V and Z are never used)."
            ),
            code="uscc_format",
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _(
                "The last character of this unified social credit code does not match the "
                "others. Please check the code for a typing error."
            ),
            code="uscc_check_digit",
        ) from None
    except StdnumError:
        raise ValidationError(
            _("This is not a valid unified social credit code."), code="uscc_invalid"
        ) from None
