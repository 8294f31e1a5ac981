"""The evaluation pages, one module per part; this module names what urls.py may use."""

# --- members: the evaluation's home page, answering, offers, my answers
# --- results and moderation (the coordinators' questions, comments to check)
from coproduce.evaluation.views.manage import moderation, question_retire, questions, remark
from coproduce.evaluation.views.members import answer as answer
from coproduce.evaluation.views.members import index as index
from coproduce.evaluation.views.members import mine as mine
from coproduce.evaluation.views.members import offer_dismiss as offer_dismiss
from coproduce.evaluation.views.members import withdraw as withdraw

# --- the parents' panel and reviews (ev-panel)
from coproduce.evaluation.views.panel import panel, review
from coproduce.evaluation.views.results import results, results_csv, start_test, subject_results

__all__ = [  # noqa: RUF022 (one block per part, each sorted)
    # --- results and moderation
    "moderation",
    "question_retire",
    "questions",
    "remark",
    "results",
    "results_csv",
    "start_test",
    "subject_results",
    # --- the parents' panel and reviews (ev-panel)
    "panel",
    "review",
]
