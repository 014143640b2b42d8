"""Redis key names of a job, and the connection. One place, so docs/distributed.md can list
them and an operator can inspect a job with redis-cli."""
from __future__ import annotations

from dataclasses import dataclass

ROOT = "deboil:"
JOBS = ROOT + "jobs"  # SET of job names that have a stream (what `ingest` reads by default)
TEMPLATES = ROOT + "templates"  # HASH site -> packed site template (published by the writer)
GROUP = "writers"  # the consumer group of every stream


class RedisUnavailable(Exception):
    """The Redis server cannot be reached or refused the command."""


@dataclass(frozen=True)
class JobKeys:
    job: str

    @property
    def prefix(self) -> str:
        return f"{ROOT}{self.job}:"

    def queue(self, host: str) -> str:
        return f"{self.prefix}q:{host}"  # LIST of entries "host depth url" to fetch

    @property
    def seen(self) -> str:
        return self.prefix + "seen"  # SET of urls ever queued in this cycle

    @property
    def hosts(self) -> str:
        return self.prefix + "hosts"  # ZSET host -> when it may be asked next (ms), if queued

    @property
    def gate(self) -> str:
        return self.prefix + "gate"  # HASH host -> when it may be asked next (ms)

    @property
    def leases(self) -> str:
        return self.prefix + "leases"  # ZSET entry -> lease deadline (ms)

    @property
    def holders(self) -> str:
        return self.prefix + "holders"  # HASH entry -> the crawler holding its lease

    @property
    def stream(self) -> str:
        return self.prefix + "stream"  # STREAM of cleaned pages and outcomes

    @property
    def known(self) -> str:
        return self.prefix + "known"  # HASH url -> packed validators and links (by the writer)


def connect(url: str):
    """A client for `url` (redis://HOST:PORT/DB, rediss://, unix://); checked with PING."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=10, socket_keepalive=True,
                                      health_check_interval=30)
        client.ping()
    except ValueError as exc:
        raise RedisUnavailable(f"{url}: not a Redis url: {exc}") from exc
    except redis.RedisError as exc:
        raise RedisUnavailable(f"{url}: {exc}") from exc
    return client
