"""Passport pre-fill on generated data pages: share of fields right, failures caught, time per page.

    .venv/bin/python bench/mrz_bench.py --pages 200 --corrupted 100

Pages come from ``tests/permits/mrz_pages.py`` (OCR-B MRZ, noise, blur, rotation, JPEG). Prints
the share of the seven identity fields pre-filled with the right value (a field correctly left
empty, such as ICAO's unreal specimen state UTO, counts as right), the number of wrong values
among check-digit-verified fields (target 0), the share of deliberately corrupted MRZs whose
failed check digit was caught, and the mean and worst time per page. Not a test.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--corrupted", type=int, default=100)
    parser.add_argument("--seed", type=int, default=9303)
    parser.add_argument(
        "--show-misses", action="store_true", help="print each field not pre-filled right, and why"
    )
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talent_portal.settings")
    import django

    django.setup()
    from permits import mrz, passport_ocr
    from tests.permits import mrz_pages

    today = date(2026, 3, 2)
    samples = mrz_pages.samples(
        arguments.pages, corrupted=arguments.corrupted, seed=arguments.seed, today=today
    )
    right = total = wrong_verified = caught = corrupted = 0
    times = []
    for index, sample in enumerate(samples):
        started = time.perf_counter()
        try:
            reading = passport_ocr.read_image(sample.content, "image/jpeg", today=today)
        except mrz.MrzNotFound:
            reading = None
        times.append(time.perf_counter() - started)
        expected = sample.identity.expected()
        if sample.corrupted_field:
            corrupted += 1
            caught += reading is None or sample.corrupted_field not in reading.prefill
            continue
        total += len(expected)
        if reading is None:
            if arguments.show_misses:
                print(f"miss page {index}: no MRZ found ({len(expected)} fields)")
            continue
        for name, value in expected.items():
            got = reading.prefill.get(name)
            right += got == value
            if reading.fields[name].status == mrz.Status.VERIFIED and got != value:
                wrong_verified += 1
            if arguments.show_misses and got != value:
                item = reading.fields[name]
                print(
                    f"miss page {index} {name}: expected {value!r}, got {got!r}, "
                    f"status {item.status}, read {item.raw!r} {item.problem}"
                )
    print(f"pages: {arguments.pages} true + {arguments.corrupted} corrupted")
    print(f"fields pre-filled correctly: {right}/{total} = {100 * right / max(total, 1):.1f} %")
    print(f"wrong values among check-digit-verified fields: {wrong_verified}")
    print(f"corrupted MRZs caught: {caught}/{corrupted} = {100 * caught / max(corrupted, 1):.1f} %")
    print(f"time per page: mean {sum(times) / len(times):.2f} s, worst {max(times):.2f} s")


if __name__ == "__main__":
    main()
