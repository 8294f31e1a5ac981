"""Every read about answering, narrowed to what the acting person may see: the subjects, a member's offers and
services she may evaluate, her own answers, the coordinators' questions, free text waiting to be checked. A
lookup of one thing raises ``NotPermitted`` (a 404) when it is missing or out of reach.

What a member used comes from the capabilities, through the registry of service use
(``partnerships.service_use``): each source's ``for_person``, plus the offers she was made."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted
from coproduce.core.permissions import require_rule
from coproduce.evaluation import rules as evaluation_rules
from coproduce.evaluation.models import Answer, Offer, Question, QuestionAnswer, Remark, Subject
from coproduce.partnerships.models import Membership
from coproduce.partnerships.service_use import ServiceUse, ServiceUseSource, service_use_sources


def _sources_for(source_key: str | None = None) -> list[ServiceUseSource]:
    """The registered sources; only the one a subject's key names ("support.service:12" → "support") when it
    is registered."""
    sources = service_use_sources()
    if source_key:
        prefix = source_key.split(".", 1)[0]
        named = [s for s in sources if s.key == prefix]
        if named:
            return named
    return sources


def uses_of(actor: Membership, *, source_key: str | None = None) -> list[ServiceUse]:
    """Every registered use by ``actor``'s person in her partnership (of one subject's source when given)."""
    found: list[ServiceUse] = []
    for source in _sources_for(source_key):
        found.extend(source.for_person(actor.partnership_id, actor.user_id))
    return found


def has_used(actor: Membership, subject: Subject) -> bool:
    """She may evaluate ``subject``: one of her uses names it, or she was offered it."""
    if Offer.objects.filter(user_id=actor.user_id, subject_id=subject.pk).exists():
        return True
    return any(use.thing_key == subject.source_key for use in uses_of(actor, source_key=subject.source_key))


def _this_period() -> dt.date:
    return timezone.localdate().replace(day=1)


def offers_waiting(actor: Membership) -> QuerySet[Offer]:
    """Her offers not yet answered or dismissed, of subjects still active, newest first, with their subjects."""
    return (
        Offer.objects.filter(
            partnership_id=actor.partnership_id,
            user_id=actor.user_id,
            answered_at__isnull=True,
            dismissed_at__isnull=True,
            subject__active=True,
        )
        .select_related("subject", "subject__organisation")
        .order_by("-offered_at", "-id")
    )


def subjects_used(actor: Membership) -> list[Subject]:
    """The active subjects she may evaluate (a registered use or an offer names them), by name, each with
    ``answered_this_month`` (bool). One query per source, and one."""
    if not actor.is_member:
        return []
    keys = {use.thing_key for use in uses_of(actor)}
    offered = Offer.objects.filter(partnership_id=actor.partnership_id, user_id=actor.user_id).values("subject_id")
    answered = Answer.objects.filter(user_id=actor.user_id, subject_id=OuterRef("pk"), period=_this_period())
    return list(
        Subject.objects.filter(partnership_id=actor.partnership_id, active=True)
        .filter(Q(source_key__in=keys) | Q(pk__in=offered))
        .annotate(answered_this_month=Exists(answered))
        .select_related("organisation")
        .order_by("name", "id")
    )


def subject_for(actor: Membership, subject_id: int) -> Subject:
    """A subject of the actor's partnership (active or not); else ``NotPermitted``."""
    found = (
        Subject.objects.filter(pk=subject_id, partnership_id=actor.partnership_id)
        .select_related("organisation", "partnership")
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found


def subjects_in(actor: Membership) -> QuerySet[Subject]:
    """Every active subject in the actor's partnership, by name."""
    return (
        Subject.objects.filter(partnership_id=actor.partnership_id, active=True)
        .select_related("organisation")
        .order_by("name", "id")
    )


def live_questions(subject: Subject) -> list[Question]:
    """The subject's coordinators' questions still asked, by position (at most three)."""
    return list(Question.objects.filter(subject_id=subject.pk, retired_at__isnull=True).order_by("position", "id"))


def my_answers(actor: Membership) -> QuerySet[Answer]:
    """Her own answers (online or read out for her), newest first, with their subjects, free text and answers to
    the coordinators' questions."""
    return (
        Answer.objects.filter(partnership_id=actor.partnership_id, user_id=actor.user_id)
        .select_related("subject")
        .prefetch_related(
            Prefetch("remarks", queryset=Remark.objects.select_related("question").order_by("id")),
            Prefetch("question_answers", queryset=QuestionAnswer.objects.select_related("question").order_by("id")),
        )
        .order_by("-period", "-created_at", "-id")
    )


def my_answer(actor: Membership, answer_id: int) -> Answer:
    """One of her own answers; else ``NotPermitted`` (someone else's answer is as missing as no answer)."""
    found = my_answers(actor).filter(pk=answer_id).first()
    if found is None:
        raise NotPermitted()
    return found


def remarks_waiting(actor: Membership) -> QuerySet[Remark]:
    """Free text waiting to be checked, oldest first, flagged or not (coordinators only)."""
    require_rule("evaluation.manage", actor)
    return (
        Remark.objects.filter(answer__partnership_id=actor.partnership_id, status=Remark.Status.WAITING)
        .select_related("answer__subject", "question")
        .order_by("id")
    )


def remark_for(actor: Membership, remark_id: int) -> Remark:
    """One remark of the partnership for a coordinator to moderate; else ``NotPermitted``."""
    require_rule("evaluation.manage", actor)
    found = (
        Remark.objects.filter(pk=remark_id, answer__partnership_id=actor.partnership_id)
        .select_related("answer__subject", "question", "moderated_by")
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found


def waiting_remarks_count(actor: Membership) -> int:
    """How many remarks wait to be checked (0 for anyone but a coordinator)."""
    if actor is None or not actor.is_coordinator:
        return 0
    return Remark.objects.filter(answer__partnership_id=actor.partnership_id, status=Remark.Status.WAITING).count()


def is_panel_member(actor: Membership) -> bool:
    """She is on the parents' panel of her partnership."""
    return evaluation_rules.is_panel_member(actor)
