"""The evaluation pages, one module per part; this module names what urls.py may use."""

# --- the parents' panel and reviews (ev-panel)
from coproduce.evaluation.views.panel import panel, review

__all__ = [
    # --- the parents' panel and reviews (ev-panel)
    "panel",
    "review",
]
