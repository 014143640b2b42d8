"""The learned block pass: edit the rules' reading of a page, block by block.

After the rules have read a page (trafilatura steered by page type, the DOM pass), every
visible block of the page is scored by a boosted forest from its features (`blocks`),
which include how much of the block the rules' reading and the plain DOM pass hold. A line
of the rules' reading whose block scores very low goes (a comment thread, a related-links
box); a block they left out that scores high comes in, in reading order (item cards, spec
rows). Replacing the rules' reading by the model's blocks outright scored lower out of
fold than the rules (0.820 vs 0.859): the model edits, it does not rewrite. The model
holds its drop/add thresholds per detected page type, as the training script wrote them (a
type that keeps the rules' reading has a pair that edits nothing, and skips the pass).
Trained on wcxb-dev by tools/train_html_blocks.py; the model is
deboil/cleaners/html/data/html_blocks.json (no model, no change).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from deboil.cleaners.capture.gbdt import Forest
from deboil.cleaners.html.blocks import _feature_names, block_features
from deboil.cleaners.html.fallback import DomReading, squash

MODEL_PATH = Path(__file__).with_name("data") / "html_blocks.json"


class BlockModel:
    def __init__(self, d: dict):
        self.readings = tuple(d["readings"])
        self.types = tuple(d["types"])
        self.t_drop, self.t_add = float(d["t_drop"]), float(d["t_add"])
        # per detected page type, written by the training script (NO_EDIT: the type keeps
        # the rules' reading); other types take the pair above
        self.by_type = {t: (float(dr), float(ad)) for t, (dr, ad) in d["by_type"].items()}
        self.held_col = _feature_names(self.readings, self.types).index("in_deboil")
        self.forest = Forest.from_dict(d["forest"])
        if d["features"] != _feature_names(self.readings, self.types):
            raise ValueError(f"{MODEL_PATH}: its features differ from blocks.py': retrain it")

    def thresholds(self, page_type: str) -> tuple[float, float]:
        """(drop below, add above) for a page of this detected type."""
        return self.by_type.get(page_type, (self.t_drop, self.t_add))


NO_EDIT = (0.0, 1.01)  # nothing scores below 0 or above 1


_MODEL: list = []


def load_model(path: Path = MODEL_PATH) -> BlockModel | None:
    if not _MODEL:
        _MODEL.append(BlockModel(json.loads(path.read_text())) if path.exists() else None)
    return _MODEL[0]


def page_blocks(tree, readings: dict[str, str], page_type: str, types: tuple[str, ...]):
    """Block texts and their feature rows."""
    blocks = block_features(tree, readings, page_type, types)
    return [b.text for b in blocks], np.array([b.features for b in blocks], dtype=float)


def scores(forest: Forest, X: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-forest.margin(X))) if len(X) else np.zeros(0)


def _key(text: str) -> str:
    return " ".join(squash(text).split()[:12])


def edit_lines(lines: list[str], texts: list[str], probs, held, t_drop: float, t_add: float) -> list[str]:
    """The rules' lines, edited by the block scores: a line whose block scores below `t_drop`
    goes; a block the rules left out that scores above `t_add` comes in, after the last
    line of the blocks before it (reading order kept)."""
    where = {}
    for i, line in enumerate(lines):
        where.setdefault(_key(line), i)
    drop: set[int] = set()
    add: dict[int, list[str]] = {}
    last = -1
    for text, q, h in zip(texts, probs, held):
        i = where.get(_key(text))
        if i is not None:
            last = max(last, i)
            if h and q < t_drop:
                drop.add(i)
        elif not h and q > t_add:
            add.setdefault(last, []).append(text)
    out = list(add.get(-1, []))
    for i, line in enumerate(lines):
        if i not in drop:
            out.append(line)
        out.extend(add.get(i, []))
    return out


def refine(tree, lines: list[str], page_type: str, reading: DomReading | None = None) -> list[str]:
    """The rules' `lines` edited by the block model (unchanged without a model). The
    readings it compares each block with: the rules' own and the plain DOM pass (from
    `reading` when the rules already made it)."""
    model = load_model()
    if model is None:
        return lines
    readings = {"deboil": "\n".join(lines)}
    if "dom" in model.readings:
        readings["dom"] = "\n".join((reading or DomReading(tree)).blocks())
    texts, X = page_blocks(tree, {r: readings.get(r, "") for r in model.readings}, page_type, model.types)
    if not texts:
        return lines
    q = scores(model.forest, X)
    held = X[:, model.held_col] > 0.5
    return edit_lines(lines, texts, q, held, *model.thresholds(page_type))


def refine_page(page, tree, lines: list[str], reading: DomReading | None = None) -> list[str]:
    """`refine` for a page: the lines the model takes out are recorded on it."""
    model = load_model()
    if model is None or model.thresholds(page.page_type) == NO_EDIT:
        return lines  # the model would change nothing: skip reading its blocks
    out = refine(tree, lines, page.page_type, reading)
    if out is not lines:
        remaining = set(out)
        for line in lines:
            if line not in remaining:
                page.drop(line, "block-model")
    return out


class rules_only:
    """Within this block extract_html runs without the model: the rules' reading, which is
    what the model is trained to edit (tools.html_readings caches it so)."""

    def __enter__(self):
        self.saved = list(_MODEL)
        _MODEL[:] = [None]

    def __exit__(self, *exc):
        _MODEL[:] = self.saved
