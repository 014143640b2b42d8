"""Sections that are not the body, recognised by their heading.

"Related stories", "Customers also bought", "Leave a reply": a heading like these
introduces a block of links or forms that belongs to the site, not to the page. The
shared `boilerplate_reason` judges single lines; `section_reason` judges a heading, and the
DOM pass and the block features use it for the container it heads.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from deboil.cleaners.lexicon.boilerplate import boilerplate_reason
from deboil.cleaners.lexicon.scripts import spaced_words

# headings of recommendation/commerce blocks that the shared phrase list does not cover
_SECTION_HEADING = re.compile(
    r"^(?:similar|related|recommended|sponsored|popular|trending)(?: (?:items?|products?|posts?|"
    r"articles?|stories|news|content|reads?|videos?|links|searches|topics|guides|listings|deals|"
    r"for you|now|this week|today))?$"
    r"|\b(?:customers|people|shoppers|others|readers) (?:also|who) (?:viewed|bought|liked|read|searched)"
    r"|\bfrequently bought together\b|\b(?:you|we think you) (?:may|might|will|would) (?:also )?(?:like|love|enjoy)\b"
    r"|^consider (?:these|this|similar)\b|^more (?:to explore|to consider|like this)$"
    r"|^(?:recently viewed|most (?:read|viewed|popular|shared))\b"
    r"|^(?:\d+\s+)?comments?$|^(?:leave|post|add|write) a (?:comment|reply)\b",
    re.I)
_SECTION_REASONS = {"related", "comment-form", "newsletter", "share"}
MAX_HEADING_WORDS = 12


def section_reason(heading: str) -> str | None:
    """Why the section under this heading is not body text, or None."""
    text = " ".join(heading.split()).strip(" :.!-–—»›>")
    if not text or len(text.split()) > MAX_HEADING_WORDS:
        return None
    reason = boilerplate_reason(text)
    if reason in _SECTION_REASONS:
        return reason
    if _SECTION_HEADING.search(text):
        return "related"
    return None


# a line ending like a sentence (an inline "Related:" teaser does not)
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)]*$")


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold().strip(" -•|»›")


def link_texts(tree, min_words: int = 3, page_url: str | None = None) -> set[str]:
    """Normalised texts of the page's links to other pages (a few words or more); in-page
    anchors are left out, also when written as this page's full URL plus a fragment: a
    table of contents repeats the body's own headings; so are the links that work a
    widget (accordion questions, tabs)."""
    here = _page_key(page_url) if page_url else None
    out = set()
    for a in tree.iter("a"):
        # most links hold only text: their .text is their whole text, without an XPath call
        raw = a.text_content() if len(a) else (a.text or "")
        if len(raw.split()) < min_words:
            continue  # most links (menus, tags) are short; normalising never adds words
        href = (a.get("href") or "").strip()
        if href.startswith("#") or _is_control(a, href):
            continue
        if here and "#" in href and _page_key(urljoin(page_url, href)) == here:
            continue
        text = _norm(raw)
        if len(text.split()) >= min_words:
            out.add(text)
    return out


def _is_control(a, href: str) -> bool:
    """An <a> that works a widget on this page (opens an accordion's answer, a tab, a
    menu) rather than leading to another page: its text is a label, not a teaser."""
    return (href.lower().startswith("javascript:") or a.get("aria-controls") is not None
            or a.get("aria-expanded") is not None or (a.get("role") or "").lower() in ("button", "tab"))


def _page_key(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return (parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/")) or None


# when links make up more than this share of the words, the page is a list of links
# (a best-seller list, an index): the links are its content, not teasers
MAX_LINK_SHARE = 0.25


def drop_link_lines(lines: list[str], links: set[str], keep_list_items: bool = False
                    ) -> tuple[list[str], list[tuple[str, str]]]:
    """Prose path: a paragraph of several words that is nothing but a link is a teaser
    for another page ("related" headlines, "READ MORE" rows). With `keep_list_items`
    (guides and tutorials, as opposed to news) a list item that is a link stays: there a
    list of links is the guide's own index of topics."""
    kept, dropped = [], []
    for line in lines:
        if len(line.split()) >= 5 and not (keep_list_items and line.startswith("- ")) and _norm(line) in links:
            dropped.append((line, "link"))
        else:
            kept.append(line)
    total = sum(map(spaced_words, lines))  # (word units in unspaced scripts)
    if sum(spaced_words(line) for line, _ in dropped) > MAX_LINK_SHARE * total:
        return lines, []
    return kept, dropped


# Calls to action and result counters: short lines that address the visitor, not the
# reader of this page's content (candidates for the shared phrase list in boilerplate.py)
_CTA = re.compile(
    r"^(?:sign ?up|sign ?in|log ?in|register|subscribe|join|get started|start (?:your )?free trial|"
    r"try (?:it )?(?:for )?free|book (?:a |your )?(?:free )?(?:demo|call|consultation)|request a demo|"
    r"download (?:the |our )?(?:catalog|catalogue|brochure|app|guide)|shop all|see all|view all|"
    r"explore all|rss feed|contact sales)\b[^.!?]{0,40}[.!]?$"
    r"|^(?:page \d+ of \d+|showing \d+(?:\s*[-–]\s*\d+)? of \d+(?: \w+)?|\d+ (?:results|items|products))$"
    r"|\byou must (?:log in|sign in|be logged in|register)\b",
    re.I)
CTA_MAX_WORDS = 8


def cta_reason(line: str) -> str | None:
    text = " ".join(line.split()).strip(" ›»→>")
    words = len(text.split())
    if words and (words <= CTA_MAX_WORDS or "you must" in text.casefold()) and _CTA.search(text):
        return "call-to-action"
    return None


# interface text that trafilatura and the DOM pass let through as lines of their own:
# skip links, feedback prompts, a teaser link introduced by "Related:" inside the body
_UI_LINE = re.compile(
    r"^(?:skip (?:to )?(?:main )?(?:navigation|content|to content)|skip navigation links?"
    r"|was this (?:page |article |answer |information |post )?(?:helpful|useful)\??"
    r"|did you find this (?:page |article )?(?:helpful|useful)\??)$", re.I)
_INLINE_RELATED = re.compile(
    r"^(?:related|read more|see also|also read|read also|related reading|related article|related story|"
    r"recommended reading|more on this(?: story)?)\s*:\s*\S", re.I)
INLINE_RELATED_MAX_WORDS = 16


def ui_reason(line: str) -> str | None:
    text = " ".join(line.split())
    if _UI_LINE.match(text.strip(" .!›»")):
        return "nav"
    if len(text.split()) <= INLINE_RELATED_MAX_WORDS and _INLINE_RELATED.match(text) and \
            not _SENTENCE_END.search(text.rstrip("?")):
        return "related"
    # a phrase the page printed twice with no space ("AdvertisementAdvertisement")
    half = len(text) // 2
    if len(text) % 2 == 0 and 4 <= half <= 40 and text[:half] == text[half:]:
        return boilerplate_reason(text[:half])
    return None
