"""Short HTML pages in many scripts are stored whole, character for character: joiners
inside words (ZWNJ, ZWJ), direction marks, emoji sequences, C1 punctuation."""
from __future__ import annotations

import html

import pytest

from deboil.cleaners import RawPage, clean
from deboil.cleaners.html import rules
from deboil.cleaners.encoding.characters import text_character

# (script, sentence): ZWNJ/ZWJ written where the orthography puts them
SENTENCES = [
    ("Latin", "Le comité a voté la réforme hier soir, après trois heures de débat."),
    ("Cyrillic", "Городской совет утвердил новый бюджет на следующий год."),
    ("Greek", "Το δημοτικό συμβούλιο ενέκρινε τον νέο προϋπολογισμό."),
    ("Arabic", "وافق المجلس البلدي على الميزانية الجديدة للعام المقبل."),
    ("Persian ZWNJ", "این کتاب\u200cها در کتابخانه نگهداری می\u200cشوند."),
    ("Hebrew RLM", "המועצה אישרה את התקציב החדש\u200f (2024) לשנה הבאה."),
    ("Devanagari ZWJ", "राष्ट्रीय समिति ने क्\u200dष और र\u200d्य के नियम बदले हैं।"),
    ("Devanagari ZWNJ", "उसने क्\u200cष लिखा, क्ष नहीं।"),
    ("Bengali ZWJ", "র\u200d্যাব আজ শহরে নতুন কার্যালয় খুলেছে।"),
    ("Telugu ZWNJ", "ఈ పుస్తకం\u200cలో చాలా కథలు ఉన్నాయి."),
    ("Tamil", "நகர சபை புதிய வரவு செலவுத் திட்டத்தை அங்கீகரித்தது."),
    ("Malayalam ZWJ", "അവന്\u200d ഇന്നലെ വന്നു, അവള്\u200d ഇന്ന് വരും."),
    ("Gujarati", "શહેર પરિષદે નવું બજેટ મંજૂર કર્યું."),
    ("Gurmukhi", "ਸ਼ਹਿਰ ਦੀ ਕੌਂਸਲ ਨੇ ਨਵਾਂ ਬਜਟ ਮਨਜ਼ੂਰ ਕੀਤਾ।"),
    ("Sinhala ZWJ", "ශ්\u200dරී ලංකාවේ නව අයවැය අනුමත කෙරිණි."),
    ("Thai", "สภาเมืองอนุมัติงบประมาณใหม่สำหรับปีหน้าแล้ว"),
    ("Han", "市议会昨天批准了明年的新预算。"),
    ("Japanese", "市議会は来年度の新しい予算を承認しました。"),
    ("Hangul", "시의회는 내년도 새 예산을 승인했다."),
    ("Georgian", "ქალაქის საბჭომ ახალი ბიუჯეტი დაამტკიცა."),
    ("Armenian", "Քաղաքային խորհուրդը հաստատեց նոր բյուջեն։"),
    ("Ethiopic", "የከተማው ምክር ቤት አዲሱን በጀት አጽድቋል።"),
    ("Khmer", "ក្រុមប្រឹក្សាក្រុងបានអនុម័តថវិកាថ្មី។"),
    ("emoji ZWJ", "Our team 👩\u200d💻👨\u200d👩\u200d👧 won the regional prize 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f today."),
]

_HEAD = "<html><head><title>Notes</title></head><body>"
_MENU = "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"


def _text(body: str) -> str:
    page = clean(RawPage(url="file:///notes.html", body=body.encode("utf-8"), kind="html"))
    return " ".join(page.text.split())


@pytest.mark.parametrize("script,sentence", SENTENCES, ids=[s for s, _ in SENTENCES])
def test_one_line_page_whole(script, sentence):
    assert sentence in _text(f"{_HEAD}<p>{html.escape(sentence)}</p></body></html>")
    article = f"{_HEAD}{_MENU}<article><h1>Headline</h1><p>{html.escape(sentence)}</p></article></body></html>"
    assert sentence in _text(article)


