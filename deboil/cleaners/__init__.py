"""Raw page to clean page: pure steps, no I/O, no imports from deboil.crawler or deboil.db."""
from deboil.cleaners.pipeline import Pipeline
from deboil.cleaners.steps import clean, default_pipeline
from deboil.models import CleanPage, Context, RawPage, Removed, SiteTemplate

__all__ = ["CleanPage", "RawPage", "Removed", "Context", "Pipeline", "SiteTemplate", "clean", "default_pipeline"]
