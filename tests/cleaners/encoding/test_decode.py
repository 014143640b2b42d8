"""Decoding legacy bytes: HTTP header, <meta>, detector and wrong declarations (the bench's
encoding pages), and labels, BOMs and garbage on hand-made bytes."""
from __future__ import annotations

import codecs
import html

import pytest

from deboil.cleaners.encoding.decode import decode, decode_bytes, norm_codec
from deboil.models import RawPage
from tests.support.bench_data import encoding_dir, encoding_truth

CHARSETS = ["ru-cp1251", "ru-koi8-r", "ar-cp1256", "ar-iso-8859-6", "el-iso-8859-7", "he-cp1255",
            "pl-iso-8859-2", "cs-cp1250", "tr-cp1254", "de-cp1252", "ja-shift_jis", "ja-euc-jp",
            "zh-gb18030", "ko-euc-kr", "th-cp874", "lt-cp1257"]


def page_bytes(key: str) -> bytes:
    return (encoding_dir() / "pages" / f"{key}.html").read_bytes()


def raw(key: str, content_type: str | None = None) -> RawPage:
    item = encoding_truth()[key]
    if content_type is None and item["declared"] == "header":
        content_type = item["http_content_type"]
    return RawPage(url=key, body=page_bytes(key), headers={"content-type": content_type} if content_type else {})


def body_ok(document: str, key: str) -> bool:
    text = html.unescape(document)
    return all(p in text for p in encoding_truth()[key]["body"].split("\n\n"))


@pytest.mark.shared
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


@pytest.mark.shared
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


@pytest.mark.shared
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
