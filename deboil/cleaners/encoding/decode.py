"""Bytes to text: BOM, HTTP charset, <meta> charset, strict UTF-8, then a detector.

A declaration is believed only when the bytes agree with it: they must decode under it
strictly, and a legacy declaration must not read much less plausibly than the best
candidate codec, UTF-8 included (a cp1251 page labelled windows-1252 decodes without
error but reads as "Ïðèâåò"). A contradicted declaration is flagged `charset_mismatch`.
HTML5 label rules apply: iso-8859-1, ascii and latin1 mean windows-1252.

Detector: chardet 7, its guess re-ranked against the close relatives of that codec by
`plausibility.penalty`, keeping chardet's guess on near-ties or when the rival wins only
a minority of the disputed words. Raw bytes of the 312 bench pages, no declaration used
(`python -m bench.encoding --detectors`): charset-normalizer 269, chardet 7 alone 302,
own plausibility over all candidates 296, chardet + re-rank 303 (the 9 left are pages
whose truth keeps a C1 control U+0092 that a cp1252 reading shows as "’").
chardet wins on short pages because it models byte statistics per language; our scoring
adds what it lacks: cp1252 vs iso-8859-15 (œ vs ½), cp1250 vs iso-8859-2, shift_jis vs cp932.
"""
from __future__ import annotations

import codecs
import re

import chardet

from deboil.models import CleanPage, RawPage
from deboil.cleaners.encoding.plausibility import penalty

_BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
# <meta charset=x> and <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)

# HTML5 (WHATWG) label rules: these labels mean the Windows superset.
_HTML5_ALIASES = {
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "tis_620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "ks_c_5601_1987": "cp949",
}
# Vendor supersets to fall back on when the standard codec rejects the bytes.
_SUPERSET = {"shift_jis": "cp932", "euc_kr": "cp949", "big5": "big5hkscs"}

_STANDARD = {sup: std for std, sup in _SUPERSET.items()}

# Codecs a legacy web page is likely to be in, most common first (ties go to the first).
CANDIDATES = [
    "cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r", "koi8_u", "iso8859_5",
    "cp1253", "iso8859_7", "cp1254", "cp1255", "iso8859_8", "cp1256", "iso8859_6",
    "cp1257", "iso8859_13", "cp874", "shift_jis", "cp932", "euc_jp", "gb18030", "big5",
    "euc_kr", "cp949",
]
# Codecs that agree on most bytes, so a detector confuses them; re-ranked by plausibility.
_FAMILIES = [
    {"cp1252", "iso8859_15", "latin_1", "cp1250", "iso8859_2", "cp1254", "cp1257", "iso8859_13"},
    {"cp1251", "koi8_r", "koi8_u", "iso8859_5", "mac_cyrillic"},
    {"cp1253", "iso8859_7"},
    {"cp1255", "iso8859_8"},
    {"cp1256", "iso8859_6"},
    {"cp874"},
    {"shift_jis", "cp932", "euc_jp"},
    {"gb18030", "big5"},
    {"euc_kr", "cp949"},
]
# A declaration loses to a candidate only by a clear margin (penalty units per non-ASCII char).
MISMATCH_MARGIN = 3.0
# ... and by this much in total, so that a page with two accented letters keeps its label.
MISMATCH_MIN_TOTAL = 40.0
# Within a family, the detector's own guess stands unless beaten by this much.
RERANK_MARGIN = 0.3


def norm_codec(name: str | None) -> str | None:
    """Python codec name for a charset label, with HTML5 superset rules applied."""
    if not name:
        return None
    try:
        canon = codecs.lookup(name.strip().strip("\"'")).name.replace("-", "_")
    except LookupError:
        return None
    return _HTML5_ALIASES.get(canon, canon)


def _strict(body: bytes, enc: str) -> str | None:
    try:
        return body.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_declared(body: bytes, enc: str) -> tuple[str, str] | None:
    text = _strict(body, enc)
    if text is not None:
        return text, enc
    sup = _SUPERSET.get(enc)
    if sup and (text := _strict(body, sup)) is not None:
        return text, sup
    return None


_NON_ASCII_TOKEN = re.compile(rb"[^\s<>\"'=]*[\x80-\xff][^\s<>\"'=]*")


def _sample(body: bytes, max_tokens: int = 200) -> bytes:
    """The whitespace-delimited tokens holding non-ASCII bytes: all that tells codecs apart."""
    out = []
    for m in _NON_ASCII_TOKEN.finditer(body):
        out.append(m.group())
        if len(out) >= max_tokens:
            break
    return b" ".join(out)


def _wide_bytes(body: bytes) -> int:
    sample = _sample(body)
    return sum(b >= 0x80 for b in sample)


def rank_codecs(body: bytes, codecs_: list[str] | None = None) -> list[tuple[float, str]]:
    """(penalty per non-ASCII byte, codec) for each candidate that decodes `body` strictly."""
    sample = _sample(body)
    n = max(1, sum(b >= 0x80 for b in sample))
    ranked = []
    seen: dict[str, float] = {}  # many codecs read a given sample identically
    for i, enc in enumerate(codecs_ or CANDIDATES):
        text = _strict(sample, enc)
        if text is None or _strict(body, enc) is None:
            continue
        if text not in seen:
            seen[text] = penalty(text, max_words=10**9)[0] / n
        ranked.append((seen[text], i, enc))
    ranked.sort()
    return [(score, enc) for score, _, enc in ranked]


def _wins_words(body: bytes, challenger: str, incumbent: str) -> bool:
    """True if `challenger` reads more of the words the two codecs disagree on better."""
    sample = _sample(body)
    a, b = sample.decode(challenger).split(), sample.decode(incumbent).split()
    if len(a) != len(b):
        return True
    won = lost = 0
    for x, y in set(zip(a, b)):
        if x != y:
            cx, cy = penalty(x)[0], penalty(y)[0]
            won += cx < cy
            lost += cy < cx
    return won > lost


