"""Boilerplate phrases in many languages, and prose that only looks like them."""
from __future__ import annotations

import pytest

from deboil.cleaners.capture.template import normalise_line, normalise_lines
from deboil.cleaners.lexicon.boilerplate import boilerplate_reason, boilerplate_reasons
from tests.support import samples


@pytest.mark.parametrize("line,reason", [
    ("Share this story", "share"), ("Teilen", "share"), ("Partager sur Facebook", "share"),
    ("Поделиться", "share"), ("Compartir", "share"), ("Get short URL", "share"),
    ("Think your friends would be interested? Share this story!", "share"),
    ("This website uses cookies. Read our privacy policy to find out more.", "cookie"),
    ("Diese Website verwendet Cookies, um Ihnen ein besseres Erlebnis zu bieten.", "cookie"),
    ("Nous utilisons des cookies pour améliorer votre expérience.", "cookie"),
    ("Accept cookies", "cookie"), ("Alle akzeptieren", "cookie"),
    ("Home", "nav"), ("Startseite", "nav"), ("Accueil", "nav"), ("Главная", "nav"), ("Inicio", "nav"),
    ("Skip to content", "nav"), ("Zum Inhalt springen", "nav"),
    ("Previous Israel's ability to attack Iran is vital for other reasons than you know", "nav"),
    ("Source link", "nav"),
    ("Similar articles", "related"), ("Читайте также", "related"), ("Lesen Sie auch", "related"),
    ("À lire aussi", "related"), ("Leia também", "related"), ("You may also like", "related"),
    ("Also on example.com Officials draw down staff amid security concerns", "related"),
    ("© 2019 Example Media. All rights reserved.", "copyright"),
    ("Alle Rechte vorbehalten.", "copyright"), ("Tous droits réservés", "copyright"),
    ("Все права защищены", "copyright"), ("Todos los derechos reservados.", "copyright"),
    ("Leave a reply", "comment-form"), ("No Comment", "comment-form"), ("Kommentare (3)", "comment-form"),
    ("Your email address will not be published. Required fields are marked *", "comment-form"),
    ("Laisser un commentaire", "comment-form"), ("Оставить комментарий", "comment-form"),
    ("Sign in", "login"), ("Anmelden", "login"), ("Se connecter", "login"), ("Войти", "login"),
    ("Download our app", "app-promo"), ("RT News App", "app-promo"), ("Podcasts", "app-promo"),
    ("Sign up for our daily newsletter", "newsletter"), ("Newsletter abonnieren", "newsletter"),
    ("العربيةespрусdefr", "lang-switcher"), ("English | Deutsch | Français", "lang-switcher"),
    ("FILE PHOTO: The embassy in the capital. © Reuters / Photographer", "caption"),
    ("Foto: dpa", "caption"),
    ("icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon", "icons"),
    ("Most Popular Videos", "related"), ("Trending Stories", "related"),
    ("Like this story? Share it with a friend!", "share"), ("Subscribe Sign In", "login"),
    ("To Read the Full Story", "login"),
])
def test_boilerplate_phrases(line, reason):
    assert boilerplate_reason(line) == reason


@pytest.mark.parametrize("line", [
    "The company said it would share the data with regulators next week, officials said.",
    "Sie teilen die Kosten für den Ausbau der Strecke, sagte der Bürgermeister am Montag.",
    "Le gouvernement a annoncé que les cookies tiers seront interdits dans toute l'Union "
    "européenne à partir de l'année prochaine, selon un communiqué publié mardi soir par le "
    "ministère qui précise les modalités de cette interdiction et les sanctions encourues.",
    "Next week the council will vote on the budget.",
    "Home prices rose 4% in October, the fastest pace in a year.",
    "He signed in at the front desk before the meeting began, according to the logs.",
    "She wanted to share it with a friend who had been ill for a long time, so she did.",
])
def test_prose_is_not_boilerplate(line):
    assert boilerplate_reason(line) is None