def test_few_line_pages_whole():
    for start in range(0, len(SENTENCES), 4):
        group = [s for _, s in SENTENCES[start:start + 4]]
        body = "".join(f"<p>{html.escape(s)}</p>" for s in group)
        text = _text(f"{_HEAD}{_MENU}<main>{body}</main><footer>© 2024 Example</footer></body></html>")
        assert [s for s in group if s not in text] == []


def test_c1_control_reads_as_windows_1252():
    # U+0092 inside UTF-8 text: the apostrophe a browser shows, as in captures
    text = _text(f"{_HEAD}<p>Le débat qui doit s\x92engager en Europe.</p></body></html>")
    assert "s’engager" in text


def test_invisible_characters_deleted():
    assert [text_character(c) for c in "\u00ad\u200b\u2060\ufeff\ue000\x07"] == [""] * 6
    assert text_character("\U0001faea") == "\U0001faea"  # unassigned in Python 3.11's tables
    text = _text(f"{_HEAD}<p>finansi\u00adnės institu\u200bcijos</p></body></html>")
    assert "finansinės institucijos" in text


def test_one_line_page_of_boilerplate_phrasing_kept():
    # every line a phrase rule would drop: they are the page's text, not its chrome
    for line in ("All rights reserved.", "Todos los derechos reservados."):
        assert line in _text(f"{_HEAD}<p>{line}</p></body></html>")
    text = _text(f"{_HEAD}<p>All rights reserved.</p><p>We met the mayor at noon to talk about the bridge.</p>"
                 "</body></html>")
    assert "All rights reserved" not in text and "the bridge" in text


def test_empty_paragraphs_of_joiners_are_not_text():
    # "<p>&zwj;</p>" is a page builder's spacer: no line, no word
    page = clean(RawPage(url="file:///notes.html", kind="html", body=(
        f"{_HEAD}<p>The bridge opened at noon after two years of work on its piers.</p><p>&zwj;</p>"
        "<p>&zwnj; &lrm;</p><p>Traffic was light on the first afternoon.</p></body></html>").encode()))
    assert page.text.split("\n\n") == ["The bridge opened at noon after two years of work on its piers.",
                                       "Traffic was light on the first afternoon."]


# Sentences of ../shared/bench/language/sentences that a phrase rule named ("Foto:" a caption,
# "Your email address ..." a comment form, "Todos los derechos reservados." a copyright
# line), each with the four sentences it sits among in `bench html_short`'s five-line page.
PHRASE_SENTENCE_RUNS = [
    ("ca", 3, ["En concret, són tres: No deixa passar mails que no venen o van dirigits a persones upc.es.",
               "Mai l'hem arribat a conèixer, sols hem seguit les seves traces i hem traslladat els seus "
               "caràcters al teclat.",
               "Eliminació de restes, neteja final i retirada de runes a abocador.",
               "Todos los derechos reservados.",
               "Atorgament d'una llicència per estudis 6250."]),
    ("sl-short", 3, ["Finančni prispevek ministrstva k stroškom prijave projekta znaša 1,000.000 SIT.“",
                     "Formata slike se med predvajanjem divx-ov ali uporabe DLNA ne da nastavljati.",
                     "Forum: Vse o vseh in vsem Tema: Klepetalnica/nabijalnica Objavljeno: Pe jul 13, 2007 "
                     "6:43 pm uff slabo.",
                     "Foto: EPA Latvala je zadnji dan odbil napad Sebastiena Ogierja.",
                     "Fotografska sekcija v Društvu litijski likovni atelje LILA bo pripravila razstavo "
                     "fotografij, ki so nastale lansko leto na fotografskem izletu v soline ali v poletnem času."]),
    ("sl-long", 0, ["Foto: Maraton Franja prekolesarilo 3.400 ljudi Na 156 kilometrov dolgo kolesarsko pot od "
                    "Ljubljane do Franje in nazaj se je na tradicionalnem 32. maratonu Franja podalo 1.720 "
                    "kolesarjev.",
                    "Frekvenčni pretvorniki so naprave, ki pretvarjajo električno energijo ene frekvence v "
                    "izmenično napetost druge frekvence.",
                    "Fural sem se po svoje … Pomembna je dolžina, ne tehnika!",
                    "Game 1: Tukaj nimam prakticno kaj za napisati.",
                    "Glasujemo o proceduralnem predlogu gospoda Tanka, da predlagatelj, torej Slovenska "
                    "demokratska stranka, še enkrat na kratko predstavi zahtevo, da se opravi nadzor nad "
                    "premoženjskim stanjem gospoda Gorana Klemenčiča."]),
    ("ur", 0, ["‹ اکھلیش حکومت کو فوری طور پر برخواست کیا جائے علاقے کی بنیادی سہولتوں کی فراہمی میری اولین "
               "ترجیح: مہیش گری › Your email address will not be published.",
               "یہ ایک مقوی دوا ہے جس کے اندر خدا ترسی و راست روی کو قوت بخشنے کی خاصیت ہے۔",
               "ایک وہ کمپنی جو پیداوار میں مصروف رہتی ہے اور دوسری وہ جوسرمایہ کاری کرتی یا کرواتی ہے۔",
               "اگر ایسا شخص بہت ہی معتبر ہوتا تھا تو اسکی جاری کردہ رسید کو علاقے کے بہت سے لوگ سکوں کے عوض "
               "قبول کر لیتے تھے اور ضرورت پڑنے پر وہی رسید دکھا کر اس شخص سے اپنے سکے وصول کر لیتے تھے۔",
               "اگر استعفی نہیں دینا چاہیں تو نہ دیں، لیکن للت مودی کو پكڑوانے میں مکمل طور پر فعال ہوں اور "
               "بھارت کا جو اربوں روپیہ اس نے بیرون ملک میں چھپا رکھا ہے، اس کی واپسی كروائیں۔"]),
]
_FOOTER = "<footer>© 2024 Example</footer></body></html>"


