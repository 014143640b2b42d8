"""Encoding benchmark: decoding legacy pages, restoring mojibake captures, no false repairs.

Run: PYTHONPATH=. python -m bench.encoding [--detectors]

"Exact body" for a page: after decoding (and the mojibake step), HTML entities resolved,
every paragraph of the truth body is present verbatim in the decoded document. A wrong
codec changes at least one non-ASCII letter of some paragraph, so this is exact on the
text while ignoring markup.
"""
from __future__ import annotations

import html
import json
import re
import sys
import time
from collections import Counter

import ftfy

from bench.paths import find_shared
from deboil.cleaners.encoding.damage import fix_controls
from deboil.cleaners.encoding.decode import decode, detect, rank_codecs
from deboil.models import CleanPage, RawPage
from deboil.cleaners.encoding.mojibake import fix_mojibake
from deboil.models import Context
from deboil.cleaners.encoding.repair import repair_text


def load_truth():
    root = find_shared() / "bench" / "encoding"
    return root, json.loads((root / "truth.json").read_text(encoding="utf-8"))


def body_exact(document: str, body: str, c1_as_cp1252: bool = False) -> bool:
    """Every truth paragraph verbatim in the entity-resolved document.

    With `c1_as_cp1252`, C1 controls on both sides are read as the windows-1252 characters
    they stand for (what the repair step does): some French truth bodies carry U+0092 for
    an apostrophe, which a page without a declaration rightly decodes as cp1252 "’"."""
    text = html.unescape(document)
    if c1_as_cp1252:
        text, body = fix_controls(text)[0], fix_controls(body)[0]
    return all(p in text for p in body.split("\n\n"))


def raw_page(root, key, item) -> RawPage:
    headers = {}
    if item.get("declared") == "header" and item.get("http_content_type"):
        headers["content-type"] = item["http_content_type"]
    return RawPage(url=key, body=(root / "pages" / f"{key}.html").read_bytes(), headers=headers)


def bench_pages(root, truth, show_failures=True):
    ok, ok_c1, total, flagged = Counter(), Counter(), Counter(), Counter()
    t0 = time.perf_counter()
    for key, item in truth.items():
        if "charset" not in item:
            continue
        group = item["declared"]
        page = decode(raw_page(root, key, item))
        page = fix_mojibake(page, Context())
        good = body_exact(page.document, item["body"])
        total[group] += 1
        ok[group] += good
        ok_c1[group] += body_exact(page.document, item["body"], c1_as_cp1252=True)
        flagged[group] += bool(page.issues.get("charset_mismatch"))
        if not good and show_failures:
            print(f"  FAIL {key}: got {page.encoding} via {page.encoding_source}")
    ms = (time.perf_counter() - t0) * 1000 / max(1, sum(total.values()))
    print("Pages: exact bodies per declaration group | same, C1 controls read as cp1252 both sides | charset_mismatch flagged")
    for g in ("header", "meta", "none", "wrong"):
        print(f"  {g:7s} {ok[g]:3d}/{total[g]:3d} = {ok[g] / max(1, total[g]):.1%}"
              f"   | {ok_c1[g]:3d}/{total[g]} = {ok_c1[g] / max(1, total[g]):.1%}   | flagged {flagged[g]}")
    print(f"  all     {sum(ok.values())}/{sum(total.values())}   {ms:.2f} ms/page (decode+mojibake)")


def bench_detectors(root, truth):
    """Detector choice: each candidate alone on the bytes of all 312 pages, declarations ignored."""
    import chardet
    import charset_normalizer

    def cn(b):
        r = charset_normalizer.from_bytes(b).best()
        return r.encoding if r else None

    def own(b):
        r = rank_codecs(b)
        return r[0][1] if r else None

    dets = {"charset-normalizer": cn, "chardet 7": lambda b: chardet.detect(b)["encoding"],
            "own plausibility": own, "chardet + family re-rank (used)": detect}
    print("Detectors on raw bytes (no declaration used), exact bodies of 312 pages")
    for name, f in dets.items():
        good, t0 = 0, time.perf_counter()
        n = 0
        for key, item in truth.items():
            if "charset" not in item:
                continue
            n += 1
            b = (root / "pages" / f"{key}.html").read_bytes()
            enc = f(b)
            try:
                good += body_exact(b.decode(enc), item["body"])
            except Exception:
                pass
        ms = (time.perf_counter() - t0) * 1000 / n
        print(f"  {name:34s} {good}/{n}  {ms:.2f} ms/page")