def test_page_at_once_equals_line_by_line():
    for path in sorted(samples.DIR.rglob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert boilerplate_reasons(lines) == [boilerplate_reason(line) for line in lines]
        assert normalise_lines(lines) == [normalise_line(line) for line in lines]


def assert_folds_like_ascii_lowercase(pattern: str) -> None:
    """Matching lower-cased ASCII lines case-sensitively equals matching them ignoring case
    while no letter of the pattern (escapes aside) is upper case and no non-ASCII character
    of it matches an ASCII one ignoring case (as the dotless ı matches "i")."""
    import re

    literal = re.sub(r"\\.", "", pattern)
    assert literal == literal.lower()
    ascii_chars = [chr(c) for c in range(128)]
    assert not [c for c in set(pattern) if not c.isascii()
                and any(re.fullmatch(re.escape(c), a, re.I) for a in ascii_chars)]


def test_whole_line_rules_match_ascii_lines_the_same_without_ignorecase():
    """ASCII lines are lower-cased and matched case-sensitively (faster): that is the same
    match only while no phrase letter is upper case and no non-ASCII phrase letter matches
    an ASCII letter ignoring case (as the dotless ı matches "i")."""
    import re

    from deboil.cleaners.lexicon import boilerplate as bp

    assert_folds_like_ascii_lowercase(re.sub(r"\(\?P<\w+>", "", bp._WHOLE_RX.pattern))
    for line in ("SHARE THIS", "Leave a Reply", "Sign In / Register", "Facebook, Twitter, Email",
                 "» Read More (12)", "Home", "A line of prose about sharing."):
        m, fast = bp._WHOLE_RX.match(line), bp._WHOLE_ASCII_RX.match(line.lower())
        assert (m and (m.lastgroup, m.span())) == (fast and (fast.lastgroup, fast.span()))
    assert boilerplate_reason("SHARE THIS") == "share" and boilerplate_reason("Leave a Reply") == "comment-form"


def test_page_normalisation_collapses_every_kind_of_space_like_one_line():
    lines = ["  Tab\there  ", "no\u00a0break  and\u2003em", "x\x1cy\rz\x0bw", "\u3000wide\u3000 ", "", "2024  Copyright"]
    assert normalise_lines(lines) == [normalise_line(line) for line in lines]
    assert normalise_lines(lines)[0] == "tab here"


def test_language_switcher_matches_ascii_lines_the_same_without_ignorecase():
    """_rule_reason matches lower-cased ASCII lines case-sensitively against the language
    switcher too: the same conditions as the whole-line rules."""
    from deboil.cleaners.lexicon import boilerplate as bp

    assert_folds_like_ascii_lowercase(bp._LANG_SWITCH.pattern)
    for line in ("English | Deutsch | FRANÇAIS", "EN DE FR", "English (UK) / Español", "Deutsch",
                 "English and more", "EN"):
        m, fast = bp._LANG_SWITCH.match(line), bp._LANG_SWITCH_ASCII.match(line.lower())
        assert (m and m.span()) == (fast and fast.span())
    assert boilerplate_reason("EN | DE | FR") == "lang-switcher"


def test_prev_next_matches_ascii_lines_the_same_without_ignorecase():
    from deboil.cleaners.lexicon import boilerplate as bp

    assert_folds_like_ascii_lowercase(bp._PREV_NEXT.pattern)
    lines = ["PREVIOUS POST: How we built it", "Next Article » The budget vote", "Older posts",
             "Next week the council will vote.", "previous", "NEXT STORY | Floods in the north"]
    for path in sorted(samples.DIR.rglob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.isascii()]
    hits = 0
    for line in lines:
        m, fast = bp._PREV_NEXT.match(line), bp._PREV_NEXT_ASCII.match(line.lower())
        assert (m and m.span()) == (fast and fast.span())
        hits += m is not None
    assert hits >= 3


def test_ascii_page_normalisation_skips_the_collapse_only_when_single_spaced():
    import random

    rng = random.Random(13)
    alphabet = ["Home", "news", "2024", " ", "  ", "\t", "\x1f", "x"]
    for _ in range(500):
        lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 5))]
        for page in (lines, [line.strip() for line in lines]):
            assert normalise_lines(page) == [normalise_line(line) for line in page], page


def test_normalise_lines_with_repeats_equals_line_by_line():
    lines = ["Home", "  News 24 ", "Home", "HOME", "Ａ full-width", "News 25", "Home"]
    assert normalise_lines(lines) == [normalise_line(line) for line in lines]
    assert normalise_lines(lines)[1] == normalise_lines(lines)[5] == "news 0"


