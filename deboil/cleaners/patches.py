"""Every change deboil makes to other libraries, applied by one explicit `install()`.

Importing a deboil module changes nothing outside deboil: trafilatura, htmldate, jusText
and lxml are patched only when a pipeline is built (`steps.default_pipeline`), so a
process that imports deboil for something else (or measures stock trafilatura) sees them
as released. `install()` is idempotent.
"""
from __future__ import annotations

import inspect
import re
from copy import copy
from functools import lru_cache

from justext import core as justext_core
from lxml import etree
from lxml import html as lxml_html
from trafilatura import core as trafilatura_core
from trafilatura import external as trafilatura_external
from trafilatura import utils as trafilatura_utils

from deboil.cleaners.cache import cached
from deboil.cleaners.encoding.characters import text_character
from deboil.cleaners.html import date_recheck
from deboil.cleaners.html import date_years
from deboil.cleaners.html import dates as html_dates
from deboil.cleaners.html import trafilatura_xpaths

_installed = False


def install() -> None:
    """Apply the patches below once per process."""
    global _installed
    if _installed:
        return
    html_dates.install()  # no dateparser: see html.dates
    date_recheck.install()  # htmldate's fast-mode answer from its extensive run
    date_years.install()  # its page-wide date patterns over a squeezed page
    trafilatura_xpaths.install()  # its costliest XPaths without Python callbacks
    _cache_justext_union()
    _no_unused_copies()
    _no_unread_raw_copy()
    trafilatura_utils.HTML_PARSER = _deep_parser()  # load_html looks it up at each call
    if not isinstance(trafilatura_utils.INVALID_XML_CHARS, _XmlInvalidChars):
        trafilatura_utils.INVALID_XML_CHARS = _XmlInvalidChars(trafilatura_utils.INVALID_XML_CHARS)
    _keep_text_characters()
    _installed = True


def _keep_text_characters() -> None:
    """trafilatura deletes every non-printable character from the text it reads (ZWNJ and
    ZWJ out of words, C1 controls, characters newer than Python's Unicode tables): it keeps
    those `encoding.characters` keeps. Its one per-character test is looked up by name at
    each call by `remove_control_characters`, which `line_processing`, `sanitize` and the
    baseline rescue go through; `line_processing` caches its answers, read before."""
    trafilatura_utils.return_printables_and_spaces = lru_cache(maxsize=2**14)(text_character)
    trafilatura_utils.line_processing.cache_clear()


def _deep_parser() -> etree.HTMLParser:
    """trafilatura's parser, with libxml2's depth limit raised from 256 to 2,048 (huge_tree):
    at 256 everything nested deeper was dropped and the page called textless. The options
    are trafilatura's own; the element classes are chosen in C (see _element_classes)."""
    parser = etree.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                              remove_comments=True, remove_pis=True, huge_tree=True)
    parser.set_element_class_lookup(_element_classes())
    return parser


def _cache_justext_union() -> None:
    """trafilatura's jusText fallback first builds the union of all ~100 stop-word lists
    (0.3-0.6 s), then jusText lower-cases it into a set (~70 ms) in every process that meets
    a short page, and hashes the 150,000-word tuple again at each call to find that set in
    its cache (~0.6 ms). The set itself is unpickled from the model cache (~25 ms) and
    stands for the union: jusText is handed it back as it is. trafilatura looks the builder
    up at each call and jusText its set maker, so replacing both is enough."""
    build = trafilatura_external.jt_stoplist_init
    define = justext_core.define_stoplist

    def lowered_union() -> frozenset[str]:
        # what jusText makes of the union, its cache (which would keep the tuple) bypassed
        return getattr(define, "__wrapped__", define)(build())

    def cached_union() -> frozenset[str]:
        trafilatura_external.JT_STOPLIST = cached("justext-union-lowered", lowered_union,
                                                  libraries=("jusText", "trafilatura"))
        return trafilatura_external.JT_STOPLIST

    def define_stoplist(stoplist):
        if stoplist is trafilatura_external.JT_STOPLIST and isinstance(stoplist, frozenset):
            return stoplist  # already lower-cased, by `define` itself
        return define(stoplist)

    trafilatura_external.jt_stoplist_init = cached_union
    justext_core.define_stoplist = define_stoplist


