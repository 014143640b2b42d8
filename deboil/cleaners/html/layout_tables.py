"""Tables that lay the page out, not data.

Older sites (and some templates still) lay the whole page out in a table: the menu in one
cell, the article in the next, its paragraphs as text between <br><br>. trafilatura reads
every table as data: a row is one line, its cells joined by " | ", so the menu, the
headline, the byline and every paragraph come out as one line, which no line filter can
take apart. When most of trafilatura's words are in such rows and a cell of a table holds
a large share of the page's visible words (the DOM pass's bound on chrome,
`CHROME_MAX_SHARE`), that table is layout: its rows and cells become <div>s and
trafilatura reads the page again (see `html.extract_html`). A table with a caption, a
header row or header cells is data, whatever its size.
"""
from __future__ import annotations

from deboil.cleaners.html.fallback import CHROME_MAX_SHARE

# trafilatura's words in table rows ("| a | b |" lines), as a share of all it kept, from
# which its reading is the table's rows rather than a text
ROWS_MIN_SHARE = 0.5
_PARTS = ("tbody", "thead", "tfoot", "tr", "td", "th")


def row_share(lines: list[str]) -> float:
    """The share of the words of `lines` in table rows as trafilatura writes them."""
    words = [len(line.split()) for line in lines]
    rows = sum(n for line, n in zip(lines, words) if line.startswith("|"))
    return rows / max(1, sum(words))


def _is_data(table) -> bool:
    return table.find("caption") is not None or table.find("thead") is not None or bool(
        table.xpath("./tr/th | ./tbody/tr/th"))


def _own_parts(table) -> list:
    """The table's own sections, rows and cells (not those of tables nested in its cells)."""
    rows = table.xpath("./tr | ./tbody/tr | ./tfoot/tr")
    return table.xpath("./tbody | ./tfoot") + rows + [cell for row in rows for cell in row if cell.tag in _PARTS]


def unwrap_layout_tables(tree, total: int, wc: dict) -> int:
    """Turn every table one of whose cells holds more than `CHROME_MAX_SHARE` of the page's
    `total` visible words (`wc`: `word_counts(tree)`) into <div>s, unless it reads as data;
    in place. Returns how many tables changed."""
    limit = CHROME_MAX_SHARE * total
    layout = {}
    for cell in tree.iter("td"):
        if wc.get(cell, 0) <= limit:
            continue
        table = next(cell.iterancestors("table"), None)
        if table is not None and not _is_data(table):
            layout[table] = None
    for table in layout:
        for el in _own_parts(table) + [table]:
            el.tag = "div"
    return len(layout)
