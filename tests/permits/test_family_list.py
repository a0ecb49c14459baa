"""The single-window form's list of family members is typed in the reader's own language."""

from datetime import date

import pytest
from django.utils import translation

from permits.residence import relationship_from_typed
from permits.residence_views import SingleWindowForm

FORM = {
    "residence_type": "work",
    "requested_validity_months": "24",
    "shanghai_address": "上海市浦东新区张江路 100 号",
    "accommodation_registration_number": "PD-1",
    "guardian_consent": "on",
}


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("spouse", "spouse"),
        (" Child ", "child"),
        ("배우자", "spouse"),
        ("자녀", "child"),
        ("부모", "parent"),
        ("配偶", "spouse"),
        ("子女", "child"),
        ("配偶者", "spouse"),
        ("親", "parent"),
    ],
)
def test_a_relationship_is_its_code_or_the_word_of_any_portal_language(typed, code):
    assert relationship_from_typed(typed) == code


def test_an_unknown_relationship_is_none():
    assert relationship_from_typed("cousin") is None
    assert relationship_from_typed("") is None


def test_a_korean_reader_types_the_list_in_korean_with_any_semicolon():
    with translation.override("ko"):
        form = SingleWindowForm(
            {
                **FORM,
                "family_members": "TANAKA HARU; 자녀; JPN; 2019-01-02\nTANAKA KEN；배우자；jpn；1990-01-02",
            }
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["family_members"] == [
        {
            "full_name": "TANAKA HARU",
            "relationship": "child",
            "nationality": "JPN",
            "date_of_birth": date(2019, 1, 2),
        },
        {
            "full_name": "TANAKA KEN",
            "relationship": "spouse",
            "nationality": "JPN",
            "date_of_birth": date(1990, 1, 2),
        },
    ]


def test_an_unknown_relationship_is_refused_in_the_readers_language():
    with translation.override("ko"):
        form = SingleWindowForm({**FORM, "family_members": "TANAKA HARU; 사촌; JPN; 2019-01-02"})
        assert not form.is_valid()
        (message,) = form.errors["family_members"]
        assert message == translation.gettext("The relationship is spouse, child or parent.")
        assert "배우자" in message
