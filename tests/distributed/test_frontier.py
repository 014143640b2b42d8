"""The shared frontier against a real Valkey server: each url once, leases, politeness."""
from __future__ import annotations

import time

from deboil.distributed.frontier import RedisFrontier, parse_entry
from deboil.distributed.keys import connect


def frontier(url, holder, **kw):
    return RedisFrontier(connect(url), "job", holder, **kw)


def test_a_url_is_queued_once_and_handed_to_one_crawler(redis_url):
    a, b = frontier(redis_url, "a"), frontier(redis_url, "b")
    assert a.start_cycle([("http://h1/", 0)]) is False
    assert b.add([("http://h1/", 0), ("http://h1/x", 1), ("http://h2/y", 1)]) == 2
    assert a.add([("http://h1/x", 2)]) == 0  # seen in this cycle, whoever saw it
    got_a, _, _ = a.take(2)
    got_b, _, _ = b.take(10)
    urls = [parse_entry(e)[0] for e in got_a + got_b]
    assert sorted(urls) == ["http://h1/", "http://h1/x", "http://h2/y"]
    assert a.pending() == (0, 3)  # nothing queued, three leased
    assert b.start_cycle([("http://h1/", 0)]) is True  # a cycle is going: join it


def test_released_leases_end_the_cycle_and_the_next_start_begins_anew(redis_url):
    a = frontier(redis_url, "a")
    a.start_cycle([("http://h1/", 0)])
    got, wait, _ = a.take(5)
    assert wait is None  # nothing else queued
    a.release(got)
    assert a.pending() == (0, 0)
    assert a.start_cycle([("http://h1/", 0)]) is False
    assert [parse_entry(e) for e in a.take(5)[0]] == [("http://h1/", 0)]


def test_a_dead_crawlers_lease_returns_after_its_deadline(redis_url):
    dead = frontier(redis_url, "dead", lease_seconds=0.3)
    live = frontier(redis_url, "live", lease_seconds=0.3)
    dead.start_cycle([("http://h1/a", 0), ("http://h2/b", 0)])
    taken, _, _ = dead.take(5)
    assert len(taken) == 2
    assert live.take(5)[0] == []  # leased: not handed out again
    time.sleep(0.4)
    back, _, expired = live.take(5)
    assert expired == 2 and sorted(back) == sorted(taken)
    dead.release(taken)  # too late: the leases are live's now, and stay
    assert live.pending() == (0, 2)
    live.release(back)
    assert live.pending() == (0, 0)


def test_renewed_leases_are_not_handed_out_again(redis_url):
    slow = frontier(redis_url, "slow", lease_seconds=0.3)
    other = frontier(redis_url, "other", lease_seconds=0.3)
    slow.start_cycle([("http://h1/a", 0)])
    taken, _, _ = slow.take(1)
    for _ in range(4):
        time.sleep(0.15)
        assert slow.renew(taken) == 1
        assert other.take(5)[0] == []
    assert other.renew(taken) == 0  # not its lease


def test_given_back_entries_are_taken_at_once(redis_url):
    a, b = frontier(redis_url, "a"), frontier(redis_url, "b")
    a.start_cycle([("http://h1/a", 0)])
    taken, _, _ = a.take(1)
    assert a.give_back(taken) == 1
    assert b.take(1)[0] == taken


def test_politeness_gate_is_shared_by_all_crawlers(redis_url):
    a = frontier(redis_url, "a", delay=0.25)
    b = frontier(redis_url, "b", delay=0.25)
    a.start_cycle([(f"http://h1/{i}", 0) for i in range(3)] + [("http://h2/0", 0)])
    first, wait, _ = a.take(10)
    assert sorted(parse_entry(e)[0] for e in first) == ["http://h1/0", "http://h2/0"]
    assert 0 < wait <= 0.25
    assert b.take(10)[0] == []  # h1's gate is closed for every crawler
    time.sleep(wait + 0.02)
    assert [parse_entry(e)[0] for e in b.take(10)[0]] == ["http://h1/1"]
    # A url queued later for a host asked a moment ago still waits for the gate.
    a.add([("http://h3/0", 0)])
    assert [parse_entry(e)[0] for e in a.take(10)[0]] == ["http://h3/0"]
    a.add([("http://h3/1", 0)])
    assert [parse_entry(e)[0] for e in b.take(10)[0]] == []
