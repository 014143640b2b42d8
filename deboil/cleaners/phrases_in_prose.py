"""A line a phrase rule names that is a sentence of the body's prose stays body (both paths).

Phrase rules name clutter lines ("We use cookies.", "© 2024 Example", "Foto: EPA"); a body
sentence may use the same words ("Foto: EPA Latvala je zadnji dan odbil napad ...", a
sentence ending "... Your email address will not be published."). The capture cleaner and
the HTML path's line filter both ask `spare_phrases_in_prose` once the page's lines have their
reasons, with the same notion of prose (`reads_as_prose`).
"""
from __future__ import annotations

import re

from deboil.cleaners.lexicon.scripts import ends_sentence, word_counts

# A line reads as prose: this many word units, a sentence end, and stop words of the page's
# language (dense scripts: enough Han / kana / Thai characters; no stop list: any line).
PROSE_MIN_UNITS = 10
PROSE_MIN_STOP_DENSITY = 0.15
PROSE_MIN_DENSE_SHARE = 0.3
# A phrase line that reads as prose, this long, beside kept prose, is body, unless it opens
# like a notice.
PHRASE_IN_PROSE_MIN_UNITS = 12
PHRASE_REASONS = frozenset({"cookie", "copyright", "share", "newsletter", "login", "app-promo",
                            "comment-form", "related", "caption"})
NOTICE_START = re.compile(r"^\W*(?:©|\(c\)|copyright\b|all rights reserved)", re.I)


def reads_as_prose(units, sentence_end, stop_density, dense_share, has_stoplist: bool):
    """Prose from a line's counts (numpy arrays of a page's lines, or one line's numbers)."""
    return ((units >= PROSE_MIN_UNITS) & (sentence_end > 0)
            & ((stop_density >= PROSE_MIN_STOP_DENSITY) | (dense_share > PROSE_MIN_DENSE_SHARE) | (not has_stoplist)))


def line_prose(line: str, stop: frozenset[str]) -> tuple[bool, float]:
    """(reads as prose, word units) of one line, `stop` the page's stop words."""
    _, units, n_dense, n_stop = word_counts(line, stop)
    density = min(n_stop / units, 1.0) if units else 0.0
    dense_share = n_dense / len(line) if line else 0.0
    return bool(reads_as_prose(units, ends_sentence(line), density, dense_share, bool(stop))), units


def spare_phrases_in_prose(lines, reasons, keep, prose, units, between_prose: bool = False,
                           spared_reasons: frozenset[str] = PHRASE_REASONS) -> list[int]:
    """Clear the phrase reason (and keep) of each line that reads as prose, PHRASE_IN_PROSE_MIN_UNITS
    long, beside kept prose; with `between_prose` also of each line ending a sentence between
    two kept sentences, one of them prose (a short sentence inside a run of prose: "Todos los
    derechos reservados." among a text's sentences; a footer's notice follows the body, it
    is not inside it). Only lines named by `spared_reasons`; lines opening like a notice stay
    named. Returns the lines spared."""
    n = len(lines)

    def kept(j: int) -> bool:
        return 0 <= j < n and reasons[j] is None and keep[j]

    def body(j: int) -> bool:
        return kept(j) and prose[j]

    def in_run(k: int) -> bool:
        return (kept(k - 1) and kept(k + 1) and (prose[k - 1] or prose[k + 1])
                and ends_sentence(lines[k]) and ends_sentence(lines[k - 1]) and ends_sentence(lines[k + 1]))

    spared = []
    for k, r in enumerate(reasons):  # (a line spared is kept prose for the next one)
        if r not in spared_reasons or NOTICE_START.match(lines[k]):
            continue
        if ((prose[k] and units[k] >= PHRASE_IN_PROSE_MIN_UNITS and (body(k - 1) or body(k + 1)))
                or (between_prose and in_run(k))):
            reasons[k] = None
            keep[k] = True
            spared.append(k)
    return spared
