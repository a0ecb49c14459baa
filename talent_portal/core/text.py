"""User data (names, e-mail addresses) inside translated sentences rendered as HTML.

A name in a flash message or a heading is not text of the page's language: it is marked
``translate="no"``, so that a browser's translator leaves it alone and the page checks do not take
it for untranslated text.
"""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def user_data_html(value) -> SafeString:
    """``value`` escaped, in a ``<span translate="no">``."""
    return format_html('<span translate="no">{}</span>', value)


def sentence_with_user_data(text: str, **values) -> SafeString:
    """A translated sentence with ``%(name)s`` placeholders, the values marked as user data.

    The sentence and the values are escaped; the result is safe HTML (message storage keeps it so).
    """
    escaped = conditional_escape(text)
    return mark_safe(escaped % {name: user_data_html(value) for name, value in values.items()})  # noqa: S308
