"""Page metadata: title, dates, canonical URL and site name from the parsed tree.

Trafilatura's metadata is the starting point; these functions correct what it gets wrong
most often: the `<title>` carries a site suffix ("Story | Site") while readers mean the
visible headline, and the modified date is not reported at all.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from deboil.cleaners.html.structured import PageSignals, ld_first
from deboil.cleaners.lexicon.scripts import spaced_words
from deboil.stored_dates import Stated, offsets_by_date, read_iso

_WORD = re.compile(r"\w+")
# separators sites put between headline and site name in <title>
_TITLE_SEP_KEEP = re.compile(r"(\s+[|\-–—•·»«/]{1,2}\s+|\s+::?\s+)")


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text or "")]


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _inside(el, tags: tuple[str, ...]) -> bool:
    for anc in el.iterancestors():
        if anc.tag in tags:
            return True
    return False


def _overlap(candidate: str, reference: str) -> float:
    """Share of the candidate's words found in the reference."""
    cw = _words(candidate)
    if not cw:
        return 0.0
    ref = set(_words(reference))
    return sum(w in ref for w in cw) / len(cw)


def host_label(url: str | None) -> str | None:
    """The distinctive label of a URL's host: 'https://www.todoist.com/x' -> 'todoist'."""
    if not url or not url.startswith("http"):
        return None
    host = urlsplit(url).hostname or ""
    labels = [x for x in host.split(".") if x and x != "www"]
    if len(labels) >= 3 and len(labels[-2]) <= 3:  # example.co.uk
        labels = labels[:-1]
    return labels[-2] if len(labels) >= 2 else None


def strip_site_suffix(title: str, site_name: str | None = None, host: str | None = None) -> str:
    """'Headline | Site' -> 'Headline': drop leading/trailing segments that name the site
    (its declared name, or the words of its host name run together: 'Todoist | ...')."""
    pieces = _TITLE_SEP_KEEP.split(title)  # text, sep, text, sep, ...
    parts = pieces[0::2]
    if len(parts) < 2:
        return title

    def is_site(part: str) -> bool:
        if host and "".join(_words(part)) == host:
            return True
        if site_name:
            # the part's words are the site's, or the site's name plus two words at most
            # ("Gymshark Arrival T-Shirt" holds the site name but is the product)
            return _overlap(part, site_name) >= 0.6 or (
                _overlap(site_name, part) >= 0.8 and len(_words(part)) <= len(_words(site_name)) + 2)
        return False

    lo, hi = 0, len(parts)
    while hi - lo > 1 and is_site(parts[hi - 1]):
        hi -= 1
    while hi - lo > 1 and is_site(parts[lo]):
        lo += 1
    if (lo, hi) == (0, len(parts)) and not site_name:
        # no site name to match: a short last segment is the usual suffix (words of
        # unspaced scripts counted as word units: a Japanese headline is not one word)
        if spaced_words(parts[-1]) <= 4 and spaced_words(parts[0]) >= spaced_words(parts[-1]):
            hi -= 1
    return "".join(pieces[2 * lo: 2 * hi - 1]).strip() or title


# permalink markers documentation generators append to headings
_PERMALINK = re.compile(r"[\s¶#§🔗]+$")


MIN_COVER = 0.25


def _covers(h1: str, ref: str) -> bool:
    hw, rw = _words(h1), _words(ref)
    return rw[:len(hw)] == hw or _overlap(ref, h1) >= MIN_COVER


def headline(tree: lxml_html.HtmlElement, sig: PageSignals, site_name: str | None,
             url: str | None = None) -> str | None:
    """The visible headline: the <h1> that agrees with the declared titles (their site
    suffix left out, so a logo <h1> holding the site name does not agree), else the
    declared title without its site suffix."""
    declared = [_clean(t) for t in (
        sig.first_meta("og:title"), sig.first_meta("twitter:title"), sig.html_title,
        str(ld_first(sig, ("headline",)) or ""),
    ) if t and _clean(t)]
    h1s = []
    for el in tree.iter("h1"):
        text = _PERMALINK.sub("", _clean(el.text_content()))
        if text and len(text) < 300 and not _inside(el, ("nav", "footer", "aside")):
            h1s.append(text)
    host = host_label(url)
    refs = [strip_site_suffix(t, site_name, host) for t in declared]
    stripped = refs[0] if refs else None
    best, best_score = None, 0.0
    for text in h1s:
        # agreeing means sharing most of the h1's words *and* either opening the title
        # or covering a fair part of it (a one-word h1 naming the section or forum is
        # in the title, but is not the headline)
        score = max((_overlap(text, ref) for ref in refs if _covers(text, ref)), default=0.0)
        if score > best_score:
            best, best_score = text, score
    if best and best_score >= 0.6:
        return best
    if not declared and len(h1s) == 1:
        return h1s[0]
    return stripped


# Every <meta>, JSON-LD and <time> field that dates the page: read for the offsets the
# page states (a time stated without a zone borrows one stated for the same date).
_DATE_METAS = ("article:published_time", "article:modified_time", "og:updated_time", "datepublished",
               "datemodified", "datecreated", "date", "dc.date", "dc.date.issued", "last-modified")
_LD_DATES = ("datePublished", "dateModified", "dateCreated")


def iso_date(value) -> str | None:
    """First ISO-like date in a value, as YYYY-MM-DD (the date part only)."""
    found = read_iso(value)
    return found.date if found else None


def modified_date(sig: PageSignals) -> Stated | None:
    return read_iso(sig.first_meta("article:modified_time", "og:updated_time", "dateModified",
                                   "last-modified")) or read_iso(ld_first(sig, ("dateModified",)))


def published_date(sig: PageSignals) -> Stated | None:
    """Publication date as declared in structured data (the most deliberate statement)."""
    return read_iso(ld_first(sig, ("datePublished", "dateCreated"))) or read_iso(
        sig.first_meta("article:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
                       "datecreated"))


def stated_offsets(sig: PageSignals) -> dict[str, str]:
    """Date -> offset, from every date field of the page that states a zone."""
    values = [sig.meta.get(name) for name in _DATE_METAS]
    values += [item.get(key) for item in sig.ld_items for key in _LD_DATES]
    values.append(sig.first_time)
    return offsets_by_date(read_iso(v) for v in values if v)


def _person(value) -> str | None:
    """A schema.org author value (a name, a Person, or a list of them) as "A, B"."""
    if isinstance(value, str):
        name = _clean(value)
        return None if not name or name.startswith("http") else name
    if isinstance(value, dict):
        return _person(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_person(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def declared_author(sig: PageSignals) -> str | None:
    """Author as declared in structured data or <meta> (a profile URL is not a name)."""
    return _person(ld_first(sig, ("author", "creator"))) or _person(
        sig.first_meta("author", "article:author", "dc.creator", "parsely-author", "sailthru.author"))


def canonical_url(sig: PageSignals, page_url: str) -> str | None:
    href = sig.canonical or sig.first_meta("og:url")
    if not href:
        return None
    if page_url.startswith("http"):
        href = urljoin(page_url, href)
    return href if href.startswith("http") else None


def site_name(sig: PageSignals) -> str | None:
    name = sig.first_meta("og:site_name", "application-name")
    if name:
        return _clean(name)
    pub = ld_first(sig, ("name",), {"WebSite", "Organization", "NewsMediaOrganization"})
    return _clean(pub) if isinstance(pub, str) else None
