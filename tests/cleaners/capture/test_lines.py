"""The capture line classifier on any list of lines: menus, clean text, characters kept."""
from __future__ import annotations

from deboil.cleaners import RawPage, clean
from deboil.cleaners.capture.lines import analyse, classify_lines


def test_classify_lines_on_any_line_list():
    lines = ["Menu", "Home", "Politics", "Sport", "Share this article",
             "The minister announced on Tuesday that the new rail line will open next spring, "
             "two years later than planned.",
             "Construction was delayed by a shortage of steel and by a dispute with the main "
             "contractor over the cost of the tunnels.",
             "Passengers will be able to travel between the two cities in under an hour, the "
             "ministry said in a statement.",
             "© 2020 Example News. All rights reserved."]
    out = classify_lines(lines)
    assert [line for line, reason in out if reason is None] == lines[5:8]
    reasons = dict(out)
    assert reasons["Share this article"] == "share"
    assert reasons["© 2020 Example News. All rights reserved."] == "copyright"


def test_clean_text_is_untouched():
    text = ("Die Bundesregierung hat am Mittwoch ein neues Klimapaket beschlossen.\n"
            "Es sieht vor, dass der Ausstoß von Treibhausgasen bis 2030 deutlich sinkt.\n"
            "Kritiker halten die Maßnahmen für zu schwach und fordern einen höheren CO2-Preis.\n"
            "Die Opposition kündigte an, im Bundestag dagegen zu stimmen.")
    page = clean(RawPage(url="x", body=text.encode(), kind="text"))
    assert page.text.split("\n\n") == text.split("\n")
    assert not page.removed


def test_menu_run_is_not_clean_text():
    """Few known phrases but a long run of one-word lines (a menu the phrase lists miss)."""
    menu = ["Новости", "Мода", "Красота", "Стиль", "Здоровье", "Диеты", "Спорт", "Тренды",
            "Гардероб", "Звезды", "Лайфхаки", "Выбор"]
    body = ["Правительство в среду утвердило новый пакет мер по поддержке малого бизнеса в регионах.",
            "По словам министра, программа начнет работать уже в начале следующего года и охватит тысячи компаний."]
    a = analyse(menu + body)
    assert a.body == body


def test_analyse_keeps_characters_as_they_are():
    line = ("On December 10, two convoys transporting equipment for troops fighting\xa0militants "
            "were targeted with roadside bombs, officials said on Friday.")
    a = analyse([line, line.replace("10", "12")])
    assert a.body[0] == line


class _LongLinesOnly:
    """A stand-in classifier: keeps the lines of at least 8 word units."""

    def keep(self, X):
        import numpy as np
        from deboil.cleaners.capture.line_features import NAMES
        return np.expm1(X[:, NAMES.index("log_units")]) >= 8


_MENU = ["Home", "About", "Download", "Documentation", "Community", "Developers", "Support", "Donate",
         "Your account", "Search", "Blog", "Events"]
_SPLIT = ["The database returns the rows of a table in no particular order unless asked.",
          "SELECT",
          "reads rows from the tables named in its",
          "FROM",
          "clause, and the optional",
          "WHERE",
          "clause keeps only the rows for which its condition holds, in any order.",
          "Limits and offsets are applied after sorting, so a page of results is stable."]


def test_sentence_split_at_inline_code_is_kept_whole():
    """Text broken at inline elements: each fragment continues the line above (no sentence
    end there; a lower-case or punctuation opening here). A chain holding a kept line keeps
    the fragments the classifier dropped, menu lines above stay dropped."""
    a = analyse(_MENU + _SPLIT, model=_LongLinesOnly())
    assert a.body == _SPLIT
    assert all(r is not None for r in a.reasons[:len(_MENU)])


def test_fragments_without_a_kept_line_stay_dropped():
    fragments = ["SELECT", "reads rows from", "FROM", "clause and", "WHERE"]
    a = analyse(_MENU + [_SPLIT[0]] + fragments + [_SPLIT[-1]], model=_LongLinesOnly())
    assert a.body == [_SPLIT[0], _SPLIT[-1]]


def test_a_sentence_end_or_capital_opening_breaks_the_chain():
    lines = ["Menu item one", "Menu item two", "The first sentence of the text ends here as usual.",
             "Other", "lower-case line after a capitalised one"]
    reasons = [None] * len(lines)
    keep = [False, False, True, False, False]
    from deboil.cleaners.capture.lines import _keep_split_sentences
    _keep_split_sentences(lines, reasons, keep)
    assert keep == [False, False, True, False, False]  # "Other" opens upper case after a sentence end
    reasons[3] = "nav"  # a rule's drop is never taken back
    keep = [False, False, True, False, True]
    _keep_split_sentences(["A b c", "d e f", lines[2], "Other", "lower"], reasons, keep)
    assert keep == [False, False, True, False, True]


def test_list_items_ending_a_clause_are_not_fragments():
    """A lead-in ending with ":" and items ending with ";" are a list's, not a split sentence."""
    from deboil.cleaners.capture.lines import _keep_split_sentences
    lines = ["A comment is removed when it does any of the following:", "insults other users;",
             "advertises goods or services;", "breaks the law of the country it is posted from."]
    keep = [True, False, False, True]
    _keep_split_sentences(lines, [None] * 4, keep)
    assert keep == [True, False, False, True]
