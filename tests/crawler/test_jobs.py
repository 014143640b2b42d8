"""Crawl jobs from deboil.toml: defaults, overrides, and values of the wrong kind refused."""
from __future__ import annotations

import re

import pytest

from deboil.crawler.jobs import JobError, load_config, load_job
from tests.support.cli import REPO


def test_example_config_parses():
    path = str(REPO / "deboil.toml")
    for name in load_config(path)["jobs"]:
        job = load_job(name, path)
        assert job.seeds and job.allowed_domains and job.site


def test_job_file_defaults_and_overrides(tmp_path):
    path = tmp_path / "deboil.toml"
    path.write_text('[defaults]\ndelay = 4.0\nretries = 5\n\n'
                    '[jobs.one]\nseeds = "https://www.example.org/news/"\nretries = 1\n'
                    'allow = "/news/"\n', encoding="utf-8")
    job = load_job("one", str(path))
    assert job.seeds == ["https://www.example.org/news/"] and job.allow == ["/news/"]
    assert job.delay == 4.0 and job.retries == 1  # the job's own key wins over [defaults]
    assert job.site == "www.example.org" and job.allowed_domains == ["www.example.org"]
    with pytest.raises(JobError, match="no job 'two'"):
        load_job("two", str(path))


@pytest.mark.parametrize("line, message", [
    ('obey_robots = "false"', "obey_robots must be true or false, not 'false'"),
    ("max_pages = true", "max_pages must be a whole number, not True"),
    ('delay = "2"', "delay must be a number, not '2'"),
    ("deny = [1]", "deny must be a list of strings"),
])
def test_job_values_of_the_wrong_kind_are_refused(tmp_path, line, message):
    """A quoted "false" is a non-empty string, true to Python: refused, not guessed."""
    path = tmp_path / "deboil.toml"
    path.write_text(f'[jobs.one]\nseeds = "https://www.example.org/"\n{line}\n', encoding="utf-8")
    with pytest.raises(JobError, match=re.escape(f"job 'one': {message}")):
        load_job("one", str(path))
    path.write_text('[jobs.one]\nseeds = "https://www.example.org/"\ndelay = 2\n', encoding="utf-8")
    assert load_job("one", str(path)).delay == 2  # an integer is a number
