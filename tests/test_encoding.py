"""Decoding legacy bytes and undoing mojibake, on real bench files."""
from __future__ import annotations

import codecs
import html

import pytest
from bench_data import SHARED, encoding_dir, encoding_truth, language_lines

from deboil.cleaners.encoding.decode import decode, decode_bytes, norm_codec
from deboil.models import CleanPage, RawPage
from deboil.cleaners.encoding.mojibake import fix_mojibake, repair_mojibake
from deboil.models import Context

TRUTH = encoding_truth()
CHARSETS = ["ru-cp1251", "ru-koi8-r", "ar-cp1256", "ar-iso-8859-6", "el-iso-8859-7", "he-cp1255",
            "pl-iso-8859-2", "cs-cp1250", "tr-cp1254", "de-cp1252", "ja-shift_jis", "ja-euc-jp",
            "zh-gb18030", "ko-euc-kr", "th-cp874", "lt-cp1257"]


def page_bytes(key: str) -> bytes:
    return (encoding_dir() / "pages" / f"{key}.html").read_bytes()


def raw(key: str, content_type: str | None = None) -> RawPage:
    item = TRUTH[key]
    if content_type is None and item["declared"] == "header":
        content_type = item["http_content_type"]
    return RawPage(url=key, body=page_bytes(key), headers={"content-type": content_type} if content_type else {})


def body_ok(document: str, key: str) -> bool:
    text = html.unescape(document)
    return all(p in text for p in TRUTH[key]["body"].split("\n\n"))


@pytest.mark.parametrize("group", ["header", "meta", "none", "wrong"])
@pytest.mark.parametrize("prefix", CHARSETS)
def test_each_declaration_group_decodes_right(prefix, group):
    key = f"{prefix}-{group}-0"
    page = decode(raw(key))
    assert body_ok(page.document, key), (page.encoding, page.encoding_source)
    expected_source = {"header": "http", "meta": "meta", "none": "detector", "wrong": "detector"}[group]
    assert page.encoding_source == expected_source
    assert codecs.lookup(page.encoding).name  # a real codec name
    assert bool(page.issues.get("charset_mismatch")) == (group == "wrong")


@pytest.mark.parametrize("key,label,expected", [
    ("ru-cp1251-none-0", "text/html; charset=windows-1252", "windows-1251"),
    ("ru-cp1251-none-1", "text/html; charset=iso-8859-1", "windows-1251"),
    ("ru-koi8-r-none-0", "text/html; charset=windows-1251", "koi8-r"),
    ("el-cp1253-none-0", "text/html; charset=iso-8859-1", "windows-1253"),
    ("ar-cp1256-none-0", "text/html; charset=utf-8", "windows-1256"),
])
def test_contradicted_declaration_is_flagged_and_overridden(key, label, expected):
    page = decode(raw(key, content_type=label))
    assert page.encoding == expected
    assert page.issues["charset_mismatch"] == 1
    assert body_ok(page.document, key)


@pytest.mark.parametrize("key", ["de-cp1252-header-0", "sv-iso-8859-1-header-0", "fr-cp1252-meta-0",
                                 "pl-iso-8859-2-header-0", "el-iso-8859-7-meta-0"])
def test_right_declaration_is_believed(key):
    page = decode(raw(key))
    assert not page.issues
    assert page.encoding_source in ("http", "meta")


@pytest.mark.parametrize("text,label", [
    ("Привет, как дела? Всё хорошо, спасибо.", "windows-1252"),
    ("Le café est très bon à Montréal, naïve et étrange.", "iso-8859-1"),
    ("Zażółć gęślą jaźń, pchnąć w tę łódź jeża.", "iso-8859-2"),
])
def test_utf8_bytes_under_a_legacy_label_are_read_as_utf8(text, label):
    body = f"<p>{text}</p>".encode("utf-8")
    got, enc, source, mismatch = decode_bytes(body, f"text/html; charset={label}")
    assert (enc, source, mismatch) == ("utf_8", "utf-8", True) and text in got


