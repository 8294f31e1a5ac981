"""The evaluation pages, one module per part; this module names what urls.py may use."""

from coproduce.evaluation.views.entry import enter, paper, paper_form
from coproduce.evaluation.views.health import health, health_answer, health_results
from coproduce.evaluation.views.manage import moderation, question_retire, questions, remark
from coproduce.evaluation.views.members import answer, index, mine, offer_dismiss, withdraw
from coproduce.evaluation.views.open_data import open_results_csv, open_results_json, open_results_page
from coproduce.evaluation.views.panel import panel, review
from coproduce.evaluation.views.results import results, results_csv, start_test, subject_results

__all__ = [  # noqa: RUF022 (one block per part, each sorted)
    # --- members: the evaluation's home page, answering, offers, my answers
    "answer",
    "index",
    "mine",
    "offer_dismiss",
    "withdraw",
    # --- results and moderation (the coordinators' questions, comments to check)
    "moderation",
    "question_retire",
    "questions",
    "remark",
    "results",
    "results_csv",
    "start_test",
    "subject_results",
    # --- paper and read-out answers
    "enter",
    "paper",
    "paper_form",
    # --- the parents' panel and reviews
    "panel",
    "review",
    # --- the partnership health check
    "health",
    "health_answer",
    "health_results",
    # --- open data: the whole partnership's results for anyone
    "open_results_csv",
    "open_results_json",
    "open_results_page",
]