def bench_captures(root, truth, show_failures=True):
    ours, base, total = Counter(), Counter(), Counter()
    for key, item in truth.items():
        if "mojibake" not in item:
            continue
        codec = item["mojibake"]
        text = (root / "captures" / f"{key}.txt").read_text(encoding="utf-8")
        page = fix_mojibake(CleanPage(url=key, kind="text", document=text), Context())
        total[codec] += 1
        good = page.document.strip() == item["body"].strip()
        ours[codec] += good
        base[codec] += ftfy.fix_encoding(text).strip() == item["body"].strip()
        if not good and show_failures:
            print(f"  FAIL {key}: flags {dict(page.issues)}")
    print("Captures: mojibake restored exactly (ours | ftfy.fix_encoding alone)")
    for c in total:
        print(f"  {c:10s} {ours[c]:3d}/{total[c]}  {ours[c] / total[c]:.1%}   | ftfy {base[c]}/{total[c]}")
    print(f"  all        {sum(ours.values())}/{sum(total.values())}   | ftfy {sum(base.values())}/{sum(total.values())}")


def language_lines():
    root = find_shared() / "bench" / "language"
    for kind in ("sentences", "word-pairs"):
        for f in sorted((root / kind).glob("*.txt")):
            for i, line in enumerate(f.read_text(encoding="utf-8").splitlines()):
                if line.strip():
                    yield f"{kind}/{f.stem}:{i + 1}", line


def pass_through(line: str) -> CleanPage:
    """decode + mojibake + repair on one line, as a UTF-8 text capture."""
    page = decode(RawPage(url="line", body=line.encode("utf-8"), kind="text"))
    page = fix_mojibake(page, Context())
    page.text = page.document
    return repair_text(page, Context())


def _mojibake_signatures() -> set[str]:
    """Accented letters, typographic marks and U+FFFD as they look after UTF-8 was read as
    cp1252/cp1250/cp1251: an oracle independent of the repair code."""
    sigs = set()
    for cp in list(range(0xC0, 0x250)) + list(range(0x2013, 0x2027)) + [0xFFFD]:
        for codec in ("cp1252", "cp1250", "cp1251"):
            sig = chr(cp).encode("utf-8").decode(codec, "replace")
            if "\ufffd" not in sig:
                sigs.add(sig)
    return sigs


_SIGNATURES = _mojibake_signatures()
_VISIBLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]"  # controls, replacement char
    r"|&(#\s*x?[0-9a-fA-F]+|[a-zA-Z]+\d*)\s*;"  # an entity left in text
    r"|,,|[a-z]\.\.(?!\.)"  # doubled punctuation
    r"|[a-zA-Z][а-яА-ЯёіїєґΑ-Ωα-ω]|[а-яА-ЯёіїєґΑ-Ωα-ω][a-zA-Z]"  # Latin glued to Cyrillic/Greek
)


def visible_damage(line: str) -> bool:
    """Does the line visibly carry damage (so a change to it is a repair, not a false one)?"""
    return bool(_VISIBLE.search(line)) or any(sig in line for sig in _SIGNATURES)


def bench_false_repairs(show=True):
    changed, n = [], 0
    for where, line in language_lines():
        n += 1
        page = pass_through(line)
        if page.text != line:
            changed.append((where, line, page.text, dict(page.issues)))
    print(f"False repairs: {len(changed)} of {n} language-bench lines changed by decode+mojibake+repair")
    unexplained = [c for c in changed if not visible_damage(c[1])]
    print(f"  changed lines with no visible damage (false repairs): {len(unexplained)}")
    for where, a, b, issues in unexplained:
        print(f"    {where}: {a!r}\n      -> {b!r}  {issues}")
    by_kind = Counter(where.split("/")[0] for where, *_ in changed)
    print(f"  by set: {dict(by_kind)} (word pairs hold no damage; see --show for every changed line)")
    by_code = Counter(code for *_, issues in changed for code in issues if ":" not in code)
    print("  changed lines by issue code (each change is a repair of damage the line carries):",
          dict(by_code.most_common()))
    if show:
        for where, a, b, issues in changed:
            print(f"  {where}: {a!r}\n      -> {b!r}  {issues}")


