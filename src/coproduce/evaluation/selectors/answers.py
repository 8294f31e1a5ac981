"""Every read about answering, narrowed to what the acting person may see: the subjects, a member's offers and
services she may evaluate, her own answers, the coordinators' questions, free text waiting to be checked. A
lookup of one thing raises ``NotPermitted`` (a 404) when it is missing or out of reach."""

from __future__ import annotations

from django.db.models import QuerySet

from coproduce.evaluation.models import Answer, Offer, Question, Remark, Subject
from coproduce.partnerships.models import Membership


def offers_waiting(actor: Membership) -> QuerySet[Offer]:
    """Her offers not yet answered or dismissed, newest first, with their subjects."""
    raise NotImplementedError


def subjects_used(actor: Membership) -> list[Subject]:
    """The active subjects she may evaluate (a registered use or an offer names them), each with
    ``answered_this_month`` (bool)."""
    raise NotImplementedError


def subject_for(actor: Membership, subject_id: int) -> Subject:
    """A subject of the actor's partnership; else ``NotPermitted``."""
    raise NotImplementedError


def subjects_in(actor: Membership) -> QuerySet[Subject]:
    """Every active subject in the actor's partnership."""
    raise NotImplementedError


def live_questions(subject: Subject) -> list[Question]:
    """The subject's coordinators' questions still asked, by position."""
    raise NotImplementedError


def my_answers(actor: Membership) -> QuerySet[Answer]:
    """Her own answers, newest first, with their subjects and free text."""
    raise NotImplementedError


def my_answer(actor: Membership, answer_id: int) -> Answer:
    """One of her own answers; else ``NotPermitted``."""
    raise NotImplementedError


def remarks_waiting(actor: Membership) -> QuerySet[Remark]:
    """Free text waiting to be checked (coordinators), oldest first."""
    raise NotImplementedError


def remark_for(actor: Membership, remark_id: int) -> Remark:
    """One remark for a coordinator to moderate; else ``NotPermitted``."""
    raise NotImplementedError


def waiting_remarks_count(actor: Membership) -> int:
    """How many remarks wait to be checked (0 for anyone but a coordinator)."""
    raise NotImplementedError


def is_panel_member(actor: Membership) -> bool:
    """She is on the parents' panel."""
    raise NotImplementedError
