"""Pages for decisions. Each view resolves what it needs through the selectors (what is out of reach raises
NotPermitted, a 404), calls one service for a write, and renders. A ServiceError is shown next to its field
(or at the top).

One module per part of the section; urls.py names the views through this package."""

from coproduce.decisions.views.answers import answer
from coproduce.decisions.views.answers_with import paper, paper_form, record_with
from coproduce.decisions.views.comments import comment, comment_hide
from coproduce.decisions.views.decisions import amend, close, decision_list, decision_new, decision_page, versions
from coproduce.decisions.views.imports import import_ballots
from coproduce.decisions.views.open_data import open_decisions_csv, open_decisions_json, open_decisions_page
from coproduce.decisions.views.outcomes import outcome
from coproduce.decisions.views.results import export_blt, export_soi, results

__all__ = [
    "amend",
    "answer",
    "close",
    "comment",
    "comment_hide",
    "decision_list",
    "decision_new",
    "decision_page",
    "export_blt",
    "export_soi",
    "import_ballots",
    "open_decisions_csv",
    "open_decisions_json",
    "open_decisions_page",
    "outcome",
    "paper",
    "paper_form",
    "record_with",
    "results",
    "versions",
]
