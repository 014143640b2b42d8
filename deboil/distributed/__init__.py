"""Many crawler processes on many machines, one writer: the job's state lives in Redis.

- `frontier`: the shared request queue, seen-set, per-host politeness gate and leases.
- `scheduler`, `spider`, `stream_sink`, `crawl`: `deboil crawl --redis`, which fetches from
  the shared frontier, cleans in its own worker pool and sends pages to the job's stream.
- `entries`: what a stream entry holds (a cleaned page, a failure, a 304, a robots skip).
- `ingest`: `deboil ingest`, the one writer from the streams into SQLite.
- `published`: what the writer publishes back for the crawlers (validators, templates).
- `stream_load`: `deboil load --redis`, captured files cleaned here, stored by the writer.

Design notes and the production setup: docs/distributed.md.
"""
