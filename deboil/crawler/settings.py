"""Scrapy settings for a deboil crawl, derived from a Job.

Politeness (robots.txt, AutoThrottle, per-domain concurrency, delays), limits (timeout,
size, retries, redirects) and deboil's components. Everything here is a plain Scrapy
setting, so a job can be reproduced with `scrapy` itself.
"""
from __future__ import annotations

from deboil.crawler.jobs import Job

# Downloader middlewares run process_request low to high and process_response high to low.
DOWNLOADER_MIDDLEWARES = {
    "deboil.crawler.middlewares.OriginGuardMiddleware": 40,  # before everything, robots.txt included
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "deboil.crawler.robots.RobotsMiddleware": 100,  # robots.txt for every request (see robots.py)
    "deboil.crawler.middlewares.ConditionalRequestMiddleware": 560,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "deboil.crawler.middlewares.BackoffRetryMiddleware": 550,
    "deboil.crawler.middlewares.RedirectGuardMiddleware": 650,  # sees 3xx before RedirectMiddleware (600)
}
ITEM_PIPELINES = {"deboil.crawler.pipelines.SinkPipeline": 300}
# A crawl fetches http(s) only: no handler for file:, data:, ftp: or s3: urls at all.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}


def crawl_settings(job: Job, db_path: str | None, log_level: str = "WARNING") -> dict:
    return {
        "BOT_NAME": "deboil",
        "USER_AGENT": job.user_agent,
        "ROBOTSTXT_OBEY": job.obey_robots,
        "ROBOTSTXT_USER_AGENT": job.user_agent,
        "ROBOTSTXT_PARSER": "deboil.crawler.robots.SitemapKeepingRobotParser",
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,  # a scheduled job should not listen on a port
        "LOG_LEVEL": log_level,
        "CONCURRENT_REQUESTS": max(8, job.concurrency_per_domain * len(job.allowed_domains)),
        "CONCURRENT_REQUESTS_PER_DOMAIN": job.concurrency_per_domain,
        "DOWNLOAD_DELAY": job.delay,
        "AUTOTHROTTLE_ENABLED": job.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(job.delay, 0.1),
        "AUTOTHROTTLE_MAX_DELAY": max(60.0, job.delay * 10),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(job.concurrency_per_domain),
        "DOWNLOAD_TIMEOUT": job.timeout,
        "DOWNLOAD_MAXSIZE": job.max_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": job.retries > 0,
        "RETRY_TIMES": job.retries,
        "RETRY_BACKOFF": job.retry_backoff,
        "RETRY_AFTER_MAX": job.retry_after_max,
        "RETRY_GIVE_UP_LOG_LEVEL": "WARNING",  # the failure is recorded and reported by deboil
        "REDIRECT_MAX_TIMES": 5,
        "DEPTH_LIMIT": 0,  # the spider counts hops itself (sitemap and feed entries are seeds)
        "DOWNLOADER_MIDDLEWARES": DOWNLOADER_MIDDLEWARES,
        "DOWNLOAD_HANDLERS": DOWNLOAD_HANDLERS,
        "ITEM_PIPELINES": ITEM_PIPELINES,
        "DEBOIL_DB": db_path,
    }
