"""Numeric features of capture lines for the content/boilerplate classifier.

Own features say whether a line reads like prose (length, terminal punctuation, stop-word
density, few capitalised or link-like words); context features say whether it sits in a run
of prose, because body text comes in runs and menus come in runs too.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from operator import itemgetter

import numpy as np

from deboil.cleaners.recent_lines import for_recent_lines
from deboil.cleaners.lexicon.boilerplate import boilerplate_reasons
from deboil.cleaners.lexicon.dates import parse_dateline
from deboil.cleaners.phrases_in_prose import reads_as_prose
from deboil.cleaners.lexicon.scripts import (_ASCII_NON_WORD, CLAUSE_END_CHARS, CLOSER_CHARS, SENTENCE_END_CHARS,
                                             ascii_word_counts, ends_sentence, word_counts)

_ALPHA_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A line ends a sentence: one of these, then maybe closing quotes or brackets (string tests
# on the line's end: a regex anchored at $ is tried at every position of a long line).
_SENTENCE_CHARS = SENTENCE_END_CHARS
_CLOSERS = CLOSER_CHARS
_TERMINAL_CHARS = _SENTENCE_CHARS + CLAUSE_END_CHARS + _CLOSERS
_TERMINAL_SET, _SENTENCE_SET = frozenset(_TERMINAL_CHARS), frozenset(_SENTENCE_CHARS)
# Regexes written so each alternative starts with a literal or the rare character (re then
# skips ahead to candidate positions): a page has hundreds of lines.
_LINKLIKE = re.compile(r"h(?:ttps?://)|w(?:ww\.)|\.(?:\w{2,3}\b/|(?:com|org|net|co|ru|de|br)\b)|@\w|#\w", re.I)
# The same, case-sensitive, for lower-cased ASCII lines: IGNORECASE stops re from skipping
# ahead to the alternatives' first characters (on ASCII text the matches are the same).
_LINKLIKE_LOWER = re.compile(_LINKLIKE.pattern)
_SEPARATORS = re.compile(r"[|•·›»«/>]")
_ASCII_SEPARATORS = "|/>"
_CAMEL_GLUE = re.compile(r"[A-ZÀ-ÞА-Я](?<=[a-zà-ÿа-я]{2}[A-ZÀ-ÞА-Я])[a-zà-ÿа-я]")  # "HomeWorld News"
_BULLET = re.compile(r"^(?:[-*•–]\s|\d{1,2}[.)]\s)")
_BULLET_FIRST = frozenset("-*•–0123456789")  # (on lines with no other digits than ASCII)
# Comment and feed timestamps: "2 days ago", "vor 3 Stunden", "il y a 2 heures", "3 часа назад".
# Every alternative holds a digit or "day at" (_counts tests that first).
_RELATIVE_TIME = re.compile(
    r"\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|[smhdw])\s+ago\b"
    r"|\b(?:yesterday|today) at\b|\bvor\s+\d+\s+(?:sekunden|minuten|stunden|tagen|wochen|monaten|jahren)\b"
    r"|\bil y a\s+\d+\s+(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)\b"
    r"|\bhace\s+\d+\s+(?:segundos?|minutos?|horas?|días?|semanas?|meses|años?)\b"
    r"|\bhá\s+\d+\s+(?:segundos?|minutos?|horas?|dias?|semanas?|meses|anos?)\b"
    r"|\b\d+\s+(?:секунд|минут|час|дн|дней|недел|месяц|лет|год)\w*\s+назад\b", re.I)
# An upper-case place name opening a news lede ("NEW DELHI:", "WASHINGTON —") inside a line:
# a related headline glued to its teaser.
_INNER_DATELINE = re.compile(
    r"[A-ZÀ-ÞА-Я](?<=\S\s[A-ZÀ-ÞА-Я])[A-ZÀ-ÞА-Я]{2,}(?:\s[A-ZÀ-ÞА-Я]{2,})*(?:,\s\w+)?\s?(?::|\s[—–-]\s)")
# Small words that stay lower case inside Title Case headlines.
_TITLE_SMALL = 3

OWN = [
    "log_units", "log_chars", "terminal", "sentence_end", "stop_density", "caps_share",
    "linklike", "digit_share", "boilerplate", "rel_pos", "dateline", "repeated", "commas",
    "camel", "cjk", "w_le2", "w_3_6", "w_7_15", "w_ge30", "prose", "separators", "bullet",
    "colon_end", "no_stop", "lead_caps", "inner_dateline", "relative_time",
]
PAGE = ["in_region", "region_dist", "page_prose_share", "page_log_lines", "head_zone", "tail_zone"]
CONTEXT = ["prev_units", "next_units", "prev_prose", "next_prose", "prose_w2", "prose_w5",
           "units_w3", "stop_w3", "bp_w3"]
# Products the linear model cannot form itself: prose counts for more inside the prose run.
CROSS = ["prose_in_region", "units_in_region", "stop_x_units", "terminal_in_region", "short_in_region",
         "prose_dist"]
# Articles end where comment forms, related links or the copyright begin: lines after such a
# marker (itself after the first prose line) are rarely body, however prose-like.
END_REASONS = frozenset({"comment-form", "related", "newsletter", "copyright", "share"})
# Comments come one per timestamp: many datelines below the body's start mean a comment zone.
# Lists of related headlines: several short lines in a row that do not end a sentence.
END = ["after_end_marker", "end_markers_above", "timestamps_above", "block_share", "headline_run"]
# What kind of page this is, as the line classifier can tell from text alone: forums carry
# many timestamps, shops prices, documentation code lines, listings runs of item headings.
# The same line (a short heading, a price) is clutter on one kind and body on another.
KIND = ["code_like", "price", "page_code_share", "page_price_share", "page_headline_share",
        "page_log_stamps", "page_short_share"]
NAMES = OWN + PAGE + CONTEXT + CROSS + END + KIND

# Code: braces, semicolons, assignments, calls; or a line opening like a statement (matched
# at the start only). A price: an amount beside a currency sign or code, on a short line.
_CODE_CHARS = re.compile(r"[{};=]|\(\)")


def _has_code_chars(line: str) -> bool:
    """_CODE_CHARS.search(line) is not None, by substring tests (no regex call per line)."""
    return "=" in line or ";" in line or "{" in line or "}" in line or "()" in line

_CODE_START = re.compile(r"\s*(?:\$ |>>> |#include|def |class |import |from \S+ import|function |var |const |let |return\b|if \(|for \()")
_PRICE = re.compile(r"[$€£¥₹₽₩]\s?\d|\d\s?(?:[$€£¥₹₽₩]|eur\b|usd\b|руб)", re.I)
_CURRENCY = re.compile(r"[$€£¥₹₽₩]")


def _is_price(line: str) -> bool:
    """_PRICE, tried only on lines holding a currency sign or name (a cheap C scan)."""
    if _CURRENCY.search(line) is None:
        low = line.lower()
        if "eur" not in low and "usd" not in low and "руб" not in low:
            return False
    return _PRICE.search(line) is not None


_DIGIT = re.compile(r"\d")
_DAY_AT = re.compile("day at")  # (_RELATIVE_TIME's one alternative without a digit)


def _ends_with(text: str, chars: str) -> bool:
    return bool(text) and text[-1] in chars


_first = itemgetter(0)


def _word_shape(line: str) -> tuple[int, int, int, int]:
    """(alphabetic words, those opening upper case, leading Title Case words, digits)."""
    words = _ALPHA_WORD.findall(line)
    return (len(words), sum(map(str.isupper, map(_first, words))), _lead_caps(words),
            len(_DIGIT.findall(line)))


def _lead_caps(words: list[str]) -> int:
    """Leading Title Case words: a headline, maybe glued to its teaser (short lower-case words
    between them do not end the run)."""
    lead_caps = 0
    for w in words:
        if w[0].isupper():
            lead_caps += 1
        elif len(w) > _TITLE_SMALL:
            break
    return lead_caps


# _word_shape of an ASCII line from one C translation: upper-case letters become "A", lower-
# case "a", digits "0", the other characters words may hold ("_", "'", "-") "_", the rest
# spaces. _ALPHA_WORD's words are then the runs with their non-letters stripped from the front
# (a run is [A-Za-z0-9_'-]+ and a word starts at its first letter and ends with it), with the
# real word's length and the case of its first letter.
_ASCII_SHAPE = str.maketrans({c: "A" if c.isupper() else "a" if c.isalpha() else "0" if c.isdigit()
                              else "_" if c in "_'-" else " " for c in map(chr, range(128))})


def _ascii_shape(line: str) -> str:
    """An ASCII line translated by _ASCII_SHAPE, after a space."""
    return " " + line.translate(_ASCII_SHAPE)


def _ascii_word_shape(shape: str) -> tuple[int, int, int, int]:
    """_word_shape(line) for an ASCII line, from its _ascii_shape."""
    runs = shape.split()
    if " 0" in shape or " _" in shape:  # a run opening with a non-letter: strip to its word
        words = [w for w in (run.lstrip("0_") for run in runs) if w]
        n_upper = sum(w[0] == "A" for w in words)
    else:
        words, n_upper = runs, shape.count(" A")
    lead_caps = 0
    for w in words:
        if w[0] == "A":
            lead_caps += 1
        elif len(w) > _TITLE_SMALL:
            break
    return len(words), n_upper, lead_caps, shape.count("0")


# Typographic punctuation that makes most non-ASCII lines non-ASCII (curly quotes, dashes,
# no-break spaces, bullets): none is a word character, a digit or a letter, and none is in
# _LINKLIKE. With ’ (inside words for _ALPHA_WORD) made "'" and the rest spaces, such a line
# gets the ASCII counts of tokens, stop words, links, words, capitals and digits it had.
_TYPOGRAPHIC = "’‘“”–—…•·«»›‹©®™€£\u00a0"
# Made so by a replace and a regex substitution: str.translate of a non-ASCII text looks each
# character up in a table from Python (~8 times slower on these lines).
_TYPOGRAPHIC_SPACES = re.compile("[" + re.escape(_TYPOGRAPHIC.replace("’", "")) + "]")


def _ascii_stand_in(line: str) -> str | None:
    """The line with its typographic punctuation made ASCII, when that leaves it ASCII."""
    plain = _TYPOGRAPHIC_SPACES.sub(" ", line.replace("’", "'"))
    return plain if plain.isascii() else None


def _counts(line: str, stop: frozenset[str]) -> tuple:
    """Raw per-line counts; the features are derived from them for the whole page at once
    (one numpy operation per feature instead of one Python expression per line)."""
    plain = line if line.isascii() else _ascii_stand_in(line)
    if plain is not None:  # most lines: cheaper case-sensitive scans of the lower-cased line
        low = plain.lower()
        n_toks, units, n_cjk, n_stop = ascii_word_counts(low, stop)
        n_links = len(_LINKLIKE_LOWER.findall(low))
        if plain is line:
            n_seps = sum(map(line.count, _ASCII_SEPARATORS))
        else:  # (bullets and guillemets are separators, and typographic)
            n_seps, low = len(_SEPARATORS.findall(line)), None
        shape = _ascii_shape(plain)
        n_words, n_upper, lead_caps, n_digits = _ascii_word_shape(shape)
        # In ASCII the camel glue is exactly "aaAa" and an inner dateline needs "AAA"
        camel = "aaAa" in shape
        inner_dateline = "AAA" in shape and _INNER_DATELINE.search(line) is not None
    else:
        low = None
        n_toks, units, n_cjk, n_stop = word_counts(line, stop)  # any script (scripts.py)
        n_links = len(_LINKLIKE.findall(line))
        n_seps = len(_SEPARATORS.findall(line))
        n_words, n_upper, lead_caps, n_digits = _word_shape(line)
        camel = _CAMEL_GLUE.search(line) is not None
        inner_dateline = _INNER_DATELINE.search(line) is not None
    return (
        n_toks, units, n_cjk, n_stop, n_words, n_upper, len(line),
        n_digits, _ends_with(line.rstrip(), _TERMINAL_CHARS),
        ends_sentence(line), n_links, line.count(","),
        camel, n_seps,
        _BULLET.match(line) is not None, line.endswith(":"), lead_caps,
        inner_dateline,
        units <= 12 and (n_digits > 0 or "day at" in (low or line.lower()))
        and _RELATIVE_TIME.search(line) is not None,
        _has_code_chars(line) or _CODE_START.match(line) is not None,
        # (line_features tests units <= 20 after a float round trip; a price holds a digit)
        units <= 21 and n_digits > 0 and _is_price(line),
        # math.log1p, not numpy's: it may differ in the last bit, and tree thresholds sit
        # exactly on training values of these discrete features
        math.log1p(units), math.log1p(len(line)), math.log1p(lead_caps),
    )


_counts_recent = for_recent_lines(_counts)  # menus, footers and bylines recur across pages
_N_COUNTS = 24  # values in a row of _counts

# math.log1p of small integers (token, character and word counts), read from a table: the
# same floats as _counts's math.log1p calls, for a whole column at once.
_LOG1P_INTS = np.array([math.log1p(i) for i in range(256)])


def _log1p_ints(counts: np.ndarray) -> np.ndarray:
    global _LOG1P_INTS
    top = int(counts.max(initial=0))
    if top >= len(_LOG1P_INTS):
        _LOG1P_INTS = np.array([math.log1p(i) for i in range(2 * top + 1)])
    return _LOG1P_INTS[counts]


def _ascii_page_counts(lines: list[str], plains: list[str], stop: frozenset[str]) -> np.ndarray:
    """Rows of _counts for lines that are ASCII or have an ASCII stand-in (`plains`), counted
    over the joined lines with numpy instead of line by line (a page has hundreds): tokens,
    stop words, words and their case, digits, links, separators, commas. The tests a line
    needs alone (its end, a bullet, code) stay per line; the regexes of timestamps, prices
    and inner datelines run only on the lines whose counts allow them."""
    m = len(lines)
    joined = "\n".join(plains)
    if joined.count("\n") != m - 1:  # a line held a newline of its own
        return np.array([_counts(line, stop) for line in lines], dtype=float).reshape(m, -1)
    raw = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    line_of = np.cumsum(raw == 10)  # each character's line (a newline counts to the next one)
    lens = np.fromiter(map(len, plains), dtype=np.intp, count=m)
    low = joined.lower()

    def per_line(positions: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(line_of[positions], weights, minlength=m)

    def matches(rx: re.Pattern) -> np.ndarray:  # per line, in the lower-cased text (none spans a newline)
        return per_line(np.fromiter((mt.start() for mt in rx.finditer(low)), dtype=np.intp))

    # Tokens (ascii_word_counts: the newline becomes a space, so no token spans two lines)
    token_text = low.translate(_ASCII_NON_WORD)
    word_chars = np.frombuffer(token_text.encode("ascii"), dtype=np.uint8) != 32
    token_starts = np.flatnonzero(word_chars & ~np.concatenate([[False], word_chars[:-1]]))
    n_toks = per_line(token_starts)
    if stop:
        tokens = token_text.split()
        n_stop = per_line(token_starts, np.fromiter(map(stop.__contains__, tokens), dtype=float, count=len(tokens)))
    else:
        n_stop = np.zeros(m)
    # Words (_ascii_word_shape): a word starts at the first letter of a run of the shape
    shape = np.frombuffer(joined.translate(_ASCII_SHAPE).encode("ascii"), dtype=np.uint8)
    in_run = shape != 32
    run_id = np.cumsum(in_run & ~np.concatenate([[False], in_run[:-1]])) - 1
    run_end = np.flatnonzero(in_run & ~np.concatenate([in_run[1:], [False]])) + 1
    letters = np.flatnonzero((shape == 65) | (shape == 97))
    letter_run = run_id[letters]
    first = np.concatenate([[True], letter_run[1:] != letter_run[:-1]]) if len(letters) else letters.astype(bool)
    starts = letters[first]
    upper = shape[starts] == 65
    # Leading Title Case words: upper-case words before the line's first lower-case word of
    # more than _TITLE_SMALL letters
    breaker = ~upper & (run_end[letter_run[first]] - starts > _TITLE_SMALL)
    before = np.cumsum(breaker) - breaker  # breakers before each word, on the whole page
    word_line = line_of[starts]
    line_first = np.flatnonzero(np.concatenate([[True], word_line[1:] != word_line[:-1]])) if len(starts) else starts
    base = np.repeat(before[line_first], np.diff(np.append(line_first, len(starts))))
    lead_caps = per_line(starts, upper & (before == base)).astype(np.intp)
    n_digits = per_line(np.flatnonzero(shape == 48))
    camel = per_line(np.flatnonzero((shape[:-3] == 97) & (shape[1:-2] == 97) & (shape[2:-1] == 65) & (shape[3:] == 97))) > 0
    caps_run = per_line(np.flatnonzero((shape[:-2] == 65) & (shape[1:-1] == 65) & (shape[2:] == 65))) > 0
    n_links = matches(_LINKLIKE_LOWER)
    n_seps = per_line(np.flatnonzero((raw == 124) | (raw == 47) | (raw == 62)))
    for k, (line, plain) in enumerate(zip(lines, plains)):
        if plain is not line:  # (bullets and guillemets are separators, and typographic)
            n_seps[k] = len(_SEPARATORS.findall(line))
    n_commas = per_line(np.flatnonzero(raw == 44))
    last = np.cumsum(lens + 1) - 2  # each line's last character (a plain ends as its line does)
    colon_end = (lens > 0) & (raw.take(last, mode="clip") == 58)
    inner_dateline = np.zeros(m, dtype=bool)
    for k in np.flatnonzero(caps_run).tolist():
        inner_dateline[k] = _INNER_DATELINE.search(lines[k]) is not None
    relative_time, has_price = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
    day_at = matches(_DAY_AT) > 0
    for k in np.flatnonzero((n_toks <= 12) & ((n_digits > 0) | day_at)).tolist():
        relative_time[k] = _RELATIVE_TIME.search(lines[k]) is not None
    for k in np.flatnonzero((n_toks <= 21) & (n_digits > 0)).tolist():
        has_price[k] = _is_price(lines[k])
    # A line's end, its bullet and code: a plain's only non-ASCII characters are typographic
    # (none is Thai, so ends_sentence is its test of the last character)
    ends = [line.rstrip() for line in lines]
    terminal = [end[-1:] in _TERMINAL_SET for end in ends]
    sentence_end = [end.rstrip(_CLOSERS)[-1:] in _SENTENCE_SET for end in ends]
    bullet = [line[:1] in _BULLET_FIRST and _BULLET.match(line) is not None for line in lines]
    code = (per_line(np.flatnonzero((raw == 61) | (raw == 59) | (raw == 123) | (raw == 125))) > 0) | (
        per_line(np.flatnonzero((raw[:-1] == 40) & (raw[1:] == 41))) > 0)
    for k in np.flatnonzero(~code).tolist():
        code[k] = _CODE_START.match(lines[k]) is not None
    chars = np.fromiter(map(len, lines), dtype=np.intp, count=m)
    return np.column_stack([
        n_toks, n_toks, np.zeros(m), n_stop, per_line(starts), per_line(starts, upper), chars,
        n_digits, terminal, sentence_end, n_links, n_commas, camel, n_seps, bullet, colon_end,
        lead_caps, inner_dateline, relative_time, code, has_price,
        _log1p_ints(n_toks), _log1p_ints(chars), _log1p_ints(lead_caps),
    ]).astype(float)


def _page_counts(lines: list[str], stop: frozenset[str]) -> np.ndarray:
    """Rows of _counts (as floats) for distinct lines: the ASCII ones (and those with an
    ASCII stand-in) counted together, the others line by line."""
    plains = [line if line.isascii() else _ascii_stand_in(line) for line in lines]
    other = [k for k, plain in enumerate(plains) if plain is None]
    if lines and not other:
        return _ascii_page_counts(lines, plains, stop)
    rows = np.empty((len(lines), _N_COUNTS))
    if len(other) < len(lines):
        simple = [k for k, plain in enumerate(plains) if plain is not None]
        rows[simple] = _ascii_page_counts([lines[k] for k in simple], [plains[k] for k in simple], stop)
    if other:
        rows[other] = np.array([_counts_recent(lines[k], stop) for k in other], dtype=float)
    return rows


def _own(lines: list[str], stop: frozenset[str], is_boilerplate: np.ndarray,
         is_dateline: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """OWN features, plus per line whether it looks like code and holds a price."""
    # A quarter of a page's lines repeat (menus, prices, bylines): each distinct one counted once.
    distinct = list(dict.fromkeys(lines))
    c = _page_counts(distinct, stop)
    if len(distinct) < len(lines):
        row = {line: k for k, line in enumerate(distinct)}
        c = c[[row[line] for line in lines]]
    (n_toks, units, n_cjk, n_stop, n_words, n_caps, n_chars, n_digits, terminal, sentence_end,
     n_links, n_commas, camel, n_seps, bullet, colon_end, lead_caps, inner_dateline,
     relative_time, code, has_price, log_units, log_chars, log_lead_caps) = c.T
    with np.errstate(divide="ignore", invalid="ignore"):
        stop_density = np.where(units > 0, np.minimum(n_stop / units, 1.0), 0.0)
        caps = np.where(n_words > 0, n_caps / n_words, 0.0)
        digits = np.where(n_chars > 0, n_digits / n_chars, 0.0)
        cjk_share = np.where(n_chars > 0, n_cjk / n_chars, 0.0)
    prose = reads_as_prose(units, sentence_end, stop_density, cjk_share, bool(stop))
    zero = np.zeros(len(lines))
    own = np.column_stack([
        log_units, log_chars, terminal, sentence_end, stop_density,
        caps, np.minimum(n_links, 3) / 3.0, digits, is_boilerplate, zero, is_dateline,
        zero, n_commas / np.maximum(units, 1.0), camel, cjk_share,
        units <= 2, (units >= 3) & (units <= 6), (units >= 7) & (units <= 15), units >= 30,
        prose, np.minimum(n_seps, 5) / 5.0, bullet, colon_end, (n_stop == 0) & bool(stop),
        log_lead_caps, inner_dateline, relative_time,
    ]).astype(float)
    return own, code, has_price


def _best_region(scores: np.ndarray) -> tuple[int, int]:
    """Maximum-sum run of lines (Kadane): the stretch richest in prose."""
    best, best_span, cur, start = -1e9, (0, -1), 0.0, 0
    for i, s in enumerate(scores.tolist()):  # Python floats: numpy scalar arithmetic is slower
        if cur <= 0:
            cur, start = s, i
        else:
            cur += s
        if cur > best:
            best, best_span = cur, (start, i)
    return best_span


def _window_mean(col: np.ndarray, k: int) -> np.ndarray:
    """Mean of the column over the k lines either side, excluding the line itself."""
    n = len(col)
    c = np.concatenate([[0.0], np.cumsum(col)])
    idx = np.arange(n)
    lo, hi = np.maximum(idx - k, 0), np.minimum(idx + k + 1, n)
    total = c[hi] - c[lo] - col
    count = (hi - lo - 1).clip(min=1)
    return total / count


def _run_length(flags: np.ndarray) -> np.ndarray:
    """For each flagged line, the length of the run of flagged lines it is in (else 0)."""
    out = np.zeros(len(flags))
    start = None
    for i, f in enumerate(flags.tolist() + [False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            out[start:i] = i - start
            start = None
    return out


def _block_share(prose: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Words of prose in the line's block (prose lines with gaps of at most one other line)
    over those of the page's biggest block: the body is one big block, comments and
    teasers are smaller ones."""
    n = len(prose)
    ids = []  # a list: indexing numpy arrays one element at a time is slow
    b, gap = 0, 0
    for p in prose.tolist():
        if p:
            if gap > 1:
                b += 1
            gap = 0
        else:
            gap += 1
        ids.append(b)
    block = np.array(ids, dtype=np.int64)
    words = np.bincount(block, weights=prose * units, minlength=b + 1)
    top = words.max()
    return words[block] / top if top > 0 else np.zeros(n)


