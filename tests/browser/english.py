"""English left on a Chinese, Japanese or Korean page: the collector (in the page) and the rule.

``collect`` gathers what a reader sees or hears on the page — visible text (visually hidden text
for screen readers included), and the ``title``, ``aria-label``, ``placeholder``, ``alt`` and
button ``value`` attributes — leaving out elements (and their descendants) marked
``translate="no"`` (names, e-mail addresses, references, file names: user data, which browsers
must not auto-translate either), codes (``code``, ``kbd``, ``samp``) and elements written in
another language (their own ``lang``, e.g. the entries of the language switcher).

``english_phrases`` then finds English in those texts: after removing URLs, e-mail addresses,
file names, codes and references (words with digits), numbers and dates, a run of two or more
Latin-script words containing a lowercase letter, or a single such word of four letters or more
that is not in the allow-list (brand and technical words a zh/ja/ko reader meets as they are).
"""

import re

CJK_LANGUAGES = ("zh", "ja", "ko")

# Words kept in Latin script on zh/ja/ko pages: formats, standards, protocols and brands.
_ALLOWED = """
PDF PNG JPEG JPG CSV ICS iCal XLSX JSON XML HTML API APIs OpenAPI REST Swagger ReDoc URL HTTP HTTPS
TOTP OTP QR ID IDs SMS CJK UTC GMT PIPL WeChat Alipay Google Authenticator Microsoft FreeOTP Authy
Chromium Chrome Firefox Safari Edge iOS Android Windows macOS Linux MRZ OCR CEO CTO CFO HR IT GDP
"""
ALLOWED_WORDS = frozenset(_ALLOWED.lower().split())

_REMOVED = [
    re.compile(r"(?:https?|mailto|tel):\S+", re.IGNORECASE),  # URLs
    re.compile(r"\b(?:www\.)\S+", re.IGNORECASE),
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
    re.compile(r"/[\w./?=&%#-]*"),  # paths
    re.compile(r"[\w()\[\]-]+\.(?:pdf|png|jpe?g|gif|webp|ics|csv|xlsx?|docx?|txt|zip|json)\b", re.IGNORECASE),
    re.compile(r"\b[\w-]*\d[\w-]*\b"),  # codes, references, numbers, dates, times
]
_WORD = r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*"
# Words separated by spaces and the punctuation that holds an English phrase together.
_RUN = re.compile(
    rf"{_WORD}(?:[ \t\u00a0]*[,:;&/]?[ \t\u00a0]+{_WORD}|[ \t\u00a0]*[.!?][ \t\u00a0]+{_WORD})*"
)


def _english_in(text: str) -> list[str]:
    for pattern in _REMOVED:
        text = pattern.sub(" ", text)
    found = []
    for match in _RUN.finditer(text):
        words = re.findall(_WORD, match.group())
        if not any(character.islower() for character in match.group()):
            continue  # acronyms, names in capitals (passport style)
        meaningful = [word for word in words if word.lower() not in ALLOWED_WORDS]
        if not meaningful:
            continue
        if len(words) >= 2 or len(meaningful[0]) >= 4:
            found.append(" ".join(match.group().split()))
    return found


def english_phrases(texts) -> list[str]:
    """English phrases in ``texts`` (strings), each once, in order of appearance."""
    found = []
    for text in texts:
        for phrase in _english_in(text):
            if phrase not in found:
                found.append(phrase)
    return found


# Runs in the page: the texts a reader meets, outside translate="no" and other-language elements.
COLLECT_JS = """
() => {
  const pageLang = (document.documentElement.getAttribute('lang') || '').toLowerCase();
  const skipped = (element) => {
    if (element.closest('[translate="no"], code, kbd, samp, script, style, noscript, template')) return true;
    const own = element.closest('[lang]');
    return own !== null && (own.getAttribute('lang') || '').toLowerCase() !== pageLang;
  };
  const shown = (element) => element.checkVisibility({visibilityProperty: true});
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    const text = node.nodeValue.trim();
    if (!text || !element || skipped(element) || !shown(element)) continue;
    texts.push(text);
  }
  // The title cannot mark the names and references it repeats: what the page marks, it drops.
  let title = document.title || '';
  for (const marked of document.body.querySelectorAll('[translate="no"]')) {
    const text = marked.textContent.trim();
    if (text) title = title.split(text).join(' ');
  }
  if (title.trim()) texts.push(title.trim());
  const attributes = ['title', 'aria-label', 'placeholder', 'alt'];
  for (const element of document.body.querySelectorAll('[title], [aria-label], [placeholder], [alt], input[value], button[value]')) {
    if (skipped(element)) continue;
    for (const name of attributes) {
      const value = element.getAttribute(name);
      if (value && value.trim()) texts.push(value.trim());
    }
    const type = (element.getAttribute('type') || '').toLowerCase();
    if (element.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(type) && element.value) {
      texts.push(element.value);
    }
  }
  return {lang: pageLang, texts};
}
"""


def collect(page) -> tuple[str, list[str]]:
    """``(the page's lang, its texts)``."""
    found = page.evaluate(COLLECT_JS)
    return found["lang"], found["texts"]


def english_left(page) -> list[str]:
    """English phrases on a zh/ja/ko page ([] on pages in other languages)."""
    lang, texts = collect(page)
    if lang.split("-")[0] not in CJK_LANGUAGES:
        return []
    return english_phrases(texts)


def assert_no_english_left(page):
    phrases = english_left(page)
    assert not phrases, (
        f"English left on {page.url} ({len(phrases)}): "
        + "; ".join(repr(phrase) for phrase in phrases[:40])
        + '\n(translate them, or mark user data — names, e-mails, references — translate="no")'
    )
