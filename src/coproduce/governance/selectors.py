"""Every read of the partnership agreement. All of it is open to everyone in the partnership (observers
included), so narrowing means: this partnership only. A lookup of one thing raises ``NotPermitted`` (a 404)
when it is missing or in another partnership."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted
from coproduce.governance.models import DecisionRule, Group, Interest, Seat, SeatHolding, TermsVersion
from coproduce.governance.wording import rule_in_words
from coproduce.partnerships.models import Membership, Organisation


def _current_holdings() -> Prefetch[Any]:
    return Prefetch(
        "holdings",
        queryset=SeatHolding.objects.filter(ended_on__isnull=True).select_related("membership__user"),
        to_attr="current_holdings",
    )


def terms_versions(actor: Membership) -> list[TermsVersion]:
    """Every version, newest first, without their text (the list of earlier versions)."""
    return list(
        TermsVersion.objects.filter(partnership_id=actor.partnership_id)
        .defer("text", "text_html")
        .select_related("published_by")
    )


def terms_current(actor: Membership) -> TermsVersion | None:
    return TermsVersion.objects.filter(partnership_id=actor.partnership_id).select_related("published_by").first()


def terms_version(actor: Membership, number: int) -> TermsVersion:
    found = (
        TermsVersion.objects.filter(partnership_id=actor.partnership_id, number=number)
        .select_related("published_by")
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found


def groups_with_seats(actor: Membership) -> list[Group]:
    """The groups, each with its seats in use (``group.seats.all()``; removed seats are left out), each seat
    with ``current_holdings`` (a list of at most one). Three queries however many groups and seats."""
    seats = (
        Seat.objects.filter(retired_on__isnull=True)
        .select_related("organisation")
        .prefetch_related(_current_holdings())
        .order_by("created_at", "id")
    )
    return list(
        Group.objects.filter(partnership_id=actor.partnership_id).prefetch_related(Prefetch("seats", queryset=seats))
    )


def group_for(actor: Membership, group_id: int) -> Group:
    found = Group.objects.filter(partnership_id=actor.partnership_id, pk=group_id).first()
    if found is None:
        raise NotPermitted()
    return found


def groups(actor: Membership) -> QuerySet[Group]:
    return Group.objects.filter(partnership_id=actor.partnership_id)


def seat_for(actor: Membership, seat_id: int) -> Seat:
    """The seat, with its group, organisation and every holding (``seat.history``, newest first)."""
    found = (
        Seat.objects.filter(partnership_id=actor.partnership_id, pk=seat_id)
        .select_related("group", "organisation")
        .prefetch_related(
            Prefetch("holdings", queryset=SeatHolding.objects.select_related("membership__user"), to_attr="history")
        )
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found


def holding_for(actor: Membership, holding_id: int) -> SeatHolding:
    found = (
        SeatHolding.objects.filter(seat__partnership_id=actor.partnership_id, pk=holding_id)
        .select_related("seat__group", "seat__organisation", "membership__user")
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found


def eligible_holders(actor: Membership, seat: Seat) -> QuerySet[Membership]:
    """Who may hold the seat: members for a member seat, the organisation's staff for an organisation's."""
    people = Membership.objects.filter(partnership_id=actor.partnership_id).select_related("user")
    if seat.kind == Seat.Kind.MEMBER:
        return people.filter(is_member=True).order_by("user__display_name", "pk")
    staff = Q(is_worker=True) | Q(is_coordinator=True) | Q(is_partner_lead=True)
    return people.filter(staff, organisation=seat.organisation).order_by("user__display_name", "pk")


def people(actor: Membership) -> QuerySet[Membership]:
    """Everyone in the partnership, for a coordinator recording an interest on someone's behalf."""
    return (
        Membership.objects.filter(partnership_id=actor.partnership_id)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )


def organisations(actor: Membership) -> QuerySet[Organisation]:
    return Organisation.objects.filter(partnership_id=actor.partnership_id).order_by("name")


@dataclass(frozen=True)
class RuleLine:
    """One kind of decision and its rule (``rule`` is None while the partnership has not set one)."""

    kind: str
    label: str
    rule: DecisionRule | None
    in_words: str


def decision_rules(actor: Membership) -> list[RuleLine]:
    """Every kind of decision, in order, with its rule or none yet. One query."""
    found = {
        rule.kind: rule
        for rule in DecisionRule.objects.filter(partnership_id=actor.partnership_id).select_related("group")
    }
    return [
        RuleLine(kind, str(label), found.get(kind), rule_in_words(found[kind]) if kind in found else "")
        for kind, label in DecisionRule.Kind.choices
    ]


def decision_rule(actor: Membership, kind: str) -> DecisionRule | None:
    if kind not in DecisionRule.Kind.values:
        raise NotPermitted()
    return DecisionRule.objects.filter(partnership_id=actor.partnership_id, kind=kind).select_related("group").first()


def interests_register(actor: Membership) -> list[Interest]:
    """Every declared interest in the partnership, current first, with whose it is. One query."""
    return list(
        Interest.objects.filter(partnership_id=actor.partnership_id)
        .select_related("membership__user", "organisation")
        .order_by("membership__user__display_name", "membership_id", "-starts_on", "-id")
    )


def interest_for(actor: Membership, interest_id: int) -> Interest:
    found = (
        Interest.objects.filter(partnership_id=actor.partnership_id, pk=interest_id)
        .select_related("membership__user", "organisation")
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found


def current_interests(
    partnership_id: int,
    *,
    membership_ids: list[int] | None = None,
    user_ids: list[int] | None = None,
    on: date | None = None,
) -> dict[int, list[Interest]]:
    """The interests current on ``on`` (today) of these people, by membership id (or by user id when
    ``user_ids`` is given). One query for the whole list."""
    on = on or timezone.localdate()
    wanted = Interest.objects.filter(partnership_id=partnership_id, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )
    if user_ids is not None:
        wanted = wanted.filter(membership__user_id__in=user_ids)
    else:
        wanted = wanted.filter(membership_id__in=membership_ids or [])
    by_person: dict[int, list[Interest]] = defaultdict(list)
    for interest in wanted.select_related("organisation", "membership").order_by("-starts_on", "-id"):
        key = interest.membership.user_id if user_ids is not None else interest.membership_id
        by_person[key].append(interest)
    return dict(by_person)
