"""Clean text is never damaged by the capture cleaner, in any script:
1. a text that is all content stays whole (one sentence, a few, unrelated ones, an article
   without header or footer);
2. a phrase rule (copyright, cookies, share...) never removes a line that reads as a
   sentence of the prose around it, but still removes the short widget lines;
3. the first paragraph after a headline or dateline is body.
"""
from __future__ import annotations

import random

import pytest

from deboil.cleaners import RawPage, clean
from deboil.cleaners.capture.lines import analyse
from deboil.cleaners.capture.line_features import NAMES, line_features
from deboil.cleaners.lexicon.scripts import ends_sentence, word_units

# One sentence per script ("The museum reopened on Monday after a long renovation." or close),
# and a second, unrelated one ("It will rain in the north tomorrow." or close).
SENTENCES = {
    "Latin (en)": ("The museum reopened on Monday after a long renovation.",
                   "Tomorrow it will rain in the north of the country."),
    "Cyrillic (ru)": ("Музей снова открылся в понедельник после долгого ремонта.",
                      "Завтра на севере страны пройдут дожди."),
    "Greek (el)": ("Το μουσείο άνοιξε ξανά τη Δευτέρα μετά από μακρά ανακαίνιση.",
                   "Αύριο θα βρέξει στα βόρεια της χώρας."),
    "Arabic (ar)": ("أعيد افتتاح المتحف يوم الاثنين بعد تجديد طويل.",
                    "ستمطر غدا في شمال البلاد."),
    "Arabic (ur)": ("طویل تزئین و آرائش کے بعد عجائب گھر پیر کو دوبارہ کھل گیا۔",
                    "کل ملک کے شمال میں بارش ہوگی۔"),
    "Hebrew (he)": ("המוזיאון נפתח מחדש ביום שני לאחר שיפוץ ארוך.",
                    "מחר ירד גשם בצפון הארץ."),
    "Devanagari (hi)": ("लंबे नवीनीकरण के बाद संग्रहालय सोमवार को फिर से खुल गया।",
                        "कल देश के उत्तर में बारिश होगी।"),
    "Bengali (bn)": ("দীর্ঘ সংস্কারের পর সোমবার জাদুঘরটি আবার খুলেছে।",
                     "আগামীকাল দেশের উত্তরে বৃষ্টি হবে।"),
    "Gurmukhi (pa)": ("ਲੰਬੀ ਮੁਰੰਮਤ ਤੋਂ ਬਾਅਦ ਅਜਾਇਬ ਘਰ ਸੋਮਵਾਰ ਨੂੰ ਦੁਬਾਰਾ ਖੁੱਲ੍ਹ ਗਿਆ।",
                      "ਕੱਲ੍ਹ ਦੇਸ਼ ਦੇ ਉੱਤਰ ਵਿੱਚ ਮੀਂਹ ਪਵੇਗਾ।"),
    "Gujarati (gu)": ("લાંબા નવીનીકરણ પછી સંગ્રહાલય સોમવારે ફરી ખુલ્યું.",
                      "આવતીકાલે દેશના ઉત્તરમાં વરસાદ પડશે."),
    "Tamil (ta)": ("நீண்ட புனரமைப்புக்குப் பிறகு அருங்காட்சியகம் திங்கள்கிழமை மீண்டும் திறக்கப்பட்டது.",
                   "நாளை நாட்டின் வடக்கில் மழை பெய்யும்."),
    "Telugu (te)": ("సుదీర్ఘ పునరుద్ధరణ తర్వాత మ్యూజియం సోమవారం తిరిగి తెరుచుకుంది.",
                    "రేపు దేశంలోని ఉత్తర ప్రాంతంలో వర్షం కురుస్తుంది."),
    "Han (zh)": ("博物馆经过长时间的翻修后于周一重新开放。", "明天北方地区将会下雨。"),
    "Japanese (ja)": ("博物館は長い改装工事の後、月曜日に再開した。", "明日は北部で雨が降るでしょう。"),
    "Hangul (ko)": ("박물관은 오랜 보수 공사 끝에 월요일에 다시 문을 열었다.", "내일은 북부 지방에 비가 내리겠다."),
    "Thai (th)": ("พิพิธภัณฑ์เปิดอีกครั้งในวันจันทร์หลังจากการปรับปรุงเป็นเวลานาน",
                  # (Thai marks no sentence end: a short line reads as a headline)
                  "พรุ่งนี้ฝนจะตกหนักทางภาคเหนือและภาคตะวันออกเฉียงเหนือของประเทศ"),
    "Ethiopic (am)": ("ሙዚየሙ ከረጅም እድሳት በኋላ ሰኞ እንደገና ተከፈተ።", "ነገ በሀገሪቱ ሰሜን ዝናብ ይዘንባል።"),
    "Armenian (hy)": ("Թանգարանը վերաբացվեց երկուշաբթի՝ երկար վերանորոգումից հետո։",
                      "Վաղը երկրի հյուսիսում անձրև կտեղա։"),
    "Georgian (ka)": ("მუზეუმი ხანგრძლივი რემონტის შემდეგ ორშაბათს ხელახლა გაიხსნა.",
                      "ხვალ ქვეყნის ჩრდილოეთში წვიმა იქნება."),
}
SCRIPTS = sorted(SENTENCES)


