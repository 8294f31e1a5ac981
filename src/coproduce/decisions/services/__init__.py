"""Every write for decisions: keyword-only, the acting membership first, permission checked, one durable
transaction with the decision locked, an audit event, notices, and the count in the background once the
transaction commits. Bad input raises ``ServiceError`` naming the field, before anything is saved.

One module per thing (decisions, answers, comments, outcomes, ballot files); what they share is in
``_common``. Callers import from here."""

from coproduce.decisions.services.answers import answer_give
from coproduce.decisions.services.answers_with import (
    answer_confirm,
    answer_record_with,
    answers_pending_for,
)
from coproduce.decisions.services.comments import comment_add, comment_hide
from coproduce.decisions.services.decisions import (
    REMIND_BEFORE,
    close_due,
    closing_reminders_send_due,
    decision_amend,
    decision_close,
    decision_count,
    decision_count_failed,
    decision_raise,
)
from coproduce.decisions.services.imports import decision_import_blt
from coproduce.decisions.services.outcomes import outcome_done, outcome_record

__all__ = [
    "REMIND_BEFORE",
    "answer_confirm",
    "answer_give",
    "answer_record_with",
    "answers_pending_for",
    "close_due",
    "closing_reminders_send_due",
    "comment_add",
    "comment_hide",
    "decision_amend",
    "decision_close",
    "decision_count",
    "decision_count_failed",
    "decision_import_blt",
    "decision_raise",
    "outcome_done",
    "outcome_record",
]
