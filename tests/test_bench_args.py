"""`python -m bench`: section names, then the sections' own options after `--`."""
from __future__ import annotations

import pytest

from bench.__main__ import SECTIONS, main, split_args


def test_options_after_the_separator_go_to_the_sections():
    assert split_args(["html_cv", "--", "--cache", "/tmp/c"]) == (["html_cv"], ["--cache", "/tmp/c"])
    assert split_args([]) == (SECTIONS, [])
    assert split_args(["--", "--rounds", "5"]) == (SECTIONS, ["--rounds", "5"])


def test_an_option_given_as_a_section_is_refused():
    with pytest.raises(SystemExit, match="--cache"):
        split_args(["html_cv", "--cache", "/tmp/c"])


def test_a_section_parses_the_options_it_is_given(capsys):
    with pytest.raises(SystemExit) as done:
        main(["html_cv", "--", "--help"])
    assert done.value.code == 0
    assert "--cache" in capsys.readouterr().out
