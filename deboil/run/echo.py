"""Text from inputs (file names, WARC fields, urls) made safe to print on a terminal."""
from __future__ import annotations

import re

# C0 and C1 controls, DEL, and lone surrogates (undecodable bytes of a file name): a name
# holding ESC sequences or newlines could otherwise rewrite the screen or forge log lines.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str) -> str:
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                       else f"\\u{ord(m.group()):04x}", text)


def storable(text: str) -> str:
    """Text SQLite can hold: lone surrogates (from undecodable bytes) written as \\udcNN."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