def _clean_text(lines: list[str]):
    return clean(RawPage(url="capture.txt", body="\n".join(lines).encode("utf-8"), kind="text"))


def test_at_least_fifteen_scripts():
    assert len({name.split(" ")[0] for name in SENTENCES}) >= 15


@pytest.mark.parametrize("script", SCRIPTS)
def test_one_sentence_stays_whole(script):
    line = SENTENCES[script][0]
    page = _clean_text([line])
    assert page.text == line
    assert not page.removed


@pytest.mark.parametrize("script", SCRIPTS)
def test_one_phrase_without_full_stop_stays_whole(script):
    """A headline-like line with nothing else is the user's text, not a title to move."""
    line = SENTENCES[script][0].rstrip(".。।۔።։")
    a = analyse([line])
    assert a.body == [line]


@pytest.mark.parametrize("script", SCRIPTS)
def test_few_unrelated_sentences_stay_whole(script):
    other = "Latin (en)" if script != "Latin (en)" else "Greek (el)"
    lines = [SENTENCES[script][1], SENTENCES[other][0], SENTENCES[script][0]]
    page = _clean_text(lines)
    assert page.text.split("\n\n") == lines
    assert not page.removed


def test_sentences_of_every_script_in_one_text_stay_whole():
    lines = [SENTENCES[s][k] for s in SCRIPTS for k in (0, 1)]
    page = _clean_text(lines)
    assert page.text.split("\n\n") == lines


@pytest.mark.parametrize("script", ["Devanagari (hi)", "Arabic (ur)", "Han (zh)", "Ethiopic (am)",
                                    "Armenian (hy)", "Japanese (ja)"])
def test_sentence_ends_of_other_scripts(script):
    assert ends_sentence(SENTENCES[script][0])
    assert not ends_sentence(SENTENCES[script][0][:-1])


def test_words_counted_per_script():
    assert word_units("The museum reopened on Monday.") == 5
    assert 10 <= word_units(SENTENCES["Han (zh)"][0]) <= 16  # 19 Han characters
    assert 8 <= word_units(SENTENCES["Thai (th)"][0]) <= 16  # no spaces at all
    assert word_units(SENTENCES["Hangul (ko)"][0]) == 9  # Korean is spaced


def test_stop_words_counted_in_unspaced_scripts():
    for script in ("Han (zh)", "Japanese (ja)", "Thai (th)"):
        X = line_features([SENTENCES[script][0]], frozenset())
        assert X[0, NAMES.index("stop_density")] > 0, script


