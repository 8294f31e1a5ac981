"""Decisions on a test: recording, co-signing, taking effect, and the reminder on the review date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.email import make_email
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.improvement.models import (
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Decision,
    Measure,
    StoppedPractice,
    TestOfChange,
)
from coproduce.improvement.services._common import audit, runnable_for_update, settings_for
from coproduce.notifications import api as notices
from coproduce.partnerships.models import Membership


def decision_record(
    *,
    actor: Membership,
    test: TestOfChange,
    kind: str,
    reasons: str,
    review_on: date | None,
) -> Decision:
    """Decide a test: adopt, adapt (opens the next cycle, linked) or abandon (enters the stop-doing
    register). Needs reasons and a review date after today. When the partnership asks for it and the person
    deciding is not a member, the decision waits for a member to co-sign it."""
    if kind not in Decision.Kind.values:
        raise ServiceError(_("Choose adopt, adapt or abandon."), field="kind")
    reasons = text_checked(
        reasons, field="reasons", max_length=TEXT_MAX, required=_("Give the reasons for the decision.")
    )
    if review_on is None:
        raise ServiceError(_("Enter a review date."), field="review_on")
    if review_on <= timezone.localdate():
        raise ServiceError(_("The review date must be after today."), field="review_on")
    with transaction.atomic(durable=True):
        locked = runnable_for_update(actor, test)
        if Decision.objects.filter(test=locked).exists():
            raise ServiceError(_("This test has already been decided."), code="decided")
        needs_member = settings_for(actor.partnership_id).decisions_need_member
        now = timezone.now()
        decision = Decision.objects.create(
            test=locked,
            kind=kind,
            reasons=reasons,
            review_on=review_on,
            decided_by=actor.user,
            decided_at=now,
            needs_member=needs_member,
            cosigned_by=actor.user if needs_member and actor.is_member else None,
            cosigned_at=now if needs_member and actor.is_member else None,
        )
        locked.stage = TestOfChange.Stage.ACT
        locked.updated_at = now
        locked.save(update_fields=["stage", "updated_at"])
        audit(actor, "decision_recorded", locked, kind=kind)
        if not needs_member or actor.is_member:
            _take_effect(actor, decision, locked)
    return decision


def decision_cosign(*, actor: Membership, test: TestOfChange) -> Decision:
    same_partnership(actor, test)
    require_rule("improvement.cosign", actor, test)
    with transaction.atomic(durable=True):
        locked_test = TestOfChange.objects.select_for_update().get(pk=test.pk)
        decision = Decision.objects.select_for_update().filter(test=locked_test).first()
        if decision is None:
            raise ServiceError(_("This test has not been decided yet."), code="undecided")
        if decision.is_effective:
            raise ServiceError(_("This decision has already taken effect."), code="effective")
        decision.cosigned_by = actor.user
        decision.cosigned_at = timezone.now()
        decision.save(update_fields=["cosigned_by", "cosigned_at"])
        audit(actor, "decision_cosigned", locked_test)
        _take_effect(actor, decision, locked_test)
    return decision


def _take_effect(actor: Membership, decision: Decision, test: TestOfChange) -> None:
    now = timezone.now()
    decision.effective_at = now
    decision.save(update_fields=["effective_at"])
    slug = actor.partnership.slug
    if decision.kind == Decision.Kind.ADAPT:
        next_test = TestOfChange.objects.create(
            partnership_id=test.partnership_id,
            title=f"{test.title} ({_('cycle %(n)d') % {'n': test.cycle + 1}})"[:TITLE_MAX],
            aim_what=test.aim_what,
            aim_how_much=test.aim_how_much,
            aim_by_when=max(test.aim_by_when, timezone.localdate()),
            change_kind=test.change_kind,
            change=test.change,
            predictions=test.predictions,
            owner_id=test.owner_id,
            organisation_id=test.organisation_id,
            idea_id=test.idea_id,
            previous=test,
            cycle=test.cycle + 1,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + max(test.ends_on - test.starts_on, timedelta(days=7)),
        )
        next_test.people.set(test.people.all())
        Measure.objects.bulk_create(
            [
                Measure(
                    test=next_test,
                    name=m.name,
                    kind=m.kind,
                    unit=m.unit,
                    better=m.better,
                    source=m.source,
                    baseline_points=m.baseline_points,
                )
                for m in test.measures.all()
            ]
        )
        audit(actor, "test_created", next_test, previous=test.pk)
    elif _stops_a_practice(decision, test):
        entry = StoppedPractice.objects.create(
            partnership_id=test.partnership_id,
            what=(test.change if test.change_kind == TestOfChange.ChangeKind.STOP else test.title)[:TITLE_MAX],
            why=decision.reasons,
            evidence=test.study_notes or _("See the test of change “%(title)s”.") % {"title": test.title},
            decided_by=_decided_by_label(decision),
            decided_on=timezone.localdate(),
            review_on=decision.review_on,
            test=test,
            status=StoppedPractice.Status.STOPPED,
            proposed_by=decision.decided_by,
            proposer_is_member=actor.is_member,
            agreed_by=decision.cosigned_by,
            agreed_at=decision.cosigned_at,
        )
        audit(actor, "practice_stopped", entry, test=test.pk)
    if test.idea_id:
        _respond_on_idea(actor, decision, test, slug)


def _stops_a_practice(decision: Decision, test: TestOfChange) -> bool:
    """Abandoning something we tried stops it; adopting a test of stopping something keeps it stopped.
    (Abandoning a test of stopping something means going back to it: nothing is entered.)"""
    if test.change_kind == TestOfChange.ChangeKind.TRY:
        return decision.kind == Decision.Kind.ABANDON
    return decision.kind == Decision.Kind.ADOPT


def _decided_by_label(decision: Decision) -> str:
    names = [person.display_name for person in (decision.decided_by, decision.cosigned_by) if person is not None]
    unique = list(dict.fromkeys(names))
    return " and ".join(unique)[:SHORT_MAX] or _("the partnership")


def _respond_on_idea(actor: Membership, decision: Decision, test: TestOfChange, slug: str) -> None:
    from coproduce.voice.api import IdeaStatus, idea_open_to_responses, response_record

    idea = idea_open_to_responses(actor=actor, idea_id=test.idea_id or 0)
    if idea is None:
        return
    status, text = {
        Decision.Kind.ADOPT: (IdeaStatus.DONE, _("We tested this idea and are keeping it: %(reasons)s")),
        Decision.Kind.ADAPT: (IdeaStatus.IN_PROGRESS, _("We tested this idea and are changing it: %(reasons)s")),
        Decision.Kind.ABANDON: (IdeaStatus.NOT_TAKEN_FORWARD, _("We tested this idea and stopped it: %(reasons)s")),
    }[Decision.Kind(decision.kind)]
    response_record(
        actor=actor,
        idea=idea,
        status=status,
        text=text % {"reasons": decision.reasons},
        link_url=reverse("improvement:test", kwargs={"slug": slug, "test_id": test.pk}),
        link_label=test.title,
        source="improvement",
    )


# The time of day (local) at which the periodic job ``improvement.review_reminders`` reminds people of the
# review dates that have come (registered in apps.py).
REMINDER_TIME = time(9, 0)


def review_reminders_due(*, now: datetime | None = None) -> list[int]:
    """The decisions that have taken effect, whose review date has come (its ``REMINDER_TIME`` has passed)
    and that have not been reminded."""
    local = timezone.localtime(now or timezone.now(), timezone.get_default_timezone())
    last_day = local.date() if local.time() >= REMINDER_TIME else local.date() - timedelta(days=1)
    return list(
        Decision.objects.filter(effective_at__isnull=False, reminded_at__isnull=True, review_on__lte=last_day)
        .order_by("review_on", "pk")
        .values_list("pk", flat=True)
    )


def review_reminders_send_due(*, now: datetime | None = None) -> int:
    """Send every review reminder that is due (the periodic job, daily at ``REMINDER_TIME``); how many were
    sent. Each is its own transaction (``review_reminder_send``: marked reminded as its email is queued), so
    a run stopped half-way and run again sends the rest, and none twice."""
    decisions = sum(1 for decision_id in review_reminders_due(now=now) if review_reminder_send(decision_id))
    stopped = sum(1 for entry_id in stopped_reminders_due(now=now) if stopped_reminder_send(entry_id))
    return decisions + stopped


def _stopped_due() -> Any:
    """Practices listed as stopped with a review date, not reminded yet; one stopped by a decision on a test
    is reminded with that decision (the same review date), not on its own."""
    return StoppedPractice.objects.filter(
        status=StoppedPractice.Status.STOPPED,
        review_on__isnull=False,
        review_reminded_at__isnull=True,
        test__decision__isnull=True,
    )


def stopped_reminders_due(*, now: datetime | None = None) -> list[int]:
    """The stopped practices whose review date has come (its ``REMINDER_TIME`` has passed), not reminded."""
    local = timezone.localtime(now or timezone.now(), timezone.get_default_timezone())
    last_day = local.date() if local.time() >= REMINDER_TIME else local.date() - timedelta(days=1)
    return list(_stopped_due().filter(review_on__lte=last_day).order_by("review_on", "pk").values_list("pk", flat=True))


def stopped_reminder_send(entry_id: int) -> bool:
    """Tell the people who entered and agreed a stopped practice (those still in the partnership) that its
    review date has come. Sends once; returns whether it sent."""
    with transaction.atomic(durable=True):
        entry = (
            _stopped_due()
            .select_for_update(of=("self",))
            .select_related("partnership")
            .filter(pk=entry_id, review_on__lte=timezone.localdate())
            .first()
        )
        if entry is None:
            return False
        entry.review_reminded_at = timezone.now()
        entry.save(update_fields=["review_reminded_at"])
        people = {entry.proposed_by_id, entry.agreed_by_id} - {None}
        still_here = Membership.objects.filter(partnership_id=entry.partnership_id, user_id__in=people)
        notices.notify(
            partnership_id=entry.partnership_id,
            user_ids=still_here.values_list("user_id", flat=True),
            kind="improvement.review_due",
            text=_("It is time to look again at stopping “%(what)s”: was it right?") % {"what": entry.what},
            url=reverse("improvement:stopped", kwargs={"slug": entry.partnership.slug, "entry_id": entry.pk}),
            subject_key=f"improvement.stopped:{entry.pk}:review",
        )
    return True


def review_reminder_send(decision_id: int) -> bool:
    """Remind a decided test's owner and the staff and members involved that its review date has come.
    Sends once (the reminder is marked sent and its email queued in one transaction, see core.outbox);
    returns whether it sent."""
    from django.conf import settings

    from coproduce.core.outbox import queue_email

    with transaction.atomic(durable=True):
        decision = (
            Decision.objects.select_for_update()
            .select_related("test", "test__partnership")
            .filter(pk=decision_id, effective_at__isnull=False, reminded_at__isnull=True)
            .first()
        )
        if decision is None or decision.review_on > timezone.localdate():
            return False
        test = decision.test
        emails = {person.user.email for person in test.people.select_related("user")}
        if test.owner is not None:
            emails.add(test.owner.email)
        decision.reminded_at = timezone.now()
        decision.save(update_fields=["reminded_at"])
        context = {
            "test": test,
            "decision": decision,
            "url": settings.COPRODUCE_SITE_URL.rstrip("/")
            + reverse("improvement:test", kwargs={"slug": test.partnership.slug, "test_id": test.pk}),
        }
        people = {person.user_id for person in test.people.all()}
        if test.owner_id is not None:
            people.add(test.owner_id)
        notices.notify(
            partnership_id=test.partnership_id,
            user_ids=people,
            kind="improvement.review_due",
            text=_("It is time to review the test “%(title)s”: did the change work?") % {"title": test.title},
            url=reverse("improvement:test", kwargs={"slug": test.partnership.slug, "test_id": test.pk}),
            subject_key=f"improvement.decision:{decision.pk}:review",
        )
        queue_email(
            kind="improvement.review_reminder",
            to=sorted(emails),
            **make_email("improvement/email/review", context, brand=test.partnership.name).parts(),
        )
    return True
