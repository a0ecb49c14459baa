"""The machine-readable zone of a passport (ICAO Doc 9303, part 4: TD3, two lines of 44).

Pure functions, no OCR: ``parse_td3`` reads two lines (typed, or as an OCR engine gave them),
verifies every check digit and validates the fields no check digit covers. A field is offered
for pre-fill only when it is safe:

* the passport number, the date of birth and the expiry date only when their own check digit
  *and* the composite check digit verify (a misread that happens to satisfy one check digit
  almost never satisfies both);
* names, nationality and sex (no check digit) only when they pass validation (letters only, a
  real ICAO code, M/F/X); they are always marked for the applicant's confirmation.
"""

import re
from dataclasses import dataclass, field
from datetime import date

import pycountry
from django.utils.translation import gettext_lazy as _

LINE_LENGTH = 44
FILLER = "<"
_WEIGHTS = (7, 3, 1)

# ICAO codes that are not ISO 3166-1 countries but are valid in a passport (Doc 9303-3, 5).
ICAO_EXTRA_CODES = frozenset(
    {
        "D",  # Germany (a one-letter code, padded with fillers in the MRZ)
        "EUE",  # European Union
        "GBD",  # British Overseas Territories citizen
        "GBN",  # British National (Overseas)
        "GBO",  # British Overseas citizen
        "GBP",  # British protected person
        "GBS",  # British subject
        "RKS",  # Kosovo
        "UNA",  # specialised agency of the United Nations
        "UNK",  # resident of Kosovo (UNMIK)
        "UNO",  # United Nations Organization
        "XBA",  # African Development Bank
        "XCC",  # Caribbean Community
        "XCO",  # COMESA
        "XEC",  # ECOWAS
        "XIM",  # African Export-Import Bank
        "XOM",  # Sovereign Military Order of Malta
        "XPO",  # Interpol
        "XXA",  # stateless person
        "XXB",  # refugee (1951 convention)
        "XXC",  # refugee (other)
        "XXX",  # unspecified nationality
    }
)

# Field names of the application each MRZ field pre-fills.
CHECKED_FIELDS = ("passport_number", "date_of_birth", "passport_expiry")
UNCHECKED_FIELDS = ("surname", "given_names", "nationality", "sex")
FIELDS = (
    "surname",
    "given_names",
    "nationality",
    "date_of_birth",
    "sex",
    "passport_number",
    "passport_expiry",
)

# Where each check digit sits (1-based positions on line 2), for naming a failed one.
CHECK_DIGITS = {
    "passport_number": (10, _("passport number (line 2, position 10)")),
    "date_of_birth": (20, _("date of birth (line 2, position 20)")),
    "passport_expiry": (28, _("expiry date (line 2, position 28)")),
    "personal_number": (43, _("personal number (line 2, position 43)")),
    "composite": (44, _("composite (line 2, position 44)")),
}

# What an OCR engine confuses, by the kind of character the position must hold.
_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "T": "1", "Z": "2",
                           "S": "5", "B": "8", "G": "6", "A": "4", "<": "0"})  # fmt: skip
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G", "4": "A"})


class Status:
    VERIFIED = "verified"  # a check digit covers it and verified: pre-filled
    CHECK_FAILED = "check_failed"  # its check digit failed: not pre-filled, the digit is named
    TO_CONFIRM = "to_confirm"  # no check digit, but valid: pre-filled, marked for confirmation
    INVALID = "invalid"  # not valid (or unreadable): not pre-filled


@dataclass
class FieldReading:
    name: str
    raw: str  # the characters as read (fillers kept)
    value: object  # the interpreted value (str or date), None when it could not be interpreted
    status: str
    problem: str = ""

    @property
    def prefilled(self) -> bool:
        return self.status in (Status.VERIFIED, Status.TO_CONFIRM)


@dataclass
class MrzReading:
    lines: tuple[str, str]
    fields: dict[str, FieldReading] = field(default_factory=dict)
    failed_check_digits: list[str] = field(default_factory=list)  # keys of CHECK_DIGITS

    @property
    def prefill(self) -> dict:
        """The values safe to pre-fill, by application field name."""
        return {name: reading.value for name, reading in self.fields.items() if reading.prefilled}

    @property
    def failed_check_digit_labels(self) -> list[str]:
        return [str(CHECK_DIGITS[key][1]) for key in self.failed_check_digits]


class MrzNotFound(ValueError):
    """The text holds no two lines that look like a passport's machine-readable zone."""