# An article without header or footer, in three scripts.
ARTICLES = {
    "en": ["City council approves new budget",
           "The city council approved next year's budget on Tuesday after a four-hour debate.",
           "Most of the new money goes to schools and to repairing roads damaged in the winter storms.",
           "The mayor said the plan keeps taxes flat for the third year in a row.",
           "Opposition members criticised the cuts to the public library's opening hours."],
    "hi": ["नगर परिषद ने नया बजट मंजूर किया",
           "नगर परिषद ने मंगलवार को चार घंटे की बहस के बाद अगले साल का बजट मंजूर कर दिया।",
           "नई राशि का बड़ा हिस्सा स्कूलों और सर्दियों के तूफानों से खराब हुई सड़कों की मरम्मत पर खर्च होगा।",
           "महापौर ने कहा कि इस योजना से लगातार तीसरे साल कर नहीं बढ़ेंगे।"],
    "zh": ["市议会批准新预算",
           "市议会在经过四个小时的辩论后，于周二批准了明年的预算。",
           "新增资金大部分将用于学校以及修复冬季风暴损坏的道路。",
           "市长表示，该计划将连续第三年保持税率不变。"],
}


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_article_without_header_or_footer_stays_whole(lang):
    title, *body = ARTICLES[lang]
    page = _clean_text([title] + body)
    assert page.text.split("\n\n") == body
    assert page.title == title


# --- phrase rules inside prose -------------------------------------------------------------

MENU = ["Home", "News", "Politics", "Business", "Sport", "Culture", "Science", "Travel", "Video",
        "Opinion", "Weather", "Podcasts"]
FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use", "We use cookies to improve your experience.",
          "Accept all cookies", "© 2024 Example News. All rights reserved.", "Share on Facebook"]
PROSE = [
    "The regional court on Thursday ruled on a long dispute between two local newspapers and a software firm.",
    "Judges found that the firm had copied large parts of the papers' archive without asking anyone for permission.",
    "The newspapers said the decision would help small publishers defend their work against larger companies.",
    "An appeal is possible within a month, and the firm said it was studying the ruling with its lawyers.",
]


@pytest.mark.parametrize("sentence", [
    "Under the ruling, any website that uses cookies to follow readers across other sites must now ask for consent first.",
    "The judges noted that copyright in a news archive lasts for decades, all rights reserved or not, and that copying it needs a licence.",
    "Readers who share articles on social media were not affected, the court said, as long as they link to the original page.",
])
def test_phrase_inside_prose_stays(sentence):
    lines = MENU + ["Court rules on newspaper archive", "March 14, 2024"] + PROSE[:2] + [sentence] + PROSE[2:] + FOOTER
    a = analyse(lines)
    assert sentence in a.body
    for widget in ("We use cookies to improve your experience.", "© 2024 Example News. All rights reserved.",
                   "Share on Facebook", "Accept all cookies"):
        assert widget not in a.body


def test_japanese_prose_about_copyright_stays():
    prose = ["著作権の登録は、作品が創作された時点で自動的に発生する権利を公的に記録するための手続きで、多くの国では任意とされています。",
             "登録をしておくと、裁判で権利を主張する際に証拠として役立つため、出版社や作家の間で利用が広がっています。",
             "専門家は、特にインターネット上で作品を公開する場合には、早めに手続きを済ませることを勧めています。"]
    lines = ["ホーム", "ニュース", "社会", "経済", "スポーツ", "文化", "科学", "天気", "動画", "特集", "地域",
             "著作権の登録、利用広がる"] + prose + ["利用規約", "プライバシーポリシー", "Copyright © 2024 Example Inc. All rights reserved."]
    a = analyse(lines)
    assert a.body == prose


# --- the lede after a headline or dateline -------------------------------------------------

@pytest.mark.parametrize("lede", [
    "The regional court on Thursday ruled on a long dispute between two local newspapers and a software firm.",
    "Le tribunal régional a tranché jeudi un long litige entre deux journaux locaux et une société de logiciels.",
    "Региональный суд в четверг вынес решение по давнему спору двух местных газет и компании-разработчика.",
])
def test_lede_after_dateline_stays(lede):
    lines = MENU + ["Court rules on newspaper archive", "By Jane Doe", "March 14, 2024 10:32", lede] + PROSE[1:] + FOOTER
    a = analyse(lines)
    assert a.body[0] == lede
    assert a.body[1:] == PROSE[1:]
    assert a.title == "Court rules on newspaper archive"


