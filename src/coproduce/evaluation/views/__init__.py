"""The evaluation pages, one module per part; this module names what urls.py may use."""

# --- the partnership health check
from coproduce.evaluation.views.health import health as health
from coproduce.evaluation.views.health import health_answer as health_answer
from coproduce.evaluation.views.health import health_results as health_results
