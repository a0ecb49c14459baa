"""Reading a passport's machine-readable zone from an image or a PDF page, on this machine.

Nothing leaves the machine. PDF pages are rendered with pypdfium2. The steps: decode → greyscale
→ straighten (the angle that makes text rows sharpest, up to ±6°) → find the two MRZ lines (the
lowest pair of text rows of similar height, less than two character heights apart) → cut each
line into its 44 fixed-pitch cells → match
every cell against the 37 OCR-B glyphs (A–Z, 0–9, ``<``) drawn from Debian's ``fonts-ocr-b``,
among the characters ICAO 9303 allows at that position (``td3_allowed``: digits only in dates and
check digits, letters only in names and codes…) → ``permits.mrz`` verifies and validates.

Check digits are never used to choose a character: a value is read from its shapes only, and its
check digit then verifies it or names the failure. Debian's Tesseract (``tesseract-ocr``, a local
process) is only a fallback for a page where the lines cannot be cut into cells.
"""

import logging
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from io import BytesIO

import pypdfium2
from django.conf import settings
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

from . import mrz

logger = logging.getLogger(__name__)

MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
WORK_WIDTH = 1400  # pages are scaled to this width before anything else
PDF_SCALE = 200 / 72  # render a PDF page at 200 dpi
MAX_ANGLE = 6.0
OCR_TIMEOUT_SECONDS = 30


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed on this machine."""


def tesseract_command() -> str:
    command = getattr(settings, "TESSERACT_COMMAND", "") or shutil.which("tesseract")
    if not command:
        raise OcrUnavailable("tesseract")
    return command


def load_page(content: bytes, content_type: str) -> Image.Image:
    """The first page as a greyscale image at a working size."""
    if content_type == "application/pdf":
        pdf = pypdfium2.PdfDocument(content)
        try:
            image = pdf[0].render(scale=PDF_SCALE).to_pil()
        finally:
            pdf.close()
    else:
        image = Image.open(BytesIO(content))
        image = ImageOps.exif_transpose(image)
    image = image.convert("L")
    if image.width > WORK_WIDTH:
        image = image.resize(
            (WORK_WIDTH, round(image.height * WORK_WIDTH / image.width)), Image.Resampling.LANCZOS
        )
    return image


def _otsu(image: Image.Image) -> int:
    histogram = image.histogram()
    total = sum(histogram)
    sum_all = sum(index * count for index, count in enumerate(histogram))
    weight_back = sum_back = 0
    best, threshold = -1.0, 128
    for index, count in enumerate(histogram):
        weight_back += count
        if weight_back == 0:
            continue
        weight_fore = total - weight_back
        if weight_fore == 0:
            break
        sum_back += index * count
        mean_back = sum_back / weight_back
        mean_fore = (sum_all - sum_back) / weight_fore
        between = weight_back * weight_fore * (mean_back - mean_fore) ** 2
        if between > best:
            best, threshold = between, index
    return threshold


def _ink(image: Image.Image) -> Image.Image:
    """Dark text as white on black (so that a box-filter resize sums ink)."""
    threshold = _otsu(image)
    return image.point(lambda value: 255 if value < threshold else 0)


def _row_profile(ink: Image.Image) -> list[int]:
    return list(ink.resize((1, ink.height), Image.Resampling.BOX).get_flattened_data())


def _sharpness(ink: Image.Image) -> float:
    profile = _row_profile(ink)
    mean = sum(profile) / len(profile)
    return sum((value - mean) ** 2 for value in profile)


def straighten(image: Image.Image) -> Image.Image:
    """Rotate by the angle at which the lower half's text rows are sharpest."""
    small = image.resize((500, max(1, round(image.height * 500 / image.width))), Image.Resampling.BOX)
    lower = _ink(small.crop((0, small.height // 2, small.width, small.height)))

    def score(angle: float) -> float:
        return _sharpness(lower.rotate(angle, resample=Image.Resampling.BILINEAR))

    best = max((step / 2 for step in range(int(-MAX_ANGLE * 2), int(MAX_ANGLE * 2) + 1)), key=score)
    best = max((best + delta / 8 for delta in (-3, -2, -1, 0, 1, 2, 3)), key=score)
    if abs(best) < 0.1:
        return image
    return image.rotate(best, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def _bands(profile: list[int], threshold: float) -> list[tuple[int, int]]:
    bands, start = [], None
    for index, value in enumerate([*profile, 0]):
        if value > threshold and start is None:
            start = index
        elif value <= threshold and start is not None:
            bands.append((start, index))
            start = None
    return bands


def _text_like(ink: Image.Image, band: tuple[int, int]) -> bool:
    """Whether a band of rows holds a line of characters (many separate strokes), not a shadow."""
    strip = ink.crop((0, band[0], ink.width, band[1]))
    columns = strip.resize((strip.width, 1), Image.Resampling.BOX).get_flattened_data()
    inked = [value > 20 for value in columns]
    runs = sum(1 for index in range(1, len(inked)) if inked[index] and not inked[index - 1])
    return runs >= mrz.LINE_LENGTH // 2


def mrz_rows(image: Image.Image) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The rows (top, bottom) of the two MRZ lines: the lowest two text rows of similar height."""
    ink = _ink(image)
    profile = _row_profile(ink)
    peak = max(profile) or 1
    bands = [
        band
        for band in _bands(profile, peak * 0.18)
        if band[1] - band[0] >= image.height * 0.012 and _text_like(ink, band)
    ]
    for index in range(len(bands) - 1, 0, -1):
        first, second = bands[index - 1], bands[index]
        height_first, height_second = first[1] - first[0], second[1] - second[0]
        gap = second[0] - first[1]
        # The two lines are printed at a fixed pitch: the gap between them is less than twice the
        # height of their characters. Measured on the smaller band, as a taller one may be a
        # shadow or the page's edge below the MRZ (it must not widen the tolerance).
        if 0.6 < height_first / height_second < 1.6 and gap < 2 * min(height_first, height_second):
            return first, second
    return None


def mrz_band(image: Image.Image) -> Image.Image | None:
    """The strip holding the two MRZ lines."""
    rows = mrz_rows(image)
    if rows is None:
        return None
    (top, _first_bottom), (_second_top, bottom) = rows
    margin = (bottom - top) // 4
    return image.crop((0, max(0, top - margin), image.width, min(image.height, bottom + margin)))


GLYPH_SIZE = (16, 24)
OCR_B_FONT = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"  # Debian's fonts-ocr-b


def _glyph_ink(cell: Image.Image) -> Image.Image:
    return ImageOps.autocontrast(ImageOps.invert(cell.resize(GLYPH_SIZE, Image.Resampling.BOX)), cutoff=2)


@dataclass
class LineCells:
    """One MRZ line cut into its 44 character cells (OCR-B is monospaced)."""

    image: Image.Image  # the line, greyscale
    offset: float
    pitch: float
    fillers: list[bool]  # True where the cell is empty
    cap_top: int
    cap_bottom: int
    extents: list = field(default_factory=list)  # each cell's inked rows (top, bottom), or None


def cut_cells(image: Image.Image, rows: tuple[int, int]) -> LineCells | None:
    top, bottom = rows
    pad = max(2, (bottom - top) // 5)
    line = image.crop((0, max(0, top - pad), image.width, min(image.height, bottom + pad)))
    ink = _ink(line)
    columns = list(ink.resize((ink.width, 1), Image.Resampling.BOX).get_flattened_data())
    # Columns with a real stroke (a few noise pixels do not count).
    inked = [index for index, value in enumerate(columns) if value > max(columns) * 0.15]
    if len(inked) < mrz.LINE_LENGTH:
        return None
    left, right = inked[0], inked[-1]
    estimate = (right - left) / (mrz.LINE_LENGTH - 0.3)
    best = None
    for step in range(-12, 13):
        pitch = estimate * (1 + step / 400)
        for shift in range(-int(estimate * 0.35), int(estimate * 0.1) + 1):
            offset = left + shift
            score = 0
            for cell in range(mrz.LINE_LENGTH + 1):
                column = int(offset + cell * pitch)
                if 0 <= column < len(columns):
                    score += columns[column]
            if best is None or score < best[0]:
                best = (score, offset, pitch)
    _score, offset, pitch = best
    extents = []
    for cell in range(mrz.LINE_LENGTH):
        x0 = int(offset + cell * pitch + pitch * 0.1)
        x1 = int(offset + (cell + 1) * pitch - pitch * 0.1)
        # Rows where at least 12 % of the cell is ink (isolated noise pixels do not count).
        profile = _row_profile(ink.crop((x0, 0, x1, ink.height)))
        inked_rows = [index for index, value in enumerate(profile) if value > 30]
        extents.append((inked_rows[0], inked_rows[-1]) if inked_rows else None)
    tops = sorted(extent[0] for extent in extents if extent)
    if not tops:
        return None
    # Capitals and digits span the full height (the filler chevron is shorter): the cap line and
    # the base line are the medians over the cells of (about) the full height.
    heights = sorted(extent[1] - extent[0] for extent in extents if extent)
    full = heights[len(heights) * 4 // 5] - 2
    tall = [extent for extent in extents if extent and extent[1] - extent[0] >= full]
    cap_top = sorted(extent[0] for extent in tall)[len(tall) // 2]
    cap_bottom = sorted(extent[1] for extent in tall)[len(tall) // 2]
    fillers = [extent is None for extent in extents]  # an empty cell: nothing printed
    return LineCells(line, offset, pitch, fillers, cap_top, cap_bottom, extents)


def ocr(image: Image.Image, *, page_segmentation: int = 6) -> str:
    """The text Tesseract reads in ``image``, restricted to the MRZ alphabet."""
    buffer = BytesIO()
    image.save(buffer, "PNG")
    completed = subprocess.run(  # noqa: S603 - a fixed command, no shell, input on stdin
        [
            tesseract_command(),
            "stdin",
            "stdout",
            "-l",
            "eng",
            "--psm",
            str(page_segmentation),
            "-c",
            f"tessedit_char_whitelist={MRZ_ALPHABET}",
            "-c",
            "load_system_dawg=0",
            "-c",
            "load_freq_dawg=0",
        ],
        input=buffer.getvalue(),
        capture_output=True,
        timeout=OCR_TIMEOUT_SECONDS,
        check=False,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    if completed.returncode != 0:
        logger.warning("tesseract_failed", extra={"returncode": completed.returncode})
        return ""
    return completed.stdout.decode("utf-8", "replace")


def _prepare_band(band: Image.Image) -> Image.Image:
    # Tesseract reads best at about 30-40 px per capital: scale the band to ~110 px per line.
    scale = max(1.0, 220 / band.height)
    band = band.resize((round(band.width * scale), round(band.height * scale)), Image.Resampling.LANCZOS)
    band = ImageOps.autocontrast(band, cutoff=1)
    return band.filter(ImageFilter.MedianFilter(3))


def read_image(
    content: bytes, content_type: str, *, today: date, progress: Callable[[int], None] = lambda _: None
) -> mrz.MrzReading:
    """Find and read the MRZ of a passport data page; raise ``mrz.MrzNotFound`` when there is none.

    The MRZ is read by glyph shapes (``read_line_by_glyphs``). Tesseract is only a fallback for
    a page where the two lines cannot be cut into cells; when it is not installed, that fallback
    is skipped (the page then counts as not found).
    """
    image = load_page(content, content_type)
    progress(20)
    image = straighten(image)
    progress(40)
    rows = mrz_rows(image)
    if rows is not None:
        try:
            return mrz.read_text(_read_by_glyphs(image, rows), today=today)
        except mrz.MrzNotFound:
            pass
    progress(60)
    # Fall back on Tesseract: the band, the lower part of the page, then the whole page.
    attempts = []
    if rows is not None:
        attempts.append(lambda: ocr(_prepare_band(mrz_band(image))))
    attempts.append(lambda: ocr(_prepare_band(image.crop((0, image.height // 2, image.width, image.height)))))
    attempts.append(lambda: ocr(image, page_segmentation=11))
    for number, attempt in enumerate(attempts):
        try:
            text = attempt()
        except OcrUnavailable:
            logger.warning("passport_ocr_fallback_unavailable")
            break
        progress(min(95, 70 + 10 * number))
        try:
            return mrz.read_text(text, today=today)
        except mrz.MrzNotFound:
            continue
    raise mrz.MrzNotFound("")


def _read_by_glyphs(image: Image.Image, rows) -> str:
    lines = []
    for number, line_rows in enumerate(rows):
        cells = cut_cells(image, line_rows)
        if cells is None:
            return ""
        lines.append(read_line_by_glyphs(cells, number))
    return "\n".join(lines)


# --- Reading by glyph shapes -------------------------------------------------------------------

_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")
_FILL = frozenset(mrz.FILLER)


def td3_allowed(line: int, position: int) -> frozenset[str]:
    """The characters ICAO 9303 (TD3) allows at a position (0-based) of line 0 or 1."""
    if line == 0:
        if position == 0:
            return frozenset("P")
        return _LETTERS | _FILL  # document type, issuing state, names
    if position < 9 or 28 <= position < 42:  # passport number, personal number
        return _LETTERS | _DIGITS | _FILL
    if position in (9, 19, 27, 43) or 13 <= position < 19 or 21 <= position < 27:
        return _DIGITS  # check digits and dates
    if position == 42:
        return _DIGITS | _FILL  # the personal number's check digit (a filler when it is empty)
    if 10 <= position < 13:
        return _LETTERS | _FILL  # nationality
    return frozenset("MFX<")  # sex


# Template variants: printing, scanning and compression make strokes bolder and softer than the
# font's outlines. Each line is matched with the variant that fits its unambiguous cells best.
STROKES = (0, 2, 4)  # extra stroke width, in pixels at the 96 px rendering
BLURS = (0.0, 0.8, 1.6)  # in glyph pixels


@cache
def template_variants() -> tuple[dict[str, Image.Image], ...]:
    """The 37 OCR-B glyphs for each (stroke, blur) variant, normalised as a cell is."""
    font = ImageFont.truetype(OCR_B_FONT, 96)
    advance = round(font.getlength("H"))
    # OCR-B's digits are taller than its capitals: the box spans the digits' height, so that the
    # height tells 0 from O (and 1 from I) as much as the shape does.
    cap_top, cap_bottom = _digit_box(font)
    variants = []
    for stroke in STROKES:
        drawn = {}
        for char in MRZ_ALPHABET:
            canvas = Image.new("L", (advance, cap_bottom - cap_top), 0)
            ImageDraw.Draw(canvas).text(
                (0, -cap_top), char, font=font, fill=255, stroke_width=stroke, stroke_fill=255
            )
            drawn[char] = canvas.resize(GLYPH_SIZE, Image.Resampling.BOX)
        variants.extend(
            {
                char: ImageOps.autocontrast(
                    image.filter(ImageFilter.GaussianBlur(radius)) if radius else image, cutoff=2
                )
                for char, image in drawn.items()
            }
            for radius in BLURS
        )
    return tuple(variants)


def _digit_box(font) -> tuple[int, int]:
    boxes = [font.getbbox(char) for char in "0123456789"]
    return min(box[1] for box in boxes), max(box[3] for box in boxes)


@cache
def _letter_share() -> float:
    """How much of the digits' height the capitals' extra top margin is (about 8 % in OCR-B)."""
    font = ImageFont.truetype(OCR_B_FONT, 96)
    top, bottom = _digit_box(font)
    return (font.getbbox("H")[1] - top) / (bottom - top)


def _digit_rows(cells: LineCells, line: int) -> tuple[int, int]:
    """The rows the digits span on this line (the first line has letters only: extend them)."""
    if line == 1:
        extents = [cells.extents[index] for index in (*range(13, 20), *range(21, 28))]
    else:
        # Every cell but position 1 (always a filler): at least "P", the issuing state's first
        # letter and the surname's first letter are full-height letters.
        extents = [extent for extent in cells.extents[:1] + cells.extents[2:] if extent]
    tall = [extent for extent in extents if extent]
    if len(tall) < 4:
        return cells.cap_top, cells.cap_bottom
    heights = sorted(extent[1] - extent[0] for extent in tall)
    # Line 2 (dates and check digits): all full height. Line 1: short names leave most of it to
    # fillers (chevrons, never full height), so the letters' height is that of the tallest few
    # cells (the third, so that one blot of noise does not set it), not of most cells — else the
    # box's bottom cuts the letters' feet and an I reads as a T, an E as an F.
    rank = len(heights) * 4 // 5 if line == 1 else max(0, len(heights) - 3)
    full = heights[rank] - 2
    tall = [extent for extent in tall if extent[1] - extent[0] >= full]
    top = sorted(extent[0] for extent in tall)[len(tall) // 2]
    bottom = sorted(extent[1] for extent in tall)[len(tall) // 2]
    if line == 0:
        share = _letter_share()
        top = round(top - (bottom - top) * share / (1 - share))
    return top, bottom


def _cell_stack(cells: LineCells, index: int, top: int, bottom: int) -> tuple[Image.Image, int]:
    """Cell ``index`` (rows ``top`` to ``bottom``) normalised at small shifts, stacked top to bottom."""
    x0 = cells.offset + index * cells.pitch
    reach = round(cells.pitch * 0.2)
    width, height = GLYPH_SIZE
    boxes = [
        (round(x0 + shift), top + dy, round(x0 + shift + cells.pitch), bottom + 1 + dy)
        for dy in (-1, 0, 1)
        for shift in range(-reach, reach + 1)
    ]
    stack = Image.new("L", (width, height * len(boxes)))
    for number, box in enumerate(boxes):
        stack.paste(_glyph_ink(cells.image.crop(box)), (0, height * number))
    return stack, len(boxes)


@cache
def _template_sheet(variant: int, rows: int) -> Image.Image:
    """A variant's 37 templates side by side, repeated ``rows`` times top to bottom."""
    width, height = GLYPH_SIZE
    sheet = Image.new("L", (width * len(MRZ_ALPHABET), height * rows))
    templates = template_variants()[variant]
    for row in range(rows):
        for column, char in enumerate(MRZ_ALPHABET):
            sheet.paste(templates[char], (width * column, height * row))
    return sheet


def _distances(stack: Image.Image, rows: int, variant: int) -> list[float]:
    """Mean absolute difference of each stacked cell image (row) to each glyph (column)."""
    width = GLYPH_SIZE[0]
    tiled = Image.new("L", (width * len(MRZ_ALPHABET), stack.height))
    for column in range(len(MRZ_ALPHABET)):
        tiled.paste(stack, (width * column, 0))
    difference = ImageChops.difference(tiled, _template_sheet(variant, rows)).convert("F")
    return list(difference.resize((len(MRZ_ALPHABET), rows), Image.Resampling.BOX).get_flattened_data())


def _best(distances: list[float], allowed) -> tuple[float, str, int]:
    """The closest allowed glyph: (distance, character, row of the stack)."""
    count = len(MRZ_ALPHABET)
    return min(
        (distance, MRZ_ALPHABET[number % count], number // count)
        for number, distance in enumerate(distances)
        if MRZ_ALPHABET[number % count] in allowed
    )


# Positions whose kind is certain (digits only, or letters only): they choose the variant.
_CALIBRATION = {0: range(5, 20), 1: (*range(13, 20), *range(21, 28), 9)}


def read_line_by_glyphs(cells: LineCells, line: int) -> str:
    """Each of the 44 cells classified among the OCR-B glyphs its TD3 position allows."""
    allowed = [td3_allowed(line, index) for index in range(mrz.LINE_LENGTH)]
    top, bottom = _digit_rows(cells, line)
    stacks = [_cell_stack(cells, index, top, bottom) for index in range(mrz.LINE_LENGTH)]
    # Where each cell sits best (with a middle variant), then which variant fits the line's
    # unambiguous cells (digits only or letters only) best.
    middle = len(BLURS) + 1
    anchors = [
        _best(_distances(stack, rows, middle), allowed[index])[2]
        for index, (stack, rows) in enumerate(stacks)
    ]
    height = GLYPH_SIZE[1]
    calibration = [
        stacks[index][0].crop((0, height * anchors[index], GLYPH_SIZE[0], height * (anchors[index] + 1)))
        for index in _CALIBRATION[line]
    ]
    calibration_stack = Image.new("L", (GLYPH_SIZE[0], height * len(calibration)))
    for number, image in enumerate(calibration):
        calibration_stack.paste(image, (0, height * number))

    def misfit(variant: int) -> float:
        distances = _distances(calibration_stack, len(calibration), variant)
        count = len(MRZ_ALPHABET)
        return sum(
            _best(distances[number * count : (number + 1) * count], allowed[index])[0]
            for number, index in enumerate(_CALIBRATION[line])
        )

    chosen = min(range(len(template_variants())), key=misfit)
    return "".join(
        _best(_distances(stack, rows, chosen), allowed[index])[1]
        for index, (stack, rows) in enumerate(stacks)
    )
