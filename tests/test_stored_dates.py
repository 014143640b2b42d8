"""The one stored form of page dates, from what pages state, through both cleaning paths."""
from __future__ import annotations

import pytest

from deboil.cleaners import RawPage, clean
from deboil.stored_dates import Stated, offset_of, offsets_by_date, read_iso, restored, stored


@pytest.mark.parametrize("value,expected", [
    ("2024-03-05", ("2024-03-05", None)),
    ("2024-03-05T10:00:00Z", ("2024-03-05T10:00:00Z", None)),
    ("2024-03-05T10:00:00.000+0300", ("2024-03-05T10:00:00+03:00", None)),
    ("2024-03-05T10:00+03", ("2024-03-05T10:00:00+03:00", None)),
    ("2024-03-05 23:30:00 -05:00", ("2024-03-05T23:30:00-05:00", None)),  # the page's own date kept
    ("2024-03-05T10:00:00+00:00", ("2024-03-05T10:00:00Z", None)),
    ("2024-03-05T10:00:00 GMT", ("2024-03-05T10:00:00Z", None)),
    ("2020-12-20T21:46", ("2020-12-20", "2020-12-20T21:46:00")),  # no zone stated: none invented
    ("2020-12-20T21:46:00+19:00", ("2020-12-20", "2020-12-20T21:46:00")),  # no such zone
    ("2020-12-20T25:46:00Z", ("2020-12-20", None)),  # no such time: the date alone
    ("Published 2019-11-19 by the desk", ("2019-11-19", None)),
    ("1889-01-01", (None, None)), ("no date", (None, None)), (None, (None, None)),
])
def test_stored_forms(value, expected):
    assert stored(read_iso(value)) == expected


@pytest.mark.parametrize("zone,offset", [
    ("Z", "Z"), ("UTC", "Z"), ("gmt", "Z"), ("+0300", "+03:00"), ("GMT+3", "+03:00"),
    ("UTC-05:30", "-05:30"), ("+00:00", "Z"), ("+15:00", None), ("EST", None), (None, None),
])
def test_offsets_written_one_way(zone, offset):
    assert offset_of(zone) == offset


def test_a_time_without_zone_takes_the_offset_stated_for_the_same_date():
    offsets = offsets_by_date([read_iso("2020-12-20T22:10:00+03:00"), read_iso("2020-12-19T08:00:00Z")])
    assert stored(read_iso("2020-12-20T21:46"), offsets) == ("2020-12-20T21:46:00+03:00", None)
    assert stored(read_iso("2020-12-21T09:00"), offsets) == ("2020-12-21", "2020-12-21T09:00:00")
    assert stored(Stated("2020-12-20"), offsets) == ("2020-12-20", None)  # a date stays a date


def test_older_stored_values_restored():
    assert restored("2020-12-20T21:46") == ("2020-12-20", "2020-12-20T21:46:00")
    assert restored("2020-12-20") == ("2020-12-20", None)
    assert restored("2024-02-14T17:05:00+01:00") == ("2024-02-14T17:05:00+01:00", None)
    assert restored("sometime last week") == ("sometime last week", None)  # not ours to drop
    assert restored(None) == (None, None)


def _html(head: str) -> RawPage:
    body = "<p>" + "The council approved the budget for the new library after a long debate. " * 6 + "</p>"
    return RawPage(url="https://news.example/2024/02/14/budget", body=(
        f"<html><head><title>Budget approved</title>{head}</head><body><article><h1>Budget approved</h1>"
        f"{body}</article></body></html>").encode())


def test_html_meta_offsets_kept_and_borrowed():
    page = clean(_html('<meta property="article:published_time" content="2024-02-14T17:05:00+0100">'))
    assert (page.published, page.published_local) == ("2024-02-14T17:05:00+01:00", None)
    # JSON-LD states the time without a zone; a <meta> states +01:00 for the same day
    page = clean(_html('<script type="application/ld+json">{"@type": "NewsArticle", '
                       '"datePublished": "2024-02-14T17:05:00", "dateModified": "2024-02-15T09:00:00"}</script>'
                       '<meta property="article:modified_time" content="2024-02-14T18:00:00+01:00">'))
    assert (page.published, page.published_local) == ("2024-02-14T17:05:00+01:00", None)
    page = clean(_html('<script type="application/ld+json">{"@type": "NewsArticle", '
                       '"datePublished": "2024-02-14T17:05:00"}</script>'))
    assert (page.published, page.published_local) == ("2024-02-14", "2024-02-14T17:05:00")


def _capture(*datelines: str) -> RawPage:
    body = "\n".join(["Budget approved after long debate", *datelines, ""] + [
        "The council approved the budget for the new library after a long debate on Tuesday night."] * 4)
    return RawPage(url="file:///tmp/budget.txt", kind="text", body=body.encode())


def test_capture_datelines_with_and_without_zone():
    page = clean(_capture("Published: 14 February 2024 17:05 GMT+1"))
    assert (page.published, page.published_local) == ("2024-02-14T17:05:00+01:00", None)
    page = clean(_capture("Published: 14 February 2024 17:05"))
    assert (page.published, page.published_local) == ("2024-02-14", "2024-02-14T17:05:00")
    # the update line states the zone for the same day: the published time takes it
    page = clean(_capture("Published: 14 February 2024 17:05", "Updated: 14 February 2024 18:30 UTC"))
    assert (page.published, page.published_local) == ("2024-02-14T17:05:00Z", None)
    assert (page.updated, page.updated_local) == ("2024-02-14T18:30:00Z", None)