# --- lists inside clean text ---------------------------------------------------------------

# Scripts whose two sentences give more than ten words: a list of them, one per line, is a
# longer run of short lines than a menu guard allows above prose.
LIST_SCRIPTS = [s for s in SCRIPTS if len(" ".join(SENTENCES[s]).split()) > 10]


@pytest.mark.parametrize("script", LIST_SCRIPTS)
def test_list_after_prose_stays_whole(script):
    """A run of one-word lines (tags, specs, an index) after the text is the text's, not a menu."""
    items = [w.strip(".,。।۔።։") for w in " ".join(SENTENCES[script]).split()]
    lines = [SENTENCES[script][0], SENTENCES[script][1]] + items
    page = _clean_text(lines)
    assert page.text.split("\n\n") == lines
    assert not page.removed


def test_menu_above_prose_is_still_a_menu():
    menu = [w.strip(".,") for w in " ".join(SENTENCES["Latin (en)"]).split()]
    a = analyse(menu + PROSE)
    assert a.body == PROSE


def test_dated_list_stays_whole():
    """Many dated lines in a clean text are a list's entries: they date the page and stay."""
    entries = [("[Kernel] Posted Mar 7, 2026 20:52 UTC (Sat) by corbet",
                "The scheduler rework landed in the mainline kernel this week after two years of review."),
               ("[Security] Posted Mar 5, 2026 19:21 UTC (Thu) by jzb",
                "Two flaws in the image library were fixed, and distributions are shipping updates."),
               ("[Front] Posted Mar 2, 2026 15:28 UTC (Mon) by jzb",
                "This week's edition covers the new release, a packaging debate and a conference report.")]
    lines = [line for entry in entries for line in entry]
    page = _clean_text(lines)
    assert page.text.split("\n\n") == lines
    assert page.published


@pytest.mark.parametrize("field", ["$79.00", "Add to cart", "In stock"])
def test_repeated_list_field_is_never_the_title(field):
    lines = [field, "Blue wool scarf with long fringes.", field, "Red cotton scarf for the summer.",
             field, "Green silk scarf, hand made in Italy."]
    page = _clean_text(lines)
    assert page.title != field
    assert page.text.split("\n\n") == lines


@pytest.mark.parametrize("fragment", ["(such as the library's opening hours) that the council had promised to keep",
                                      "- Incl. a new bus line, two bridges and a cycle path along the river",
                                      "for the third year in a row, and the opposition voted against it"])
def test_continuation_line_is_never_the_title(fragment):
    """Hard-wrapped text and list items open with a lower-case word, a bracket or a dash."""
    lines = [fragment] + ARTICLES["en"][1:]
    page = _clean_text(lines)
    assert page.title is None
    assert page.text.split("\n\n") == lines


# --- a raised threshold per page never cuts the body ----------------------------------------

def _mixed_articles(seed: int = 1, pages: int = 60):
    """Article captures of 27 lines: menu, headline, dateline, five paragraphs of three
    sentences of mixed scripts (their lines score unevenly), footer."""
    rng = random.Random(seed)
    sentences = [s for pair in SENTENCES.values() for s in pair]
    for _ in range(pages):
        paras = [" ".join(rng.sample(sentences, 3)) for _ in range(5)]
        yield MENU + ["Museum reopens after renovation", "March 14, 2024"] + paras + FOOTER, paras


def test_mixed_script_articles_keep_their_paragraphs():
    results = [(paras, analyse(lines).body) for lines, paras in _mixed_articles()]
    whole = sum(all(p in body for p in paras) for paras, body in results)
    assert whole >= len(results) - 1  # the threshold per page alone, without the body run: 47
    assert all(paras[0] in body for paras, body in results)
