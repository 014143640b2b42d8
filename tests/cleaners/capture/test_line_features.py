"""Per-line counts: the cheaper paths for ASCII lines count what the general ones count."""
from __future__ import annotations

import re

from deboil.cleaners.capture import line_features as lf
from deboil.cleaners.lexicon.scripts import ascii_word_counts, word_counts

_LINES = [
    "Visit https://Example.COM/news or WWW.SITE.ORG today.", "Mail me@host.de, #tag", "HTTP://X.RU/",
    "Home | News / Sport > Football", "A plain sentence, with commas, and no links.", "Read more at BBC.co.uk",
    "file.txt/ and data.CSV/ paths", "2 DAYS AGO", "",
]


def test_linklike_ascii_lines_lower_cased_match_the_same():
    # Lower-cased ASCII text matched case-sensitively finds what IGNORECASE finds, while the
    # pattern's letters are lower case and none of its characters is non-ASCII.
    pattern = lf._LINKLIKE.pattern
    literal = re.sub(r"\\.", "", pattern)
    assert literal == literal.lower() and pattern.isascii()
    for line in _LINES:
        assert len(lf._LINKLIKE.findall(line)) == len(lf._LINKLIKE_LOWER.findall(line.lower()))
    assert len(lf._LINKLIKE_LOWER.findall(_LINES[0].lower())) == 4  # https:// .com/ www. .org


def test_ascii_separators_are_the_ascii_part_of_the_class():
    ascii_seps = "".join(chr(c) for c in range(128) if lf._SEPARATORS.match(chr(c)))
    assert sorted(ascii_seps) == sorted(lf._ASCII_SEPARATORS)
    assert lf._counts("Home | News / Sport > Football", frozenset())[13] == 3


def test_ascii_word_counts_equal_word_counts():
    stop = frozenset({"a", "with", "and", "no"})
    for line in _LINES:
        assert ascii_word_counts(line.lower(), stop) == word_counts(line, stop)


def _ascii_lines() -> list[str]:
    from tests.support import samples

    lines = _LINES + ["".join(map(chr, range(128))), "snake_case x__y 3rd-party don't\x1c\x1fa\x0bb",
                      "a{b}c;d=e f() g(x)", "(not code) x (y)"]
    for path in sorted(samples.DIR.rglob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.isascii()]
    return lines


def test_ascii_tokens_are_the_regex_tokens():
    from deboil.cleaners.lexicon.scripts import _TOKEN, ascii_tokens, word_units

    lines = _ascii_lines()
    for line in lines:
        assert ascii_tokens(line) == _TOKEN.findall(line)
        assert word_units(line) == float(len(_TOKEN.findall(line)))
    assert ascii_tokens("snake_case x__y 3rd-party don't") == ["snake_case", "x__y", "3rd", "party", "don", "t"]
    stop = frozenset({"the", "a", "of", "and", "to", "in"})
    for line in lines:  # the per-token regex count, as the capture step first counted it
        toks = _TOKEN.findall(line.lower())
        assert ascii_word_counts(line.lower(), stop) == (len(toks), float(len(toks)), 0,
                                                         float(sum(t in stop for t in toks)))


def test_code_chars_by_substrings_equal_the_regex():
    for line in _ascii_lines() + ["Zeichen ＝ {ü}", "名前();"]:
        assert lf._has_code_chars(line) == (lf._CODE_CHARS.search(line) is not None)
    assert lf._has_code_chars("f()") and not lf._has_code_chars("f (x)")


def test_ascii_shape_gives_what_the_regexes_find():
    import random

    rng = random.Random(7)
    alphabet = "aZ9_'- .,|x-Q0'"
    lines = _ascii_lines() + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    lines += ["3rd Party-Friendly Guide", "'Quoted' _under --dash", "The Art of War 2", "9to5Mac and Co"]
    lines += ["HomeWorld News", "aBcD", "xyZa", "WASHINGTON - Officials said", "in NEW DELHI: today", "ABC"]
    assert all(line.isascii() for line in lines)
    camels = inner = 0
    for line in lines:
        shape = lf._ascii_shape(line)
        assert lf._ascii_word_shape(shape) == lf._word_shape(line), line
        camel = lf._CAMEL_GLUE.search(line) is not None
        assert camel == ("aaAa" in shape)
        dateline = lf._INNER_DATELINE.search(line) is not None
        assert not dateline or "AAA" in shape
        camels, inner = camels + camel, inner + dateline
    assert camels and inner
    assert lf._ascii_word_shape(lf._ascii_shape("3rd Party of the World Cup")) == (6, 3, 3, 1)


