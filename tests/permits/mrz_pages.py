"""A labelled set of synthetic passport data pages, generated (never committed as binaries).

Each page is drawn with Pillow: a background pattern, printed labels and values, a photo box and
the machine-readable zone in OCR-B (Debian's ``fonts-ocr-b``), then degraded like a scan or a
phone photo — rotation up to a few degrees, blur, noise, uneven lighting, down-scaling and JPEG
compression. Identities are synthetic, plus ICAO's specimen (Doc 9303, "ANNA MARIA ERIKSSON",
issuing state UTO, which is not a real code) and the German specimen ("ERIKA MUSTERMANN", D).

Used by the tests (a few pages) and by ``bench/mrz_bench.py`` (hundreds).
"""

import random
import string
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from io import BytesIO

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from permits import mrz

OCR_B_FONT = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
LABEL_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PAGE_SIZE = (1300, 915)  # ID-3, 125 × 88 mm, at about 264 dpi

SURNAMES = (
    "SMITH", "MUELLER", "GARCIA", "ROSSI", "DUBOIS", "TANAKA", "KIM", "NGUYEN", "OKAFOR", "SILVA",
    "VAN DER BERG", "OBRIEN", "KOWALSKI", "JOHANSSON", "PAPADOPOULOS", "DE LA CRUZ", "IVANOVA",
    "SCHMIDT", "MARTIN", "LEE", "ANDERSSON", "HAKIMI", "FERNANDES", "WILLIAMSON", "NAKAMURA",
)  # fmt: skip
GIVEN_NAMES = (
    "ANNA", "JOHN", "MARIA", "PETER", "YUKI", "JI HO", "LUCAS", "SOFIA", "AHMED", "CHIARA",
    "OLIVIER", "MARGARET ANNE", "HANS PETER", "AISHA", "MATEO", "ELENA", "TOMASZ", "INGRID",
)  # fmt: skip
NATIONALITIES = ("GBR", "USA", "DEU", "FRA", "JPN", "KOR", "ITA", "ESP", "CAN", "AUS", "NLD", "SWE",
                 "BRA", "IND", "NGA", "RUS", "POL", "GRC", "PHL", "ZAF", "EGY", "MEX", "NZL", "IRL")  # fmt: skip


@dataclass
class Identity:
    surname: str
    given_names: str
    nationality: str
    date_of_birth: date
    sex: str
    passport_number: str
    passport_expiry: date
    issuing_state: str = ""
    personal_number: str = ""

    def mrz_lines(self) -> tuple[str, str]:
        return mrz.compose_td3(
            surname=self.surname,
            given_names=self.given_names,
            nationality=self.nationality,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            passport_number=self.passport_number,
            passport_expiry=self.passport_expiry,
            issuing_state=self.issuing_state,
            personal_number=self.personal_number,
        )

    def expected(self) -> dict:
        """What a correct reading pre-fills (a field that fails validation must stay empty)."""
        values = {
            "surname": self.surname,
            "given_names": self.given_names,
            "nationality": {"D": "DEU", "UTO": None}.get(self.nationality, self.nationality),
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
            "passport_number": self.passport_number,
            "passport_expiry": self.passport_expiry,
        }
        return values


ICAO_SPECIMEN = Identity(
    surname="ERIKSSON",
    given_names="ANNA MARIA",
    nationality="UTO",
    date_of_birth=date(1974, 8, 12),
    sex="F",
    passport_number="L898902C3",
    passport_expiry=date(2032, 4, 15),
    personal_number="ZE184226B",
)
GERMAN_SPECIMEN = Identity(
    surname="MUSTERMANN",
    given_names="ERIKA",
    nationality="D",
    date_of_birth=date(1964, 8, 12),
    sex="F",
    passport_number="C01X00T47",
    passport_expiry=date(2027, 2, 28),
)


def random_identity(rng: random.Random, *, today: date) -> Identity:
    number_length = rng.choice((8, 9, 9))
    number = rng.choice(string.ascii_uppercase) + "".join(
        rng.choice(string.digits + string.ascii_uppercase[:6]) for _ in range(number_length - 1)
    )
    return Identity(
        surname=rng.choice(SURNAMES),
        given_names=rng.choice(GIVEN_NAMES),
        nationality=rng.choice(NATIONALITIES),
        date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 42)),
        sex=rng.choice("MF"),
        passport_number=number,
        passport_expiry=today + timedelta(days=rng.randrange(30, 365 * 10)),
        personal_number="".join(rng.choice(string.digits) for _ in range(rng.choice((0, 0, 9, 14)))),
    )


def identities(count: int, *, seed: int = 9303, today: date) -> list[Identity]:
    """``count`` identities: the two specimens first, then synthetic ones (reproducible)."""
    rng = random.Random(seed)
    people = [ICAO_SPECIMEN, GERMAN_SPECIMEN]
    while len(people) < count:
        people.append(random_identity(rng, today=today))
    return people[:count]


