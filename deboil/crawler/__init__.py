"""Where raw pages come from: files on disk, WARC archives, and the Scrapy crawler.

The crawler, joined by Scrapy settings (`settings.py`):
- `jobs.py`: what to crawl (seeds, domains, limits, patterns), from the CLI or deboil.toml;
- `spider.py`: what to fetch next (robots.txt sitemaps, sitemaps, feeds, links);
- `origins.py`: which urls are inside a job (http(s) on its scheme/host/port origins);
- `robots.py`: robots.txt checked for every request, its parser keeping the Sitemap: lines;
- `middlewares.py`: origin guard, conditional requests, redirect guard, retries with
  back-off. Stored validators and a 304's stored body are read through
  `deboil.db.validators`;
- `pipelines.py`: items cross a bounded queue to the one writer thread, which with the
  run itself lives in `deboil/run/crawl.py` and `deboil/run/crawl_sink.py` (they join
  the crawler to the cleaners and the database);
- the per-job queue of urls lives in `deboil/db/frontier.py`, its one owner;
- `testserver.py`: a loopback site server for the demo and tests.
"""
