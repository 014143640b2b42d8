"""Crawl jobs: what to crawl and how politely, from the command line or a `deboil.toml`.

A job is plain data; `crawler.settings` turns it into Scrapy settings and the spider reads
its seeds, domains and patterns. Named jobs live in TOML tables `[jobs.NAME]`, with shared
defaults in `[defaults]`.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from urllib.parse import urlsplit

from deboil.crawler.origins import Origins, parse_origin

DEFAULT_CONFIG = "deboil.toml"
DEFAULT_USER_AGENT = "deboil/0.1 (+https://github.com/deboil/deboil)"


class JobError(ValueError):
    """A job that cannot run as written (bad TOML, unknown job, bad pattern)."""


@dataclass
class Job:
    name: str
    seeds: list[str]
    site: str | None = None  # defaults to the first seed's host
    allowed_domains: list[str] = field(default_factory=list)  # defaults to the seeds' hosts
    allowed_origins: list[str] = field(default_factory=list)  # more scheme://host:port to allow
    max_pages: int = 0  # 0: no limit; pages stored (or found unchanged) per run
    depth: int = 3  # link hops from a seed; sitemap and feed entries count as seeds
    allow: list[str] = field(default_factory=list)  # url regexes a page must match (any)
    deny: list[str] = field(default_factory=list)  # url regexes that exclude a page
    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 1.0  # seconds between requests to one domain (AutoThrottle's start)
    autothrottle: bool = True
    concurrency_per_domain: int = 2
    timeout: float = 30.0  # download timeout, seconds
    retries: int = 2
    retry_backoff: float = 2.0  # first retry waits this long, then doubles
    retry_after_max: float = 60.0  # longest wait a 429/503 Retry-After header gets
    max_bytes: int = 10 * 1024 * 1024
    sitemaps: bool = True  # read Sitemap: lines of robots.txt
    feeds: bool = True  # follow RSS/Atom feeds linked from pages
    obey_robots: bool = True
    redis: str | None = None  # redis://HOST:PORT/DB: crawl as one of many (docs/distributed.md)

    def __post_init__(self):
        if not self.seeds:
            raise JobError(f"job {self.name!r}: no seed urls")
        for url in self.seeds:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise JobError(f"job {self.name!r}: not an http(s) url: {url}")
        hosts = [urlsplit(u).hostname for u in self.seeds]
        self.site = self.site or hosts[0]
        self.allowed_domains = self.allowed_domains or sorted(set(hosts))
        for origin in self.allowed_origins:
            if parse_origin(origin) is None:
                raise JobError(f"job {self.name!r}: not an http(s) origin (scheme://host[:port]):"
                               f" {origin!r}")
        for pattern in self.allow + self.deny:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise JobError(f"job {self.name!r}: bad pattern {pattern!r}: {exc}") from exc
        if self.max_pages < 0 or self.depth < 0:
            raise JobError(f"job {self.name!r}: max_pages and depth must be >= 0")
        if self.concurrency_per_domain < 1:
            raise JobError(f"job {self.name!r}: concurrency_per_domain must be >= 1")
        if self.depth == 0:  # the seeds only: sitemap and feed entries would count as seeds
            self.sitemaps = self.feeds = False

    def origins(self) -> Origins:
        return Origins(self.seeds, self.allowed_domains, self.allowed_origins)

    def options(self) -> dict:
        """What the `runs` row records about this job."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


_FIELDS = {f.name for f in fields(Job)}
# What a TOML value must be for each key, and how an error says so (annotations are strings
# here, see __future__).
_KINDS = {"bool": ((bool,), "true or false"), "int": ((int,), "a whole number"),
          "float": ((int, float), "a number"), "str": ((str,), "a string"),
          "str | None": ((str,), "a string"), "list[str]": ((list,), "a list of strings")}


def _check_kinds(name: str, table: dict) -> None:
    """A value of the wrong kind is an error, not a guess: `obey_robots = "false"` is a
    non-empty string, which Python reads as true."""
    for f in fields(Job):
        if f.name not in table or f.name == "name":
            continue
        if table[f.name] is None and f.type == "str | None":
            continue  # unset, as Job.options() gives it back
        value, (kinds, want) = table[f.name], _KINDS[f.type]
        bad = not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds)
        if f.type == "list[str]" and not bad:
            bad = not all(isinstance(v, str) for v in value)
        if bad:
            raise JobError(f"job {name!r}: {f.name} must be {want}, not {value!r}")


def job_from_table(name: str, table: dict) -> Job:
    table = {k.replace("-", "_"): v for k, v in table.items()}
    unknown = set(table) - _FIELDS
    if unknown:
        raise JobError(f"job {name!r}: unknown keys {', '.join(sorted(unknown))}")
    for key in ("seeds", "allowed_domains", "allowed_origins", "allow", "deny"):
        if isinstance(table.get(key), str):
            table[key] = [table[key]]
    _check_kinds(name, table)
    try:
        return Job(name=name, **{k: v for k, v in table.items() if k != "name"})
    except TypeError as exc:
        raise JobError(f"job {name!r}: {exc}") from exc


def load_config(path: str) -> dict:
    if not os.path.exists(path):
        raise JobError(f"{path}: no such config file")
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise JobError(f"{path}: {exc}") from exc


def seeds_job_name(seeds: list[str]) -> str:
    """The name of an ad hoc job: the first seed's host and a digest of the whole seed list,
    so a new list of seeds is a new job (its own frontier and lock) and the same list, run
    again, resumes."""
    import hashlib

    host = urlsplit(seeds[0]).hostname or "crawl"
    digest = hashlib.sha256("\n".join(sorted(set(seeds))).encode("utf-8")).hexdigest()[:8]
    return f"{host}-{digest}"


def load_job(name: str, path: str = DEFAULT_CONFIG) -> Job:
    config = load_config(path)
    jobs = config.get("jobs", {})
    if name not in jobs:
        known = ", ".join(sorted(jobs)) or "none"
        raise JobError(f"{path}: no job {name!r} (jobs: {known})")
    return job_from_table(name, {**config.get("defaults", {}), **jobs[name]})
