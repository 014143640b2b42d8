"""htmldate's fast-mode answer taken from its extensive run is the one find_date gives."""
import copy

import htmldate.core
import lxml.html
import pytest
from trafilatura.settings import set_date_params

from deboil.cleaners import patches
from deboil.cleaners.html import date_recheck

EXTENSIVE, FAST = set_date_params(True), set_date_params(False)
PROSE = "<p>" + "Plain words about the harbour and its boats, nothing more. " * 8 + "</p>"
PAGES = {
    "copyright year only": f"<html><body>{PROSE}<div>© 2021 Harbour Press</div></body></html>",
    "bare date in the text": f"<html><body>{PROSE}<p>Filed 2021-01-01 at noon</p><div>© 2020</div></body></html>",
    "textual date in the text": f"<html><body>{PROSE}<p>Written on Dec. 19, 2025.</p></body></html>",
    "dated candidate element": f"<html><body><div class='date'>2019-01-01</div>{PROSE}</body></html>",
    "too many candidates": "<html><body>" + "<div class='meta'>x</div>" * 1001
                           + f"<p class='date'>2024-03-03</p>{PROSE}<footer>© 2022</footer></body></html>",
    "nothing": f"<html><body>{PROSE}</body></html>",
}


def test_installed_for_this_htmldate():
    """The derivation follows htmldate's own flow: a new htmldate turns it off (find_date
    then runs twice, as before) until the flow is checked and the digest updated."""
    patches.install()
    assert date_recheck._installed


@pytest.mark.parametrize("name", sorted(PAGES))
def test_fast_answer_is_find_dates(name):
    patches.install()
    tree = lxml.html.fromstring(PAGES[name])
    expected = htmldate.core.find_date(copy.deepcopy(tree), **dict(FAST, url=None))
    found, fast = date_recheck.find_dates(tree, None, EXTENSIVE, FAST)
    assert found == htmldate.core.find_date(copy.deepcopy(tree), **dict(EXTENSIVE, url=None))
    assert fast() == expected
