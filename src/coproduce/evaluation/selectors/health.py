"""Reading the partnership health checks: the list, one check, and its results, members and staff side by side.

The small-groups rule for a health check: for each standard, each side's average is shown only when at least
``SMALLEST_GROUP`` people on that side gave that standard a score. No combined figure and no count of replies
is shown anywhere (a total beside two sides would reveal a side that is hidden). Results are shown only once
the check has closed, so nobody can work out one person's answer by watching the averages change.

The gap is the members' average minus the staff's, both as shown (to one decimal place); it is highlighted,
in words, when the two are at least ``NOTABLE_GAP`` apart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted
from coproduce.evaluation.instrument import STANDARDS, Standard
from coproduce.evaluation.models import HealthCheck, HealthRating, HealthReply
from coproduce.partnerships.models import Membership

SMALLEST_GROUP = 5
NOTABLE_GAP = Decimal("0.5")
# A health check is meant twice a year: one is due when none opened in this long.
DUE_AFTER = timedelta(days=183)

ONE_PLACE = Decimal("0.1")


def _mean(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def health_checks(actor: Membership) -> QuerySet[HealthCheck]:
    """The partnership's health checks, newest first, each with ``answered``: whether ``actor`` gave her view."""
    mine = HealthReply.objects.filter(health_check=OuterRef("pk"), user_id=actor.user_id)
    return HealthCheck.objects.filter(partnership_id=actor.partnership_id).annotate(answered=Exists(mine))


def health_check_for(actor: Membership, check_id: int) -> HealthCheck:
    """One check of the actor's partnership, with ``answered``; ``NotPermitted`` (a 404) for any other."""
    found = health_checks(actor).filter(pk=check_id).first()
    if found is None:
        raise NotPermitted()
    return found


def last_health_check(actor: Membership) -> HealthCheck | None:
    """The check that opened last (or opens next, when one is planned)."""
    return HealthCheck.objects.filter(partnership_id=actor.partnership_id).order_by("-opens_on", "-id").first()


def health_check_due_count(actor: Membership, *, today: date | None = None) -> int:
    """1 when no check opened in the last six months nor is planned (for the coordinators' attention list), else 0."""
    today = today or timezone.localdate()
    recent = HealthCheck.objects.filter(partnership_id=actor.partnership_id, opens_on__gt=today - DUE_AFTER)
    return 0 if recent.exists() else 1


@dataclass(frozen=True)
class SideFigures:
    """One side's figures for one standard. ``mean`` is ``None`` when fewer than SMALLEST_GROUP scored it."""

    mean: Decimal | None
    ratings: int  # how many gave a score; shown only with the mean

    @property
    def shown(self) -> bool:
        return self.mean is not None

    @property
    def bar(self) -> int:
        """The mean as a share of the scale's length (1 → 0, 5 → 100), for the bars."""
        return 0 if self.mean is None else round((self.mean - 1) * 25)


@dataclass(frozen=True)
class StandardResult:
    standard: Standard
    members: SideFigures
    staff: SideFigures
    previous_members: Decimal | None = None
    previous_staff: Decimal | None = None

    @property
    def gap(self) -> Decimal | None:
        """Members' average minus staff's, as shown; ``None`` unless both sides are shown."""
        if self.members.mean is None or self.staff.mean is None:
            return None
        return self.members.mean - self.staff.mean

    @property
    def notable(self) -> bool:
        return self.gap is not None and abs(self.gap) >= NOTABLE_GAP

    @property
    def gap_words(self) -> str | Promise:
        gap = self.gap
        if gap is None:
            return ""
        if abs(gap) < NOTABLE_GAP:
            if gap == 0:
                return _("Members and staff rate this the same.")
            return _("Members and staff rate this about the same (%(gap)s apart).") % {"gap": abs(gap)}
        if gap < 0:
            return _("Staff rate this higher than members do, by %(gap)s.") % {"gap": -gap}
        return _("Members rate this higher than staff do, by %(gap)s.") % {"gap": gap}

    @property
    def members_change(self) -> str:
        return _change_words(self.members.mean, self.previous_members)

    @property
    def staff_change(self) -> str:
        return _change_words(self.staff.mean, self.previous_staff)


def _change_words(now: Decimal | None, before: Decimal | None) -> str:
    """Since the previous check, in words: "up 0.3", "down 0.2", "no change"; empty when either is not shown."""
    if now is None or before is None:
        return ""
    change = now - before
    if change > 0:
        return _("up %(change)s since last time") % {"change": change}
    if change < 0:
        return _("down %(change)s since last time") % {"change": -change}
    return _("no change since last time")


@dataclass(frozen=True)
class HealthResults:
    check: HealthCheck
    ready: bool  # the check has closed: results are shown
    rows: list[StandardResult]
    previous: HealthCheck | None  # the check before, for comparison

    @property
    def notable_count(self) -> int:
        return sum(1 for row in self.rows if row.notable)


def _sides(check: HealthCheck) -> dict[tuple[str, str], SideFigures]:
    """Each (standard, side)'s figures for a check, in one query; the mean only for groups of SMALLEST_GROUP."""
    figures = (
        HealthRating.objects.filter(reply__health_check=check, score__isnull=False)
        .values("standard", "reply__side")
        .annotate(n=Count("id"), mean=Avg("score"))
        .order_by()
    )
    found: dict[tuple[str, str], SideFigures] = {}
    for row in figures:
        n = row["n"]
        shown = n >= SMALLEST_GROUP
        found[(row["standard"], row["reply__side"])] = SideFigures(
            mean=_mean(row["mean"]) if shown else None, ratings=n if shown else 0
        )
    return found


NOBODY = SideFigures(mean=None, ratings=0)


def health_results(actor: Membership, check_id: int, *, today: date | None = None) -> HealthResults:
    """A check's results per standard: the members' and the staff's averages side by side (each only with at
    least SMALLEST_GROUP scores), the gap, and the previous check's averages for comparison. Nothing while the
    check is still open or not yet open. ``NotPermitted`` for a check of another partnership."""
    check = health_check_for(actor, check_id)
    today = today or timezone.localdate()
    ready = check.closes_on < today
    if not ready:
        return HealthResults(check=check, ready=False, rows=[], previous=None)
    previous = (
        HealthCheck.objects.filter(partnership_id=actor.partnership_id, closes_on__lt=check.opens_on)
        .order_by("-opens_on", "-id")
        .first()
    )
    now = _sides(check)
    before = _sides(previous) if previous is not None else {}
    rows = [
        StandardResult(
            standard=standard,
            members=now.get((standard.key, HealthReply.Side.MEMBER), NOBODY),
            staff=now.get((standard.key, HealthReply.Side.STAFF), NOBODY),
            previous_members=before.get((standard.key, HealthReply.Side.MEMBER), NOBODY).mean,
            previous_staff=before.get((standard.key, HealthReply.Side.STAFF), NOBODY).mean,
        )
        for standard in STANDARDS
    ]
    return HealthResults(check=check, ready=True, rows=rows, previous=previous)
