"""`deboil load` against broken archives and odd files: one bad input costs that input only.

Every fault test ends with the same checks: the database passes `PRAGMA integrity_check`,
the page stored before the test is still there, and no run is left 'running'.
"""
from __future__ import annotations

import gzip
import os
import resource
import shutil
import sqlite3
import stat

import pytest

from tests.support.cli import run_cli

WORDS = "The council approved the new library budget after a long debate on Monday evening. "


def html(topic: str) -> bytes:
    return (f"<html><head><title>{topic}</title></head><body><article><p>"
            + WORDS.replace("library", topic) * 5 + "</p></article></body></html>").encode()


def warc_record(uri: str | None, body: bytes, *, status: str = "200 OK", ctype="text/html",
                rec_type="response", length_delta: int = 0, http_headers: bytes = b"") -> bytes:
    """One WARC/1.0 record written by hand, so its fields can be as wrong as a test needs."""
    if rec_type == "response":
        block = (f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n".encode() + http_headers
                 + b"\r\n" + body)
        wtype = "application/http; msgtype=response"
    else:
        block, wtype = body, ctype
    head = "WARC/1.0\r\nWARC-Type: {}\r\n".format(rec_type)
    if uri is not None:
        head += f"WARC-Target-URI: {uri}\r\n"
    head += (f"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{abs(hash((uri, body)))}>\r\n"
             f"Content-Type: {wtype}\r\nContent-Length: {len(block) + length_delta}\r\n\r\n")
    return head.encode() + block + b"\r\n\r\n"


@pytest.fixture(scope="module")
def template_db(tmp_path_factory):
    """One page stored by a real load, once per module (each test gets a copy: a load
    checkpoints its WAL, so the .db file alone is the whole database)."""
    base = tmp_path_factory.mktemp("template")
    before = base / "before"
    before.mkdir()
    (before / "kept.html").write_bytes(html("harbour"))
    run_cli("load", before, "--db", base / "t.db", "--quiet", check=0)
    return base / "t.db"


@pytest.fixture
def db(tmp_path, template_db):
    """A database holding one page stored before the test."""
    path = tmp_path / "t.db"
    shutil.copyfile(template_db, path)
    return path


def pages(db, con=None) -> dict[str, str]:
    return dict((con or sqlite3.connect(db)).execute("SELECT url, text FROM pages"))


def failures(db) -> list[tuple[str, str]]:
    return sqlite3.connect(db).execute("SELECT url, reason FROM failures WHERE level='error'").fetchall()


def healthy(db, readonly: bool = False) -> None:
    # on a read-only mount: immutable, or SQLite would need to create the -shm file
    con = sqlite3.connect(f"file:{db}?immutable=1", uri=True) if readonly else sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert any(u.endswith("/before/kept.html") for u in pages(db, con)), "a page stored before was lost"
    assert con.execute("SELECT count(*) FROM runs WHERE status='running'").fetchone()[0] == 0


def load(db, *paths, workers=2, expect=1, timeout=120):
    proc = run_cli("load", *paths, "--db", db, "--quiet", "--workers", workers, timeout=timeout)
    assert proc.returncode == expect, proc.stderr
    return proc


# --- item 7: one bad record or name costs that input, not the batch ----------------------
def test_http_status_too_large_for_sqlite(db, tmp_path, workers=2):
    archive = tmp_path / "a.warc"
    archive.write_bytes(warc_record("http://a.test/good1", html("museum"))
                        + warc_record("http://a.test/huge", html("bridge"), status="99999999999999999999 OK")
                        + warc_record("http://a.test/good2", html("school")))
    load(db, archive, workers=workers)
    stored = pages(db)
    assert {"http://a.test/good1", "http://a.test/good2"} <= set(stored)
    assert [u for u, _ in failures(db)] == ["http://a.test/huge"]
    healthy(db)


def test_response_without_target_uri(db, tmp_path):
    archive = tmp_path / "a.warc"
    archive.write_bytes(warc_record("http://a.test/good1", html("museum"))
                        + warc_record(None, html("bridge"))
                        + warc_record("http://a.test/good2", html("school")))
    proc = load(db, archive)
    assert {"http://a.test/good1", "http://a.test/good2"} <= set(pages(db))
    (url, reason), = failures(db)
    assert url == f"file://{archive}" and "WARC-Target-URI" in reason
    assert "WARC-Target-URI" in proc.stderr
    healthy(db)