def _word_counts_as_written(line: str, stop: frozenset[str]) -> tuple[int, float, int, float]:
    """scripts.word_counts before its stop-independent part was cached (the reference)."""
    from deboil.cleaners.lexicon import scripts as s

    toks = s._TOKEN.findall(line)
    n_stop = sum(map(stop.__contains__, map(str.lower, toks))) if stop else 0
    dense = s._DENSE_RX.findall(line)
    if not dense:
        return len(toks), float(len(toks)), 0, float(n_stop)
    joined = "".join(dense)
    n_han = len(s._HAN_RX.findall(joined))
    n_sea = len(joined) - n_han
    spaced = len(s._TOKEN.findall(s._DENSE_RX.sub(" ", line)))
    units = spaced + n_han / s.HAN_CHARS_PER_WORD + n_sea / s.SEA_CHARS_PER_WORD
    dense_stop = sum(map(s._HAN_STOP.__contains__, joined)) if n_han else 0
    if n_sea:
        dense_stop += sum(joined.count(w) for w in s._THAI_STOP)
    return spaced, units, len(joined), float(n_stop + dense_stop)


def test_cached_script_counts_equal_word_counts_as_written():
    from deboil.cleaners.lexicon.scripts import word_counts, word_units
    from tests.support import samples

    lines = ["北京时间2020年，我们的数据是这样的。", "ภาษาไทยที่และของในการ ok", "Привет, Мир и все", "Ünïcödé wörds and the",
             "İstanbul ve Ankara", "日本語のテキストです abc", ""]
    for path in sorted(samples.DIR.rglob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if not line.isascii()]
    stops = [frozenset(), frozenset({"и", "the", "and", "ve", "ok", "abc"})]
    for _ in range(2):  # the second round reads the cache
        for line in lines:
            for stop in stops:
                assert word_counts(line, stop) == _word_counts_as_written(line, stop), line
            assert word_units(line) == _word_counts_as_written(line, frozenset())[1]


def test_recent_line_counts_are_the_counts():
    """Counts kept from earlier pages (short lines) give the same features as fresh ones."""
    import numpy as np

    from deboil.cleaners import recent_lines
    from deboil.cleaners.lexicon.boilerplate import _rule_reason, _rule_reason_recent, boilerplate_reasons
    from tests.support import samples

    stop = frozenset({"the", "a", "of", "and"})
    for path in sorted(samples.DIR.rglob("*.txt")):
        lines = [t for t in (line.strip() for line in path.read_text(encoding="utf-8").splitlines()) if t]
        lf._counts_recent.cache_clear()
        _rule_reason_recent.cache_clear()
        cold, cold_bp = lf.line_features(lines, stop), boilerplate_reasons(lines)
        # (only lines with no ASCII stand-in are counted one by one, through the cache)
        by_line = any(not line.isascii() and lf._ascii_stand_in(line) is None for line in lines)
        assert (lf._counts_recent.cache_info().currsize > 0) == by_line
        assert _rule_reason_recent.cache_info().currsize > 0
        warm, warm_bp = lf.line_features(lines, stop), boilerplate_reasons(lines)
        assert (lf._counts_recent.cache_info().hits > 0) == by_line
        assert cold.tobytes() == warm.tobytes() and cold_bp == warm_bp
        for line in lines:
            if len(line) <= recent_lines.MAX_CHARS:
                assert lf._counts_recent(line, stop) == lf._counts(line, stop)
                assert _rule_reason_recent(line) == _rule_reason(line)
        assert np.isfinite(warm).all()


def _counts_as_written(line: str, stop: frozenset[str]) -> tuple:
    """_counts through the general (any script) path only: the reference."""
    import math

    n_toks, units, n_cjk, n_stop = word_counts(line, stop)
    words = lf._ALPHA_WORD.findall(line)
    n_digits = len(lf._DIGIT.findall(line))
    return (
        n_toks, units, n_cjk, n_stop, len(words), sum(w[0].isupper() for w in words), len(line),
        n_digits, lf._ends_with(line.rstrip(), lf._TERMINAL_CHARS), lf.ends_sentence(line),
        len(lf._LINKLIKE.findall(line)), line.count(","), lf._CAMEL_GLUE.search(line) is not None,
        len(lf._SEPARATORS.findall(line)), lf._BULLET.match(line) is not None, line.endswith(":"),
        lf._lead_caps(words), lf._INNER_DATELINE.search(line) is not None,
        units <= 12 and (n_digits > 0 or "day at" in line.lower()) and lf._RELATIVE_TIME.search(line) is not None,
        lf._CODE_CHARS.search(line) is not None or lf._CODE_START.match(line) is not None,
        units <= 21 and n_digits > 0 and lf._PRICE.search(line) is not None,
        math.log1p(units), math.log1p(len(line)), math.log1p(lf._lead_caps(words)),
    )