def corrupt(lines: tuple[str, str], rng: random.Random) -> tuple[tuple[str, str], str]:
    """Change one character of a field a check digit covers (the check digits stay as they were)."""
    line1, line2 = lines
    name, positions = rng.choice(
        (
            ("passport_number", range(0, 9)),
            ("date_of_birth", range(13, 19)),
            ("passport_expiry", range(21, 27)),
        )
    )
    position = rng.choice([p for p in positions if line2[p] != "<"])
    original = line2[position]
    # A digit whose value differs from the original's modulo 10: ICAO's check digit (weights 7,
    # 3, 1, modulo 10) cannot see a change by a multiple of 10 (a letter A=10 … Z=35 replaced by
    # the digit with the same last figure: L→1, C→2), so such a change is no corruption a check
    # digit could catch, and must not be counted as one.
    replacement = rng.choice(
        [d for d in string.digits if d != original and (mrz.char_value(d) - mrz.char_value(original)) % 10]
    )
    return (line1, line2[:position] + replacement + line2[position + 1 :]), name


@cache
def _font(path: str, size: int):
    return ImageFont.truetype(path, size)


def draw_page(identity: Identity, *, lines: tuple[str, str] | None = None) -> Image.Image:
    """A clean data page (greyscale) carrying ``lines`` (default: the identity's true MRZ)."""
    lines = lines or identity.mrz_lines()
    width, height = PAGE_SIZE
    page = Image.new("L", PAGE_SIZE, 236)
    draw = ImageDraw.Draw(page)
    # A guilloche-like background pattern.
    for offset in range(-height, width, 18):
        draw.line([(offset, 0), (offset + height, height)], fill=222, width=1)
    label, value = _font(LABEL_FONT, 18), _font(LABEL_FONT, 30)
    draw.text((40, 30), "PASSPORT / PASSEPORT", font=value, fill=60)
    draw.rectangle([40, 110, 330, 500], fill=180, outline=90, width=2)  # the photo
    draw.ellipse([120, 170, 250, 320], fill=140)
    rows = (
        ("Surname / Nom", identity.surname),
        ("Given names / Prénoms", identity.given_names),
        ("Nationality / Nationalité", identity.nationality),
        ("Date of birth", identity.date_of_birth.strftime("%d %b %Y").upper()),
        ("Sex / Sexe", identity.sex),
        ("Passport No.", identity.passport_number),
        ("Date of expiry", identity.passport_expiry.strftime("%d %b %Y").upper()),
    )
    for index, (caption, text) in enumerate(rows):
        top = 110 + index * 62
        draw.text((370, top), caption, font=label, fill=90)
        draw.text((370, top + 20), text, font=value, fill=30)
    ocr_b = _font(OCR_B_FONT, 37)  # 44 characters span about 112 mm, as on a passport
    draw.rectangle([0, 690, width, height], fill=246)  # the MRZ's clear band
    for index, line in enumerate(lines):
        draw.text((66, 740 + index * 66), line, font=ocr_b, fill=20)
    return page


def _noise(size: tuple[int, int], sigma: float, rng: random.Random) -> Image.Image:
    """Grey noise around 128 drawn from ``rng`` (uniform, with a standard deviation of ``sigma``).

    Not ``Image.effect_noise``: it draws from the C library's ``rand()``, a state shared by the
    whole process, so a page would depend on which tests ran before in the same worker.
    """
    spread = sigma * 3**0.5  # a uniform variable on [-a, a] has a standard deviation of a / √3
    noise = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return noise.point(lambda value: max(0, min(255, round(128 + (value - 127.5) / 127.5 * spread))))


def degrade(page: Image.Image, rng: random.Random, *, level: float = 1.0) -> bytes:
    """Scan / photo damage, then JPEG: returns the bytes an applicant would upload."""
    angle = rng.uniform(-3.0, 3.0) * level
    image = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=200)
    # Uneven lighting: a horizontal gradient multiplied in.
    shade = Image.linear_gradient("L").rotate(90).resize(image.size)
    image = Image.blend(image, Image.composite(image, shade, Image.new("L", image.size, 200)), 0.25 * level)
    scale = rng.uniform(0.75, 1.05)
    image = image.resize((int(image.width * scale), int(image.height * scale)), Image.Resampling.BILINEAR)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 1.3) * level))
    image = Image.blend(image, _noise(image.size, 18 * level + 1, rng), 0.12 * level)
    output = BytesIO()
    image.convert("RGB").save(output, "JPEG", quality=rng.randrange(35, 86))
    return output.getvalue()


@dataclass
class Sample:
    identity: Identity
    content: bytes
    corrupted_field: str = ""  # the field whose character was changed, "" for a true page
    lines: tuple[str, str] = field(default=("", ""))


def samples(
    count: int, *, corrupted: int = 0, seed: int = 9303, today: date, level: float = 1.0
) -> list[Sample]:
    """``count`` true pages and ``corrupted`` pages with one wrong character under a check digit."""
    rng = random.Random(seed)
    result = []
    for identity in identities(count, seed=seed, today=today):
        lines = identity.mrz_lines()
        result.append(
            Sample(identity, degrade(draw_page(identity, lines=lines), rng, level=level), "", lines)
        )
    for identity in identities(corrupted, seed=seed + 1, today=today):
        lines, name = corrupt(identity.mrz_lines(), rng)
        result.append(
            Sample(identity, degrade(draw_page(identity, lines=lines), rng, level=level), name, lines)
        )
    return result
