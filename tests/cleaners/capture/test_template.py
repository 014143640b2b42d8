"""Site templates for captures: lines many pages of one site share are removed, bodies stay whole."""
from __future__ import annotations

from collections import Counter

from deboil.cleaners import Context, RawPage, SiteTemplate, clean
from deboil.cleaners.capture.template import line_hash, page_line_hashes


def test_line_hash_folds_case_digits_space():
    assert line_hash("© 2020 Example") == line_hash("©  2021 example")
    assert line_hash("3 comments") == line_hash("12 Comments")
    assert line_hash("Home") != line_hash("World")
    hashes = page_line_hashes("Home\nHome\n\nWorld news today\n")
    assert len(hashes) == 2 and len(set(hashes)) == 2


def _site_pages():
    header = ["Example Tribune", "Politics  Business  Culture  Opinion", "Today's paper"]
    promo = ["Get unlimited access for just 1 dollar a week", "Our reporters on the ground"]
    footer = ["About the Tribune", "Careers at the Tribune", "© 2020 Example Tribune Company"]
    topics = ["bridge", "school", "harbour", "library", "stadium", "hospital", "market",
              "railway", "museum", "park"]
    pages = []
    for i, topic in enumerate(topics):
        body = [f"The city council voted on Monday to fund repairs to the old {topic}, ending a "
                f"debate that had lasted {i + 2} years.",
                f"Residents had complained that the {topic} was unsafe, and engineers agreed "
                f"with them in a report published last spring.",
                f"Work on the {topic} is expected to start in the autumn and to take about "
                f"{i + 10} months, the mayor said."]
        lines = header + [f"Council to fund {topic} repairs"] + promo + body + footer
        pages.append(("\n".join(lines), body, header + promo + footer))
    return pages


def test_template_lines_removed_and_bodies_whole():
    pages = _site_pages()
    counts = Counter(h for doc, _, _ in pages for h in page_line_hashes(doc))
    template = SiteTemplate(pages=len(pages), line_pages=dict(counts))
    for doc, body, shared in pages:
        page = clean(RawPage(url="x", body=doc.encode(), kind="text"), Context(template=template))
        assert page.text.split("\n\n") == body
        removed = {r.text: r.reason for r in page.removed}
        for line in shared:
            assert removed[line] == "template", line
        assert page.line_hashes == page_line_hashes(doc)


def test_template_never_takes_prose_seen_on_some_pages():
    pages = _site_pages()
    quote = ("The council has a duty to keep every public building safe for the people who use "
             "it, the mayor said in a statement read at each of the meetings.")
    doc, body, _ = pages[0]
    # A sentence on 5 of 10 pages: below the bar for prose (80% of pages), so it stays.
    counts = Counter(h for d, _, _ in pages for h in page_line_hashes(d))
    counts[line_hash(quote)] = 5
    template = SiteTemplate(pages=10, line_pages=dict(counts))
    page = clean(RawPage(url="x", body=(doc + "\n" + quote).encode(), kind="text"),
                 Context(template=template))
    assert page.text.split("\n\n") == body + [quote]
