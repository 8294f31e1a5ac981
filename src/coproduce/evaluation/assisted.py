"""Evaluation's part in assisted participation (``partnerships.assisted``): answers a keyworker read out with a
member and entered for her wait on her page ``/p/<slug>/assisted/`` until she says "This is right"; "Change it"
leads to her own answers (``evaluation:mine``), where she withdraws them and can answer again herself.

Paper forms are anonymous (no member), so they are never hers to confirm; results count them apart already
(online, paper, read out: ``selectors.results``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core.reversing import cached_reverse
from coproduce.evaluation.models import Answer
from coproduce.evaluation.services.entry import answer_confirm
from coproduce.partnerships.assisted import AssistedItem, AssistedKind, register_assisted_kind
from coproduce.partnerships.models import Membership

KIND = "evaluation.answer"
PENDING_MAX = 50


def pending(membership: Membership) -> list[AssistedItem]:
    answers = (
        Answer.objects.filter(
            partnership_id=membership.partnership_id,
            user_id=membership.user_id,
            mode=Answer.Mode.READ_OUT,
            confirmed_at__isnull=True,
        )
        .select_related("subject", "entered_by")
        .order_by("-created_at", "-id")[:PENDING_MAX]
    )
    mine = cached_reverse("evaluation:mine", kwargs={"slug": membership.partnership.slug})
    return [
        AssistedItem(
            kind=KIND,
            item_id=answer.pk,
            summary=_("Your answers about %(service)s") % {"service": answer.subject.name},
            recorded_by_name=answer.entered_by.name if answer.entered_by else _("A keyworker who has left"),
            recorded_at=answer.created_at,
            change_url=mine,
        )
        for answer in answers
    ]


def register() -> None:
    register_assisted_kind(
        AssistedKind(
            key=KIND,
            label=gettext_lazy("Answers about services"),
            pending=pending,
            confirm=answer_confirm,
            order=70,
        )
    )
