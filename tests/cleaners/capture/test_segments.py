"""The segment stage: runs of kept lines scored clutter are dropped with their own reason,
runs of classifier-dropped lines scored body are kept again, the main run never goes."""
from __future__ import annotations

import numpy as np
import pytest

from deboil.cleaners import RawPage, clean
from deboil.cleaners.capture import lines as capture_lines
from deboil.cleaners.capture.gbdt import Forest
from deboil.cleaners.capture.lines import MODEL, Model, analyse, prepare
from deboil.cleaners.capture.segments import (MODEL_REASONS, REASON, PageFacts, SegmentStage, lexical_scores,
                                              segment_features)
from tests.support import samples

BODY = ["The council voted on Tuesday to rebuild the old bridge over the river before winter comes.",
        "Engineers said the work would take four months and close the road to heavy traffic.",
        "Residents welcomed the decision after years of complaints about the crumbling deck."]
COMMENTS = ["Reply to this comment and tell us what you think about the bridge plan today.",
            "Great comment, I agree with every reply here and will share it with my friends."]
LINES = ["Home", "News", *BODY, "Comments", *COMMENTS]
LEXICON = {"reply": -3.0, "comment": -3.0, "bridge": 1.0}


def _lexical_forest(columns: int) -> Forest:
    """One split on the segment's mean lexical score (the last five columns are the lexical
    ones, the mean first): under -0.1 clutter, else body."""
    return Forest(np.array([[columns - 5]]), np.array([[-0.1]]), np.array([[-5.0, 5.0]]), 0.0, 1)


def _constant(margin: float) -> Forest:
    return Forest(np.array([[0]]), np.array([[0.0]]), np.array([[margin, margin]]), 0.0, 1)


def _columns() -> int:
    X, reasons, probs = _page()
    return segment_features(PageFacts.of(LINES, X, reasons, probs, {}), 0.4, "drop")[0].shape[1]


def _page():
    X = prepare(LINES)[2]
    reasons = ["nav", "nav", None, None, None, "comment-form", None, None]
    probs = np.array([0.1, 0.1, 0.9, 0.9, 0.8, 0.2, 0.6, 0.6])
    return X, reasons, probs


def test_lexical_score_is_the_mean_ratio_of_unigrams_and_bigrams():
    s = lexical_scores(["Reply reply bridge", ""], {"reply": -3.0, "bridge": 1.0, "reply bridge": 2.0})
    # tokens: reply, bridge, "reply reply", "reply bridge"
    assert s.tolist() == [(-3.0 + 1.0 + 2.0) / 4, 0.0]


def test_clutter_segment_dropped_with_its_reason_and_main_run_kept():
    X, reasons, probs = _page()
    F, segs, main = segment_features(PageFacts.of(LINES, X, reasons, probs, LEXICON), 0.4, "drop")
    assert segs == [(2, 4), (6, 7)] and main == 0
    stage = SegmentStage(LEXICON, _lexical_forest(F.shape[1]), None, 0.5, None)
    out = stage.apply(LINES, X, reasons, probs, 0.4)
    assert out[:6] == reasons[:6]
    assert out[6:] == [REASON, REASON]


def test_body_segment_rescued_and_rule_lines_stay_removed():
    X, _, probs = _page()
    reasons = ["nav", "nav", None, None, "low-content", "comment-form", "low-content", "low-content"]
    F, segs, main = segment_features(PageFacts.of(LINES, X, reasons, probs, LEXICON), 0.4, "rescue")
    assert segs == [(0, 1), (4, 4), (6, 7)] and main == -1  # the menu, the third body line, the comments
    stage = SegmentStage(LEXICON, None, _constant(5.0), None, 0.5)
    out = stage.apply(LINES, X, reasons, probs, 0.4)
    assert out[5] == "comment-form"  # a rule's line is not the classifier's to give back
    assert all(r is None for k, r in enumerate(out) if k != 5)


def test_stage_decides_in_analyse_and_the_reason_is_recorded(monkeypatch):
    capture = samples.capture("004_87f295001bb806b5")
    text = capture.read_text(encoding="utf-8").splitlines()
    rescued = [i for i, r in enumerate(analyse(text).reasons) if r in MODEL_REASONS]
    assert rescued
    rescue_all = Model(MODEL.stage1, MODEL.stage2, MODEL.threshold, MODEL.page,
                       SegmentStage({}, None, _constant(5.0), None, 0.5))
    after = analyse(text, model=rescue_all)
    assert all(after.reasons[i] is None for i in rescued)


def test_segment_drop_is_explained_by_the_cleaner(monkeypatch):
    footer = ["Share on Facebook", "Share on Twitter", "We use cookies to improve your experience.",
              "© 2024 Example News. All rights reserved."]
    capture = LINES + footer
    X = prepare(capture)[2]
    stage = SegmentStage(LEXICON, _lexical_forest(_columns()), None, 0.5, None)
    model = Model(MODEL.stage1, MODEL.stage2, MODEL.threshold, MODEL.page, stage)
    probs = np.array([0.1, 0.1, 0.9, 0.9, 0.8, 0.2, 0.6, 0.6, 0.1, 0.1, 0.1, 0.1])
    assert len(probs) == len(X)
    monkeypatch.setattr(model, "decide", lambda X: (probs >= 0.4, probs, 0.4))
    monkeypatch.setattr(capture_lines, "MODEL", model)
    page = clean(RawPage(url="https://example.com/a", body="\n".join(capture).encode(), kind="text"))
    assert page.text.split("\n\n") == BODY
    assert {(r.text.strip(), r.reason) for r in page.removed} >= {(c, REASON) for c in COMMENTS}


MIXED = ["Plain ASCII line, with snake_case and 2024 figures.", "It’s “quoted” — and…typographic",
         "Café crème à la carte, naïve", "Ηλεκτρονικό ΤΑΧΥΔΡΟΜΕΙΟΣ τέλος", "Москва сегодня ночью",
         "x²yzw abc1defgh ½½½½ 12345", "", "repeat repeat repeat words words"]


def test_page_words_are_each_lines_lower_cased_tokens_found_once_for_the_page():
    from deboil.cleaners.capture.segments import TOPIC_WORD, _TOKEN, PageWords, _line_words
    assert _line_words(MIXED) == [_TOKEN.findall(line.lower()) for line in MIXED]
    words = PageWords.of(MIXED)
    ids, line, size = words.topic()
    names = {i: w for w, i in zip(words.vocab, range(len(words.vocab)))}
    found = [set() for _ in MIXED]
    for i, k in zip(ids.tolist(), line.tolist()):
        found[k].add(names.get(i, i))
    expected = [set(TOPIC_WORD.findall(line.lower())) for line in MIXED]
    # topic words not in the page's vocabulary get ids of their own: compare by count there
    assert [len(f) for f in found] == [len(e) for e in expected]
    assert all({w for w in f if isinstance(w, str)} <= e for f, e in zip(found, expected))


def test_lexicon_scores_equal_the_mean_ratio_of_each_lines_distinct_tokens():
    from deboil.cleaners.capture.segments import line_tokens
    ratios = {"plain": 1.0, "snake_case": -2.0, "repeat": 0.5, "repeat words": -1.5, "crème": 2.0,
              "москва": 3.0, "its": 0.25, "it s": 9.0, "s quoted": -0.75}
    for line, score in zip(MIXED, lexical_scores(MIXED, ratios)):
        toks = line_tokens(line)
        assert score == pytest.approx(sum(ratios.get(t, 0.0) for t in toks) / len(toks) if toks else 0.0)
