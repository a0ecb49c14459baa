"""Countries and nationalities by ISO 3166-1 alpha-3 code, named in the active language.

Names come from pycountry's own translations of the ISO standard (iso-codes project), so no
country name needs translating in our catalogues.
"""

import gettext
from functools import cache

import pycountry
from django.utils import translation

_GETTEXT_LANGUAGES = {"zh-hans": "zh_CN", "ja": "ja", "ko": "ko"}


@cache
def _translator(language: str):
    code = _GETTEXT_LANGUAGES.get(language)
    if code is None:
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[code], fallback=True)


def _common_name(country) -> str:
    return getattr(country, "common_name", None) or country.name


@cache
def _choices(language: str) -> tuple:
    translator = _translator(language)
    names = [(country.alpha_3, translator.gettext(_common_name(country))) for country in pycountry.countries]
    return tuple(sorted(names, key=lambda item: item[1]))


def country_choices() -> tuple:
    """(alpha-3 code, name) pairs in the active language, sorted by name."""
    return _choices(translation.get_language() or "en")


def country_name(code: str) -> str:
    """The name of a country in the active language ('' for an unknown code)."""
    country = pycountry.countries.get(alpha_3=code or "")
    if country is None:
        return ""
    return _translator(translation.get_language() or "en").gettext(_common_name(country))


def is_country_code(code: str) -> bool:
    return pycountry.countries.get(alpha_3=code or "") is not None
