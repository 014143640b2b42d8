"""The rule registry: each named rule can be turned off for measurement, and only then."""
from __future__ import annotations

import pytest

from deboil.cleaners.html import rules
from deboil.cleaners.html.extract import extract_html
from deboil.models import CleanPage, Context

PAGE = """<html><head><title>Fixing a bike chain</title></head><body><article>
  <h1>Fixing a bike chain</h1>
  <p>""" + "A chain wears out and stretches after a few thousand kilometres of riding. " * 12 + """</p>
  <p>Request a demo today</p></article></body></html>"""


def _text() -> str:
    return extract_html(CleanPage(url="https://bikes.example/chain", document=PAGE), Context()).text


def test_every_rule_is_on_by_default():
    assert all(rules.enabled(name) for name in rules.RULES)


def test_a_rule_turned_off_changes_the_reading_and_comes_back_on():
    assert "Request a demo" not in _text()
    with rules.rules_off("cta-lines"):
        assert not rules.enabled("cta-lines") and rules.enabled("ui-lines")
        assert "Request a demo today" in _text()
    assert rules.enabled("cta-lines") and "Request a demo" not in _text()


def test_unknown_rule_names_are_refused():
    with pytest.raises(ValueError, match="no-such-rule"):
        with rules.rules_off("no-such-rule"):
            pass
    with pytest.raises(KeyError):
        rules.enabled("no-such-rule")
    assert all(rules.enabled(name) for name in rules.RULES)


def test_only_the_rules_that_fired_are_consulted():
    """The audit re-reads a page only with the consulted rules off: one that did not fire
    must not be asked about (it could not have changed the reading)."""
    with rules.consulted() as fired:
        _text()
    assert "cta-lines" in fired
    assert not fired & {"ui-lines", "product-name", "forum-widgets", "repeats", "link-lines"}