def char_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == FILLER:
        return 0
    raise ValueError(char)


def check_digit(data: str) -> str:
    """The ICAO 9303 check digit (weights 7, 3, 1, modulo 10) of ``data``."""
    return str(sum(char_value(char) * _WEIGHTS[index % 3] for index, char in enumerate(data)) % 10)


def is_icao_code(code: str) -> bool:
    """A real issuing state / nationality code (ISO 3166-1 alpha-3 or an ICAO extra code)."""
    code = code.rstrip(FILLER)
    if code in ICAO_EXTRA_CODES:
        return True
    return len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None


def _clean(line: str) -> str:
    line = line.upper().replace(" ", "").replace("«", "<<").replace("‹", "<")
    return re.sub(r"[^A-Z0-9<]", "", line)


def find_td3_lines(text: str) -> tuple[str, str]:
    """The two MRZ lines in ``text`` (an OCR result or what the applicant pasted)."""
    lines = [_clean(line) for line in text.splitlines()]
    lines = [line for line in lines if len(line) >= 30]
    for index in range(len(lines) - 1):
        first, second = lines[index], lines[index + 1]
        if first.startswith("P") and len(second) >= 40:
            return _fit(first), _fit(second)
    if len(lines) == 1 and len(lines[0]) == 2 * LINE_LENGTH:
        return lines[0][:LINE_LENGTH], lines[0][LINE_LENGTH:]
    raise MrzNotFound(text)


def _fit(line: str) -> str:
    """Pad or cut a line to 44 characters (an OCR engine may drop or add trailing fillers)."""
    return line[:LINE_LENGTH].ljust(LINE_LENGTH, FILLER)


def _digits(raw: str) -> str:
    return raw.translate(_TO_DIGIT)


def _letters(raw: str) -> str:
    return raw.translate(_TO_LETTER)


def _date(raw: str, *, past: bool, today: date) -> date | None:
    if not raw.isdigit():
        return None
    year, month, day = int(raw[:2]), int(raw[2:4]), int(raw[4:6])
    century = 2000
    if past and 2000 + year > today.year:
        century = 1900
    try:
        return date(century + year, month, day)
    except ValueError:
        return None


def _name_parts(raw: str) -> tuple[str, str]:
    # A filler run at the end may be misread as a few stray letters ("<<<<K<<<"): cut at the
    # first run of three fillers, which never occurs inside a name.
    raw = raw.split(FILLER * 3, 1)[0]
    surname, _sep, given = raw.partition(FILLER * 2)
    return surname.replace(FILLER, " ").strip(), given.replace(FILLER, " ").strip()


def _valid_name(value: str) -> bool:
    return bool(value) and re.fullmatch(r"[A-Z]+( [A-Z]+)*", value) is not None


def _personal_ok(data: str, digit: str) -> bool:
    if set(data) == {FILLER}:
        return digit in (FILLER, "0")
    return check_digit(data) == digit