def _paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{html.escape(s)}</p>" for s in lines)


@pytest.mark.parametrize("name,at,run", PHRASE_SENTENCE_RUNS, ids=[n for n, _, _ in PHRASE_SENTENCE_RUNS])
def test_sentence_a_phrase_rule_names_kept_in_its_run_of_prose(name, at, run):
    text = _text(f"{_HEAD}{_MENU}<main>{_paragraphs(run)}</main>{_FOOTER}")
    assert [s for s in run if s not in text] == []


@pytest.mark.parametrize("name,at,run", PHRASE_SENTENCE_RUNS, ids=[n for n, _, _ in PHRASE_SENTENCE_RUNS])
def test_page_whose_one_sentence_a_phrase_rule_names_not_left_without_it(name, at, run):
    # under a headline, the sentence is the page's only body: the page keeps it
    article = f"{_HEAD}{_MENU}<article><h1>Headline</h1>{_paragraphs([run[at]])}</article>{_FOOTER}"
    assert run[at] in _text(article)
    assert run[at] in _text(f"{_HEAD}{_paragraphs([run[at]])}</body></html>")


def test_phrase_lines_outside_a_run_of_prose_still_removed():
    body = ["The council met on Tuesday to vote on the new budget for the coming year.",
            "Most members backed the plan after a long debate about the cost of the bridge."]
    # a notice after the body (not inside it), a caption that is not a sentence, a line
    # opening like a notice and a newsletter sign-up, even between two sentences
    signup = "Sign up for our newsletter to get the best stories of the week delivered to your inbox."
    for lines, gone in (([*body, "Todos los derechos reservados."], "derechos"),
                        ([body[0], "Foto: EPA", body[1]], "EPA"),
                        ([body[0], "All rights reserved.", body[1]], "rights"),
                        ([body[0], signup, body[1]], "newsletter")):
        text = _text(f"{_HEAD}{_MENU}<main>{_paragraphs(lines)}</main>{_FOOTER}")
        assert gone not in text and body[0] in text and body[1] in text


def test_the_rules_that_keep_them_are_named():
    _, at, run = PHRASE_SENTENCE_RUNS[0]
    five = f"{_HEAD}{_MENU}<main>{_paragraphs(run)}</main>{_FOOTER}"
    article = f"{_HEAD}{_MENU}<article><h1>Headline</h1>{_paragraphs([run[at]])}</article>{_FOOTER}"
    with rules.rules_off("phrases-in-prose"):
        assert run[at] not in _text(five)
    with rules.rules_off("never-empty"):
        assert run[at] not in _text(article)
