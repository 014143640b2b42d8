"""The shared frontier of a job in Redis: queue, seen-set, per-host gate and leases.

Why not scrapy-redis's scheduler: it pops requests destructively, so a crawler killed
between taking a request and storing its page loses it (scrapy-redis #108, #149); its
dupe filter keys on request fingerprints while deboil de-duplicates urls (with depth); it
pickles requests; and it has no per-host politeness across processes nor an end (its spiders
idle for ever). Here every step is one Lua script, atomic on the server:

- `add`: a url new to the seen-set goes to its host's queue (a url is queued once a cycle).
- `take`: hands out entries of hosts whose gate is open, moving each to `leases` with a
  deadline and closing the host's gate for `delay` (politeness shared by all crawlers).
  Leases whose holder let the deadline pass (killed, machine lost) go back first.
- `renew`: a live crawler pushes its leases' deadlines on, so a slow fetch is never
  handed to a second crawler.
- `release`: the page reached the stream; the lease ends.
- `give_back`: a crawler that stops early returns what it holds at once.

An entry is the string "HOST DEPTH URL" (a fetched url has no spaces), so scripts find the
host's queue without parsing urls. Times are the server's (TIME), so crawler clocks may
differ. One Redis server (not Cluster): scripts name per-host keys they compute.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from .keys import JobKeys

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS: seen, hosts, gate. ARGV: prefix, entries...
_ADD = _NOW + """
local added = 0
for i = 2, #ARGV do
  local e = ARGV[i]
  local host, url = string.match(e, '^(%S+) %S+ (.+)$')
  if redis.call('SADD', KEYS[1], url) == 1 then
    redis.call('RPUSH', ARGV[1] .. 'q:' .. host, e)
    local open = tonumber(redis.call('HGET', KEYS[3], host) or '0')
    redis.call('ZADD', KEYS[2], 'NX', math.max(now, open), host)
    added = added + 1
  end
end
return added
"""

# KEYS: hosts, gate, leases, holders. ARGV: prefix, n, delay ms, lease ms, holder.
_TAKE = _NOW + """
local prefix, n, delay, lease, me = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 1000)
for _, e in ipairs(expired) do
  redis.call('ZREM', KEYS[3], e)
  redis.call('HDEL', KEYS[4], e)
  local host = string.match(e, '^(%S+)')
  redis.call('LPUSH', prefix .. 'q:' .. host, e)
  local open = tonumber(redis.call('HGET', KEYS[2], host) or '0')
  redis.call('ZADD', KEYS[1], 'NX', math.max(now, open), host)
end
local out = {}
while #out < n do
  local ready = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, n - #out)
  if #ready == 0 then break end
  for _, host in ipairs(ready) do
    local q = prefix .. 'q:' .. host
    local e = redis.call('LPOP', q)
    if e then
      redis.call('ZADD', KEYS[3], now + lease, e)
      redis.call('HSET', KEYS[4], e, me)
      redis.call('HSET', KEYS[2], host, now + delay)
      out[#out + 1] = e
    end
    if redis.call('LLEN', q) > 0 then
      redis.call('ZADD', KEYS[1], now + delay, host)
    else
      redis.call('ZREM', KEYS[1], host)
    end
  end
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wait = -1
if #first > 0 then wait = math.max(0, tonumber(first[2]) - now) end
return {out, wait, #expired}
"""

# KEYS: hosts, leases, seen, holders. A cycle is over when nothing is queued or leased; the
# next start forgets its seen-set (in the same script, so two crawlers starting together
# cannot clear each other's seeds). Returns 1 when a cycle is still going (resume it).
_START = """
if redis.call('ZCARD', KEYS[1]) > 0 or redis.call('ZCARD', KEYS[2]) > 0 then return 1 end
redis.call('DEL', KEYS[3], KEYS[4])
return 0
"""

# KEYS: leases, holders. ARGV: lease ms, holder, entries...
_RENEW = _NOW + """
local n = 0
for i = 3, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[2] then
    redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i])
    n = n + 1
  end
end
return n
"""

# KEYS: leases, holders. ARGV: holder, entries...
_RELEASE = """
local n = 0
for i = 2, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('HDEL', KEYS[2], ARGV[i])
    n = n + 1
  end
