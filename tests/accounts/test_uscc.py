import pytest
from django.core.exceptions import ValidationError

from talent_portal.accounts.validators import clean_uscc

# Codes of real registered companies, as published on their business licences.
REAL_CODES = [
    "91440300708461136T",
    "91110108551385082Q",
    "914403001922038216",
    "91310000132149237G",
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_accepted(code):
    assert clean_uscc(code) == code


def test_spaces_hyphens_and_lower_case_are_normalised():
    assert clean_uscc(" 91310000-ma1fl4b24g ") == "91310000MA1FL4B24G"


def test_a_changed_character_fails_the_check_digit():
    with pytest.raises(ValidationError) as error:
        clean_uscc("91310000MA1FL4B25G")
    assert error.value.code == "uscc_check_digit"
    assert "does not match" in error.value.messages[0]


@pytest.mark.parametrize("code", ["9131000MA1FL4B24G", "91310000MA1FL4B24GX", ""])
def test_wrong_length_names_the_length(code):
    with pytest.raises(ValidationError) as error:
        clean_uscc(code)
    assert error.value.code == "uscc_length"
    assert str(len(code.strip())) in error.value.messages[0]


@pytest.mark.parametrize("code", ["abcdefghijklmnopqr", "91310000MA1FL4BZ4G", "9131000OMA1FL4B24G"])
def test_junk_is_refused_for_its_format(code):
    with pytest.raises(ValidationError) as error:
        clean_uscc(code)
    assert error.value.code == "uscc_format"


def test_the_message_is_translated():
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        clean_uscc("91310000MA1FL4B25G")
    assert "统一社会信用代码" in error.value.messages[0]
