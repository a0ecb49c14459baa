import pytest

from permits.checklist import Facts, required_kinds


def facts(**overrides):
    values = {
        "business_type": "new_notice",
        "route": "ordinary",
        "talent_class": "B",
        "pledge": False,
        "good_credit": False,
        "claims_criteria": False,
        "changing_employer": False,
        "change_kinds": frozenset(),
    }
    values.update(overrides)
    return Facts(**values)


NEW_BASE = [
    "passport",
    "photo",
    "highest_degree",
    "experience_proof",
    "criminal_record",
    "health_certificate",
    "employment_contract",
]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, NEW_BASE),
        # Pledge at a creditworthy employer replaces the non-criminal record …
        ({"pledge": True, "good_credit": True}, [k for k in NEW_BASE if k != "criminal_record"]),
        # … but not at an ordinary one.
        ({"pledge": True, "good_credit": False}, NEW_BASE),
        ({"talent_class": "A"}, [*NEW_BASE, "talent_evidence"]),
        ({"claims_criteria": True}, [*NEW_BASE, "talent_evidence"]),
        ({"business_type": "new_in_country"}, [*NEW_BASE, "visa_or_residence"]),
        (
            {"business_type": "new_in_country", "changing_employer": True},
            [*NEW_BASE, "visa_or_residence", "resignation_proof"],
        ),
        (
            {"route": "entrepreneur"},
            [k for k in NEW_BASE if k != "employment_contract"] + ["incubation_agreement"],
        ),
        (
            {"route": "delta_recognition", "talent_class": "A"},
            ["passport", "photo", "health_certificate", "employment_contract", "original_permit"],
        ),
        ({"business_type": "new_card"}, ["passport", "photo", "health_certificate", "entry_record"]),
        ({"business_type": "extension"}, ["passport", "photo", "employment_contract"]),
        ({"business_type": "change", "change_kinds": frozenset({"name"})}, ["change_proof"]),
        (
            {"business_type": "change", "change_kinds": frozenset({"passport", "position"})},
            ["passport", "employment_contract", "change_proof"],
        ),
        ({"business_type": "cancellation"}, ["job_end_proof"]),
        ({"business_type": "reissue"}, ["passport", "photo", "loss_statement"]),
    ],
)
def test_checklist_by_business_type_route_and_class(overrides, expected):
    assert required_kinds(facts(**overrides)) == expected
