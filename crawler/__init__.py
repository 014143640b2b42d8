"""Where raw pages come from: files on disk, WARC archives, and the Scrapy crawler.

The crawler, joined by Scrapy settings (`settings.py`):
- `jobs.py`: what to crawl (seeds, domains, limits, patterns), from the CLI or deboil.toml;
- `spider.py`: what to fetch next (robots.txt sitemaps, sitemaps, feeds, links);
- `middlewares.py`: conditional requests, redirect guard, retries with back-off;
- `pipelines.py`: items cross a bounded queue to the one writer thread, which with the
  run itself lives in `deboil/crawl.py` and `deboil/crawl_sink.py` (they join the crawler
  to the cleaners and the database; nothing here imports `db/`); `frontier.py`: the
  per-job queue of urls; `testserver.py`: a loopback site server for the demo and tests.
"""
