"""Every read of evaluation, already narrowed to what the acting person may see; one module per part."""

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

__all__ = [
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
]