def test_anywhere_rules_match_ascii_lines_the_same_without_ignorecase():
    """boilerplate_reasons searches lower-cased ASCII lines case-sensitively for the ANYWHERE
    phrases: the same match while no phrase letter is upper case and every non-ASCII letter
    that matches an ASCII one ignoring case (the dotless ı) has that letter beside it."""
    import re

    from deboil.cleaners.lexicon import boilerplate as bp
    from deboil.cleaners.lexicon.scripts import ASCII_FOLDS

    pattern = re.sub(r"\(\?P<\w+>", "", bp._ANY_RX.pattern)
    literal = re.sub(r"\\.", "", pattern)
    assert literal == literal.lower()
    lower_ascii = [chr(c) for c in range(128) if chr(c) == chr(c).lower()]
    folds = {c: [a for a in lower_ascii if re.fullmatch(re.escape(c), a, re.I)]
             for c in set(pattern) if not c.isascii()}
    folds = {c: found for c, found in folds.items() if found}
    assert folds == {"ı": ["i"]}
    assert all(ASCII_FOLDS[c] == f"[{c}{''.join(found)}]" for c, found in folds.items())
    lines = ["All Rights Reserved 2024", "WE USE COOKIES to improve", "Photo: Getty Images",
             "Read More: the story", "Copyright (C) Example", "Nothing to see here", "haklari saklidir"]
    for path in sorted(samples.DIR.rglob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.isascii()]
    hits = 0
    for line in lines:
        m, fast = bp._ANY_RX.search(line), bp._any_match(line, line.lower())
        assert (m and (m.lastgroup, m.span())) == (fast and (fast.lastgroup, fast.span()))
        hits += m is not None
    assert hits >= 5
    assert bp._ANY_ASCII_RX.search("tum hakları saklıdır") is None  # ü missing: no match
    assert bp._ANY_ASCII_RX.search("tüm haklari saklidir")  # the fold lets i stand for ı


def test_trigger_scan_skips_only_triggers_the_page_cannot_hold():
    from deboil.cleaners.lexicon import boilerplate as bp

    texts = ["Все права защищены", "We use cookies", "Menu", "版权所有", "plain words"]
    expected = {k for k, t in enumerate(texts) if any(trigger in t.lower() for trigger in bp._TRIGGER_SET)}
    assert bp._candidate_lines(texts) == expected == {0, 1, 3}


def test_whole_line_rules_routed_by_first_letter_match_as_the_full_regex():
    """ASCII lines opening with a word character are matched against only the phrases that
    can start with that character: the same match (reason and span) as the full regex."""
    import re

    from deboil.cleaners.lexicon import boilerplate as bp

    assert bp._split_alternatives(r"a(?:b|c)|[|\]]x|d\|e|f") == ["a(?:b|c)", r"[|\]]x", r"d\|e", "f"]
    assert [bp._first_letter(a) for a in ("share", "e-?mail", "a?b", "(?:x)", r"\w+", "x*", "x{0,2}", "кот")] == [
        "s", "e", None, None, None, None, None, "к"]
    lines = ["Share this", "Leave a Reply", "Sign In / Register", "Facebook, Twitter, Email", "Read More (12)",
             "Home", "All news", "More from Reuters", "_menu", "9 comments", "Xyz", "Tags:", "privacy policy.",
             "Next", "Accept all cookies", "Download the app", "Most read", "share on twitter now please"]
    for _, _, alts in bp._WHOLE_PHRASES:  # every plain phrase, as a line and with more around it
        for a in alts:
            if re.fullmatch(r"[a-z0-9' ]+", a):
                lines += [a, a.upper(), a + " (3)", a + " and more", "x" + a]
    for path in sorted(samples.DIR.rglob("*.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()
    hits = 0
    for line in (line.strip().lower() for line in lines if line.isascii()):
        m, routed = bp._WHOLE_ASCII_RX.match(line), bp._whole_ascii_match(line)
        assert (m and (m.lastgroup, m.span())) == (routed and (routed.lastgroup, routed.span())), line
        hits += m is not None
    assert hits > 200
    assert bp._WHOLE_BY_FIRST["s"].pattern.count("|") < bp._WHOLE_ASCII_RX.pattern.count("|") / 3


def test_normalise_lines_mixing_ascii_and_other_lines_equals_line_by_line():
    lines = ["Home 24", "Ünïcode  ２０２４ Line", "two\nlines 7", "Ｆull-width", "  Tab\there 3 ", "Home 24",
             "ﬁne ligature", "x\ny", "Plain", "Straße", "ascii\nnewline 5"]
    assert sum("\n" in line for line in lines) == 3
    assert normalise_lines(lines) == [normalise_line(line) for line in lines]
    assert normalise_lines(["Ａ 12", "A 3"]) == ["a 0", "a 0"]


def test_candidate_lines_are_the_lines_holding_a_trigger():
    """The trigram table only skips searches for triggers that cannot be on the page."""
    import random

    from deboil.cleaners.lexicon import boilerplate as bp

    rng = random.Random(17)
    pieces = list(bp._ANY_TRIGGERS) + ["the", "Cookie", "COPYRIGHT", "rig", "ht", "©", "(c", "c)", "e-", "mail",
                                       "Привет", "中文", "\ud800", " ", "\n", "READ", "also"]
    for _ in range(400):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(0, 12))]
        lows = [line.lower() for line in lines]
        expected = {k for k, low in enumerate(lows) if any(t in low for t in bp._ANY_TRIGGERS)}
        assert bp._candidate_lines(lines) == expected, lines
