"""Where raw pages come from: files on disk, WARC archives, and the Scrapy crawler.

The crawler, joined by Scrapy settings (`settings.py`):
- `jobs.py`: what to crawl (seeds, domains, limits, patterns), from the CLI or deboil.toml;
- `spider.py`: what to fetch next (robots.txt sitemaps, sitemaps, feeds, links);
- `robots.py`: the robots.txt parser that keeps the file for its Sitemap: lines;
- `middlewares.py`: conditional requests, redirect guard, retries with back-off. The one
  read from `db/`: a 304's stored body, unpacked by `db.codec` so the format lives in one
  place;
- `pipelines.py`: items cross a bounded queue to the one writer thread, which with the
  run itself lives in `deboil/crawl.py` and `deboil/crawl_sink.py` (they join the crawler
  to the cleaners and the database);
- `frontier.py`: the per-job queue of urls, in its own table;
- `testserver.py`: a loopback site server for the demo and tests.
"""