def parse_td3(line1: str, line2: str, *, today: date) -> MrzReading:
    """Read and verify the two lines of a passport's MRZ (see the module docstring)."""
    line1, line2 = _fit(_clean(line1)), _fit(_clean(line2))
    reading = MrzReading(lines=(line1, line2))
    fields = reading.fields

    # Line 2: number 1-9, check 10, nationality 11-13, birth 14-19, check 20, sex 21,
    # expiry 22-27, check 28, personal number 29-42, check 43, composite 44.
    number_raw, number_check = line2[0:9], _digits(line2[9])
    nationality_raw = _letters(line2[10:13])
    birth_raw, birth_check = _digits(line2[13:19]), _digits(line2[19])
    sex_raw = line2[20]
    expiry_raw, expiry_check = _digits(line2[21:27]), _digits(line2[27])
    personal_raw, personal_check = line2[28:42], line2[42] if line2[42] == FILLER else _digits(line2[42])
    composite_check = _digits(line2[43])
    line2 = (
        number_raw
        + number_check
        + nationality_raw
        + birth_raw
        + birth_check
        + sex_raw
        + expiry_raw
        + expiry_check
        + personal_raw
        + personal_check
        + composite_check
    )
    reading.lines = (line1, line2)

    # No guessing at confusable characters (O/0, S/5…) of the number: with a modulo-10 check
    # digit a "repaired" number verifies by chance too often. A failure is named, never hidden.
    composite_data = line2[0:10] + line2[13:20] + line2[21:43]
    composite_ok = check_digit(composite_data) == composite_check
    if not composite_ok:
        reading.failed_check_digits.append("composite")
    if not _personal_ok(personal_raw, personal_check):
        reading.failed_check_digits.append("personal_number")

    def checked(name, raw, value, digit):
        own_ok = check_digit(raw) == digit
        if not own_ok:
            reading.failed_check_digits.insert(0, name)
        if own_ok and composite_ok and value is not None:
            fields[name] = FieldReading(name, raw, value, Status.VERIFIED)
        elif own_ok and composite_ok:
            fields[name] = FieldReading(name, raw, None, Status.INVALID, str(_("Not a valid date.")))
        elif own_ok:
            fields[name] = FieldReading(
                name, raw, value, Status.CHECK_FAILED, str(_("The composite check digit failed."))
            )
        else:
            fields[name] = FieldReading(
                name,
                raw,
                value,
                Status.CHECK_FAILED,
                str(_("Its check digit failed: %(digit)s.") % {"digit": CHECK_DIGITS[name][1]}),
            )

    number = number_raw.rstrip(FILLER)
    checked("passport_number", number_raw, number if number.isalnum() else None, number_check)
    checked("date_of_birth", birth_raw, _date(birth_raw, past=True, today=today), birth_check)
    checked("passport_expiry", expiry_raw, _date(expiry_raw, past=False, today=today), expiry_check)
    # Keep the failures in the order of the line.
    order = list(CHECK_DIGITS)
    reading.failed_check_digits.sort(key=order.index)

    # Line 1: P, type, issuing state 3-5, names 6-44. No check digit: validate, then confirm.
    surname, given_names = _name_parts(_letters(line1[5:]))
    for name, value in (("surname", surname), ("given_names", given_names)):
        if _valid_name(value):
            fields[name] = FieldReading(name, value, value, Status.TO_CONFIRM)
        else:
            fields[name] = FieldReading(
                name, value, None, Status.INVALID, str(_("Not read clearly (letters only)."))
            )
    nationality = nationality_raw.rstrip(FILLER)
    nationality = "DEU" if nationality == "D" else nationality
    if pycountry.countries.get(alpha_3=nationality) is not None:
        fields["nationality"] = FieldReading("nationality", nationality_raw, nationality, Status.TO_CONFIRM)
    elif is_icao_code(nationality):
        fields["nationality"] = FieldReading(
            "nationality",
            nationality_raw,
            None,
            Status.INVALID,
            str(_("A valid ICAO code, but not a country of the list: choose the nationality yourself.")),
        )
    else:
        fields["nationality"] = FieldReading(
            "nationality", nationality_raw, None, Status.INVALID, str(_("Not a known ICAO country code."))
        )
    sex = {"M": "M", "F": "F", "X": "X", FILLER: "X"}.get(sex_raw)
    if sex:
        fields["sex"] = FieldReading("sex", sex_raw, sex, Status.TO_CONFIRM)
    else:
        fields["sex"] = FieldReading("sex", sex_raw, None, Status.INVALID, str(_("Must be M, F or X.")))
    return reading


def read_text(text: str, *, today: date) -> MrzReading:
    """Find the MRZ in ``text`` (typed or from OCR) and read it; raise ``MrzNotFound``."""
    line1, line2 = find_td3_lines(text)
    return parse_td3(line1, line2, today=today)


def compose_td3(
    *,
    surname: str,
    given_names: str,
    nationality: str,
    date_of_birth: date,
    sex: str,
    passport_number: str,
    passport_expiry: date,
    issuing_state: str = "",
    personal_number: str = "",
) -> tuple[str, str]:
    """The two lines a passport with these data carries (for tests, the benchmark and demos)."""
    names = surname.replace(" ", FILLER) + FILLER * 2 + given_names.replace(" ", FILLER)
    line1 = _fit(f"P<{(issuing_state or nationality).ljust(3, FILLER)}{names}")
    number = passport_number.ljust(9, FILLER)
    personal = personal_number.ljust(14, FILLER)
    personal_digit = check_digit(personal) if personal_number else FILLER
    birth = date_of_birth.strftime("%y%m%d")
    expiry = passport_expiry.strftime("%y%m%d")
    body = (
        number
        + check_digit(number)
        + nationality.ljust(3, FILLER)
        + birth
        + check_digit(birth)
        + (sex if sex in ("M", "F") else FILLER)
        + expiry
        + check_digit(expiry)
        + personal
        + personal_digit
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    return line1, body + check_digit(composite)
