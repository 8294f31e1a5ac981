"""Every read in the fund, narrowed to the acting person's partnership.

The ledger is open to everyone in the partnership: where the money came from and where it went.
Ballots are secret: a person reads only their own; the results show each person only their own share.
Balances are worked out here from the rows, never stored. A round's ballots leave only as a Pabulib file
with the voters anonymised (``round_export_pabulib``)."""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from coproduce.core.exceptions import NotPermitted
from coproduce.core.money import plain_pounds
from coproduce.core.prepared import PreparedQuery
from coproduce.fund.models import (
    Award,
    AwardPayment,
    Ballot,
    BallotChoice,
    BarrierCategory,
    Contribution,
    FlexiblePot,
    InterestDeclaration,
    PotCommitment,
    Proposal,
    ProposalReview,
    ResultSnapshot,
    Round,
    Spending,
    SpendUpdate,
)
from coproduce.methods.pabulib import PbFile, write_pb
from coproduce.partnerships.assisted import ChannelCounts, assistable_members
from coproduce.partnerships.models import Membership, Organisation, Partnership


def _sum(qs: QuerySet[Any], field: str) -> int:
    return int(qs.aggregate(total=Coalesce(Sum(field), 0))["total"])


def ledger_totals(partnership_id: int, *, excluding_round: int | None = None) -> dict[str, int]:
    """The fund's balances, derived from its rows (seven aggregate queries).

    available = money received − budgets held by rounds not yet awarded − what the flexible pots hold − awards
    made − other spending (participation payments: parents' paid time and expenses; barrier payments).
    In-kind help is counted in what partners gave, but it is not money a round can spend."""
    contributions = Contribution.objects.filter(partnership_id=partnership_id).aggregate(
        money_pledged=Coalesce(Sum("value_pence", filter=Q(kind="money")), 0),
        money_received=Coalesce(Sum("value_pence", filter=Q(kind="money", received_at__isnull=False)), 0),
        in_kind_pledged=Coalesce(Sum("value_pence", filter=Q(kind="in_kind")), 0),
        in_kind_received=Coalesce(Sum("value_pence", filter=Q(kind="in_kind", received_at__isnull=False)), 0),
    )
    # Rounds imported from a Pabulib file are for checking results: they hold no money.
    held_rounds = Round.objects.filter(partnership_id=partnership_id, awards_made_at__isnull=True, imported_from="")
    if excluding_round is not None:
        held_rounds = held_rounds.exclude(pk=excluding_round)
    held = _sum(held_rounds, "budget_pence")
    awarded = _sum(Award.objects.filter(partnership_id=partnership_id), "amount_pence")
    paid = _sum(AwardPayment.objects.filter(award__partnership_id=partnership_id), "amount_pence")
    spending = Spending.objects.filter(partnership_id=partnership_id).aggregate(
        all=Coalesce(Sum("amount_pence"), 0),
        barrier=Coalesce(Sum("amount_pence", filter=Q(category=Spending.Category.BARRIER)), 0),
    )
    spent, barrier = int(spending["all"]), int(spending["barrier"])
    held_by_pots = pots_held_pence(partnership_id)
    totals = {key: int(value) for key, value in contributions.items()}
    totals.update(
        held_by_rounds=held,
        held_by_pots=held_by_pots,
        awarded=awarded,
        paid=paid,
        awarded_not_paid=awarded - paid,
        participation=spent - barrier,
        barrier=barrier,
        cash_in_hand=totals["money_received"] - paid - spent,
        available=totals["money_received"] - held - held_by_pots - awarded - spent,
    )
    return totals