# Held-out check: legacy pages and mojibake built from bench/language sentences, which the
# codec rules were not tuned on. Language -> charsets its text is commonly found in.
HELD_OUT_CHARSETS = {
    "ru": ["cp1251", "koi8_r"], "uk": ["cp1251", "koi8_u"], "bg": ["cp1251"], "mk": ["cp1251"],
    "ar": ["cp1256", "iso8859_6"], "fa": ["cp1256"], "ur": ["cp1256"], "el": ["cp1253", "iso8859_7"],
    "he": ["cp1255", "iso8859_8"], "tr": ["cp1254"], "pl": ["cp1250", "iso8859_2"],
    "cs": ["cp1250", "iso8859_2"], "sk": ["cp1250"], "hu": ["cp1250", "iso8859_2"], "hr": ["cp1250"],
    "sl": ["cp1250"], "ro": ["cp1250"], "de": ["cp1252"], "fr": ["cp1252", "iso8859_15"],
    "es": ["cp1252"], "it": ["cp1252"], "pt": ["cp1252"], "nl": ["cp1252"], "sv": ["cp1252"],
    "da": ["cp1252"], "nb": ["cp1252"], "fi": ["cp1252"], "ca": ["cp1252"], "lt": ["cp1257"],
    "lv": ["cp1257"], "et": ["cp1257"], "ja": ["shift_jis", "euc_jp"], "zh": ["gb18030", "big5"],
    "ko": ["euc_kr"], "th": ["cp874"],
}
MOJIBAKE_CODECS = ["cp1252", "latin_1", "cp1251", "koi8_r", "cp1256", "mac_roman"]


def _sloppy_decode(data: bytes, codec: str) -> str:
    """Decode as a lenient upstream system would: undefined bytes keep their code point."""
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def bench_held_out():
    import random

    from deboil.cleaners.encoding.decode import decode_bytes
    from deboil.cleaners.encoding.mojibake import repair_mojibake

    folder = find_shared() / "bench" / "language" / "sentences"
    rng = random.Random(1)
    ok, total = Counter(), Counter()

    def lines_of(lang):
        return [ln for ln in (folder / f"{lang}.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]

    for lang, charsets in HELD_OUT_CHARSETS.items():
        lines = lines_of(lang)
        for charset in charsets:
            for _ in range(10):
                body = " ".join(rng.sample(lines, rng.choice([1, 2, 3, 5])))
                try:
                    raw = body.encode(charset)
                except UnicodeEncodeError:
                    continue
                if raw.isascii():
                    continue
                page = b"<html><body><p>" + raw + b"</p></body></html>"
                text = decode_bytes(page)[0]
                total["decode, no declaration"] += 1
                ok["decode, no declaration"] += body in text
                text, _, _, mismatch = decode_bytes(page, f"text/html; charset={charset}")
                total["decode, right declaration"] += 1
                ok["decode, right declaration"] += body in text
                total["  ...not flagged mismatch"] += 1
                ok["  ...not flagged mismatch"] += not mismatch
    for lang in sorted(p.stem for p in folder.glob("*.txt")):
        lines = lines_of(lang)
        for codec in MOJIBAKE_CODECS:
            for _ in range(4):
                body = " ".join(rng.sample(lines, rng.choice([1, 3])))
                if body.isascii():
                    continue
                fixed = repair_mojibake(_sloppy_decode(body.encode("utf-8"), codec))[0]
                total[f"mojibake {codec}"] += 1
                ok[f"mojibake {codec}"] += fixed == body
    print("Held-out (built from bench/language sentences; a few carry their own mojibake, which"
          " we also repair and so count as misses):")
    for k in total:
        print(f"  {k:26s} {ok[k]}/{total[k]} = {ok[k] / total[k]:.1%}")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    root, truth = load_truth()
    bench_pages(root, truth)
    bench_captures(root, truth)
    bench_false_repairs(show="--show" in argv)
    bench_held_out()
    if "--detectors" in argv:
        bench_detectors(root, truth)


if __name__ == "__main__":
    main()
