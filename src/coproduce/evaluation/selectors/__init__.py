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

# --- the parents' panel and responses (ev-panel)
from coproduce.evaluation.selectors.panel import (
    on_panel,
    responses_published,
    review_comments,
    review_for,
    review_summary,
    reviews_for,
)

# --- results (figures, only for groups of at least five answers)
from coproduce.evaluation.selectors.results import (
    CSV_COLUMNS,
    LOW_MEAN,
    Chart,
    ChartPoint,
    Figure,
    Overview,
    Quarter,
    QuestionResult,
    Row,
    ShownRemark,
    StatementResult,
    SubjectResults,
    monthly_series,
    quarter_of,
    quarters_with_answers,
    results_csv_rows,
    results_overview,
    subject_results,
)

__all__ = [  # noqa: RUF022 (one block per part, each sorted)
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
    "CSV_COLUMNS",
    "LOW_MEAN",
    "Chart",
    "ChartPoint",
    "Figure",
    "Overview",
    "Quarter",
    "QuestionResult",
    "Row",
    "ShownRemark",
    "StatementResult",
    "SubjectResults",
    "monthly_series",
    "quarter_of",
    "quarters_with_answers",
    "results_csv_rows",
    "results_overview",
    "subject_results",
    # --- paper and assisted answers
    # --- the parents' panel and responses
    # --- the partnership health check
]

# --- the parents' panel and responses (ev-panel)
__all__ += [
    "on_panel",
    "responses_published",
    "review_comments",
    "review_for",
    "review_summary",
    "reviews_for",
]
