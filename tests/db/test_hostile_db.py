"""The database and the export under faults: unusable files give one line and exit 2, one
bad row costs that row, and nothing stored before is lost.

Tests run as root, for whom mode bits make nothing read-only or full: a read-only or tiny
tmpfs is mounted instead (root may mount in this sandbox and in CI).
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time

import pytest

from tests.support.cli import REPO, run_cli
from tests.run.test_hostile_load import db, healthy, html, pages, template_db  # noqa: F401 (fixtures)


@contextlib.contextmanager
def tmpfs(path, size="4m"):
    path.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def one_clear_line(proc, *words):
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for w in words:
        assert w in lines[0], lines[0]


def new_pages(tmp_path, n=3, name="in"):
    folder = tmp_path / name
    folder.mkdir()
    for i in range(n):
        (folder / f"p{i}.html").write_bytes(html(f"topic{i}"))
    return folder


# --- item 12 ---------------------------------------------------------------------------
def test_read_only_database(tmp_path):
    mnt = tmp_path / "ro"
    with tmpfs(mnt):
        db = mnt / "t.db"
        (tmp_path / "before").mkdir()
        (tmp_path / "before" / "kept.html").write_bytes(html("harbour"))
        run_cli("load", tmp_path / "before", "--db", db, "--quiet", check=0)
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        proc = run_cli("load", new_pages(tmp_path), "--db", db, "--quiet")
        one_clear_line(proc, "unusable database", str(db))
        healthy(db, readonly=True)


def test_full_disk(tmp_path):
    mnt = tmp_path / "small"
    with tmpfs(mnt, size="600k"):
        db = mnt / "t.db"
        (tmp_path / "before").mkdir()
        (tmp_path / "before" / "kept.html").write_bytes(html("harbour"))
        run_cli("load", tmp_path / "before", "--db", db, "--quiet", check=0)
        big = tmp_path / "big"
        big.mkdir()
        for i in range(40):  # ~2 MB of text that does not compress away
            words = " ".join(hashlib.sha256(f"{i}-{j}".encode()).hexdigest() for j in range(700))
            (big / f"b{i}.txt").write_text(f"Page {i}\n\n{words}\n")
        proc = run_cli("load", big, "--db", db, "--quiet", "--workers", 1)
        one_clear_line(proc, "unusable database", "full")
        healthy(db)


def test_write_lock_held_too_long(db, tmp_path):
    holder = sqlite3.connect(db)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        proc = run_cli("load", new_pages(tmp_path), "--db", db, "--quiet",
                       env={"DEBOIL_LOCK_TIMEOUT": "1"})
    finally:
        holder.rollback()
        holder.close()
    one_clear_line(proc, "unusable database", "locked")
    healthy(db)


def test_killed_load_is_marked_killed(db, tmp_path):
    folder = new_pages(tmp_path, n=400, name="many")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "deboil", "load", str(folder), "--db", str(db),
                             "--quiet", "--workers", "1"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not con.execute(
            "SELECT 1 FROM runs WHERE status='running'").fetchone():
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    assert con.execute("SELECT count(*) FROM runs WHERE status='running'").fetchone()[0] == 1
    run_cli("load", new_pages(tmp_path), "--db", db, "--quiet", check=0)
    statuses = [r[0] for r in con.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses[-2:] == ["killed", "ok"], statuses
    healthy(db)


# --- item 13 ---------------------------------------------------------------------------
def test_database_file_alone_holds_everything(db, tmp_path):
    run_cli("load", new_pages(tmp_path), "--db", db, "--quiet", check=0)
    wal = db.with_name(db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copy.db"
    shutil.copyfile(db, copy)  # the .db only, as `cp t.db elsewhere` does
    assert len(pages(copy)) == 4


# --- item 14 ---------------------------------------------------------------------------
def test_another_applications_database_is_refused_unchanged(tmp_path):
    other = tmp_path / "app.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO users (name) VALUES ('ada')")
    con.execute("PRAGMA user_version = 7")
    con.commit()
    con.close()
    before = other.read_bytes()
    proc = run_cli("load", new_pages(tmp_path), "--db", other, "--quiet")
    one_clear_line(proc, "not a deboil database", "users")
    for command in (["export"], ["stats"], ["search", "council"], ["reclean"]):
        proc = run_cli(*command, "--db", other)
        assert proc.returncode == 2 and "not a deboil database" in proc.stderr, proc.stderr
    assert other.read_bytes() == before
    assert not os.path.exists(str(other) + "-wal")


# --- item 15 ---------------------------------------------------------------------------
def test_export_to_a_device_node_keeps_the_node(db, tmp_path):
    node = tmp_path / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a copy of /dev/null
    run_cli("export", "--db", db, "--output", node, check=0)
    assert stat.S_ISCHR(node.stat().st_mode)
    healthy(db)


def test_export_to_a_fifo_writes_into_it(db, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    run_cli("export", "--db", db, "--output", fifo, check=0, timeout=60)
    reader.join(30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert b"harbour budget" in got[0]


def test_export_to_a_missing_folder(db, tmp_path):
    proc = run_cli("export", "--db", db, "--output", tmp_path / "nope" / "out.jsonl")
    one_clear_line(proc, "cannot write", "nope")


def test_export_to_a_full_stdout(db):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "deboil", "export", "--db", str(db)],
                              stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=60)
    one_clear_line(proc, "cannot write", "stdout")


# --- item 16 ---------------------------------------------------------------------------
def test_hash_in_database_path(tmp_path):
    db = tmp_path / "a#b?c.db"
    run_cli("load", new_pages(tmp_path), "--db", db, "--quiet", check=0)
    proc = run_cli("search", "council", "--db", db, "--json", check=0)
    assert "topic0" in proc.stdout
    out = tmp_path / "out.jsonl"
    run_cli("export", "--db", db, "--output", out, check=0)
    assert len(out.read_text().splitlines()) == 3
    assert not (tmp_path / "a").exists()  # never opened the name cut at '#'


# --- item 17 ---------------------------------------------------------------------------
def test_corrupt_raw_body_costs_one_page_in_reclean(db, tmp_path):
    run_cli("load", new_pages(tmp_path), "--db", db, "--quiet", check=0)
    con = sqlite3.connect(db)
    bad = con.execute("SELECT url FROM raw ORDER BY url LIMIT 1").fetchone()[0]
    with con:
        con.execute("UPDATE raw SET body = ? WHERE url = ?", (b"\x28\xb5\x2f\xfdgarbage", bad))
    proc = run_cli("reclean", "--db", db, "--workers", 1)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert con.execute("SELECT count(*) FROM failures WHERE url=? AND stage='read'", (bad,)).fetchone()[0] == 1
    counts = con.execute("SELECT counts FROM runs ORDER BY id DESC").fetchone()[0]
    assert '"unchanged": 3' in counts  # the other pages were recleaned
    healthy(db)


def test_bad_bytes_in_a_text_column_cost_one_row_in_export(db, tmp_path):
    run_cli("load", new_pages(tmp_path), "--db", db, "--quiet", check=0)
    con = sqlite3.connect(db)
    bad = con.execute("SELECT url FROM pages ORDER BY url LIMIT 1 OFFSET 1").fetchone()[0]
    with con:
        con.execute("UPDATE pages SET title = CAST(? AS TEXT) WHERE url = ?", (b"\xff\xfe\x80bad", bad))
    out = tmp_path / "out.jsonl"
    proc = run_cli("export", "--db", db, "--output", out)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert bad in proc.stderr
    assert len(out.read_text().splitlines()) == 3
    assert con.execute("SELECT count(*) FROM failures WHERE url=? AND stage='export'", (bad,)).fetchone()[0] == 1
    healthy(db)


# --- item 20: Ctrl-C ---------------------------------------------------------------------
def _load_then_ctrl_c(db, folder):
    """Start a load, send Ctrl-C once it has committed pages; (process, run status when the
    signal went, stderr)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    # As started from a terminal: a shell starts background jobs (a CI script run with `&`,
    # say) with SIGINT ignored, and deboil, like any program, keeps an ignored SIGINT ignored.
    proc = subprocess.Popen([sys.executable, "-m", "deboil", "load", str(folder), "--db", str(db),
                             "--quiet", "--workers", "2"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    con = sqlite3.connect(db)
    try:
        stored = con.execute("SELECT count(*) FROM pages").fetchone()[0]  # the fixture's own
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and con.execute("SELECT count(*) FROM pages").fetchone()[0] == stored:
            time.sleep(0.02)  # until the workers are cleaning and the writer has committed
        status = con.execute("SELECT status FROM runs ORDER BY id DESC").fetchone()[0]
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
        _, err = proc.communicate(timeout=60)
        return proc, status, err
    finally:
        con.close()


def test_ctrl_c_prints_one_line(db, tmp_path):
    # Enough pages that the run is still going well after its first commit. The signal goes
    # as soon as pages are stored; a run already over by then (a stalled test process) proves
    # nothing, and is tried again with a new folder.
    for attempt in range(3):
        proc, status, err = _load_then_ctrl_c(db, new_pages(tmp_path, n=4000, name=f"many{attempt}"))
        if status == "running":
            break
    assert status == "running", status
    assert proc.returncode == 130, (proc.returncode, err)
    assert "Traceback" not in err and err.strip().splitlines() == ["deboil: interrupted"], err
    con = sqlite3.connect(db)
    status = con.execute("SELECT status FROM runs ORDER BY id DESC").fetchone()[0]
    con.close()
    assert status == "aborted: interrupted"
    healthy(db)
