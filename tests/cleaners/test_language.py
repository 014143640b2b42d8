"""Language identification: page language, paragraph shares, und on short text."""
from __future__ import annotations

import pytest

from deboil.cleaners.language import detect_language, identify, page_languages
from deboil.models import CleanPage, Context
from tests.support.bench_data import LANGUAGES, language_dir, language_lines


def run(text: str) -> CleanPage:
    return detect_language(CleanPage(url="x", text=text), Context())


@pytest.mark.shared
@pytest.mark.parametrize("lang", LANGUAGES)
def test_three_sentence_documents(lang):
    lines = language_lines("sentences", lang)
    docs = [" ".join(lines[i:i + 3]) for i in range(0, 60, 3)]
    right = sum(identify(d)[0] == lang for d in docs)
    assert right >= len(docs) - 1


@pytest.mark.shared
def test_sentence_accuracy_sample():
    total = right = 0
    for lang in LANGUAGES:
        for line in language_lines("sentences", lang)[1::10]:  # every tenth, odd lines
            total += 1
            right += identify(line)[0] == lang
    assert right / total >= 0.98


@pytest.mark.shared
def test_word_pairs_right_or_und():
    total = wrong = 0
    for lang in LANGUAGES:
        for pair in language_lines("word-pairs", lang)[::5]:
            total += 1
            got = identify(pair)[0]
            wrong += got not in (lang, "und")
    assert wrong / total <= 0.05


@pytest.mark.parametrize("text", ["", "  ", "ok", "12:30", "!!!", "a b", "😀😀"])
def test_und_on_text_too_short(text):
    page = run(text)
    assert page.lang == "und" and page.lang_confidence < 0.5 and page.langs == {}


@pytest.mark.shared
def test_zh_normalised():
    for line in language_lines("sentences", "zh")[:20]:
        assert identify(line)[0] == "zh"
    assert run(language_lines("sentences", "zh")[0]).lang == "zh"


@pytest.mark.shared
def test_norwegian_is_nb():
    assert sum(identify(s)[0] == "nb" for s in language_lines("sentences", "nb")[:30]) >= 27


@pytest.mark.shared
def test_mixed_language_page_reports_shares():
    en = language_lines("sentences", "en")
    ru = language_lines("sentences", "ru")
    paras = [" ".join(en[i:i + 3]) for i in range(0, 24, 3)] + [" ".join(ru[:3])]
    page = run("\n\n".join(paras))
    assert page.lang == "en" and page.lang_confidence > 0.9
    assert set(page.langs) == {"en", "ru"}
    assert 0.05 < page.langs["ru"] < 0.3 and abs(sum(page.langs.values()) - 1) < 0.01


@pytest.mark.shared
def test_single_language_page():
    de = language_lines("sentences", "de")
    page = run("\n\n".join(" ".join(de[i:i + 3]) for i in range(0, 30, 3)))
    assert page.lang == "de" and page.langs == {"de": 1.0}


@pytest.mark.parametrize("text", [None, "\x00\x01", "ﷺ" * 50, "<html>" * 100, "1 2 3 " * 500])
def test_never_raises(text):
    page = run(text)  # None is not text: still no exception
    assert isinstance(page.lang, str)


@pytest.mark.shared
def test_same_script_minority_counted_exactly_once_seen():
    en = language_lines("sentences", "en")
    fr = language_lines("sentences", "fr")
    paras = [" ".join(en[i:i + 3]) for i in range(0, 36, 3)] + [" ".join(fr[:3])]
    paras += [" ".join(en[40 + i:43 + i]) for i in range(0, 18, 3)]
    lang, _, shares = page_languages("\n\n".join(paras))
    assert lang == "en" and set(shares) == {"en", "fr"}
    assert 0.03 < shares["fr"] < 0.1  # its real share of letters, not the sample's 1/6


@pytest.mark.shared
def test_the_bench_holds_the_languages_tested():
    # LANGUAGES is written out so that a run without the data collects the same tests
    for kind in ("sentences", "word-pairs"):
        assert sorted(p.stem for p in (language_dir() / kind).glob("*.txt")) == list(LANGUAGES)


def test_letters_counted_as_the_regexes_count_them():
    import random
    import re

    from deboil.cleaners.language import _letters

    non_letters = re.compile(r"[\W\d_]+")
    dense = re.compile(r"[\u0e00-\u0e7f\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]+")

    def reference(text: str) -> int:
        n = len(text) - sum(map(len, non_letters.findall(text)))
        return n + 2 * sum(map(len, dense.findall(text)))

    rng = random.Random(7)
    alphabet = ("abcXYZ 09_-.,\n\t\u00e9\u00df\u2019\u201c\u00a0\u0660\u0669\u0431\u0416\u4e2d\u6587"
                "\u0e01\u0e31\uac00\ud7a3\uff21\uff10\u0301\u02bc\u2160\U0001d400\U0001f600\ud800\udfff")
    texts = ["", "plain ascii only", "caf\u00e9 \u201cquoted\u201d", "\ud800 lone", "\u4e2d\u6587 and \u0e44\u0e17\u0e22"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))) for _ in range(3000)]
    for text in texts:
        assert _letters(text) == reference(text), repr(text)
