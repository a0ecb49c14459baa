"""Names inside translated sentences are marked as user data, and everything stays escaped."""

from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import MessageDecoder, MessageEncoder
from django.utils.safestring import SafeData

from talent_portal.core.text import sentence_with_user_data, user_data_html


def test_a_value_is_escaped_and_marked_translate_no():
    assert (
        user_data_html("<b>Acme & Co</b>") == '<span translate="no">&lt;b&gt;Acme &amp; Co&lt;/b&gt;</span>'
    )


def test_the_sentence_is_escaped_and_its_values_marked():
    html = sentence_with_user_data("Welcome <to> %(organization)s.", organization="Hanbit & Co")
    assert html == 'Welcome &lt;to&gt; <span translate="no">Hanbit &amp; Co</span>.'
    assert isinstance(html, SafeData)


def test_a_flash_message_keeps_the_markup_through_the_message_storage():
    html = sentence_with_user_data("Welcome to %(organization)s.", organization="Hanbit")
    stored = MessageEncoder().encode([Message(25, html)])
    (message,) = MessageDecoder().decode(stored)
    assert isinstance(message.message, SafeData)