def pots_held_pence(partnership_id: int, *, today: date | None = None) -> int:
    """What the flexible pots still hold (two aggregate queries): a pot whose year has not ended holds what
    it set aside; one whose year has ended holds only what it promised to requests and has not released.
    Either way less what has been paid out of it, which is in the ledger's spending already (so a barrier
    payment is counted once)."""
    today = today or timezone.localdate()
    set_aside = _sum(FlexiblePot.objects.filter(partnership_id=partnership_id, ends_on__gte=today), "set_aside_pence")
    commitments = PotCommitment.objects.filter(pot__partnership_id=partnership_id, released_at__isnull=True)
    row = commitments.aggregate(
        ended_promised=Coalesce(Sum("amount_pence", filter=Q(pot__ends_on__lt=today)), 0),
        paid=Coalesce(
            Sum(
                "amount_pence",
                filter=Q(
                    source_key__in=Spending.objects.filter(
                        partnership_id=partnership_id, category=Spending.Category.BARRIER
                    ).values("source_key")
                ),
            ),
            0,
        ),
    )
    return max(0, set_aside + int(row["ended_promised"]) - int(row["paid"]))


def spending_by_category(membership: Membership) -> list[dict[str, Any]]:
    """What the fund spent outside rounds, in aggregate by category and month (never by person): the ledger's
    "where the money went"."""
    rows = (
        Spending.objects.filter(partnership_id=membership.partnership_id)
        .exclude(category=Spending.Category.BARRIER)  # shown by category and month, small groups merged
        .values("category")
        .annotate(total=Sum("amount_pence"), count=Count("id"))
        .order_by("category")
    )
    labels = dict(Spending.Category.choices)
    return [
        {
            "category": row["category"],
            "label": labels.get(row["category"], row["category"]),
            "total": int(row["total"]),
            "count": row["count"],
        }
        for row in rows
    ]


def contributions_for(membership: Membership) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(partnership_id=membership.partnership_id)
        .select_related("organisation", "recorded_by")
        .order_by("organisation__name", "-pledged_at", "-id")
    )


def contribution_for(membership: Membership, contribution_id: int) -> Contribution:
    """A contribution in the person's partnership; else ``NotPermitted``."""
    found = contributions_for(membership).filter(pk=contribution_id).first()
    if found is None:
        raise NotPermitted()
    return found


def contributions_by_organisation(membership: Membership) -> list[dict[str, Any]]:
    """Each partner's money and in-kind value, pledged and received (one query)."""
    rows = (
        Organisation.objects.filter(partnership_id=membership.partnership_id)
        .annotate(
            money_pledged=Coalesce(
                Sum("fund_contributions__value_pence", filter=Q(fund_contributions__kind="money")), 0
            ),
            money_received=Coalesce(
                Sum(
                    "fund_contributions__value_pence",
                    filter=Q(fund_contributions__kind="money", fund_contributions__received_at__isnull=False),
                ),
                0,
            ),
            in_kind=Coalesce(Sum("fund_contributions__value_pence", filter=Q(fund_contributions__kind="in_kind")), 0),
        )
        .order_by("name")
    )
    return [
        {
            "organisation": org,
            "money_pledged": org.money_pledged,
            "money_received": org.money_received,
            "in_kind": org.in_kind,
        }
        for org in rows
    ]


def organisations_for(membership: Membership) -> QuerySet[Organisation]:
    return Organisation.objects.filter(partnership_id=membership.partnership_id).order_by("name")


def awards_for(membership: Membership) -> QuerySet[Award]:
    """Every award in the partnership with what has been paid and the latest spend reported."""
    return (
        Award.objects.filter(partnership_id=membership.partnership_id)
        .select_related("proposal", "round", "organisation", "holder")
        .annotate(paid_pence=Coalesce(Sum("payments__amount_pence"), 0))
        .prefetch_related(Prefetch("spend_updates", queryset=SpendUpdate.objects.order_by("-created_at", "-id")))
        .order_by("-awarded_at", "-id")
    )


def award_for(membership: Membership, award_id: int) -> Award:
    """An award in the person's partnership; else ``NotPermitted``."""
    found = awards_for(membership).filter(pk=award_id).first()
    if found is None:
        raise NotPermitted()
    return found


def payments_for(award: Award) -> QuerySet[AwardPayment]:
    return award.payments.select_related("recorded_by").order_by("paid_at", "id")


# --- Rounds -----------------------------------------------------------------------------------


