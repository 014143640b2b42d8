"""Read what a page says about itself: <meta> tags and schema.org JSON-LD.

One cheap pass over the parsed tree; the result feeds both the page-type guess and the
metadata fields, so neither has to walk the tree again.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import html as lxml_html

_TYPE_SPLIT = re.compile(r"[\s,]+")


@dataclass
class PageSignals:
    meta: dict[str, str] = field(default_factory=dict)  # lower-cased name/property -> content
    ld_types: list[str] = field(default_factory=list)  # schema.org @type values, in order
    ld_items: list[dict] = field(default_factory=list)  # every JSON-LD object found
    canonical: str | None = None
    html_title: str | None = None
    first_time: str | None = None  # datetime of the first <time> element

    def first_meta(self, *names: str) -> str | None:
        for name in names:
            value = self.meta.get(name.lower())  # meta names are stored lower-cased
            if value and value.strip():
                return value.strip()
        return None


# JSON-LD nested deeper than this is not walked further (real graphs nest a few levels).
LD_DEPTH = 32


def _walk_ld(node, items: list[dict], depth: int = 0) -> None:
    if depth > LD_DEPTH:
        return
    if isinstance(node, list):
        for sub in node:
            _walk_ld(sub, items, depth + 1)
    elif isinstance(node, dict):
        items.append(node)
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "hasPart"):
            if key in node:
                _walk_ld(node[key], items, depth + 1)


def _ld_types(item: dict) -> list[str]:
    t = item.get("@type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [x for x in t if isinstance(x, str)]
    return []


def _parse_json(raw: str):
    raw = raw.strip()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except RecursionError:  # nested past Python's stack: not structured data worth reading
        return None
    except ValueError:
        # CMSs often leave trailing commas or raw newlines inside strings
        try:
            return json.loads(re.sub(r",\s*([}\]])", r"\1", raw.replace("\n", " ")))
        except (ValueError, RecursionError):
            return None


def read_signals(tree: lxml_html.HtmlElement) -> PageSignals:
    sig = PageSignals()
    for el in tree.iter("meta"):
        name = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if name and content and name not in sig.meta:
            sig.meta[name] = content
    for el in tree.iter("link"):
        rel = (el.get("rel") or "").lower().split()
        if "canonical" in rel and el.get("href") and not sig.canonical:
            sig.canonical = el.get("href").strip()
    for el in tree.iter("time"):
        value = el.get("datetime")
        if not value:
            continue
        sig.first_time = sig.first_time or value
        prop = (el.get("itemprop") or "").strip().lower()
        if prop and prop not in sig.meta:  # microdata: <time itemprop="dateCreated" datetime=...>
            sig.meta[prop] = value
    title = tree.find(".//title")
    if title is not None:
        sig.html_title = " ".join(title.text_content().split()) or None
    for el in tree.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json":
            continue
        data = _parse_json(el.text or "")
        if data is None:
            continue
        items: list[dict] = []
        _walk_ld(data, items)
        for item in items:
            sig.ld_items.append(item)
            sig.ld_types.extend(_ld_types(item))
    return sig


def ld_first(sig: PageSignals, keys: tuple[str, ...], types: set[str] | None = None):
    """First non-empty value of one of `keys` in a JSON-LD object (of one of `types`)."""
    for item in sig.ld_items:
        if types and not types.intersection(_ld_types(item)):
            continue
        for key in keys:
            value = item.get(key)
            if value:
                return value
    return None
