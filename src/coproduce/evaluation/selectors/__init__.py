"""Every read of evaluation, already narrowed to what the acting person may see; one module per part."""

# --- answers (ev-core)
from coproduce.evaluation.selectors.answers import (
    is_panel_member,
    live_questions,
    my_answer,
    my_answers,
    offers_waiting,
    remark_for,
    remarks_waiting,
    subject_for,
    subjects_in,
    subjects_used,
    waiting_remarks_count,
)

__all__ = [
    # --- answers (ev-core)
    "is_panel_member",
    "live_questions",
    "my_answer",
    "my_answers",
    "offers_waiting",
    "remark_for",
    "remarks_waiting",
    "subject_for",
    "subjects_in",
    "subjects_used",
    "waiting_remarks_count",
    # --- results
    # --- paper and assisted answers
    # --- the parents' panel and responses
    # --- the partnership health check
]
