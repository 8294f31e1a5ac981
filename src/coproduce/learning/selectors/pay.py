"""Every read of calendars and paid time, narrowed to what the acting person may see. A lookup of one thing
raises ``NotPermitted`` (a 404) when it is missing or out of reach."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted
from coproduce.core.permissions import require_rule
from coproduce.learning.models import Attendance, CalendarFeed, Claim, Event, PaySettings, Registration, token_hash
from coproduce.partnerships.models import Membership


def event_for_calendar(actor: Membership, event_id: int) -> Event:
    """The event, if ``actor`` may see it; else ``NotPermitted``."""
    found = Event.objects.filter(pk=event_id, partnership_id=actor.partnership_id).select_related("host").first()
    if found is None:
        raise NotPermitted()
    require_rule("learning.see_event", actor, found)
    return found


def feed_by_token(slug: str, token: str) -> CalendarFeed:
    """The feed whose secret is ``token`` in the partnership ``slug``, while its person is still in the
    partnership; else ``NotPermitted`` — the same answer for a wrong, renewed or someone else's link."""
    if not token or len(token) > 100:
        raise NotPermitted()
    wanted = token_hash(token)
    feed = CalendarFeed.objects.filter(token_hash=wanted, partnership__slug=slug).select_related("partnership").first()
    # The look-up is by an index; the comparison that decides is in constant time.
    if feed is None or not hmac.compare_digest(feed.token_hash, wanted):
        raise NotPermitted()
    if not Membership.objects.filter(partnership_id=feed.partnership_id, user_id=feed.user_id).exists():
        raise NotPermitted()
    return feed


def feed_of(actor: Membership) -> CalendarFeed | None:
    """``actor``'s own calendar link (its record: the secret itself is not kept), if she made one."""
    return CalendarFeed.objects.filter(partnership_id=actor.partnership_id, user_id=actor.user_id).first()


def feed_events(feed: CalendarFeed) -> QuerySet[Event]:
    """The events the feed's person has a place at (or waits for), from a month ago on; cancelled events stay
    so her calendar shows them cancelled."""
    since = timezone.now() - dt.timedelta(days=31)
    live = Registration.objects.filter(user_id=feed.user_id).exclude(status=Registration.Status.CANCELLED)
    return (
        Event.objects.filter(partnership_id=feed.partnership_id, ends_at__gte=since, registrations__in=live)
        .select_related("host")
        .distinct()
        .order_by("starts_at", "id")
    )


def pay_settings_of(partnership_id: int) -> PaySettings:
    """The partnership's rates (unsaved defaults when a coordinator has not set them: nothing for time)."""
    found = PaySettings.objects.filter(partnership_id=partnership_id).first()
    return found if found is not None else PaySettings(partnership_id=partnership_id)


def attendance_of(actor: Membership, event: Event) -> Attendance | None:
    return Attendance.objects.filter(event=event, user_id=actor.user_id, present=True).first()


def claimable_event(actor: Membership, event_id: int) -> Event:
    """A paid-time event in ``actor``'s partnership that she may see; else ``NotPermitted``."""
    event = event_for_calendar(actor, event_id)
    if not event.paid_time:
        raise NotPermitted()
    return event


def own_claim(actor: Membership, event: Event) -> Claim | None:
    return Claim.objects.filter(event=event, user_id=actor.user_id).first()


def claims_to_decide(actor: Membership, *, status: str = "waiting") -> QuerySet[Claim]:
    """For a coordinator: the partnership's claims with this status (waiting first-come first)."""
    require_rule("learning.decide_claims", actor)
    claims = Claim.objects.filter(partnership_id=actor.partnership_id, status=status).select_related("event", "user")
    return claims.order_by("created_at", "id") if status == "waiting" else claims.order_by("-decided_at", "-id")


def claim_for(actor: Membership, claim_id: int) -> Claim:
    """One claim: for its claimant, or for a coordinator; else ``NotPermitted``."""
    claims = Claim.objects.filter(pk=claim_id, partnership_id=actor.partnership_id)
    if not actor.is_coordinator:
        claims = claims.filter(user_id=actor.user_id)
    claim = claims.select_related("event", "user", "decided_by").first()
    if claim is None:
        raise NotPermitted()
    return claim


def waiting_claims_count(actor: Membership) -> int:
    return Claim.objects.filter(partnership_id=actor.partnership_id, status=Claim.Status.WAITING).count()


def tax_year_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The UK tax year holding ``day``: 6 April to 5 April."""
    start_year = day.year if (day.month, day.day) >= (4, 6) else day.year - 1
    return dt.date(start_year, 4, 6), dt.date(start_year + 1, 4, 5)


@dataclass(frozen=True)
class MyPayments:
    claims: list[Claim]
    year_start: dt.date
    year_end: dt.date
    paid_this_year_pence: int
    waiting_pence: int


def my_payments(actor: Membership, *, today: dt.date | None = None) -> MyPayments:
    """A parent's own claims, what she was paid in this tax year (approved claims, by the day they were
    approved, in London) and what still waits."""
    require_rule("learning.my_payments", actor)
    today = today or timezone.localdate()
    start, end = tax_year_of(today)
    mine = Claim.objects.filter(partnership_id=actor.partnership_id, user_id=actor.user_id)
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    total = Coalesce(Sum("time_pence"), 0) + Coalesce(Sum("travel_pence"), 0) + Coalesce(Sum("childcare_pence"), 0)
    paid = mine.filter(status=Claim.Status.APPROVED, decided_at__gte=since, decided_at__lt=until).aggregate(t=total)
    waiting = mine.filter(status=Claim.Status.WAITING).aggregate(t=total)
    return MyPayments(
        claims=list(mine.select_related("event").order_by("-created_at", "-id")),
        year_start=start,
        year_end=end,
        paid_this_year_pence=int(paid["t"]),
        waiting_pence=int(waiting["t"]),
    )


def events_to_claim_for(actor: Membership, *, within_days: int = 90) -> list[Event]:
    """Paid-time events that ended in the last ``within_days`` days, at which the register shows ``actor``
    present and for which she has not claimed yet (two queries)."""
    if not actor.is_member:
        return []
    now = timezone.now()
    claimed = Claim.objects.filter(user_id=actor.user_id).values("event_id")
    present = Attendance.objects.filter(user_id=actor.user_id, present=True).values("event_id")
    return list(
        Event.objects.filter(
            partnership_id=actor.partnership_id,
            paid_time=True,
            cancelled_at__isnull=True,
            ends_at__lte=now,
            ends_at__gte=now - dt.timedelta(days=within_days),
            pk__in=present,
        )
        .exclude(pk__in=claimed)
        .order_by("-ends_at")[:5]
    )
