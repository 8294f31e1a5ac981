"""The decisions' source for the one commitments board (``partnerships.commitments``): each outcome written
for a closed decision, with its owner, due date and review date. Also the coordinator's attention item:
decisions that passed and are waiting for an outcome."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coproduce.decisions.models import Decision, Outcome
from coproduce.partnerships.attention import AttentionItem, register_attention_item
from coproduce.partnerships.commitments import Commitment, CommitmentSource, register_commitment_source
from coproduce.partnerships.models import Membership
from coproduce.partnerships.roles import staff_q


def _url(slug: str, decision_id: int) -> str:
    return reverse("decisions:decision", kwargs={"slug": slug, "decision_id": decision_id})


def outcome_commitments(membership: Membership) -> list[Commitment]:
    """Every decision outcome in the partnership (everyone there reads decisions). One query."""
    outcomes = (
        Outcome.objects.filter(decision__partnership_id=membership.partnership_id)
        .select_related("decision__partnership", "owner", "owner__organisation")
        # The outcome's words are published as open data only for a decision a member of staff raised (a
        # member's proposal may be closed, and its outcome written, by her).
        .annotate(
            raised_by_staff=Exists(
                Membership.objects.filter(
                    staff_q(), partnership_id=membership.partnership_id, user_id=OuterRef("decision__proposer_id")
                )
            )
        )
        .order_by("due_on", "pk")
    )
    return [
        Commitment(
            source="decisions.outcome",
            object_id=o.pk,
            what=o.statement.splitlines()[0][:200] if o.statement else o.decision.title,
            owner=o.owner_name,
            owner_user_id=o.owner.user_id if o.owner else None,
            due_on=o.due_on,
            review_on=o.review_on,
            done=o.done_on is not None,
            url=_url(o.decision.partnership.slug, o.decision_id),
            made_on=o.written_at.date(),
            open_what=(o.statement.splitlines()[0][:200] if o.statement else o.decision.title)
            if o.raised_by_staff  # type: ignore[attr-defined]
            else "",
            open_owner=o.owner.organisation.name if o.owner is not None and o.owner.organisation is not None else "",
        )
        for o in outcomes
    ]


def waiting_for_outcome(membership: Membership) -> int:
    """Closed decisions that passed (or chose something) and have no outcome yet."""
    return (
        Decision.objects.filter(
            partnership_id=membership.partnership_id, status="closed", result_status="ready", outcome__isnull=True
        )
        .filter(Q(result__passed=True))
        .count()
    )


def register() -> None:
    register_commitment_source(
        CommitmentSource(key="decisions.outcome", label=_("Decision outcomes"), items=outcome_commitments, order=10)
    )
    register_attention_item(
        AttentionItem(
            key="decisions.waiting_for_outcome",
            count=waiting_for_outcome,
            text=lambda n: (
                ngettext("%(n)d decision waiting for an outcome", "%(n)d decisions waiting for an outcome", n)
                % {"n": n}
            ),
            url_name="decisions:list",
            order=45,
        )
    )
