"""The vectorised forest evaluation agrees with walking each tree node by node."""
from __future__ import annotations

import numpy as np
import pytest

from deboil.cleaners.capture.gbdt import Forest


def _walk(forest: Forest, row: np.ndarray) -> float:
    total = forest.base
    for f, thr, leaf in zip(forest.feature, forest.threshold, forest.leaf):
        node = 0
        for _ in range(forest.depth):
            node = 2 * node + (2 if row[f[node]] > thr[node] else 1)
        total += leaf[node - len(f)]
    return total


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_margin_matches_a_tree_walk(depth):
    rng = np.random.default_rng(depth)
    trees, internal = 9, 2 ** depth - 1
    forest = Forest(rng.integers(0, 5, (trees, internal)), rng.normal(size=(trees, internal)),
                    rng.normal(size=(trees, 2 ** depth)), 0.25, depth)
    X = rng.normal(size=(40, 5))
    X[::3] = forest.threshold[0, 0]  # values sitting exactly on a threshold go left
    expected = [_walk(forest, row) for row in X]
    assert np.allclose(forest.margin(X), expected, rtol=0, atol=1e-12)
    assert forest.margin(X[:0]).shape == (0,)


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_margin_picks_exactly_the_walked_leaves(depth):
    """Integer leaves sum exactly in any order: the vectorised walk must land on the very
    leaves the node-by-node walk does (an off-by-one node would change the sum)."""
    rng = np.random.default_rng(10 + depth)
    trees, internal = 12, 2 ** depth - 1
    leaf = rng.permutation(trees * 2 ** depth).reshape(trees, 2 ** depth).astype(float) * 2.0 ** np.arange(trees)[:, None]
    forest = Forest(rng.integers(0, 6, (trees, internal)), rng.integers(-2, 3, (trees, internal)).astype(float),
                    leaf, 0.0, depth)
    X = rng.integers(-3, 4, (60, 6)).astype(float)  # many values equal to a threshold
    assert forest.margin(X).tolist() == [_walk(forest, row) for row in X]


def test_stacked_forest_gives_each_forests_leaves():
    """Several forests evaluated as one: each forest's slice of the leaf values sums to its
    own margin (the threshold per page reads its regressions this way)."""
    rng = np.random.default_rng(7)
    forests = [Forest(rng.integers(0, 5, (n, 7)), rng.normal(size=(n, 7)), rng.normal(size=(n, 8)), 0.5 * k, 3)
               for k, n in enumerate((4, 9, 6))]
    X = rng.normal(size=(15, 5))
    values = Forest.stacked(forests).leaf_values(X)
    parts = np.split(values, np.cumsum([4, 9]), axis=1)
    for forest, part in zip(forests, parts):
        assert np.array_equal(forest.base + part.sum(axis=1), forest.margin(X))