def _family(enc: str) -> list[str]:
    for fam in _FAMILIES:
        if enc in fam:
            return [enc] + [c for c in CANDIDATES if c in fam and c != enc]
    return [enc]


def detect(body: bytes) -> str | None:
    """Best codec for undeclared legacy bytes: chardet's guess, re-ranked within its family."""
    guess = norm_codec((chardet.detect(body) or {}).get("encoding"))
    if guess in ("utf_8", "ascii", None):
        ranked = rank_codecs(body)
    else:
        ranked = rank_codecs(body, _family(guess))
        if not ranked:
            ranked = rank_codecs(body)
        scores = {enc: score for score, enc in ranked}
        base = _STANDARD.get(guess)
        if base in scores and scores[base] - scores.get(guess, scores[base]) <= RERANK_MARGIN:
            guess = base  # bytes valid in the standard codec: read them the standard way
        if guess in scores and (
            scores[guess] - ranked[0][0] <= RERANK_MARGIN or not _wins_words(body, ranked[0][1], guess)
        ):
            # near-tie, or the better total comes from a few words only: the detector's
            # statistics over the whole page know more than those words do
            return guess
    return ranked[0][1] if ranked else None


def _contradicted(body: bytes, text: str, enc: str) -> str | None:
    """A better codec when the bytes read much less plausibly under the declared one."""
    if enc in ("utf_8", "utf_16", "utf_32") or text.isascii():
        return None
    # UTF-8 is a candidate too: pages labelled windows-1252 that are really UTF-8 are common
    ranked = rank_codecs(body, [enc, "utf_8"] + [c for c in CANDIDATES if c != enc])
    scores = dict((e, s) for s, e in ranked)
    best_score, best = ranked[0]
    gap = scores.get(enc, float("inf")) - best_score
    if best != enc and gap > MISMATCH_MARGIN and gap * _wide_bytes(body) > MISMATCH_MIN_TOTAL:
        return best
    return None


def bomless_utf16(body: bytes) -> str | None:
    """'utf_16_le' or 'utf_16_be' for UTF-16 text saved without a byte-order mark (some
    Windows tools do), told by where its NUL bytes fall: the high byte of each Latin
    character, at every odd (LE) or even (BE) offset, and almost nowhere else."""
    head = body[:8192]
    head = head[:len(head) - len(head) % 2]
    if len(head) < 16:
        return None
    half = len(head) // 2
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for enc, nuls, others in (("utf_16_le", odd, even), ("utf_16_be", even, odd)):
        if nuls > half * 0.3 and others < half * 0.02:
            try:
                head.decode(enc)
            except UnicodeDecodeError:
                continue
            return enc
    return None


def decode_bytes(body: bytes, content_type: str | None = None, is_html: bool = True):
    """Return (text, encoding, source, mismatch)."""
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(enc, errors="replace"), enc.replace("-", "_"), "bom", False
    if b"\0" in body[:8192] and (enc := bomless_utf16(body)):
        return body.decode(enc, errors="replace"), enc, "detector", False
    declared: list[tuple[str, str]] = []
    if content_type and (m := _HEADER_CHARSET.search(content_type)) and (enc := norm_codec(m.group(1))):
        declared.append((enc, "http"))
    if is_html and (m := _META_CHARSET.search(body[:4096])):
        if enc := norm_codec(m.group(1).decode("ascii", "ignore")):
            declared.append((enc, "meta"))
    mismatch = False
    for enc, source in declared:
        got = _decode_declared(body, enc)
        if got is None:
            mismatch = True
            continue
        text, used = got
        better = _contradicted(body, text, used)
        if better is None:
            return text, used, source, mismatch
        return body.decode(better), better, "utf-8" if better == "utf_8" else "detector", True
    text = _strict(body, "utf-8")
    if text is not None:
        return text, "utf_8", "utf-8", mismatch
    enc = detect(body)
    if enc is not None:
        return body.decode(enc), enc, "detector", mismatch
    return body.decode("utf-8", errors="replace"), "utf_8", "fallback", mismatch


_LABELS = {"mac_roman": "macintosh",
           "utf_16_le": "utf-16le", "utf_16_be": "utf-16be", "utf_32_le": "utf-32le",
           "utf_32_be": "utf-32be", "iso2022_jp": "iso-2022-jp"}


def charset_label(codec: str) -> str:
    """The name users know from HTTP and HTML (utf-8, windows-1251, iso-8859-7, koi8-r)
    for a Python codec name (utf_8, cp1251, iso8859_7, koi8_r)."""
    if codec in _LABELS:
        return _LABELS[codec]
    if m := re.fullmatch(r"cp(125\d)", codec):
        return f"windows-{m.group(1)}"
    if m := re.fullmatch(r"iso8859_(\d+)", codec):
        return f"iso-8859-{m.group(1)}"
    return codec.replace("_", "-") if codec not in ("shift_jis", "euc_jis_2004") else codec


def decode(raw: RawPage) -> CleanPage:
    text, enc, source, mismatch = decode_bytes(
        raw.body, raw.headers.get("content-type"), is_html=raw.kind == "html"
    )
    page = CleanPage(
        url=raw.url, kind=raw.kind, site=raw.site, source=raw.source, fetched_at=raw.fetched_at,
        document=text, encoding=charset_label(enc), encoding_source=source,
    )
    if mismatch:
        page.flag("charset_mismatch")
    elif source in ("detector", "fallback"):
        page.flag("invalid_utf8")
    return page
