"""Where raw pages come from: files on disk, WARC archives, and the Scrapy crawler.

The crawler, joined by Scrapy settings (`settings.py`):
- `jobs.py`: what to crawl (seeds, domains, limits, patterns), from the CLI or deboil.toml;
- `spider.py`: what to fetch next (robots.txt sitemaps, sitemaps, feeds, links);
- `middlewares.py`: conditional requests, redirect guard, retries with back-off;
- `pipelines.py` -> `sink.py`: items cross a bounded queue to the one writer thread
  (Runner, CleanerPool, Store) that also keeps the frontier (`frontier.py`);
- `run.py`: one crawl in this process, under the job's lock; `testserver.py`: a loopback
  site server for the demo and the tests.
"""