def rounds_for(membership: Membership) -> QuerySet[Round]:
    return (
        Round.objects.filter(partnership_id=membership.partnership_id)
        .annotate(
            proposal_count=Count("proposals", distinct=True),
            ballot_count=Count("ballots", distinct=True),
        )
        .order_by("-voting_from", "-id")
    )


# On every home page: compiled once (core/prepared.py, ADR 14). Shape: how many.
OPEN_ROUND_LINKS: PreparedQuery[Round] = PreparedQuery(
    lambda shape, partnership_id, now: (
        Round.objects.filter(
            partnership_id=partnership_id, proposals_from__lte=now, results_from__gt=now, imported_from=""
        )
        # What the home page shows: the title and the dates that give the phase.
        .only(
            "id", "title", "language", "proposals_from", "review_from", "voting_from", "results_from", "delivery_from"
        )
        .order_by("results_from")[:shape]
    )
)


def open_round_links(membership: Membership, *, limit: int = 3) -> list[Round]:
    """Rounds open for proposals, review or voting now, soonest to close first (imported rounds are records,
    never open), with only what a short list of links needs."""
    return OPEN_ROUND_LINKS(limit, partnership_id=membership.partnership_id, now=timezone.now())


def round_for(membership: Membership, round_id: int) -> Round:
    """A round in the person's partnership; else ``NotPermitted``."""
    found = Round.objects.filter(partnership_id=membership.partnership_id, pk=round_id).first()
    if found is None:
        raise NotPermitted()
    return found


def proposals_in(round_: Round, *, on_ballot_only: bool = False) -> QuerySet[Proposal]:
    qs = Proposal.objects.filter(round=round_).select_related("proposer", "delivered_by")
    if on_ballot_only:
        qs = qs.filter(status=Proposal.Status.ON_BALLOT)
    return qs.annotate(review_count=Count("reviews")).order_by("title", "id")


