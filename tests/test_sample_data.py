"""The repository's copies of the sample captures and gold are the shared originals."""
from __future__ import annotations

import pytest

from tests.support import samples


@pytest.mark.shared
def test_bundled_samples_match_shared(shared_dir):
    for ours, theirs in ((samples.CAPTURES, shared_dir / "samples" / "captures"),
                         (samples.GOLD, shared_dir / "samples" / "gold")):
        names = sorted(p.name for p in theirs.iterdir())
        assert sorted(p.name for p in ours.iterdir()) == names
        for name in names:
            assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name
    assert len(samples.NAMES) == 5