def test_file_name_not_utf8(db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.html").write_bytes(html("museum"))
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.html"), "wb") as fh:
        fh.write(html("bridge"))
    proc = load(db, folder)
    assert f"file://{folder}/good.html" in pages(db)
    (url, reason), = failures(db)
    assert url == f"file://{folder}/caf\\xe9.html" and "UTF-8" in reason
    assert "caf\\xe9.html" in proc.stderr
    healthy(db)


# --- item 8: silent losses ----------------------------------------------------------------
def test_warc_content_length_too_short(db, tmp_path):
    archive = tmp_path / "a.warc"
    archive.write_bytes(warc_record("http://a.test/short", html("bridge"), length_delta=-60)
                        + warc_record("http://a.test/good", html("school")))
    load(db, archive)
    assert "http://a.test/short" not in pages(db)  # never a truncated page
    assert "http://a.test/short" in [u for u, _ in failures(db)]
    healthy(db)


def test_warc_content_length_too_long(db, tmp_path):
    archive = tmp_path / "a.warc"
    archive.write_bytes(warc_record("http://a.test/good", html("school"))
                        + warc_record("http://a.test/long", html("bridge"), length_delta=500)
                        + warc_record("http://a.test/swallowed", html("museum")))
    load(db, archive)
    assert "http://a.test/good" in pages(db)
    failed = [u for u, _ in failures(db)]
    assert "http://a.test/long" in failed  # reported, not stored with the next record inside
    assert "http://a.test/long" not in pages(db)
    healthy(db)


def test_warc_gz_truncated_last_member(db, tmp_path):
    archive = tmp_path / "a.warc.gz"
    good = gzip.compress(warc_record("http://a.test/good", html("school")))
    last = gzip.compress(warc_record("http://a.test/cut", html("bridge") * 20))
    archive.write_bytes(good + last[: len(last) // 2])
    load(db, archive)
    assert "http://a.test/good" in pages(db)
    assert "http://a.test/cut" not in pages(db)
    assert failures(db), "the truncated member was dropped silently"
    healthy(db)


def test_multi_member_gz_page_is_read_whole(db, tmp_path):
    page = html("bridge")
    path = tmp_path / "p.html.gz"
    path.write_bytes(gzip.compress(page[:100]) + gzip.compress(page[100:]))  # cat a.gz b.gz
    load(db, path, expect=0)
    assert "Monday evening" in pages(db)[f"file://{path}"].split("bridge budget", 1)[1]
    assert pages(db)[f"file://{path}"].count("bridge budget") == 5
    healthy(db)


def test_truncated_last_gzip_member_of_a_page(db, tmp_path):
    page = html("bridge")
    path = tmp_path / "p.html.gz"
    second = gzip.compress(page[100:])
    path.write_bytes(gzip.compress(page[:100]) + second[:-12])
    load(db, path)
    assert f"file://{path}" not in pages(db)
    assert [u for u, _ in failures(db)] == [f"file://{path}"]
    healthy(db)


def test_resource_record_holding_html_is_read(db, tmp_path):
    archive = tmp_path / "a.warc"
    archive.write_bytes(warc_record("http://a.test/res", html("bridge"), rec_type="resource"))
    load(db, archive, expect=0)
    assert "bridge budget" in pages(db)["http://a.test/res"]
    healthy(db)


def test_mistyped_path_is_a_usage_error(db, tmp_path):
    proc = run_cli("load", tmp_path / "no-such-folder", "--db", db)
    assert proc.returncode == 2 and "no-such-folder" in proc.stderr
    assert "Traceback" not in proc.stderr
    healthy(db)


def test_unreadable_subfolder_is_reported(db, tmp_path):
    """A folder that cannot be listed. Tests run as root, for whom mode bits hide nothing:
    here its full path is longer than PATH_MAX (4,096 bytes), so listing it fails
    (ENAMETOOLONG) as an unreadable folder's listing would (EACCES)."""
    root = tmp_path / "in"
    root.mkdir()
    (root / "ok.html").write_bytes(html("museum"))
    fd = os.open(root, os.O_RDONLY)
    for _ in range(18):  # 18 levels of 250 bytes: past PATH_MAX, made relative to each other
        os.mkdir("d" * 250, dir_fd=fd)
        fd, old = os.open("d" * 250, os.O_RDONLY, dir_fd=fd), fd
        os.close(old)
    with open(os.open("lost.html", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "wb") as fh:
        fh.write(html("bridge"))
    os.close(fd)
    proc = load(db, root)
    assert f"file://{root}/ok.html" in pages(db)
    assert any("cannot list folder" in r for _, r in failures(db)), proc.stderr
    healthy(db)


# --- item 9: FIFOs and devices never hang a run --------------------------------------------
@pytest.mark.parametrize("name, workers", [("x.html", 1), ("x.warc", 2)])  # both hung
def test_fifo_is_skipped_not_waited_for(db, tmp_path, name, workers):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / name)
    (folder / "good.html").write_bytes(html("museum"))
    load(db, folder, workers=workers, expect=0, timeout=60)
    assert f"file://{folder}/good.html" in pages(db)
    counts = sqlite3.connect(db).execute("SELECT counts FROM runs ORDER BY id DESC").fetchone()[0]
    assert '"skipped": 1' in counts
    # named on the command line: skipped too, never opened
    load(db, folder / name, workers=workers, expect=0, timeout=60)
    healthy(db)


def test_device_node_is_skipped(db, tmp_path):
    dev = tmp_path / "zero.html"
    os.mknod(dev, 0o644 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero: reading never ends
    load(db, dev, expect=0, timeout=60)
    healthy(db)


# --- item 10: bounded headers --------------------------------------------------------------
def test_gigantic_warc_header_line_is_bounded(db, tmp_path):
    """A 1 GiB header line, gzipped to ~1 MB: reported, read in bounded memory."""
    archive = tmp_path / "a.warc.gz"
    good = gzip.compress(warc_record("http://a.test/good", html("school")))
    with open(archive, "wb") as fh:
        fh.write(good)
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, compresslevel=9) as comp:
            comp.write(b"WARC/1.0\r\nWARC-Type: response\r\nX-Padding: ")
            chunk = b"a" * (1 << 24)
            for _ in range(64):
                comp.write(chunk)
            comp.write(b"\r\n\r\n")
    proc = run_cli("load", archive, "--db", db, "--quiet", "--workers", 0, timeout=120)
    assert proc.returncode == 1, proc.stderr
    # the largest child this test process has waited for (the load): far below the 1 GiB line
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1_000_000  # KiB
    assert "http://a.test/good" in pages(db)
    assert any("header" in r for _, r in failures(db)), failures(db)
    healthy(db)


def test_huge_http_header_is_not_stored(db, tmp_path):
    archive = tmp_path / "a.warc"
    big = b"".join(b"X-Junk-%d: %s\r\n" % (i, b"j" * 1000) for i in range(3000))  # 3 MB
    archive.write_bytes(warc_record("http://a.test/big", html("bridge"), http_headers=big)
                        + warc_record("http://a.test/good", html("school")))
    load(db, archive)
    assert "http://a.test/big" not in pages(db)
    size = sqlite3.connect(db).execute("SELECT max(length(headers)) FROM raw").fetchone()[0]
    assert size < 100_000
    assert "http://a.test/good" in pages(db)
    healthy(db)


# --- item 11: robots.txt, sitemaps, redirects are not failed pages --------------------------
def test_crawl_machinery_in_an_archive_is_skipped(db, tmp_path):
    archive = tmp_path / "a.warc"
    archive.write_bytes(
        warc_record("http://a.test/robots.txt", b"User-agent: *\nDisallow: /private/\n", ctype="text/plain")
        + warc_record("http://a.test/sitemap.xml", b"<urlset></urlset>", ctype="text/xml")
        + warc_record("http://a.test/old", b"<html><body>Moved</body></html>", status="301 Moved Permanently")
        + warc_record("http://a.test/good", html("school")))
    load(db, archive, expect=0)
    assert failures(db) == []
    counts = sqlite3.connect(db).execute("SELECT counts FROM runs ORDER BY id DESC").fetchone()[0]
    assert '"skipped": 3' in counts
    healthy(db)


def test_robots_txt_in_a_folder_is_skipped(db, tmp_path):
    folder = tmp_path / "mirror"
    folder.mkdir()
    (folder / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (folder / "index.html").write_bytes(html("museum"))
    load(db, folder, expect=0)
    assert failures(db) == []
    healthy(db)
