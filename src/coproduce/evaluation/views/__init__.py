"""The evaluation pages, one module per part; this module names what urls.py may use."""

# --- members: the evaluation's home page, answering, offers, my answers
from coproduce.evaluation.views.members import answer as answer
from coproduce.evaluation.views.members import index as index
from coproduce.evaluation.views.members import mine as mine
from coproduce.evaluation.views.members import offer_dismiss as offer_dismiss
from coproduce.evaluation.views.members import withdraw as withdraw
