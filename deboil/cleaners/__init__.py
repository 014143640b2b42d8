"""Raw page to clean page. Pure functions only: no imports from crawler/ or db/."""
from deboil.models import CleanPage, RawPage, Removed
from deboil.cleaners.pipeline import Context, Pipeline, SiteTemplate, clean, default_pipeline

__all__ = ["CleanPage", "RawPage", "Removed", "Context", "Pipeline", "SiteTemplate", "clean", "default_pipeline"]