def proposal_for(membership: Membership, proposal_id: int) -> Proposal:
    """A proposal in a round of the person's partnership; else ``NotPermitted``."""
    found = (
        Proposal.objects.filter(round__partnership_id=membership.partnership_id, pk=proposal_id)
        .select_related("round", "proposer", "delivered_by", "idea")
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found


def reviews_of(proposal: Proposal) -> QuerySet[ProposalReview]:
    return proposal.reviews.select_related("reviewer").order_by("created_at", "id")


def own_ballot(membership: Membership, round_: Round) -> Ballot | None:
    """The person's own ballot with its choices: nobody else's is ever read for a page."""
    return Ballot.objects.filter(round=round_, voter_id=membership.user_id).prefetch_related("choices").first()


def ballot_by_receipt(round_: Round, receipt: str) -> Ballot | None:
    """A ballot looked up by its receipt: shows what was recorded, never who cast it."""
    code = "".join(ch for ch in (receipt or "").upper() if ch.isalnum())
    if len(code) != 10:
        return None
    return (
        Ballot.objects.filter(round=round_, receipt=f"{code[:5]}-{code[5:]}")
        .prefetch_related("choices__proposal")
        .first()
    )


def latest_results(round_: Round) -> ResultSnapshot | None:
    """The newest results for the round's current completion rule."""
    return (
        ResultSnapshot.objects.filter(round=round_, completion=round_.completion)
        .order_by("-requested_at", "-id")
        .first()
    )


def latest_ready_results(round_: Round) -> ResultSnapshot | None:
    return (
        ResultSnapshot.objects.filter(round=round_, status=ResultSnapshot.Status.READY)
        .order_by("-computed_at", "-id")
        .first()
    )


# --- Pabulib export ------------------------------------------------------------------------


def round_export_pabulib(round_: Round) -> str:
    """The round's projects and ballots as a ``.pb`` file. Voters are numbered 1, 2, … in a random
    order, so a file says nothing about who cast which ballot; amounts are in pounds."""
    proposals = list(Proposal.objects.filter(round=round_, status=Proposal.Status.ON_BALLOT).order_by("pk"))
    ids = {p.pk: p.external_id or str(p.pk) for p in proposals}
    ballots: dict[int, list[tuple[int, int]]] = {}
    for ballot_id, proposal_id, points in (
        BallotChoice.objects.filter(ballot__round=round_)
        .order_by("ballot_id", "proposal_id")
        .values_list("ballot_id", "proposal_id", "points")
        .iterator(chunk_size=5000)
    ):
        if proposal_id in ids:
            ballots.setdefault(ballot_id, []).append((proposal_id, points))
    order = list(ballots.values())
    random.SystemRandom().shuffle(order)
    cumulative = round_.ballot_kind == Round.Kind.CUMULATIVE
    votes_for = dict.fromkeys(ids, 0)
    for choices in order:
        for pid, points in choices:
            votes_for[pid] += points if cumulative else 1
    snapshot = latest_ready_results(round_)
    selected = set(snapshot.data["mes"]["selected"]) if snapshot else set()
    meta = {
        "description": round_.title,
        "country": "United Kingdom",
        "unit": round_.partnership.name,
        "instance": str(round_.pk),
        "num_projects": str(len(proposals)),
        "num_votes": str(len(order)),
        "budget": plain_pounds(round_.budget_pence),
        "vote_type": "cumulative" if cumulative else "approval",
        "rule": "equalshares" if round_.completion == "none" else f"equalshares/{round_.completion}",
        "currency": "GBP",
        "date_begin": timezone.localtime(round_.voting_from).strftime("%d.%m.%Y"),
        "date_end": timezone.localtime(round_.results_from).strftime("%d.%m.%Y"),
    }
    if cumulative:
        meta["max_sum_points"] = str(round_.points)
    else:
        meta["min_length"] = str(round_.min_choices)
        meta["max_length"] = str(round_.max_choices)
    projects = [
        {
            "project_id": ids[p.pk],
            "cost": plain_pounds(p.cost_pence),
            "votes": str(votes_for[p.pk]),
            "name": p.title,
            "selected": "1" if str(p.pk) in selected else "0",
        }
        for p in proposals
    ]
    votes = []
    for number, choices in enumerate(order, start=1):
        row = {"voter_id": str(number), "vote": ",".join(ids[pid] for pid, _ in choices)}
        if cumulative:
            row["points"] = ",".join(str(points) for _, points in choices)
        votes.append(row)
    pb = PbFile(
        meta=meta,
        project_columns=("project_id", "cost", "votes", "name", "selected"),
        projects=tuple(projects),
        vote_columns=("voter_id", "vote", "points") if cumulative else ("voter_id", "vote"),
        votes=tuple(votes),
    )
    return write_pb(pb)


# --- open data: what the 360Giving file reads (fund.opendata), for anyone once the partnership publishes


def open_contributions(partnership_id: int) -> QuerySet[Contribution]:
    """Every partner's contribution, oldest first: each is a grant from the organisation to the pooled fund."""
    return (
        Contribution.objects.filter(partnership_id=partnership_id)
        .select_related("organisation")
        .order_by("pledged_at", "id")
    )


def open_payments_to_individuals(partnership_id: int) -> list[tuple[datetime, int]]:
    """When and how much the fund paid people (participation payments: paid time and expenses), oldest first,
    as (paid at, pence) with nothing about who was paid."""
    return [
        (paid_at, int(amount))
        for paid_at, amount in Spending.objects.filter(partnership_id=partnership_id)
        .order_by("paid_at", "id")
        .values_list("paid_at", "amount_pence")
    ]


def open_grants_changed_at(partnership_id: int) -> datetime | None:
    """When the fund's open data last changed: the latest award, payment, contribution pledged or received, or
    participation payment; None when there is none (one query)."""
    latest = {
        "award": Award.objects.filter(partnership_id=OuterRef("pk")).order_by("-awarded_at").values("awarded_at")[:1],
        "payment": AwardPayment.objects.filter(award__partnership_id=OuterRef("pk"))
        .order_by("-paid_at")
        .values("paid_at")[:1],
        "pledged": Contribution.objects.filter(partnership_id=OuterRef("pk"))
        .order_by("-pledged_at")
        .values("pledged_at")[:1],
        "received": Contribution.objects.filter(partnership_id=OuterRef("pk"), received_at__isnull=False)
        .order_by("-received_at")
        .values("received_at")[:1],
        "spent": Spending.objects.filter(partnership_id=OuterRef("pk")).order_by("-paid_at").values("paid_at")[:1],
    }
    row = (
        Partnership.objects.filter(pk=partnership_id)
        .annotate(**{key: Subquery(query) for key, query in latest.items()})
        .values(*latest)
        .first()
    )
    found = [value for value in (row or {}).values() if value is not None]
    return max(found) if found else None


def round_channel_counts(round_: Round) -> ChannelCounts:
    """How the round's ballots were given: members by themselves, with their keyworker, from paper, and
    staff (who vote in a round for members and staff). Ballots with nobody behind them (imported, or from
    people who have left) are in none of these."""
    rows = list(Ballot.objects.filter(round=round_, voter__isnull=False).values_list("voter_id", "channel"))
    members = set(
        Membership.objects.filter(
            partnership_id=round_.partnership_id, is_member=True, user_id__in=[v for v, _ in rows]
        ).values_list("user_id", flat=True)
    )
    counted = {"self": 0, "assisted": 0, "paper": 0, "staff": 0}
    for voter_id, channel in rows:
        counted[channel if voter_id in members else "staff"] += 1
    return ChannelCounts(
        members_self=counted["self"],
        members_assisted=counted["assisted"],
        members_paper=counted["paper"],
        staff=counted["staff"],
    )


def members_to_record_with(actor: Membership) -> QuerySet[Membership]:
    """The members whose ballot a worker or coordinator may record with them: members of the partnership who
    allow it, not the actor, by name."""
    return assistable_members(actor)


# --- The flexible pot (issue 26) -------------------------------------------------------------------------

SMALL_GROUP = 5  # fewer payments than this are never shown as a group of their own


def pots_for(membership: Membership) -> list[dict[str, Any]]:
    """The partnership's flexible pots, newest year first, each with what it has promised and has left
    (two queries)."""
    pots = list(
        FlexiblePot.objects.filter(partnership_id=membership.partnership_id)
        .annotate(
            promised=Coalesce(Sum("commitments__amount_pence", filter=Q(commitments__released_at__isnull=True)), 0)
        )
        .order_by("-starts_on", "-id")
    )
    categories: dict[int, list[BarrierCategory]] = {}
    for category in BarrierCategory.objects.filter(pot__in=pots).order_by("-active", "name", "id"):
        categories.setdefault(category.pot_id, []).append(category)
    today = timezone.localdate()
    return [
        {
            "pot": pot,
            "promised": int(pot.promised),
            "left": pot.set_aside_pence - int(pot.promised),
            "current": pot.starts_on <= today <= pot.ends_on,
            "categories": categories.get(pot.pk, []),
        }
        for pot in pots
    ]


def pot_for(membership: Membership, pot_id: int) -> FlexiblePot:
    found = FlexiblePot.objects.filter(partnership_id=membership.partnership_id, pk=pot_id).first()
    if found is None:
        raise NotPermitted()
    return found


def barrier_category_for(membership: Membership, category_id: int) -> BarrierCategory:
    found = (
        BarrierCategory.objects.filter(pot__partnership_id=membership.partnership_id, pk=category_id)
        .select_related("pot")
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found


def interests_for(membership: Membership, *, everyone: bool = False) -> QuerySet[InterestDeclaration]:
    """A staff member's own declarations; with ``everyone`` (coordinators), the partnership's."""
    found = InterestDeclaration.objects.filter(partnership_id=membership.partnership_id).select_related(
        "membership__user", "membership__organisation"
    )
    if not everyone:
        found = found.filter(membership_id=membership.pk)
    return found.order_by("withdrawn_at", "-declared_at", "-id")


def interest_for(membership: Membership, declaration_id: int) -> InterestDeclaration:
    """One of the person's own declarations; else ``NotPermitted``."""
    found = interests_for(membership).filter(pk=declaration_id).first()
    if found is None:
        raise NotPermitted()
    return found


def _category_names(partnership_id: int) -> dict[str, str]:
    """Each category's name as the newest pot gives it."""
    names: dict[str, str] = {}
    for slug, name in (
        BarrierCategory.objects.filter(pot__partnership_id=partnership_id)
        .order_by("pot__starts_on", "id")
        .values_list("slug", "name")
    ):
        names[slug] = name
    return names


def barrier_spending_by_month(partnership_id: int) -> list[dict[str, Any]]:
    """Barrier payments in aggregate by category and month, never naming anyone (one query and one for the
    category names). A group of fewer than 5 payments is never shown: a month's small categories are merged
    into "other categories" for that month; if that is still fewer than 5, into the year's "other categories,
    other months", which takes in the smallest groups shown until it has 5; a year of fewer than 5 payments
    shows nothing but that (``small``).

    Returns the partnership's years (April to March), newest first: ``{"label", "months": [{"month",
    "rows": [{"label", "count", "total"}]}], "other": {"count", "total"} | None, "small": bool, "count",
    "total"}``."""
    from coproduce.fund.services.flexible import year_for, year_label

    rows = (
        Spending.objects.filter(partnership_id=partnership_id, category=Spending.Category.BARRIER)
        .annotate(month=TruncMonth("paid_at"))
        .values("month", "subcategory")
        .annotate(count=Count("id"), total=Sum("amount_pence"))
        .order_by("month", "subcategory")
    )
    names = _category_names(partnership_id)
    months: dict[date, list[dict[str, Any]]] = {}
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], datetime) else row["month"]
        months.setdefault(month, []).append(
            {
                "slug": row["subcategory"],
                "label": names.get(row["subcategory"], row["subcategory"]),
                "count": int(row["count"]),
                "total": int(row["total"]),
            }
        )
    years: dict[date, dict[str, Any]] = {}
    for month in sorted(months):
        starts_on, ends_on = year_for(month)
        year = years.setdefault(
            starts_on,
            {
                "label": year_label(starts_on, ends_on),
                "months": [],
                "other": {"count": 0, "total": 0},
                "count": 0,
                "total": 0,
            },
        )
        shown = [row for row in months[month] if row["count"] >= SMALL_GROUP]
        small = [row for row in months[month] if row["count"] < SMALL_GROUP]
        small_count = sum(row["count"] for row in small)
        small_total = sum(row["total"] for row in small)
        month_rows = [{"label": row["label"], "count": row["count"], "total": row["total"]} for row in shown]
        if small_count >= SMALL_GROUP:
            month_rows.append(
                {"label": gettext("Other categories"), "count": small_count, "total": small_total, "merged": True}
            )
        else:
            year["other"]["count"] += small_count
            year["other"]["total"] += small_total
        if month_rows:
            year["months"].append({"month": month, "rows": month_rows})
        year["count"] += sum(row["count"] for row in months[month])
        year["total"] += sum(row["total"] for row in months[month])
    result = []
    for starts_on in sorted(years, reverse=True):
        entry = years[starts_on]
        other = entry["other"]
        # Still fewer than 5 left over: take in the smallest groups shown until it is not (so no small group can
        # be worked out by taking the shown ones from the year's total).
        while 0 < other["count"] < SMALL_GROUP:
            candidates: list[tuple[int, int, dict[str, Any]]] = [
                (group["count"], at, group)
                for at, month_entry in enumerate(entry["months"])
                for group in month_entry["rows"]
            ]
            if not candidates:
                break
            _count, at, taken = min(candidates, key=lambda item: (item[0], -item[1]))
            entry["months"][at]["rows"].remove(taken)
            other["count"] += taken["count"]
            other["total"] += taken["total"]
        entry["months"] = [month for month in reversed(entry["months"]) if month["rows"]]
        entry["small"] = entry["count"] < SMALL_GROUP  # too few in the whole year to show anything
        entry["other"] = other if other["count"] >= SMALL_GROUP else None
        result.append(entry)
    return result
