"""deboil: raw web pages to clean text and metadata in SQLite.

The command line is `deboil` (deboil/cli.py). From Python:

    import deboil
    page = deboil.clean(html, url="https://example.org/a")   # -> deboil.CleanPage
    page = deboil.clean_capture(text)                        # a plain-text capture
    with deboil.open_corpus("corpus.db") as corpus:          # what `deboil load` stored
        for rec in corpus.pages(lang="en"): ...
"""
__all__ = ["clean", "clean_capture", "open_corpus", "Corpus", "CleanPage", "RawPage",
           "Removed", "SiteTemplate"]

_HOMES = {"clean": "deboil.api", "clean_capture": "deboil.api", "open_corpus": "deboil.api",
          "Corpus": "deboil.api", "CleanPage": "deboil.models", "RawPage": "deboil.models",
          "Removed": "deboil.models", "SiteTemplate": "deboil.models"}


def __getattr__(name):
    # Imported on first use: the command line starts without loading the cleaners' models.
    if name in _HOMES:
        import importlib

        value = getattr(importlib.import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'deboil' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
