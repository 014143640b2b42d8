"""Plain-text captures: decide line by line what is body and what is clutter.

Order of decisions for each line (the first that applies wins, and names the reason):
1. site template: the line is on a large share of the site's pages (`template`);
2. a dateline: moved into `published` / `updated` (`date`);
3. known boilerplate phrasing in many languages (boilerplate.py: `share`, `cookie`, ...);
4. the headline: moved into `title`; its repeats and alternate headlines go too;
5. the learned line classifier (prose features plus neighbours; see tools/train_capture.py)
   keeps or drops the rest, with a reason from where the line sits and what it looks like.
Kept lines that had a related headline glued into them lose that headline.

Clean text is never damaged (tests/cleaners/capture/test_invariants.py, test_few_lines.py):
a text that is all content stays whole (no headline is taken when it would be all that is
left or when it shares no word with the text under it (topic.py); a sentence holding a date,
and a dateline between two sentences, stay text; a clean text the rules would empty is
kept); a phrase rule never removes a line that reads as prose beside kept prose, nor, in
clean text, a sentence between two kept sentences (phrases_in_prose.py); the first
sentence-like paragraph under the headline or dateline is body; on short pages a line of
several sentences is a paragraph whatever its language (grown into the body, never a headline).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from deboil.cleaners.lexicon.boilerplate import boilerplate_reasons
from deboil.cleaners.lexicon.dates import FoundDate, parse_dateline
from deboil.stored_dates import Stated, offsets_by_date, stated, stored
from deboil.cleaners.capture.gbdt import Forest
from deboil.cleaners.capture.page_threshold import PageThresholds, longest_run
from deboil.cleaners.capture.context import NAMES as CONTEXT_NAMES, context_features
from deboil.cleaners.capture.line_features import NAMES, line_features
from deboil.models import CleanPage
from deboil.models import Context, SiteTemplate
from deboil.cleaners.lexicon.stopwords import page_stopwords
from deboil.cleaners.phrases_in_prose import PROSE_MIN_UNITS, spare_phrases_in_prose
from deboil.cleaners.capture.template import hash_normalised, normalise_lines, page_line_hashes
from deboil.cleaners.capture.topic import speaks_of
from deboil.cleaners.lexicon.scripts import (CLAUSE_END_CHARS, CLOSER_CHARS, SENTENCE_END_CHARS, ends_clause_or_sentence,
                                             ends_sentence, word_units)

MODEL_PATH = Path(__file__).with_name("data") / "capture_model.json"

# Template rule: a line seen on at least this many pages and this share of the site's pages.
TEMPLATE_MIN_PAGES = 3
TEMPLATE_MIN_SHARE = 0.4
# Sentence-like lines (this many words, ending a sentence) must be on nearly every page:
# sites do repeat a standard disclaimer, but a shared paragraph is more often quoted body.
TEMPLATE_PROSE_WORDS = 20
TEMPLATE_PROSE_SHARE = 0.8
TEMPLATE_PROSE_MIN_PAGES = 5

# The classifier learned from whole-page captures (hundreds of lines); on short inputs (a few
# header lines around the text, or lines from the HTML extractor) it is less sure of prose
# that follows prose. There, content runs are grown: a prose line next to a kept prose line
# is kept.
SHORT_PAGE_LINES = 60
ALT_HEADLINE_WORDS = 15
# A headline is printed at most twice (page title and heading); a line printed more often
# is a repeated list field ("$79.00", "Add to cart").
TITLE_MAX_COPIES = 2
# The headline sits just above the body (bylines, dates and share bars may come between).
TITLE_MAX_ABOVE_BODY = 12
# A headline is 2..30 words and does not end like a statement (in any script; a question
# or exclamation mark may end one).
_STATEMENT_END = "".join(c for c in SENTENCE_END_CHARS if c not in "!?！？‼‽⁇⁈⁉؟…") + CLAUSE_END_CHARS
_WORDS = re.compile(r"[^\W_]+")
# A line opening with a lower-case word, a bracket or a list dash continues a sentence or
# a list (hard-wrapped text, spec lists): never a headline ("iPhone" is not all lower case;
# scripts without case never count as lower case).
_LIST_DASHES = ("- ", "– ", "— ", "• ", "* ")


def _continues(line: str) -> bool:
    if line.startswith(("(", "[") + _LIST_DASHES):
        return True
    first = line.split(maxsplit=1)[0] if line else ""
    return first[:1].isalpha() and all(c.islower() for c in first if c.isalpha())


# A sentence end glued to a capitalised word: "terrorists.US Embassy ..." (the match is the
# mark; opening on it, not on a lookbehind, lets re skip to the marks).
_GLUE = re.compile(r"[.!?](?<=[^\W\d_A-Z]{2}[.!?])(?=[^\W\d_a-z])")


@dataclass
class Model:
    """Two boosted forests: line features, then the same plus features of the first scores
    of the lines around (context.py: a learned version of jusText's context-sensitive pass).
    `page`: a threshold per page (page_threshold.py); `threshold` when there is none."""

    stage1: Forest
    stage2: Forest
    threshold: float = 0.5
    page: PageThresholds | None = None

    @classmethod
    def from_dict(cls, d: dict) -> "Model":
        if d.get("names") != NAMES or d.get("context") != CONTEXT_NAMES:
            raise ValueError("capture model was trained on other features; retrain it")
        page = PageThresholds.from_dict(d["page"]) if d.get("page") else None
        return cls(Forest.from_dict(d["stage1"]), Forest.from_dict(d["stage2"]), d.get("threshold", 0.5), page)

    def to_dict(self) -> dict:
        return {"names": NAMES, "context": CONTEXT_NAMES, "threshold": self.threshold,
                "stage1": self.stage1.to_dict(), "stage2": self.stage2.to_dict(),
                "page": self.page.to_dict() if self.page else None}

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros(0)
        m1 = self.stage1.margin(X)
        m2 = self.stage2.margin(np.hstack([X, context_features(m1)]))
        return 1.0 / (1.0 + np.exp(-m2))

    def keep(self, X: np.ndarray) -> np.ndarray:
        probs = self.probabilities(X)
        return self.page.keep(X, probs, self.threshold) if self.page else probs >= self.threshold


def _load_model() -> Model | None:
    try:
        return Model.from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None


MODEL = _load_model()


@dataclass
class Analysis:
    """Per-line decisions (None = body) and the metadata found on the way."""

    lines: list[str]
    reasons: list[str | None]
    title: str | None = None
    published: str | None = None  # stored form (deboil/stored_dates.py)
    updated: str | None = None
    published_local: str | None = None  # a time written without a zone
    updated_local: str | None = None
    fixed: dict[int, str] = field(default_factory=dict)  # line index -> text after unglueing
    cut: dict[int, str] = field(default_factory=dict)  # line index -> text cut out of it

    @property
    def body(self) -> list[str]:
        return [self.fixed.get(i, line) for i, (line, r) in enumerate(zip(self.lines, self.reasons))
                if r is None]


# A page with at most this many lines of known boilerplate phrasing is taken as already
# clean text: the classifier is not consulted and only explicit rules (dates, headline,
# phrases, template) remove lines. Captures of real pages carry dozens of menu, share and
# footer lines (on the bench: median 17, 11 of 181 pages have <= 2); clean article text
# has none or one or two, and it must come out whole.
CLEAN_MAX_BOILERPLATE = 2
# ... unless it opens with a menu: a run of this many short lines (under 4 words) in a row
# above the first prose line. Menus in languages the phrase lists miss are runs of dozens;
# clean text has a few short lines together at most before its prose (a byline, tags).
CLEAN_MAX_SHORT_RUN = 10
# A clean text states its own dates in at most this many lines (published, updated).
CLEAN_MAX_DATELINES = 2
# A long text that is nearly all prose, with only a sprinkle of boilerplate phrasing (photo
# credits in an interview), is clean text too: there the classifier may drop short lines
# but never prose, since it learned from captures where prose far from the body is clutter.
PROSE_PAGE_MIN_SHARE = 0.85
PROSE_PAGE_MAX_BOILERPLATE_SHARE = 0.03


# ... and, on pages longer than this many lines, most of its characters are in lines that
# end like sentences (menus in languages the phrase lists miss are short lines).
CLEAN_CHECK_LINES = 20
CLEAN_MIN_SENTENCE_SHARE = 0.0


def looks_clean(X: np.ndarray, col: dict[str, int]) -> bool:
    if float(X[:, col["boilerplate"]].sum()) > CLEAN_MAX_BOILERPLATE:
        return False
    if len(X) > CLEAN_CHECK_LINES and CLEAN_MIN_SENTENCE_SHARE > 0:
        chars = np.expm1(X[:, col["log_chars"]])
        if chars[X[:, col["sentence_end"]] > 0].sum() < CLEAN_MIN_SENTENCE_SHARE * chars.sum():
            return False
    # Only a run above the first prose line counts: a menu opens the capture, while lists
    # (specs, a table of contents, tags) sit inside or after the text.
    prose = np.flatnonzero(X[:, col["prose"]] > 0)
    head = X[:prose[0]] if len(prose) else X
    return longest_run(head[:, col["log_units"]] < np.log1p(4)) <= CLEAN_MAX_SHORT_RUN


def mostly_prose(lines: list[str], X: np.ndarray, col: dict[str, int]) -> bool:
    """Prose lines hold nearly all the characters and boilerplate phrasing is rare."""
    chars = np.fromiter(map(len, lines), dtype=float, count=len(lines))
    prose_share = chars[X[:, col["prose"]] > 0].sum() / chars.sum()
    return (prose_share >= PROSE_PAGE_MIN_SHARE
            and X[:, col["boilerplate"]].mean() <= PROSE_PAGE_MAX_BOILERPLATE_SHARE)


# A paragraph: at least two sentences (a sentence end inside the line, after a word rather
# than an initial, with text after it, cut short or not) and PARAGRAPH_MIN_UNITS word
# units, or three sentences and a prose line's units. Menus, bylines, footer notices and
# headlines ("'Meth. We're On It': ...") are shorter; sentences of another language than
# the page's guessed one, or cut short (a closing bracket, a trailing clause), still make one.
PARAGRAPH_MIN_SENTENCES = 2
PARAGRAPH_MIN_UNITS = 15
_INNER_SENTENCE_END = re.compile(f"(?<=[^\\s.]\\S)[{re.escape(SENTENCE_END_CHARS)}][{re.escape(CLOSER_CHARS)}]*(?:\\s+|(?<=[。！？]))(?=\\S)")
# French and Russian typography set a space before "!" and "?" ("жду ! Но ..."); the next
# sentence opens with no lower-case letter ("the ? operator" is a word of the sentence).
_SPACED_END = re.compile(r"(?<=[^\W\d_]{2}) [!?]\s+(\S)")


def _paragraph_like(line: str) -> bool:
    units = word_units(line)
    if units < PROSE_MIN_UNITS:
        return False
    line = line.rstrip()
    sentences = (len(_INNER_SENTENCE_END.findall(line)) + 1
                 + sum(not m.group(1).islower() for m in _SPACED_END.finditer(line)))
    return sentences >= PARAGRAPH_MIN_SENTENCES + (units < PARAGRAPH_MIN_UNITS)


def _grow_prose_runs(keep: np.ndarray, prose: np.ndarray) -> np.ndarray:
    keep = keep.copy()
    for order in (range(len(keep)), reversed(range(len(keep)))):
        prev = False
        for i in order:
            if prose[i] and not keep[i] and prev:
                keep[i] = True
            prev = bool(keep[i] and prose[i])
    return keep


def template_candidates(template: SiteTemplate | None) -> set[str]:
    """Hashes the template rule could remove now: a superset (the prose rule is stricter),
    used to pick which stored pages a re-clean can change."""
    if not template or template.pages <= 0:
        return set()
    return {h for h, count in template.line_pages.items()
            if count >= TEMPLATE_MIN_PAGES and count / template.pages >= TEMPLATE_MIN_SHARE}


def _is_template(line: str, count: int, template: SiteTemplate) -> bool:
    if template.pages <= 0 or count < TEMPLATE_MIN_PAGES:
        return False
    share = count / template.pages
    if word_units(line) >= TEMPLATE_PROSE_WORDS and ends_sentence(line):
        return share >= TEMPLATE_PROSE_SHARE and count >= TEMPLATE_PROSE_MIN_PAGES
    return share >= TEMPLATE_MIN_SHARE


@lru_cache(maxsize=4096)  # asked of the same lines again and again while picking the headline
def _headline_like(line: str) -> bool:
    if len(line) > 250 or _continues(line):
        return False
    end = line.rstrip().rstrip(CLOSER_CHARS).rstrip()[-1:]  # ("... protivný. ”": a space may precede the quote)
    if end and (end in _STATEMENT_END or ("\u0e00" <= end <= "\u0eff" and ends_sentence(line))):
        return False
    return 2 <= word_units(line) <= 30


def _pick_title(lines: list[str], norm: list[str], reasons: list[str | None], body_start: int,
                not_titles: frozenset[int] = frozenset()) -> int | None:
    """Index of the headline: a headline-like line above the body, preferring one printed
    twice (page title and heading) or one the first line starts with ("Headline - Site").
    `not_titles`: lines holding a dateline (an entry of a dated list is not a headline) and
    paragraphs of several sentences."""
    counts = Counter(norm)
    cands = [i for i in range(min(body_start, len(lines)))
             if reasons[i] is None and i not in not_titles and _headline_like(lines[i])
             and counts[norm[i]] <= TITLE_MAX_COPIES]
    if not cands:
        return None
    first = norm[0]
    echoed = [i for i in cands if body_start - i <= TITLE_MAX_ABOVE_BODY and (counts[norm[i]] > 1 or (i > 0 and len(norm[i]) >= 15 and first.startswith(norm[i])))]
    if echoed:
        return echoed[-1]
    if body_start <= 6:  # a short head: its first headline-like line, unless it reads as a
        first_cand = lines[cands[0]]  # question or exclamation (then it is more likely prose)
        if word_units(first_cand) <= 20 and not first_cand.rstrip().endswith(("?", "!")):
            return cands[0]
        return None
    near = [i for i in cands if body_start - i <= 3 and word_units(lines[i]) >= 4]
    return near[0] if near else None


def _unglue(line: str, headline_words: set[str]) -> tuple[str, str] | None:
    """Cut a related headline glued after a sentence end ("terrorists.US Embassy ... fire
    Last month" -> "terrorists. Last month"): the glued words must be mostly words of the
    page's own headlines, and a capitalised word must resume the sentence after them."""
    for m in _GLUE.finditer(line):
        glued = m.end()  # between the mark and the capitalised word
        rest = line[glued:]
        spans = [(w.start(), w.end()) for w in re.finditer(r"\S+", rest)]
        best, best_overlap = None, 0.75
        for j in range(3, min(len(spans), 25)):
            seg_words = [w.lower() for w in _WORDS.findall(rest[:spans[j - 1][1]])]
            nxt = rest[spans[j][0]:spans[j][1]]
            if not seg_words or not nxt[:1].isupper():
                continue
            overlap = sum(w in headline_words for w in seg_words) / len(seg_words)
            if overlap >= best_overlap:  # the cut that best matches a headline, longest on ties
                best, best_overlap = j, overlap
        if best is not None:
            cut_end = spans[best][0]
            return line[:glued] + " " + rest[cut_end:], rest[:cut_end].strip()
    return None


def _model_reason(line: str, units: float, repeated: float, camel: float, head_zone: float,
                  tail_zone: float) -> str:
    """Name the likely kind of clutter for a line the classifier rejected."""
    if repeated:
        return "repeat"
    if camel and units <= 6:
        return "nav"
    if head_zone:
        return "nav" if units <= 6 else "headline" if _headline_like(line) else "outside-body"
    if tail_zone:
        return "related" if _headline_like(line) and units >= 4 else "nav" if units <= 6 else "outside-body"
    return "short-fragment" if units < 4 else "low-content"


def prepare(lines: list[str], lang_hint: str | None = None) -> tuple:
    """What analyse computes before any decision (phrase reasons, datelines, features):
    training scores one page under many thresholds and computes this once."""
    kept_lines = [t for t in (line.strip() for line in lines) if t]
    bp_reasons = boilerplate_reasons(kept_lines)
    dated = {line: parse_dateline(line) for line in dict.fromkeys(kept_lines)}  # lines repeat
    datelines = [dated[line] for line in kept_lines]
    X = line_features(kept_lines, page_stopwords(kept_lines, lang_hint), bp_reasons, datelines) if kept_lines else None
    return bp_reasons, datelines, X


def analyse(lines: list[str], lang_hint: str | None = None, template: SiteTemplate | None = None,
            model: Model | None = None, prepared: tuple | None = None) -> Analysis:
    """Decide every line of a capture (lines need not be stripped; blank ones are skipped).
    `prepared`: prepare(lines, lang_hint), when the caller already has it."""
    model = model or MODEL
    texts = [line.strip() for line in lines]
    idx = [i for i, t in enumerate(texts) if t]
    kept_lines = [texts[i] for i in idx]
    result = Analysis(lines=texts, reasons=["blank" if not t else None for t in texts])
    if not kept_lines:
        return result
    bp_reasons, datelines, X = prepared or prepare(kept_lines, lang_hint)
    col = {name: k for k, name in enumerate(NAMES)}
    clean_text = looks_clean(X, col)
    # On short pages, a paragraph of several sentences counts as prose whatever its
    # language (the prose feature needs the stop words of the page's one guessed language).
    short_page = len(kept_lines) <= SHORT_PAGE_LINES
    paragraphs = np.array([short_page and _paragraph_like(line) for line in kept_lines])
    prose = X[:, col["prose"]] > 0
    if clean_text:
        keep = np.ones(len(kept_lines), dtype=bool)
    elif model is not None:
        keep = model.keep(X)
        if not (keep & prose).any():  # an article has a body: fall back to the main prose run
            keep = keep | (prose & (X[:, col["in_region"]] > 0))
        if short_page:
            keep = _grow_prose_runs(keep, prose | paragraphs)
        if mostly_prose(kept_lines, X, col):
            keep = keep | prose
    else:  # no model file: prose lines only
        keep = prose.copy()
    norm = normalise_lines(kept_lines)
    reasons: list[str | None] = [None] * len(kept_lines)
    dates: list[tuple[int, FoundDate]] = []
    if clean_text:
        datelines = _clean_text_datelines(kept_lines, datelines)
    # In clean text, many dated lines are a list's entries (a changelog, posts by date), and
    # a dateline between two sentences is a line of the text: they give the page's dates
    # but stay text.
    dated_list = clean_text and sum(d is not None for d in datelines) > CLEAN_MAX_DATELINES
    dated_text = _between_sentences(kept_lines) if clean_text else [False] * len(kept_lines)
    for k, line in enumerate(kept_lines):
        if template and template.line_pages:
            count = template.line_pages.get(hash_normalised(norm[k]), 0)
            if _is_template(line, count, template):
                reasons[k] = "template"
                continue
        found = datelines[k]
        if found:
            dates.append((k, found))
            if not (dated_list or dated_text[k]):
                reasons[k] = "date"
                continue
        reasons[k] = bp_reasons[k]

    # Plain lists: indexing numpy arrays one element at a time is slow in these loops.
    keep = keep.tolist()
    prose = X[:, col["prose"]].tolist()
    units = np.expm1(X[:, col["log_units"]]).tolist()
    # A sentence between two kept sentences is spared in clean text only: on pages with menus
    # the lines it would spare are clutter ("Read More: ...", "Image source: Getty Images.").
    spare_phrases_in_prose(kept_lines, reasons, keep, prose, units, between_prose=clean_text)
    body_start = _body_start(kept_lines, reasons, keep, prose)
    if not clean_text:
        _drop_head_menu(kept_lines, keep, units, body_start)
    dated = frozenset(k for k, _ in dates)
    paragraph_lines = frozenset(np.flatnonzero(paragraphs).tolist())
    clean_stop = page_stopwords(kept_lines, lang_hint) if clean_text else None
    t = _assign_title(kept_lines, norm, reasons, keep, body_start, dated, clean_stop, paragraph_lines)
    lede = _keep_lede(kept_lines, norm, reasons, keep, units, t, body_start)
    if lede is not None:
        body_start = lede
        if t is None:  # the headline sits just above the body, which now starts earlier
            t = _assign_title(kept_lines, norm, reasons, keep, body_start, dated, clean_stop, paragraph_lines)
    if t is not None:
        result.title = kept_lines[t]
    if not clean_text:
        _keep_split_sentences(kept_lines, reasons, keep)
    headline_words: set[str] = set()
    why = zip(units,
              *(X[:, col[name]].tolist() for name in ("repeated", "camel", "head_zone", "tail_zone")))
    for k, facts in enumerate(why):
        if reasons[k] is None and not keep[k]:
            reasons[k] = _model_reason(kept_lines[k], *facts)
        if reasons[k] in ("title", "headline", "related") and k < body_start + 1:
            headline_words.update(w.lower() for w in _WORDS.findall(kept_lines[k]))
    if result.title:
        headline_words.update(w.lower() for w in _WORDS.findall(result.title))

    if not clean_text and DROP_REPEATED_BODY:
        _drop_repeats(norm, reasons, units)
    if clean_text and all(r is not None for r in reasons):
        # A clean text the rules would empty (one dateline-like sentence, a note that
        # quotes a phrase rule) is the user's content: stored whole rather than lost.
        reasons = [r if r == "template" else None for r in reasons]
    _choose_dates(result, [(k, f) for k, f in dates])
    for k, i in enumerate(idx):
        result.reasons[i] = reasons[k]
        if reasons[k] is None and headline_words:
            fixed = _unglue(kept_lines[k], headline_words)
            if fixed:
                result.fixed[i], result.cut[i] = fixed
    return result


# The lede: the first sentence-like line after the headline or dateline, at most this many
# short lines (bylines, share bars) below it, and kept body at most this many lines below.
LEDE_MAX_SKIP = 4
LEDE_MAX_GAP = 3
LEDE_MIN_UNITS = 8


# A dateline carries a few framing words ("Published:", "by the editor"); in clean text, a
# line ending a sentence with more words than this beside its date is a sentence that holds
# a date ("25 Kasım 1993 Manisa doğumlu.", "Consiglio 16 gennaio 2013, pomeriggio."), text.
CLEAN_DATELINE_MAX_WORDS = 1


def _clean_text_datelines(lines, datelines) -> list:
    return [found if found is None or not ends_sentence(line)
            or parse_dateline(line, CLEAN_DATELINE_MAX_WORDS) else None
            for line, found in zip(lines, datelines)]


def _between_sentences(lines) -> list[bool]:
    ends = [ends_sentence(line) for line in lines]
    return [0 < k < len(lines) - 1 and ends[k - 1] and ends[k + 1] for k in range(len(lines))]


def _sentence_like(line: str, units: float) -> bool:
    return units >= LEDE_MIN_UNITS and ends_sentence(line)


def _keep_lede(lines, norm, reasons, keep, units, title, body_start) -> int | None:
    """Keep the paragraphs between the headline (or dateline) and the body's first kept
    prose line: the classifier sees them at the edge of the prose run, where it learnt
    that prose is often teaser, but a lede right under its headline is the article's.
    Returns where the body now starts, or None."""
    anchors = [k for k in range(body_start) if reasons[k] in ("date", "title", "headline")]
    if title is not None and title < body_start:
        anchors.append(title)
    if not anchors:
        return None
    k, skipped = max(anchors) + 1, 0
    while k < body_start and (reasons[k] is not None or not _sentence_like(lines[k], units[k])):
        if reasons[k] is None:  # a byline or label between headline and lede
            skipped += 1
            if skipped > LEDE_MAX_SKIP or units[k] >= LEDE_MIN_UNITS:
                return None
        k += 1
    if k >= body_start or body_start - k > LEDE_MAX_GAP:
        return None
    for j in range(k, body_start):
        if reasons[j] is not None or not _sentence_like(lines[j], units[j]):
            continue
        prefix = norm[j][:60]  # a teaser repeated further down is not the lede
        if any(norm[i].startswith(prefix) for i in range(len(lines)) if i != j):
            break
        keep[j] = True
    return k if keep[k] else None


# A page's body says a thing once: a kept line that repeats an earlier kept line (a product's
# feature carousel printed twice, a heading echoed in a sticky bar) is a copy. Clean texts
# are exempt (a refrain, a repeated chorus is the user's).
DROP_REPEATED_BODY = False
REPEAT_MIN_UNITS = 2


def _drop_repeats(norm, reasons, units) -> None:
    seen: set[str] = set()
    for k, r in enumerate(reasons):
        if r is not None or units[k] < REPEAT_MIN_UNITS:
            continue
        if norm[k] in seen:
            reasons[k] = "repeat"
        seen.add(norm[k])


# Text split at inline elements (a code span, a link) comes as fragments of one sentence,
# each line continuing the one above: that one ends neither a sentence nor a clause (";",
# ":" end a list's item or its lead-in), and this one opens with a lower-case letter or with
# punctuation no sentence opens with. An upper-case fragment between two continuing lines
# ("... named in its / FROM / clause") belongs to them. The classifier sees each fragment as
# a short line; judged together, a chain holding a kept line is body.
_CONTINUATION_OPEN = frozenset(",.;:)]}»”’%")


def _fragment_links(lines) -> list[bool]:
    """Per line, whether it is linked to the line above (the first: False)."""
    opens = [False] + [c in _CONTINUATION_OPEN or (c.isalpha() and c.islower())
                       for c in (line[:1] for line in lines[1:])]
    # only lines that may be continued are tested for their end (most are not)
    n = len(lines)
    open_end = [False] * n
    for k in range(n):
        if (k + 1 < n and opens[k + 1]) or (k + 2 < n and opens[k + 2]):
            open_end[k] = not ends_clause_or_sentence(lines[k])
    above = [k > 0 and opens[k] and open_end[k - 1] for k in range(n)]
    return [k > 0 and (above[k] or (k + 1 < n and above[k + 1] and open_end[k - 1])) for k in range(n)]


def _keep_split_sentences(lines, reasons, keep) -> None:
    """Keep the classifier-dropped lines of a chain of fragments (at least two lines) that
    holds a kept line."""
    links = _fragment_links(lines)
    start = 0
    for k in range(1, len(lines) + 1):
        if k < len(lines) and links[k]:
            continue
        if k - start >= 2 and any(keep[j] and reasons[j] is None for j in range(start, k)):
            for j in range(start, k):
                if reasons[j] is None:
                    keep[j] = True
        start = k


def _drop_head_menu(lines, keep, units, body_start) -> None:
    """A run of CLEAN_MAX_SHORT_RUN or more one-to-three-word lines above the body is a menu,
    whatever the classifier thought (it learnt that listings' short item lines are body)."""
    run: list[int] = []
    for k in range(body_start + 1):
        if k < body_start and units[k] < 4 and not ends_sentence(lines[k]):
            run.append(k)
            continue
        if len(run) > CLEAN_MAX_SHORT_RUN:
            for j in run:
                keep[j] = False
        run = []


def _body_start(lines, reasons, keep, prose) -> int:
    """The first kept prose line (else the first kept non-headline line)."""
    start = next((k for k in range(len(lines)) if keep[k] and reasons[k] is None and prose[k]), None)
    if start is None:
        start = next((k for k in range(len(lines)) if keep[k] and reasons[k] is None
                      and not _headline_like(lines[k])), len(lines))
    return start


# The head of the first of several items (a listing item's title over its snippet, a docs
# heading over its prose) sits where an alternate headline does. It is told by its items'
# layout: the next items follow at once, each a head over a sentence after a line that ends
# no sentence (the meta or code line closing the item before), at most ITEM_MAX_LINES apart.
# An article's subheadings follow paragraphs, and a byline heads no run of such items.
ITEM_HEAD_REPEATS = 2
ITEM_MAX_LINES = 6


def _over_sentence(lines: list[str], j: int) -> bool:
    """Line j reads as a head over a sentence line."""
    return (j + 1 < len(lines) and _headline_like(lines[j])
            and ends_sentence(lines[j + 1]) and not _headline_like(lines[j + 1]))


def _item_head(lines: list[str], reasons: list[str | None], j: int) -> bool:
    """Line j heads an item: over a sentence, after a line that closes the item before
    without ending a sentence."""
    return (_over_sentence(lines, j) and reasons[j] is None and reasons[j + 1] is None
            and not ends_sentence(lines[j - 1]) and not _headline_like(lines[j - 1]))


def _heads_first_item(lines: list[str], reasons: list[str | None], k: int) -> bool:
    """Line k heads the first of a run of items of one shape (ITEM_HEAD_REPEATS more follow)."""
    if not _over_sentence(lines, k):
        return False
    head = k
    for _ in range(ITEM_HEAD_REPEATS):
        head = next((j for j in range(head + 3, head + ITEM_MAX_LINES + 1) if _item_head(lines, reasons, j)), None)
        if head is None:
            return False
    return True


def _assign_title(lines, norm, reasons, keep, body_start, dated=frozenset(),
                  clean_stop: frozenset[str] | None = None, paragraphs: frozenset[int] = frozenset()) -> int | None:
    """Pick the headline; mark it, its repeats and alternate headlines under it.
    `clean_stop`: the stop words of a clean text, whose headline must speak of its text.
    `paragraphs`: lines of several sentences, neither headline nor alternate headline."""
    t = _pick_title(lines, norm, reasons, body_start, dated | paragraphs)
    if t is None or not any(keep[k] and reasons[k] is None and norm[k] != norm[t] for k in range(len(lines))):
        return None  # (the headline would be all that is left: the text is all content)
    if clean_stop is not None and not speaks_of(
            lines[t], [lines[k] for k in range(max(t + 1, body_start), len(lines)) if reasons[k] is None],
            clean_stop):
        return None  # (a first line unrelated to the rest is one more line of the text)
    for k in range(len(lines)):
        if reasons[k] is None and norm[k] == norm[t]:
            reasons[k] = "title"
    # Alternate headlines (a second, shorter headline right under the first) go too.
    for k in range(t + 1, body_start):
        if reasons[k] is not None:
            continue
        if k in paragraphs or not _headline_like(lines[k]) or word_units(lines[k]) > ALT_HEADLINE_WORDS:
            break
        if _heads_first_item(lines, reasons, k):
            keep[k] = True  # the first item's head, as the items below it (the classifier reads it as a label)
            break
        reasons[k] = "headline"
    return t


def _choose_dates(result: Analysis, dates: list[tuple[int, FoundDate]]) -> None:
    """Published: the first dateline that carries a time (a bare date at the very top is
    usually the site's 'today' header), else the first dateline. Updated: the first that
    says so."""
    published = [f for _, f in dates if not f.updated]
    updated = [f for _, f in dates if f.updated]
    # a time written without a zone takes one another dateline of the page gives that day
    offsets = offsets_by_date(_stated(f) for _, f in dates)
    if published:
        with_time = [f for f in published if f.has_time]
        result.published, result.published_local = stored(_stated((with_time or published)[0]), offsets)
    if updated:
        result.updated, result.updated_local = stored(_stated(updated[0]), offsets)


def _stated(found: FoundDate) -> Stated | None:
    day, _, time = found.iso.partition("T")
    if not time:
        return stated(day)
    hour, minute = time.split(":")
    return stated(day, int(hour), int(minute), zone=found.zone)


def classify_lines(lines: list[str], lang_hint: str | None = None,
                   template: SiteTemplate | None = None) -> list[tuple[str, str | None]]:
    """(line, None) for body lines, (line, reason) for the rest, in input order; usable on
    any list of lines (a capture, or text an HTML extractor produced). Blank lines come back
    as (line, "blank"); a body line that had a related headline glued in comes back cut.
    `lang_hint` (ISO 639-1) picks the stop-word list instead of guessing it."""
    a = analyse(lines, lang_hint, template)
    return [(a.fixed.get(i, line), reason) for i, (line, reason) in enumerate(zip(a.lines, a.reasons))]


def clean_capture(page: CleanPage, ctx: Context) -> CleanPage:
    if page.kind != "text":
        return page
    lines = page.document.splitlines()
    page.line_hashes = page_line_hashes(page.document)
    a = analyse(lines, None, ctx.template)
    for line, reason in zip(a.lines, a.reasons):
        if reason and reason != "blank":
            page.drop(line, reason)
    for i, cut in a.cut.items():
        page.drop(cut, "glued-headline")
    page.text = "\n\n".join(a.body)
    page.title = page.title or a.title
    if not page.published:
        page.published, page.published_local = a.published, a.published_local
    if not page.updated:
        page.updated, page.updated_local = a.updated, a.updated_local
    return page
