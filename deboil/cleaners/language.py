"""Language of the clean text: page language with a probability, and the share of each
language by paragraph (`page.langs`), ISO 639-1 codes, `und` when too short to tell.

Detector, chosen by measurement on bench/language (`python -m bench.language`):
py3langid restricted to the 55 languages langdetect ships profiles for. On sentences it
is right 0.992 of the time where seeded langdetect is 0.981, on two-word phrases 0.87 vs
0.81, and it costs well under a millisecond a paragraph where langdetect costs ~12 ms a
page. Consulting langdetect when py3langid is unsure added errors on every set we tried,
so langdetect (seeded) is kept only as the fallback if py3langid cannot load.
"""
from __future__ import annotations

import importlib.metadata
import re
import unicodedata
from functools import lru_cache

from deboil.cleaners.cache import cache_dir
from deboil.models import CleanPage
from deboil.cleaners.encoding.plausibility import script_of
from deboil.models import Context

# Text with fewer letters than this (CJK/Thai/Hangul characters count 3) is short: a
# guess is accepted only with probability >= SHORT_MIN_PROB, else `und`. Tuned on the
# even lines of the bench, confirmed on the odd ones.
SHORT_LETTERS = 20
SHORT_MIN_PROB = 0.5
MIN_LETTERS = 3  # below this nothing is said at all
# Paragraph shares: paragraphs shorter than this are ignored (captions, bylines), and a
# paragraph is judged on its first PARA_SAMPLE characters (enough; keeps long pages fast).
PARA_MIN_LETTERS = 30
PARA_SAMPLE = 120
PER_GROUP = 6
MAX_PARAS = 60
PARA_MIN_PROB = 0.5
PAGE_SAMPLE = 2000
MIN_SHARE = 0.05

# Macrolanguage and regional codes folded to the ISO 639-1 code a corpus user expects.
_FOLD = {"zh-cn": "zh", "zh-tw": "zh", "no": "nb", "wuu": "zh", "yue": "zh"}

