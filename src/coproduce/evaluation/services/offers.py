"""Offers to evaluate a service, made after a use (a referral completed, an event attended, a service left).

``offers_make`` runs every 15 minutes (the periodic job ``evaluation.offers``). In each partnership it brings
the subjects up to date, reads the uses of the last 60 days from every registered source, and offers each
member at most one subject a fortnight: her oldest use not yet offered, of an active subject she has not
answered about this month. A later use waits for the next fortnight; a use older than 60 days is not offered.
Each offer is a notice "Tell us about <service>: it takes a minute", linking to the answer page."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted
from coproduce.evaluation.models import Answer, Offer, Subject
from coproduce.evaluation.services._common import audit, this_period
from coproduce.evaluation.services.subjects import subjects_sync
from coproduce.partnerships.models import Membership, Partnership
from coproduce.partnerships.service_use import ServiceUse, service_use_sources

OFFER_KIND = "evaluation.offer"
FORTNIGHT = dt.timedelta(days=14)
USES_WITHIN = dt.timedelta(days=60)


def offer_dismiss(*, actor: Membership, offer_id: int) -> None:
    """She said "not now" to an offer: it is no longer shown (she may still answer about the service). Saying
    it twice is the same as once. ``NotPermitted`` for someone else's offer."""
    if actor is None:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        offer = (
            Offer.objects.select_for_update()
            .filter(pk=offer_id, partnership_id=actor.partnership_id, user_id=actor.user_id)
            .first()
        )
        if offer is None:
            raise NotPermitted()
        if offer.dismissed_at is not None:
            return
        offer.dismissed_at = timezone.now()
        offer.save(update_fields=["dismissed_at"])
        audit(actor, "offer_dismissed", None, partnership_id=actor.partnership_id)
    from coproduce.notifications.api import notices_done

    notices_done(partnership_id=actor.partnership_id, subject_key=f"{OFFER_KIND}:{offer.pk}")


def answer_url(partnership: Partnership, subject_id: int, offer_id: int | None = None) -> str:
    """The page to answer about a subject (built the same way when the page's address is not there)."""
    try:
        path = reverse("evaluation:answer", kwargs={"slug": partnership.slug, "subject_id": subject_id})
    except NoReverseMatch:
        path = f"/p/{partnership.slug}/evaluation/services/{subject_id}/answer/"
    return f"{path}?offer={offer_id}" if offer_id is not None else path


def _choose(
    partnership: Partnership, uses: list[ServiceUse], now: dt.datetime, skip_users: set[int]
) -> list[tuple[ServiceUse, Subject]]:
    """For each member (not in ``skip_users``), her oldest use to offer now, with its subject."""
    keys = {u.thing_key for u in uses}
    live = Subject.objects.filter(partnership=partnership, active=True, source_key__in=keys)
    subjects = {s.source_key: s for s in live}
    uses = [u for u in uses if u.thing_key in subjects and u.user_id not in skip_users]
    if not uses:
        return []
    users = {u.user_id for u in uses}
    members = set(
        Membership.objects.filter(partnership=partnership, user_id__in=users, is_member=True).values_list(
            "user_id", flat=True
        )
    )
    recently = set(
        Offer.objects.filter(user_id__in=members, offered_at__gt=now - FORTNIGHT).values_list("user_id", flat=True)
    )
    offered_uses = set(Offer.objects.filter(user_id__in=members).values_list("user_id", "use_key"))
    answered = set(
        Answer.objects.filter(user_id__in=members, period=this_period(timezone.localdate(now))).values_list(
            "user_id", "subject_id"
        )
    )
    chosen: dict[int, tuple[ServiceUse, Subject]] = {}
    for use in sorted(uses, key=lambda u: (u.happened_at, u.key)):
        subject = subjects[use.thing_key]
        if (
            use.user_id not in members
            or use.user_id in recently
            or use.user_id in chosen
            or (use.user_id, use.key) in offered_uses
            or (use.user_id, subject.pk) in answered
        ):
            continue
        chosen[use.user_id] = (use, subject)
    return list(chosen.values())


def _make_in(partnership: Partnership, now: dt.datetime, skip_users: set[int]) -> list[Offer]:
    subjects_sync(partnership_id=partnership.pk)
    uses: list[ServiceUse] = []
    for source in service_use_sources():
        uses.extend(source.recent(partnership.pk, now - USES_WITHIN))
    uses = [u for u in uses if now - USES_WITHIN <= u.happened_at <= now]
    if not uses:
        return []
    from coproduce.notifications.api import notify

    with transaction.atomic(durable=True):
        # One run at a time per partnership: two runs cannot each offer the same person something.
        Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
        chosen = _choose(partnership, uses, now, skip_users)
        offers = Offer.objects.bulk_create(
            [
                Offer(
                    partnership=partnership,
                    user_id=use.user_id,
                    subject=subject,
                    moment=use.moment if use.moment in Offer.Moment.values else Offer.Moment.COMPLETED,
                    use_key=use.key,
                    offered_at=now,
                )
                for use, subject in chosen
            ]
        )
        for offer, (_use, subject) in zip(offers, chosen, strict=True):
            notify(
                partnership_id=partnership.pk,
                user_ids=[offer.user_id],
                kind=OFFER_KIND,
                text=_("Tell us about %(service)s: it takes a minute.") % {"service": subject.name},
                url=answer_url(partnership, subject.pk, offer.pk),
                subject_key=f"{OFFER_KIND}:{offer.pk}",
                now=now,
            )
        if offers:
            audit(None, "offers_made", None, partnership_id=partnership.pk, count=len(offers))
    return offers


def offers_make(*, now: dt.datetime | None = None) -> int:
    """Offer, in every partnership, what is due at ``now``; how many offers were made. Safe to run again: a use
    is offered once, and a person at most once a fortnight (in any partnership)."""
    now = now or timezone.now()
    made = 0
    offered_now: set[int] = set()
    for partnership in Partnership.objects.order_by("pk"):
        offers = _make_in(partnership, now, offered_now)
        offered_now.update(o.user_id for o in offers)
        made += len(offers)
    return made
