"""What the partnership agreement offers the other apps: a person's declared interests, to show beside what
they propose, review or decide on, and the rule a kind of decision follows (for the decisions capability).
Plain keyword-only functions, the acting membership first; values cross over as dataclasses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from coproduce.governance import selectors
from coproduce.governance.models import Interest, SeatHolding
from coproduce.governance.wording import rule_in_words
from coproduce.partnerships.models import Membership


@dataclass(frozen=True)
class DeclaredInterest:
    """One current declared interest, as the register shows it."""

    what: str
    with_whom: str  # the organisation's name when one was chosen, else what the person wrote (may be empty)
    starts_on: date
    ends_on: date | None


def _declared(interest: Interest) -> DeclaredInterest:
    with_whom = interest.organisation.name if interest.organisation else interest.with_whom
    return DeclaredInterest(interest.what, with_whom, interest.starts_on, interest.ends_on)


def interests_of(*, actor: Membership, membership_ids: list[int]) -> dict[int, list[DeclaredInterest]]:
    """The current declared interests of these people in the actor's partnership, by membership id (a
    person with none is absent). One query however long the list. Everyone in the partnership may read the
    register, so nothing is narrowed further."""
    found = selectors.current_interests(actor.partnership_id, membership_ids=list(membership_ids))
    return {key: [_declared(i) for i in interests] for key, interests in found.items()}


def interests_of_people(*, actor: Membership, user_ids: Iterable[int | None]) -> dict[int, list[DeclaredInterest]]:
    """As ``interests_of``, for apps that keep the person (a proposal's proposer, a reviewer) rather than the
    membership: by user id, in the actor's partnership. One query."""
    found = selectors.current_interests(actor.partnership_id, user_ids=[i for i in user_ids if i is not None])
    return {key: [_declared(i) for i in interests] for key, interests in found.items()}


@dataclass(frozen=True)
class DecisionRuleInfo:
    """How one kind of decision is made in the partnership."""

    kind: str  # "agreement", "fund", "service", "everyday"
    method: str  # "consent", "yes_no", "score", "ranked_irv", "ranked_schulze", "stv"
    threshold_percent: int | None  # yes/no/abstain only: 50 means more than half
    quorum_percent: int  # of those eligible, 0 for none
    participants: str  # "members", "staff", "everyone", "group"
    group_id: int | None  # when a group decides
    double_majority: bool  # members and staff counted separately, each must agree
    in_words: str


def decision_rule_for(*, actor: Membership, kind: str) -> DecisionRuleInfo | None:
    """The rule the partnership set for ``kind`` of decision, or None while it has set none. An unknown kind
    raises ``NotPermitted``."""
    rule = selectors.decision_rule(actor, kind)
    if rule is None:
        return None
    return DecisionRuleInfo(
        kind=rule.kind,
        method=rule.method,
        threshold_percent=rule.threshold_percent,
        quorum_percent=rule.quorum_percent,
        participants=rule.participants,
        group_id=rule.group_id,
        double_majority=rule.double_majority,
        in_words=rule_in_words(rule),
    )


def group_member_ids(*, actor: Membership, group_id: int) -> set[int]:
    """The memberships (ids) holding a current seat on governance group ``group_id`` of the actor's
    partnership: the people who take part when "a group" decides (the decisions capability). A group of
    another partnership, or none, has no one. One query."""
    return set(
        SeatHolding.objects.filter(
            seat__group_id=group_id,
            seat__partnership_id=actor.partnership_id,
            seat__retired_on__isnull=True,
            ended_on__isnull=True,
            membership__isnull=False,
        ).values_list("membership_id", flat=True)
    )
