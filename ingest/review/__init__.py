"""`kehoach review OUT_DIR`: a static review site (index + one page per plan) to check every
extracted task against its source. See ingest/review/site.py."""
from ingest.review.site import build_site

__all__ = ["build_site"]
