"""Where a crawl may go: http(s) urls on the job's origins, nothing else.

An origin is (scheme, host, port), the port filled in from the scheme (http 80, https 443):
`http://127.0.0.1:8000` and `http://127.0.0.1:9000` are two origins, as are
`http://example.org` and `https://example.org`. A url is inside a job when

- its origin is listed in the job's `allowed_origins`, or
- its host is one of `allowed_domains` (or a subdomain of one) and its scheme and port are
  those of a seed on that domain (of any seed, for a listed domain no seed is on). A seed on
  plain http (port 80) also opens https on 443 of its domain: nearly every site redirects
  there, and the upgrade stays with the same owner. The reverse (https down to http) and
  any other port stay closed unless listed.

Every discovery path (links, sitemaps, feeds, robots.txt Sitemap: lines) and every request
the downloader sees (redirects and meta refreshes included) is checked with `Origins.allows`.
"""
from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


def origin_of(url: str) -> Origin | None:
    """(scheme, host, port) of an http(s) url; None for any other scheme or a bad url."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # a port that is not a number, or out of range
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower().rstrip("."), port or DEFAULT_PORTS[scheme]


def parse_origin(text: str) -> Origin | None:
    """An `allowed_origins` entry: `scheme://host[:port]` (a trailing / is tolerated)."""
    parts = urlsplit(text.strip())
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    return origin_of(text)


def show(origin: Origin) -> str:
    scheme, host, port = origin
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}:{port}"


class Origins:
    def __init__(self, seeds: list[str], domains: list[str], extra: list[str] = ()):
        self.extra = {o for o in map(parse_origin, extra) if o}
        seed_origins = [o for o in map(origin_of, seeds) if o]
        self.doors: dict[str, set[tuple[str, int]]] = {}
        for domain in (d.lower().strip(".") for d in domains):
            on_it = {(s, p) for s, h, p in seed_origins if _within(h, domain)}
            doors = on_it or {(s, p) for s, _, p in seed_origins}
            if ("http", 80) in doors:
                doors.add(("https", 443))  # the upgrade redirect
            self.doors[domain] = doors

    def allows(self, url: str) -> bool:
        origin = origin_of(url)
        if origin is None:
            return False
        if origin in self.extra:
            return True
        scheme, host, port = origin
        return any(_within(host, d) and (scheme, port) in doors for d, doors in self.doors.items())

    def describe(self) -> str:
        """The allowed origins, for an error message."""
        shown = [show((s, d, p)) for d, doors in self.doors.items() for s, p in sorted(doors)]
        return ", ".join(shown + sorted(show(o) for o in self.extra))


def _within(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)
