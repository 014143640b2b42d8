"""Where raw pages come from: files on disk, WARC archives, and the Scrapy crawler."""
