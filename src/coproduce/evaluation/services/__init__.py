"""Every write of evaluation, one module per entity; this module names what the rest of the code may call."""

# --- answers: subjects, answers, offers, questions, moderation (ev-core)
from coproduce.evaluation.services._common import (
    AlreadyAnswered,
    EvaluationError,
    NotUsed,
    QuestionWarning,
    record_answer,
    this_period,
)
from coproduce.evaluation.services.answers import answer_give, answer_withdraw
from coproduce.evaluation.services.moderation import remark_hide, remark_show
from coproduce.evaluation.services.offers import offer_dismiss, offers_make
from coproduce.evaluation.services.questions import question_add, question_retire
from coproduce.evaluation.services.subjects import subjects_sync

__all__ = [
    # --- answers (ev-core)
    "AlreadyAnswered",
    "EvaluationError",
    "NotUsed",
    "QuestionWarning",
    "answer_give",
    "answer_withdraw",
    "offer_dismiss",
    "offers_make",
    "question_add",
    "question_retire",
    "record_answer",
    "remark_hide",
    "remark_show",
    "subjects_sync",
    "this_period",
    # --- results
    # --- paper and assisted answers
    # --- the parents' panel and responses
    # --- the partnership health check
]