def line_features(lines: list[str], stop: frozenset[str], boilerplate: list | None = None,
                  datelines: list | None = None) -> np.ndarray:
    """Matrix (lines x NAMES) of features for the given non-empty, stripped lines.

    `boilerplate` / `datelines`: per-line results of boilerplate_reasons / parse_dateline
    when the caller already has them (computed here otherwise)."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(NAMES)))
    if boilerplate is None:
        boilerplate = boilerplate_reasons(lines)
    if datelines is None:
        datelines = [parse_dateline(line) for line in lines]
    own, code, has_price = _own(lines, stop, np.array([bp is not None for bp in boilerplate], dtype=float),
               np.array([dl is not None for dl in datelines], dtype=float))
    col = {name: i for i, name in enumerate(OWN)}
    own[:, col["rel_pos"]] = np.arange(n) / max(n - 1, 1)
    counts = Counter(lines)
    own[:, col["repeated"]] = [float(counts[line] > 1) for line in lines]

    units = np.expm1(own[:, col["log_units"]])
    prose = own[:, col["prose"]]
    bp = own[:, col["boilerplate"]]
    # Prose lines pull the region in proportion to length; everything else pushes a little.
    scores = np.where(prose > 0, np.minimum(units, 60.0), -2.0 - 4.0 * bp)
    a, b = _best_region(scores)
    idx = np.arange(n)
    in_region = ((idx >= a) & (idx <= b)).astype(float)
    dist = np.where(idx < a, a - idx, np.where(idx > b, idx - b, 0))
    page = np.column_stack([
        in_region, np.log1p(dist), np.full(n, prose.mean()), np.full(n, math.log1p(n)),
        (idx < a).astype(float), (idx > b).astype(float),
    ])
    log_units = own[:, col["log_units"]]
    prev_units = np.concatenate([[0.0], log_units[:-1]])
    next_units = np.concatenate([log_units[1:], [0.0]])
    prev_prose = np.concatenate([[0.0], prose[:-1]])
    next_prose = np.concatenate([prose[1:], [0.0]])
    context = np.column_stack([
        prev_units, next_units, prev_prose, next_prose, _window_mean(prose, 2),
        _window_mean(prose, 5), _window_mean(log_units, 3),
        _window_mean(own[:, col["stop_density"]], 3), _window_mean(bp, 3),
    ])
    terminal = own[:, col["terminal"]]
    prose_idx = np.flatnonzero(prose)
    if len(prose_idx):  # lines to the nearest prose line, other than itself
        pos = np.searchsorted(prose_idx, idx)
        before = np.where(pos > 0, idx - prose_idx[np.maximum(pos - 1, 0)], n)
        after_pos = np.searchsorted(prose_idx, idx, side="right")
        after = np.where(after_pos < len(prose_idx), prose_idx[np.minimum(after_pos, len(prose_idx) - 1)] - idx, n)
        prose_dist = np.log1p(np.minimum(before, after))
    else:
        prose_dist = np.full(n, math.log1p(n))
    cross = np.column_stack([
        prose * in_region, log_units * in_region, own[:, col["stop_density"]] * log_units,
        terminal * in_region, (units < 4) * in_region, prose_dist,
    ])
    first_prose = int(prose_idx[0]) if len(prose_idx) else n
    markers = np.array([float(i > first_prose and bp in END_REASONS) for i, bp in enumerate(boilerplate)])
    above = np.concatenate([[0.0], np.cumsum(markers)[:-1]])
    stamps = (own[:, col["dateline"]] + own[:, col["relative_time"]] > 0) & (idx > first_prose)
    stamps_above = np.concatenate([[0.0], np.cumsum(stamps)[:-1]])
    headline = (units >= 4) & (units <= 20) & (terminal == 0)
    end = np.column_stack([(above > 0).astype(float), np.log1p(above), np.log1p(stamps_above),
                           _block_share(prose, units), np.log1p(_run_length(headline))])
    price = ((units <= 20) & (has_price > 0)).astype(float)
    kind = np.column_stack([code, price, np.full(n, code.mean()), np.full(n, price.mean()),
                            np.full(n, headline.mean()), np.full(n, math.log1p(stamps.sum() + own[:, col["relative_time"]].sum())),
                            np.full(n, (units < 4).mean())])
    return np.hstack([own, page, context, cross, end, kind])

