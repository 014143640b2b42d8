"""Few-line clean texts stay whole (invariant 1 of test_invariants.py), in the cases that
once lost a line: a first line that reads like a headline but says nothing of the text under
it, a sentence that holds a date, a dateline between two sentences.

tests/data/few_lines/five_line_captures.json: the five-line captures of `python -m bench
capture_short` (five consecutive sentences of ../shared/bench/language/sentences, Apache 2.0,
one a line) that lost a line, with the reason they lost it.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from deboil.cleaners import RawPage, clean
from deboil.cleaners.capture.lines import analyse
from deboil.cleaners.capture.topic import speaks_of
from tests.cleaners.capture.test_invariants import ARTICLES, SCRIPTS, SENTENCES

FIVE_LINES = json.loads((Path(__file__).parents[2] / "data" / "few_lines" / "five_line_captures.json")
                        .read_text(encoding="utf-8"))


def _clean_text(lines: list[str]):
    return clean(RawPage(url="capture.txt", body="\n".join(lines).encode("utf-8"), kind="text"))


@pytest.mark.parametrize("case", FIVE_LINES, ids=lambda c: f"{c['lang']}-{'+'.join(c['removed_before'])}")
def test_five_line_capture_stays_whole(case):
    page = _clean_text(case["lines"])
    assert not page.removed
    assert len(page.text.split("\n\n")) == 5


def test_five_line_cases_cover_titles_and_dates():
    causes = {r for c in FIVE_LINES for r in c["removed_before"]}
    assert {"title", "headline", "date"} <= causes
    assert len({c["lang"] for c in FIVE_LINES}) >= 15


def _phrase(script: str) -> str:
    """The opening words of the script's first sentence: they read like a headline."""
    sentence = SENTENCES[script][0].rstrip(".。।۔።։")
    words = sentence.split()
    return " ".join(words[:4]) if len(words) >= 4 else sentence[:12]


def _others(script: str) -> list[str]:
    return [SENTENCES[s][1] for s in SCRIPTS if s != script][:3]


@pytest.mark.parametrize("script", SCRIPTS)
def test_unrelated_first_line_is_not_a_title(script):
    """(Before the topic check the line went to the title in every script but Georgian.)"""
    lines = [_phrase(script)] + _others(script)
    a = analyse(lines)
    assert a.title is None
    assert a.body == lines


# (Georgian's four words are not taken for a headline at all.)
@pytest.mark.parametrize("script", [s for s in SCRIPTS if s != "Georgian (ka)"])
def test_first_line_that_speaks_of_the_text_is_its_title(script):
    """The same line over a sentence that repeats its words is a headline."""
    lines = [_phrase(script), SENTENCES[script][0]] + _others(script)
    a = analyse(lines)
    assert a.title == lines[0]
    assert a.body == lines[1:]


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_article_headlines_speak_of_their_text(lang):
    title, *body = ARTICLES[lang]
    assert speaks_of(title, body, frozenset())
    assert not speaks_of(title, [ARTICLES[other][1] for other in ARTICLES if other != lang], frozenset())


def test_words_with_vowel_signs_and_particles_match():
    # Devanagari vowel signs are marks, not letters; Korean particles glue onto the noun.
    assert speaks_of("परिषद का फैसला", ["नगर परिषद ने बजट मंजूर किया।"], frozenset())
    assert speaks_of("박물관 재개장", ["박물관은 월요일에 다시 문을 열었다."], frozenset())
    assert not speaks_of("the and with", ["the and with them."], frozenset({"the", "and", "with"}))


SENTENCE_WITH_DATE = "Consiglio 16 gennaio 2013, pomeriggio in aula."


def test_sentence_holding_a_date_stays_text():
    lines = [SENTENCES["Latin (en)"][0], SENTENCE_WITH_DATE, SENTENCES["Greek (el)"][0]]
    page = _clean_text(lines)
    assert page.text.split("\n\n") == lines
    assert not page.removed


def test_dateline_between_sentences_stays_text_and_dates_the_text():
    lines = [SENTENCES["Hangul (ko)"][0], "입력: 2007년 07월 08일 20:47:37", SENTENCES["Hangul (ko)"][1]]
    a = analyse(lines)
    assert a.body == lines
    assert a.published and a.published.startswith("2007-07-08")


def test_dateline_under_a_headline_still_moves_to_published():
    title, *body = ARTICLES["en"]
    a = analyse([title, "Published: 12 March 2024"] + body)
    assert a.title == title
    assert a.body == body
    assert a.published and a.published.startswith("2024-03-12")


# The sentences of the two five-line captures a phrase rule named (copyright, caption), now
# kept by `phrases_in_prose` between two kept sentences of a clean text.
PHRASE_SENTENCES = {c["lang"]: c for c in FIVE_LINES if c["removed_before"][0] in ("copyright", "caption")}
_BODY = ["The council met on Tuesday to vote on the new budget for the coming year.",
         "Most members backed the plan after a long debate about the cost of the bridge.",
         "The work on the piers should start in the spring, the mayor said."]


@pytest.mark.parametrize("lang", ["ca", "sl"])
def test_phrase_sentence_between_sentences_of_clean_text_kept(lang):
    lines = PHRASE_SENTENCES[lang]["lines"]
    a = analyse(lines)
    assert a.body == lines
    assert a.reasons == [None] * 5


def test_phrase_lines_outside_a_run_of_sentences_still_removed():
    # after the text (a footer's notice), opening like a notice, not a sentence: still named
    for lines, gone, reason in (([*_BODY, "Todos los derechos reservados."], 3, "copyright"),
                                ([_BODY[0], "All rights reserved.", *_BODY[1:]], 1, "copyright"),
                                ([_BODY[0], "Foto: EPA", *_BODY[1:]], 1, "caption")):
        a = analyse(lines)
        assert a.reasons[gone] == reason
        assert lines[gone] not in a.body


def test_phrase_sentence_between_sentences_of_a_page_with_menus_still_removed():
    # outside clean text the lines it would spare were clutter ("Read More: ...")
    menu = ["Home", "News", "Sport", "Culture", "Weather", "Travel", "Video", "Audio", "Live",
            "Opinion", "Search", "Sign in"]
    lines = [*menu, _BODY[0], "Todos los derechos reservados.", *_BODY[1:]]
    a = analyse(lines)
    assert a.reasons[len(menu) + 1] == "copyright"
    assert _BODY[0] in a.body and _BODY[1] in a.body
