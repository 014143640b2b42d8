"""Raw bodies as Zstandard frames that any Zstandard reader takes."""
from __future__ import annotations

import os

from deboil.db.codec import STORE_BELOW, pack, unpack, zstd


def test_raw_bodies_are_plain_zstd_frames_at_every_size():
    """Small bodies go into frames built by hand: any Zstandard reader must take them."""
    for n in (0, 1, 255, 256, 257, STORE_BELOW - 1, STORE_BELOW, 70_000):
        body = os.urandom(n // 2) + b"a" * (n - n // 2)
        frame = pack(body)
        assert zstd.decompress(frame) == body and unpack(frame) == body
        assert zstd.get_frame_info(frame).decompressed_size == n
    assert len(pack(b"a" * 50_000)) < 1_000  # large bodies are compressed
