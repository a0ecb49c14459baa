"""The two parts of an application: which fields each party fills in, and when a part is complete."""

from .models import BusinessType, Route

# The employer fills these in …
EMPLOYER_FIELDS = (
    "post_title",
    "duties",
    "annual_salary_cny",
    "contract_start",
    "contract_end",
    "work_district",
    "work_address",
    "job_end_date",
    "change_kinds",
    "delta_origin",
    "delta_permit_number",
    "delta_permit_class",
    "delta_permit_valid_until",
)
# … and the applicant these.
APPLICANT_FIELDS = (
    "surname",
    "given_names",
    "nationality",
    "date_of_birth",
    "sex",
    "passport_number",
    "passport_expiry",
    "education",
    "degree_taught_in_chinese",
    "related_experience_years",
    "months_in_china_per_year",
    "declared_salary_cny",
    "hsk_level",
    "former_chinese_national",
    "extras",
    "direct_a_criteria",
    "direct_b_criteria",
    "shortage_post_code",
    "claimed_class",
    "in_china",
    "changing_employer",
)

_EMPLOYER_REQUIRED = {
    "default": (
        "post_title",
        "duties",
        "annual_salary_cny",
        "contract_start",
        "contract_end",
        "work_district",
        "work_address",
    ),
    BusinessType.CANCELLATION: ("job_end_date",),
    BusinessType.CHANGE: ("change_kinds",),
    BusinessType.REISSUE: (),
}
_APPLICANT_REQUIRED = {
    "default": (
        "surname",
        "given_names",
        "nationality",
        "date_of_birth",
        "sex",
        "passport_number",
        "passport_expiry",
        "education",
        "related_experience_years",
        "months_in_china_per_year",
    ),
    BusinessType.CANCELLATION: (),
}


def _missing(application, names) -> list[str]:
    return [name for name in names if getattr(application, name) in (None, "", [])]


def employer_missing(application) -> list[str]:
    if application.is_holder_request:
        return _missing(application, ["job_end_date"]) if application.requested_by_id else []
    names = list(_EMPLOYER_REQUIRED.get(application.business_type, _EMPLOYER_REQUIRED["default"]))
    if application.route == Route.DELTA_RECOGNITION:
        names += ["delta_origin", "delta_permit_number", "delta_permit_class", "delta_permit_valid_until"]
    return _missing(application, names)


def applicant_missing(application) -> list[str]:
    if application.is_holder_request:
        return [] if application.requested_by_id else _missing(application, ["job_end_date"])
    names = _APPLICANT_REQUIRED.get(application.business_type, _APPLICANT_REQUIRED["default"])
    return _missing(application, names)


def employer_part_complete(application) -> bool:
    return not employer_missing(application)


def applicant_part_complete(application) -> bool:
    return application.applicant_id is not None and not applicant_missing(application)
