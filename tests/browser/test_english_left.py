"""The "no English left on a zh/ja/ko page" check of ``journey.check``, on small pages."""

import pytest

from tests.browser.english import english_left, english_phrases


def page_in(lang: str, body: str, title: str = "页面") -> str:
    return f'<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>{body}</body></html>'


@pytest.mark.parametrize(
    "text",
    [
        "申请编号 SH2026-7K3M-Q9TX",  # a reference
        "请发送至 hr@example.com",  # an e-mail address
        "详见 https://talent.example.cn/zh-hans/help/",  # a URL
        "2026-11-27 14:30，共 12 份",  # dates, times, numbers
        "下载 PDF 或 CSV；扫描 QR 码；TOTP 验证码；API 密钥；ID",  # the allow-list
        "KIM MINJUN",  # a name in passport capitals
        "已上传 passport_scan.pdf",  # a file name
        "第 3 步",
    ],
)
def test_codes_addresses_numbers_and_allowed_words_are_not_english(text):
    assert english_phrases([text]) == []


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("提交 Save draft", "Save draft"),
        ("Dashboard", "Dashboard"),
        ("状态：Submitted", "Submitted"),
        ("You are registered. Show the QR code below.", "You are registered. Show the QR code below"),
        ("下载 PDF file", "PDF file"),
    ],
)
def test_english_words_and_phrases_are_found(text, phrase):
    assert english_phrases([text]) == [phrase]


def test_a_short_single_word_is_not_counted_but_two_short_words_are():
    assert english_phrases(["了 of"]) == []
    assert english_phrases(["请 go on"]) == ["go on"]


def test_a_page_with_english_left_fails(blank_page):
    blank_page.set_content(
        page_in(
            "ja",
            '<main><h1>申請一覧</h1><p>Nothing here yet</p><button type="button" aria-label="Close dialog">×</button>'
            '<input type="search" placeholder="Search cases"><input type="submit" value="Send now">'
            '<img src="data:," alt="Company logo"></main>',
            title="Applications list",
        )
    )
    assert english_left(blank_page) == [
        "Nothing here yet",
        "Applications list",
        "Close dialog",
        "Search cases",
        "Send now",
        "Company logo",
    ]


def test_names_marked_translate_no_and_other_languages_pass(blank_page):
    blank_page.set_content(
        page_in(
            "zh-hans",
            '<main><h1>申请人 <span translate="no">Emily Johnson</span></h1>'
            '<dl><dt>雇主</dt><dd translate="no">Acme Robotics <em>Shanghai</em> Co., Ltd.</dd></dl>'
            '<form><button lang="en" value="en">English</button><button lang="ja">日本語</button></form>'
            '<p>文件：<a href="/f" translate="no">Offer letter final.pdf</a></p>'
            '<p hidden>Hidden text is not read</p><p style="display:none">Nor this one</p>'
            '<span class="sr-only" style="position:absolute;clip:rect(0 0 0 0)">屏幕阅读器文本</span></main>',
        )
    )
    assert english_left(blank_page) == []


def test_names_the_page_marks_are_dropped_from_its_title(blank_page):
    blank_page.set_content(
        page_in(
            "ja",
            '<h1><span translate="no">Emily Johnson</span> の許可履歴</h1>',
            title="Emily Johnson の許可履歴 · Permit history",
        )
    )
    assert english_left(blank_page) == ["Permit history"]


def test_text_only_screen_readers_hear_is_checked_too(blank_page):
    blank_page.set_content(
        page_in(
            "ko",
            '<p>신청<span style="position:absolute;width:1px;height:1px;overflow:hidden">opens in a new tab</span></p>',
        )
    )
    assert english_left(blank_page) == ["opens in a new tab"]


def test_pages_in_english_are_not_checked(blank_page):
    blank_page.set_content(page_in("en", "<p>Everything is English here.</p>"))
    assert english_left(blank_page) == []
