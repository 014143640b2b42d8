"""The cleaning pool: same results whatever the worker count; a hang or crash costs one page."""
from __future__ import annotations

import io
import json
import os
import signal
import time

from deboil.cleaners import RawPage, default_pipeline
from deboil.db import Store
from deboil.run.runner import Runner

BODY = ("<html><head><title>Page {i}</title></head><body><article><h1>Page {i}</h1><p>"
        "Number {i}: the river rose overnight and the town council opened two shelters near the "
        "station for families who had to leave their homes before dawn. {word}</p></article></body></html>")


def _pages(n, special=None):
    for i in range(n):
        word = special if special and i == n // 2 else "Volunteers brought food."
        yield RawPage(url=f"https://example.org/{i}", body=BODY.format(i=i, word=word).encode())


def _misbehaving_pipeline():
    """The default steps plus one that hangs or kills its own process on a marker word."""
    pipeline = default_pipeline()

    def misbehave(page, ctx):
        if "HANGNOW" in page.text:
            time.sleep(3600)
        if "CRASHNOW" in page.text:
            os.kill(os.getpid(), signal.SIGKILL)
        return page

    pipeline.steps.insert(2, ("misbehave", misbehave))
    pipeline.stats["misbehave"] = type(pipeline.stats["decode"])()
    return pipeline


def _run(tmp_path, name, pages, workers, timeout=60.0, factory=default_pipeline):
    store = Store(str(tmp_path / f"{name}.db"))
    err = io.StringIO()
    runner = Runner(store, "load", {}, workers=workers, timeout=timeout, err=err,
                    pipeline_factory=factory)
    for raw in pages:
        runner.feed(raw)
    return store, runner.finish(), err.getvalue()


def _rows(store):
    return store.conn.execute(
        "SELECT url, title, text, lang, issues, removed, text_hash FROM pages ORDER BY url").fetchall()


def test_one_and_two_workers_give_identical_results(tmp_path):
    one, r1, _ = _run(tmp_path, "one", _pages(12), workers=1)
    two, r2, _ = _run(tmp_path, "two", _pages(12), workers=2)
    inline, r0, _ = _run(tmp_path, "inline", _pages(12), workers=0)
    assert r1.counts["new"] == r2.counts["new"] == r0.counts["new"] == 12
    assert _rows(one) == _rows(two) == _rows(inline)


def test_page_that_hangs_becomes_a_failure(tmp_path):
    store, result, err = _run(tmp_path, "hang", _pages(8, special="HANGNOW"), workers=2,
                              timeout=5, factory=_misbehaving_pipeline)
    assert result.counts["new"] == 7 and result.counts["failed"] == 1
    (url, stage, reason), = store.conn.execute("SELECT url, stage, reason FROM failures")
    assert url == "https://example.org/4" and stage == "clean" and "timed out" in reason
    assert "example.org/4" in err


def test_worker_killed_mid_run_loses_only_its_page(tmp_path):
    store, result, _ = _run(tmp_path, "crash", _pages(10, special="CRASHNOW"), workers=2,
                            factory=_misbehaving_pipeline)
    assert result.counts["new"] == 9 and result.counts["failed"] == 1
    reason = store.conn.execute("SELECT reason FROM failures").fetchone()[0]
    assert "crashed" in reason
    steps = json.loads(store.conn.execute("SELECT steps FROM runs").fetchone()[0])
    assert steps["extract_html"]["pages"] >= 9  # per-step figures are kept in the runs row


def test_big_page_behind_a_big_result_does_not_deadlock(tmp_path):
    """A page bigger than the task pipe, sent while the worker cleans one whose result is bigger
    than the result pipe: the parent blocked in send and the worker in its reply, for ever."""
    para = "<p>" + "the river rose overnight and the council opened shelters " * 6 + ".</p>"
    pages = [RawPage(url="https://example.org/big-result",
                     body=f"<html><body><article>{para * 400}</article></body></html>".encode()),
             RawPage(url="https://example.org/big-page",
                     body=f"<html><body><article>{para * 4000}</article></body></html>".encode())]

    def stuck(signum, frame):
        raise TimeoutError("the pool deadlocked")

    old = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(60)
    try:
        store, result, _ = _run(tmp_path, "big", pages, workers=1)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert result.counts["new"] == 2


def test_workers_sign_the_clean_text_for_the_writer(tmp_path):
    from deboil.near_dups import signature
    from deboil.run.pool import CleanerPool

    with CleanerPool(workers=1) as pool:
        outcomes = [o for raw in _pages(2) for o in pool.submit(raw)]
        outcomes += pool.drain()
    assert len(outcomes) == 2
    assert outcomes and all(o.page.text.strip() for o in outcomes)
    for o in outcomes:
        text_hash, sig = o.signature
        assert text_hash == o.page.text_hash and sig == signature(o.page.text)


def test_an_html_load_never_imports_the_capture_step(tmp_path):
    """Warm-up for HTML only: the capture step's classifier and the legacy-bytes detector
    stay unloaded (start-up cost), and text pages in the same pool are still cleaned."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from deboil.run.pool import CleanerPool\n"
        "from deboil.cleaners import RawPage\n"
        f"html = RawPage(url='https://example.org/a', body={BODY.format(i=1, word='Yes.').encode()!r})\n"
        "text = RawPage(url='https://example.org/b.txt', kind='text', body=b'Title\\n\\n' + "
        f"{BODY.format(i=2, word='Yes.')[90:300].encode()!r})\n"
        "with CleanerPool(workers=1, kinds=frozenset({'html'})) as pool:\n"
        "    print('deboil.cleaners.capture.lines' in sys.modules, file=sys.stderr)\n"
        "    out = pool.submit(html) + pool.submit(text) + pool.drain()\n"
        "print(sorted(bool(o.page and o.page.text) for o in out))\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=os.getcwd()), cwd=os.getcwd(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.split()[-1] == "False"  # the capture step not imported
    assert proc.stdout.split("\n")[0] == "[True, True]"


def test_page_kinds_is_html_only_when_every_page_file_is(tmp_path):
    from deboil.crawler.files import page_kinds

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.html").write_text("<p>x</p>")
    (tmp_path / "a" / "notes.md").write_text("not a page")
    assert page_kinds([str(tmp_path)]) == frozenset({"html"})
    (tmp_path / "a" / "y.txt.gz").write_bytes(b"")
    assert page_kinds([str(tmp_path)]) is None
    assert page_kinds([str(tmp_path / "a" / "x.html"), str(tmp_path / "z.warc.gz")]) is None
