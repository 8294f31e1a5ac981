"""What a person may see of decisions. Everyone in the partnership reads every decision, its discussion and
its result; a lookup of one decision outside the partnership raises ``NotPermitted`` (a 404). Who answered
what is shown only for named decisions: for an anonymous one, reasons are shown without a name, and a person
sees her own answer only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from coproduce.core.exceptions import NotPermitted
from coproduce.core.permissions import require_rule
from coproduce.decisions.eligibility import eligible_counts, eligible_memberships, group_of
from coproduce.decisions.models import (
    Decision,
    DecisionComment,
    DecisionOption,
    DecisionVersion,
    OptionValue,
    Participation,
)
from coproduce.methods.blt import Ballot, Election, write_blt
from coproduce.methods.decide import DecisionResult
from coproduce.partnerships.assisted import ChannelCounts, assistable_members
from coproduce.partnerships.models import Membership


def decisions_visible_to(actor: Membership, *, status: str | None = None) -> QuerySet[Decision]:
    """The partnership's decisions, newest first, with how many have answered (``answer_count``) and
    whether the actor has (``answered``). ``status`` "open" or "closed" narrows them."""
    require_rule("decisions.view", actor)
    found = Decision.objects.filter(partnership_id=actor.partnership_id)
    if status is not None:
        found = found.filter(status=status)
    return found.annotate(
        answer_count=Count("participations", distinct=True),
        answered=Count("participations", filter=Q(participations__user_id=actor.user_id), distinct=True),
    ).order_by("-created_at", "-id")


def decision_for(actor: Membership, decision_id: int) -> Decision:
    """One decision of the actor's partnership, else ``NotPermitted``."""
    require_rule("decisions.view", actor)
    found = (
        Decision.objects.filter(pk=decision_id, partnership_id=actor.partnership_id)
        .select_related("outcome", "outcome__owner__user")
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found


def options_of(decision: Decision, *, with_withdrawn: bool = False) -> list[DecisionOption]:
    options = decision.options.all()
    if not with_withdrawn:
        options = options.filter(withdrawn_at__isnull=True)
    return list(options.order_by("position", "id"))


def can_answer(actor: Membership, decision: Decision) -> bool:
    """Whether the actor is one of the people the decision is for (open or not)."""
    return (actor.is_member or actor.is_staff_role) and group_of(actor, decision) is not None


def answer_of(actor: Membership, decision: Decision) -> Participation | None:
    """The actor's own answer, with its values (``values_by_option``: option id -> value), or None."""
    if decision.partnership_id != actor.partnership_id:
        raise NotPermitted()
    found = (
        Participation.objects.filter(decision=decision, user_id=actor.user_id)
        .prefetch_related(Prefetch("values", queryset=OptionValue.objects.order_by("option_id")))
        .first()
    )
    if found is not None:
        found.values_by_option = {v.option_id: v.value for v in found.values.all()}  # type: ignore[attr-defined]
    return found


@dataclass(frozen=True)
class AnswerLine:
    """One answer as the decision's page lists it (consent and yes/no)."""

    name: str | None  # None for an anonymous decision, or a person whose data was erased
    group: str  # "member", "staff" or "" for an imported ballot
    position: str
    reason: str
    earlier_version: bool  # given to an earlier version of the proposal


def answers_listed(actor: Membership, decision: Decision) -> list[AnswerLine]:
    """The answers with a position, for the decision's page: named unless the decision is anonymous."""
    if decision.partnership_id != actor.partnership_id:
        raise NotPermitted()
    rows = (
        Participation.objects.filter(decision=decision)
        .exclude(position="")
        .select_related("user")
        .order_by("created_at", "id")
    )
    lines = []
    for row in rows:
        named = not decision.anonymous and row.user is not None
        lines.append(
            AnswerLine(
                name=row.user.display_name if named and row.user is not None else None,
                group="member" if row.is_member else "staff" if row.is_staff else "",
                position=row.position,
                reason=row.reason,
                earlier_version=row.version < decision.version,
            )
        )
    return lines


@dataclass(frozen=True)
class Turnout:
    members_eligible: int
    staff_eligible: int
    members_answered: int
    staff_answered: int
    answered: int  # everyone, imported ballots included


def turnout(actor: Membership, decision: Decision) -> Turnout:
    """How many may answer and how many have, members and staff side by side (two queries)."""
    if decision.partnership_id != actor.partnership_id:
        raise NotPermitted()
    members, staff = eligible_counts(decision)
    counts = Participation.objects.filter(decision=decision).aggregate(
        members=Count("pk", filter=Q(is_member=True)), staff=Count("pk", filter=Q(is_staff=True)), everyone=Count("pk")
    )
    return Turnout(members, staff, counts["members"], counts["staff"], counts["everyone"])


def decision_result(actor: Membership, decision: Decision) -> DecisionResult | None:
    """The stored result once counted, else None (``decision.result_status`` says whether it is pending or
    failed). Reads the one stored value: a page never waits on a count."""
    if decision.partnership_id != actor.partnership_id:
        raise NotPermitted()
    if decision.result_status != Decision.ResultStatus.READY or not decision.result:
        return None
    return DecisionResult.from_json(decision.result)


def versions_of(actor: Membership, decision: Decision) -> list[DecisionVersion]:
    """Every version of the proposal, the first first."""
    if decision.partnership_id != actor.partnership_id:
        raise NotPermitted()
    return list(decision.versions.select_related("created_by").order_by("number"))


def comments_of(actor: Membership, decision: Decision) -> list[DecisionComment]:
    """The discussion, oldest first. A hidden comment keeps its place and reads "This comment was hidden by a
    coordinator"; only coordinators still see what it said (for the record), so for anyone else its text is
    emptied here, before it reaches a page."""
    if decision.partnership_id != actor.partnership_id:
        raise NotPermitted()
    comments = list(decision.comments.select_related("author").order_by("created_at", "id"))
    if not actor.is_coordinator:
        for comment in comments:
            if comment.hidden_at is not None:
                comment.body = comment.body_html = ""
    return comments


def comment_for(actor: Membership, comment_id: int, *, decision: Decision | None = None) -> DecisionComment:
    """One comment in the actor's partnership (and on ``decision``, when given), or NotPermitted."""
    found = DecisionComment.objects.filter(pk=comment_id, decision__partnership_id=actor.partnership_id)
    if decision is not None:
        found = found.filter(decision=decision)
    comment = found.select_related("decision").first()
    if comment is None:
        raise NotPermitted()
    return comment


def ranked_election(decision: Decision) -> Election:
    """A ranked or STV decision's answers as an election: candidates are its standing options, in order;
    identical rankings are one ballot with their number as its weight."""
    options = list(decision.options.filter(withdrawn_at__isnull=True).order_by("position", "id"))
    number = {option.pk: i for i, option in enumerate(options, start=1)}
    rankings: dict[int, list[tuple[int, int]]] = {}
    for participation_id, option_id, value in OptionValue.objects.filter(
        participation__decision=decision, option_id__in=list(number)
    ).values_list("participation_id", "option_id", "value"):
        rankings.setdefault(participation_id, []).append((value, number[option_id]))
    weights: dict[tuple[int, ...], int] = {}
    for ranks in rankings.values():
        ranking = tuple(n for _rank, n in sorted(ranks))
        weights[ranking] = weights.get(ranking, 0) + 1
    ballots = tuple(Ballot(weight, ranking) for ranking, weight in sorted(weights.items()))
    return Election(tuple(o.label for o in options), decision.seats or 1, ballots, title=decision.title)


def decision_export_blt(actor: Membership, decision: Decision) -> str:
    """A closed ranked or STV decision's ballots as a BLT file (no one is named in it)."""
    if decision.partnership_id != actor.partnership_id or not decision.is_ranked or decision.is_open:
        raise NotPermitted()
    return write_blt(ranked_election(decision))


def decision_channel_counts(actor: Membership, decision: Decision) -> ChannelCounts:
    """How the answers were given: members by themselves, with their keyworker, from paper, and staff.
    Imported ballots are in none of these."""
    if decision.partnership_id != actor.partnership_id:
        raise NotPermitted()
    counts = Participation.objects.filter(decision=decision).aggregate(
        members_self=Count("pk", filter=Q(is_member=True, channel="self")),
        members_assisted=Count("pk", filter=Q(is_member=True, channel="assisted")),
        members_paper=Count("pk", filter=Q(is_member=True, channel="paper")),
        staff=Count("pk", filter=Q(is_staff=True)),
    )
    return ChannelCounts(**counts)


def members_to_record_with(actor: Membership, decision: Decision) -> QuerySet[Membership]:
    """The members who take part in ``decision`` and allow it, whose answer a worker or coordinator may record with them
    (the actor left out), by name. Those who have answered stay in the list: entering theirs again is
    refused with what is recorded, which is how a paper form entered twice shows up."""
    if decision.partnership_id != actor.partnership_id:
        raise NotPermitted()
    return assistable_members(actor).filter(pk__in=eligible_memberships(decision, actor=actor).values("pk"))