def test_html5_labels_mean_windows_1252():
    assert norm_codec("ISO-8859-1") == "cp1252"
    assert norm_codec("us-ascii") == "cp1252"
    assert norm_codec("latin1") == "cp1252"
    text, enc, source, mismatch = decode_bytes("€ café".encode("cp1252"), "text/html; charset=iso-8859-1")
    assert (text, enc, source, mismatch) == ("€ café", "cp1252", "http", False)


def test_meta_http_equiv_form_and_bom():
    body = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r"></head>' \
           + "<p>Привет, мир, как дела у всех вас сегодня?</p>".encode("koi8-r")
    text, enc, source, _ = decode_bytes(body)
    assert (enc, source) == ("koi8_r", "meta") and "Привет" in text
    text, enc, source, _ = decode_bytes(codecs.BOM_UTF8 + "héllo".encode())
    assert (text, source) == ("héllo", "bom")


def test_utf8_and_garbage_never_raise():
    assert decode_bytes("naïve".encode())[1:3] == ("utf_8", "utf-8")
    for body in (b"", b"\xff\xfe\xfa" * 3, bytes(range(256))):
        decode(RawPage(url="x", body=body))


MOJIBAKE = {"cp1252", "latin-1", "cp1251", "koi8-r", "cp1256", "mac_roman"}


@pytest.mark.parametrize("codec", sorted(MOJIBAKE))
def test_each_codecs_mojibake_is_restored(codec):
    keys = [k for k, v in TRUTH.items() if v.get("mojibake") == codec]
    restored = 0
    for key in keys:
        text = (encoding_dir() / "captures" / f"{key}.txt").read_text(encoding="utf-8")
        page = fix_mojibake(CleanPage(url=key, kind="text", document=text), Context())
        assert page.issues["mojibake_fixed"] > 0
        assert any(code.startswith("mojibake_fixed:") for code in page.issues)
        restored += page.document.strip() == TRUTH[key]["body"].strip()
    # one cp1251 truth body quotes a Czech sentence that is itself mojibake, which we repair too
    assert restored >= len(keys) - 1


def test_koi8_and_cp1256_mojibake_by_name():
    text = "Московская область"
    fixed, layers = repair_mojibake(text.encode("utf-8").decode("koi8-r"))
    assert fixed == text and layers[0][0] == "koi8_r"
    text = "مرحبا بالعالم"
    fixed, layers = repair_mojibake(text.encode("utf-8").decode("cp1256"))
    assert fixed == text and layers[0][0] == "cp1256"


def test_two_layers_undone():
    twice = "Déjà vu à Montréal".encode("utf-8").decode("cp1252").encode("utf-8").decode("cp1252")
    fixed, layers = repair_mojibake(twice)
    assert fixed == "Déjà vu à Montréal" and len(layers) == 2


def _mojibake_signatures() -> set[str]:
    """How accented letters and U+FFFD look after UTF-8 was read as cp1252/cp1250/cp1251."""
    sigs = set()
    for cp in list(range(0xC0, 0x180)) + [0xFFFD]:
        for codec in ("cp1252", "cp1250", "cp1251"):
            sig = chr(cp).encode("utf-8").decode(codec, "replace")
            if "\ufffd" not in sig:
                sigs.add(sig)
    return sigs


SIGNATURES = _mojibake_signatures()
LANGS = sorted(p.stem for p in (SHARED / "bench" / "language" / "sentences").glob("*.txt")) if SHARED else []


@pytest.mark.parametrize("lang", LANGS)
def test_clean_multilingual_text_untouched(lang):
    # A few bench lines carry mojibake of their own (bench README); a line may change only
    # if it visibly holds such a sequence. Word pairs must never change.
    for line in language_lines("word-pairs", lang):
        assert repair_mojibake(line)[0] == line
    for line in language_lines("sentences", lang):
        if repair_mojibake(line)[0] != line:
            assert any(sig in line for sig in SIGNATURES), line