def test_counts_by_the_ascii_paths_equal_the_general_path():
    """ASCII lines, and lines whose only non-ASCII characters are typographic punctuation,
    take the cheaper paths: every count must be what the general path gives."""
    import random
    import re

    assert not any(re.match(r"[\w\d]", c) or lf._LINKLIKE.search("x" + c + "x") for c in lf._TYPOGRAPHIC)
    rng = random.Random(11)
    pieces = ["Don’t", "‘quote’", "“Said”", "a—b", "x–y", "Wait…", "• item", "€5", "£ 20", "©2024", "»Next",
              "www.site.com/", "@me", "#tag", "WASHINGTON —", "HomeWorld", "2 days\u00a0ago", "day\u00a0at",
              "the", "and", "Price: $9", "x{y}", "3rd", "’s", "›", "·", "™", "i.e.", "yesterday at 9"]
    lines = _ascii_lines() + [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    from tests.support import samples
    for path in sorted(samples.DIR.rglob("*.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()
    stop = frozenset({"the", "and", "a", "of"})
    typographic = 0
    for line in (line.strip() for line in lines):
        if not line:
            continue
        assert lf._counts(line, stop) == _counts_as_written(line, stop), line
        typographic += not line.isascii() and lf._ascii_stand_in(line) is not None
    assert typographic > 1000


def test_page_counts_equal_the_counts_line_by_line():
    """The page's ASCII lines (and stand-ins) are counted together with numpy: every row must
    be _counts of its line, float for float."""
    import random

    import numpy as np

    from tests.support import samples

    rng = random.Random(5)
    pieces = ["Don’t", "“Said”", "a—b", "• item", "€5", "»Next", "www.site.com/", "@me", "#tag", "WASHINGTON —",
              "HomeWorld", "2 days\u00a0ago", "yesterday at 9", "the", "and", "Price: $9", "x{y}", "3rd", "_x",
              "0_a", "Ab:", "|", "/>", ",", "Straße", "中文。", "def f():", "- item", "12) step", "aaAa", "I", "A B C",
              "Internationalization", "sixteen_letters_", "sixteen_letters_x", "Über"]
    lines = _ascii_lines() + [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    for path in sorted(samples.DIR.rglob("*.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()
    pages = [lines[k:k + 97] for k in range(0, len(lines), 97)]
    pages += [["", "a:", ""], [":"], ["x\ny", "Home:"], ["A" * 300 + " word " * 300]]
    long_words = frozenset({"the", "and", "a", "of", "internationalization", "sixteen_letters_", "über", "don't"})
    for stop in (frozenset({"the", "and", "a", "of"}), frozenset(), long_words):
        for page in pages:
            page = list(dict.fromkeys(page))
            expected = np.array([lf._counts(line, stop) for line in page], dtype=float).reshape(len(page), -1)
            assert lf._page_counts(page, stop).tobytes() == expected.tobytes(), page


def test_page_loops_over_lists_equal_the_numpy_element_forms():
    from itertools import groupby

    import numpy as np

    def best_region(scores):  # the form indexing numpy scalars
        best, best_span, cur, start = -1e9, (0, -1), 0.0, 0
        for i, s in enumerate(scores):
            cur, start = (s, i) if cur <= 0 else (cur + s, start)
            if cur > best:
                best, best_span = cur, (start, i)
        return best_span

    def block_ids(prose):
        block, b, gap = np.zeros(len(prose), dtype=np.int64), 0, 0
        for i in range(len(prose)):
            if prose[i]:
                b, gap = b + (gap > 1), 0
            else:
                gap += 1
            block[i] = b
        return block

    rng = np.random.default_rng(7)
    for _ in range(300):
        n = int(rng.integers(1, 60))
        scores = np.where(rng.random(n) < 0.4, rng.random(n) * 60, -2.0 - 4.0 * (rng.random(n) < 0.3))
        assert lf._best_region(scores) == best_region(scores)
        prose = (rng.random(n) < 0.5).astype(float)
        units = np.floor(rng.random(n) * 40)
        words = np.bincount(block_ids(prose), weights=prose * units)
        expected = words[block_ids(prose)] / words.max() if words.max() > 0 else np.zeros(n)
        assert np.array_equal(lf._block_share(prose, units), expected)
        flags = rng.random(n) < 0.5
        groups = [(k, len(list(g))) for k, g in groupby(flags.tolist())]
        lengths = np.repeat([m if k else 0 for k, m in groups], [m for _, m in groups])
        assert np.array_equal(lf._run_length(flags), lengths)


def test_ascii_stand_in_equals_the_translation_table():
    import random

    rng = random.Random(3)
    alphabet = lf._TYPOGRAPHIC + "abcXYZ 09.,'-é中ßЖ\u2009\u200b’’"
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    lines += ["It’s “quoted” — and… © 2024 €5\u00a0now", "Straße — café", lf._TYPOGRAPHIC]
    table = str.maketrans({c: "'" if c == "’" else " " for c in lf._TYPOGRAPHIC})
    stand_ins = 0
    for line in lines:
        plain = line.translate(table)
        expected = plain if plain.isascii() else None
        assert lf._ascii_stand_in(line) == expected, line
        stand_ins += expected is not None
    assert 100 < stand_ins < len(lines)  # both outcomes are tested