def _no_unused_copies() -> None:
    """trafilatura cleans a copy of its tree and keeps a copy of the cleaned one as a backup
    (~0.3-0.5 ms each on an article page). The backup has two readers only: the comparison
    with readability/jusText, which fast mode skips, and the comment pass; the tree itself
    is read again only by the baseline rescue and the recall retry, which precision mode
    skips. deboil's precision reading is fast and comment-free: there neither copy is made
    (the tree trafilatura cleans is its own copy of the caller's, unread afterwards)."""
    prepare = trafilatura_core._prepare_tree
    if getattr(prepare, "deboil", False):
        return

    def prepare_tree(tree, options, url):
        if options.fast and not options.comments:
            precision = options.focus == "precision"
            cleaned = trafilatura_core.tree_cleaning(tree if precision else copy(tree), options)
            return trafilatura_core.convert_tags(cleaned, options, url), None
        return prepare(tree, options, url)

    prepare_tree.deboil = True
    trafilatura_core._prepare_tree = prepare_tree


# compare_extraction's first lines: in recall mode a long extraction is returned as it is,
# before the raw tree it was handed (a copy of the whole page) is read
_RECALL_BYPASS = ('    len_text = len(text)\n    # bypass for recall\n'
                  '    if options.focus == "recall" and len_text > options.min_extracted_size * 10:\n'
                  '        return body, text\n')
_EXTRACT_AND_COMPARE = ('    postbody, temp_text = extract_content(cleaned_tree, options)\n'
                        '    if not options.fast:\n'
                        '        postbody, temp_text = compare_extraction(cleaned_tree_backup, copy(tree), postbody, '
                        'temp_text, options)\n    return postbody, temp_text\n')


def _no_unread_raw_copy() -> None:
    """trafilatura copies the whole raw tree for its comparison with readability before
    calling it, and the comparison returns at once, unread, on a long recall-mode extraction
    (~0.3 ms a copy; 189 of 394 calls on a quarter of WCXB). The copy is made only where it
    is read. Installed only while both functions read as mirrored here."""
    original = trafilatura_core._extract_and_compare
    if getattr(original, "deboil", False):
        return
    try:
        same = (inspect.getsource(original).endswith(_EXTRACT_AND_COMPARE)
                and inspect.getsource(trafilatura_core.compare_extraction).split('"""')[-1].startswith(
                    "\n" + _RECALL_BYPASS))
    except (OSError, TypeError):
        same = False
    if not same:
        return

    def extract_and_compare(cleaned_tree, cleaned_tree_backup, tree, options):
        postbody, temp_text = trafilatura_core.extract_content(cleaned_tree, options)
        if options.fast or (options.focus == "recall" and len(temp_text) > options.min_extracted_size * 10):
            return postbody, temp_text
        return trafilatura_core.compare_extraction(cleaned_tree_backup, copy(tree), postbody, temp_text, options)

    extract_and_compare.deboil = True
    trafilatura_core._extract_and_compare = extract_and_compare


def _element_classes() -> etree.ElementNamespaceClassLookup:
    """The classes lxml.html gives a parsed page's nodes (HtmlElement, its form-control
    subclasses, HtmlComment...), chosen in C. lxml.html's own lookup is a Python method
    called for each node that gets a Python object, thousands of times a page across
    trafilatura and our passes (~0.6 ms of the ~16 ms of parse and extraction). It also
    lower-cases the tag name, which the HTML parser has already done."""
    lookup = etree.ElementNamespaceClassLookup(etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity))
    tags = lookup.get_namespace(None)
    for tag, cls in lxml_html.HtmlElementClassLookup._default_element_classes.items():
        tags[tag] = cls
    return lookup


# The characters XML forbids, as UTF-8 bytes: multi-byte sequences never hold a byte < 0x80
_XML_INVALID_BYTES = bytes(c for c in range(32) if c not in (9, 10, 13))


class _XmlInvalidChars:
    """trafilatura's load_html deletes the characters XML forbids with a regex substitution
    over the whole page (~0.9 ms for a 170 KB page), which scans every character even when,
    as almost always, there is none. Whether there is any is told in C first (~0.4 ms:
    UTF-8 bytes with the control bytes deleted, same length); only pages with some reach
    the regex."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern

    def sub(self, repl, string, count=0):
        if isinstance(string, str) and "\ufffe" not in string and "\uffff" not in string:
            data = string.encode("utf-8", "surrogatepass")
            if len(data.translate(None, _XML_INVALID_BYTES)) == len(data):
                return string
        return self.pattern.sub(repl, string, count)