_DENSE = re.compile(r"[\u0e00-\u0e7f\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_NON_LETTERS = re.compile(r"[\W\d_]+")
_WIDE_LETTER = re.compile(r"[^\x00-\x7f\W\d_]")
_PARAS = re.compile(r"\n\s*\n")
# [^\W\d_] on ASCII text is [A-Za-z]: the other ASCII bytes, deleted in C
_ASCII_NON_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
_ASCII = bytes(range(128))
_ASCII_NON_LETTERS_AND_WIDE = _ASCII_NON_LETTERS + bytes(range(128, 256))


def _letters(text: str) -> int:
    """Letters, with dense scripts weighted 3 (a CJK character carries a word's worth).
    Whether a character is a letter depends on it alone, so the ASCII letters are counted
    in C over the UTF-8 bytes, and only the other characters (UTF-8 less its ASCII bytes:
    a curly quote or an accent here and there in most Latin text) are left to the regexes,
    which counted the runs of non-letters of the whole text, about one a word."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _ASCII_NON_LETTERS))
    data = text.encode("utf-8", "surrogatepass")
    wide = data.translate(None, _ASCII).decode("utf-8", "surrogatepass")
    n = len(data.translate(None, _ASCII_NON_LETTERS_AND_WIDE)) + len(wide) - sum(map(len, _NON_LETTERS.findall(wide)))
    return n + 2 * sum(map(len, _DENSE.findall(wide)))


@lru_cache(maxsize=1)
def _langdetect_codes() -> list[str]:
    from importlib import resources

    return sorted(p.name for p in (resources.files("langdetect") / "profiles").iterdir())


def _build_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    wanted = {c.split("-")[0] for c in _langdetect_codes()}
    ident.set_languages(sorted(wanted & set(ident.nb_classes)))
    return ident


@lru_cache(maxsize=1)
def _identifier():
    """py3langid with calibrated probabilities, limited to langdetect's languages, its byte
    walk done in numpy (langid_fast.py: the same scores). Decompressing its LZMA model costs
    ~0.35 s per process; the built identifier is kept in the per-user cache, keyed by both
    libraries' versions, its big arrays memory-mapped from there."""
    from deboil.cleaners.langid_fast import mapped

    key = ["py3langid-mapped", *(importlib.metadata.version(lib) for lib in ("py3langid", "langdetect")),
           "2"]  # bump when _build_identifier or langid_fast's files change
    return mapped(cache_dir() / "-".join(key), _build_identifier)


def _langdetect(text: str) -> tuple[str, float]:
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0
    best = detect_langs(text)[0]
    return best.lang, best.prob


def _classify(text: str) -> tuple[str, float]:
    # NFKC folds presentation forms and full-width letters (ﺐِﺒْﺣَﺃ, ｔｅｘｔ) to the
    # ordinary letters the models were trained on.
    text = unicodedata.normalize("NFKC", text)
    try:
        lang, prob = _identifier().classify(text)
    except Exception:  # model missing or broken: fall back to the slow detector
        lang, prob = _langdetect(text)
    return _FOLD.get(lang, lang), float(prob)


def identify(text: str) -> tuple[str, float]:
    """(ISO 639-1 code or 'und', probability) for one piece of text. Never raises."""
    try:
        letters = _letters(text)
        if letters < MIN_LETTERS:
            return "und", 0.0
        lang, prob = _classify(text[:PAGE_SAMPLE])
        if letters < SHORT_LETTERS and prob < SHORT_MIN_PROB:
            return "und", prob
        return lang, prob
    except Exception:
        return "und", 0.0


def _script_key(text: str) -> str:
    """Dominant script of a paragraph's first letters: paragraphs in another script (a
    Russian block in an English page) are sampled separately, so they are never missed."""
    m = _WIDE_LETTER.search(text, 0, 200)
    return script_of(m.group()) if m else "LATIN"


def _paragraphs(text: str) -> list[str]:
    paras = _PARAS.split(text)
    return paras if len(paras) > 1 else text.split("\n")


def page_languages(text: str) -> tuple[str, float, dict[str, float]]:
    """(page language, probability, {language: share of letters}) judged by paragraph.

    Paragraphs are grouped by script; within a group PER_GROUP evenly spaced paragraphs
    are classified, each standing for its group's letters in proportion to its own. If
    they disagree the group is mixed and every paragraph is classified (up to MAX_PARAS).
    Homogeneous pages, the common case, stay cheap; minority-script blocks are always
    seen; a same-script minority is seen when the sample catches it.
    """
    paras = [(p, n) for p in _paragraphs(text) if (n := _letters(p)) >= PARA_MIN_LETTERS]
    if len(paras) <= 1:
        lang, prob = identify(text)
        return lang, prob, ({lang: 1.0} if lang != "und" else {})
    groups: dict[str, list[tuple[str, int]]] = {}
    for p, n in paras:
        groups.setdefault(_script_key(p), []).append((p, n))
    votes: dict[str, float] = {}
    prob_mass: dict[str, float] = {}
    for members in groups.values():
        step = max(1, len(members) // PER_GROUP)
        sample = members[::step][:PER_GROUP]
        judged = [(n, *identify(p[:PARA_SAMPLE])) for p, n in sample]
        if len({lang for _, lang, _ in judged}) > 1 and len(sample) < len(members):
            # the sample disagrees: a mixed group, so judge every paragraph (capped)
            sample = members[:MAX_PARAS]
            judged = [(n, *identify(p[:PARA_SAMPLE])) for p, n in sample]
        group_letters = sum(n for _, n in members)
        sample_letters = sum(n for _, n in sample)
        for n, lang, prob in judged:
            if lang == "und" or prob < PARA_MIN_PROB:
                continue  # a list of product names or a byline: no vote
            w = group_letters * n / sample_letters
            votes[lang] = votes.get(lang, 0.0) + w
            prob_mass[lang] = prob_mass.get(lang, 0.0) + w * prob
    total = sum(votes.values())
    if not total:
        lang, prob = identify(text)
        return lang, prob, ({lang: 1.0} if lang != "und" else {})
    shares = {k: v / total for k, v in votes.items() if v / total >= MIN_SHARE}
    norm = sum(shares.values())
    shares = {k: round(v / norm, 3) for k, v in sorted(shares.items(), key=lambda kv: -kv[1])}
    top = next(iter(shares))
    return top, prob_mass[top] / votes[top], shares


def detect_language(page: CleanPage, ctx: Context) -> CleanPage:
    try:
        lang, prob, shares = page_languages(page.text)
    except Exception:  # a bad page never stops a run
        lang, prob, shares = "und", 0.0, {}
    page.lang, page.lang_confidence, page.langs = lang, round(prob, 4), shares
    return page
