"""htmldate's page-wide patterns find the same in the squeezed page as in the page."""
import random
from datetime import datetime

import htmldate.core
from htmldate.utils import Extractor

from deboil.cleaners import patches
from deboil.cleaners.html import date_years

# digits, the separators, other \D characters, and a digit of another script (\d, not [0-9])
ALPHABET = "0123456789" * 3 + "/.-" * 3 + "ab <>=\"'_:,\n" + "\u0663\u00e9"


def _random_page(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) if rng.random() < 0.7 else rng.choice("0123456789/.-")
                   for _ in range(rng.randrange(0, 400)))


def test_installed_for_this_htmldate():
    patches.install()
    assert date_years._installed
    assert len(date_years.squeezable()) == 5


def test_same_matches_on_random_pages():
    rng = random.Random(15)
    patterns = date_years.squeezable()
    for _ in range(3000):
        page = _random_page(rng)
        squeezed = date_years.squeeze(page)
        for pattern in patterns:
            assert pattern.findall(squeezed) == pattern.findall(page), (pattern.pattern, page)


def test_same_date_as_htmldates_own_search():
    """search_page on pages whose only dates are in the text, in each pattern's shape."""
    patches.install()
    options = Extractor(True, datetime(2025, 12, 31), datetime(1995, 1, 1), False, "%Y-%m-%d")
    filler = "<div class='x'>Some words about the harbour, nothing dated.</div>" * 30
    texts = ["Filed 21.03.2019 by", "on 3/4/2018 at", "updated 2017-08 and", "in 11/2016, then",
             "stamp 2015/10/09 x", "id 20190304 n", "the 12/31/2021 one", "no date at all"]
    for text in texts:
        page = f"<html><body>{filler}<p>{text}</p>{filler}</body></html>"
        expected = htmldate.core.search_page.__wrapped__(page, options)
        assert htmldate.core.search_page(page, options) == expected, text
    assert date_years._page.source is None  # nothing kept past the page