end
return n
"""

# KEYS: hosts, gate, leases, holders. ARGV: prefix, holder, entries...
_GIVE_BACK = _NOW + """
local n = 0
for i = 3, #ARGV do
  local e = ARGV[i]
  if redis.call('HGET', KEYS[4], e) == ARGV[2] then
    redis.call('ZREM', KEYS[3], e)
    redis.call('HDEL', KEYS[4], e)
    local host = string.match(e, '^(%S+)')
    redis.call('LPUSH', ARGV[1] .. 'q:' .. host, e)
    local open = tonumber(redis.call('HGET', KEYS[2], host) or '0')
    redis.call('ZADD', KEYS[1], 'NX', math.max(now, open), host)
    n = n + 1
  end
end
return n
"""


def entry(url: str, depth: int) -> str:
    host = (urlsplit(url).hostname or "").lower() or "-"
    return f"{host} {depth} {url}"


def parse_entry(value: str | bytes) -> tuple[str, int]:
    """(url, depth) of an entry."""
    if isinstance(value, bytes):
        value = value.decode()
    _, depth, url = value.split(" ", 2)
    return url, int(depth)


class RedisFrontier:
    """One crawler's handle on a job's shared frontier. `holder` names this crawler in
    lease bookkeeping (host:pid:random), so one crawler never ends another's lease."""

    def __init__(self, client, job: str, holder: str, *, delay: float = 0.0,
                 lease_seconds: float = 60.0):
        self.r = client
        self.keys = JobKeys(job)
        self.holder = holder
        self.delay_ms = int(delay * 1000)
        self.lease_ms = int(lease_seconds * 1000)
        self._start = client.register_script(_START)
        self._add = client.register_script(_ADD)
        self._take = client.register_script(_TAKE)
        self._renew = client.register_script(_RENEW)
        self._release = client.register_script(_RELEASE)
        self._give_back = client.register_script(_GIVE_BACK)

    def start_cycle(self, seeds: list[tuple[str, int]]) -> bool:
        """Join the job's cycle if one is going (True: resumed), else begin one; then queue the
        seeds (a seed already seen in this cycle is not queued again)."""
        k = self.keys
        resumed = bool(self._start(keys=[k.hosts, k.leases, k.seen, k.holders]))
        self.add(seeds)
        return resumed

    def add(self, entries: list[tuple[str, int]]) -> int:
        """Queue the urls never queued before in this cycle; how many were new."""
        k = self.keys
        added = 0
        for i in range(0, len(entries), 500):  # bounded script runs: Redis serves one at a time
            chunk = [entry(u, d) for u, d in entries[i:i + 500]]
            added += self._add(keys=[k.seen, k.hosts, k.gate], args=[k.prefix, *chunk])
        return added

    def take(self, n: int) -> tuple[list[str], float | None, int]:
        """Up to n entries leased to this crawler; seconds until the next host's gate opens
        (None: nothing queued); how many expired leases went back to the queue."""
        k = self.keys
        out, wait, expired = self._take(keys=[k.hosts, k.gate, k.leases, k.holders],
                                        args=[k.prefix, n, self.delay_ms, self.lease_ms, self.holder])
        return [e.decode() for e in out], (None if wait < 0 else wait / 1000), expired

    def renew(self, entries: list[str]) -> int:
        if not entries:
            return 0
        k = self.keys
        return self._renew(keys=[k.leases, k.holders], args=[self.lease_ms, self.holder, *entries])

    def release(self, entries: list[str], pipe=None) -> None:
        """End leases (in `pipe`, after the XADD that carries their pages, when given)."""
        if entries:
            k = self.keys
            self._release(keys=[k.leases, k.holders], args=[self.holder, *entries],
                          client=pipe or self.r)

    def give_back(self, entries: list[str]) -> int:
        if not entries:
            return 0
        k = self.keys
        return self._give_back(keys=[k.hosts, k.gate, k.leases, k.holders],
                               args=[k.prefix, self.holder, *entries])

    def pending(self) -> tuple[int, int]:
        """(hosts with queued urls, leases held by anyone): the job is done at (0, 0)."""
        k = self.keys
        with self.r.pipeline(transaction=False) as p:
            p.zcard(k.hosts)
            p.zcard(k.leases)
            hosts, leases = p.execute()
        return hosts, leases
