"""The evaluation pages, one module per part; this module names what urls.py may use."""

# --- paper and assisted answers
from coproduce.evaluation.views.entry import enter as enter
from coproduce.evaluation.views.entry import paper as paper
from coproduce.evaluation.views.entry import paper_form as paper_form
