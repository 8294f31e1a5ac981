"""The partnership health check: a coordinator opens one (twice a year is the aim), everyone taking part is
told, and members and staff each give their view once, rating the seven standards.

Which side a reply counts on is decided when it is given and kept: **staff** if the person holds any staff
role (keyworker, coordinator or partner lead) in the partnership, even if she is a member too; **member**
otherwise. Someone who is both works for an organisation of the partnership, so her view is counted with the
staff's: the members' side stays the voice of the people the services are for."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import text_checked
from coproduce.core.permissions import require_rule
from coproduce.evaluation.instrument import STANDARD_KEYS
from coproduce.evaluation.models import TITLE_MAX, HealthCheck, HealthRating, HealthReply
from coproduce.partnerships.models import Membership, Partnership

# The longest a check stays open: long enough for a round of meetings, short enough to be one moment.
LONGEST_OPEN = timedelta(days=92)

# Who takes part, as a query on memberships: members and staff; someone who is only an observer reads.
TAKES_PART = Q(is_member=True) | Q(is_worker=True) | Q(is_coordinator=True) | Q(is_partner_lead=True)


class HealthAlreadyAnswered(ServiceError):  # noqa: N818  (named as ev-core's AlreadyAnswered)
    """She has already given her view in this check: each person answers once."""


def side_of(membership: Membership) -> str:
    """The side a person's reply counts on: staff if she holds any staff role, else member (see above)."""
    return HealthReply.Side.STAFF if membership.is_staff_role else HealthReply.Side.MEMBER


def is_open(check: HealthCheck, today: date) -> bool:
    return check.opens_on <= today <= check.closes_on


def _audit(actor: Membership, action: str, target: Any) -> None:
    audit_record(actor=actor.user, action=f"evaluation.{action}", partnership_id=actor.partnership_id, target=target)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def health_check_open(
    *, actor: Membership, title: str, opens_on: date | None, closes_on: date | None, today: date | None = None
) -> HealthCheck:
    """Open a health check from ``opens_on`` to ``closes_on`` (coordinators). Refused when its dates overlap
    another check's, when it would be over before today, or when it would stay open longer than three months.
    Everyone taking part (members and staff, not observers) is told, in the background once it is saved."""
    require_rule("evaluation.manage", actor)
    today = today or timezone.localdate()
    title = text_checked(title, field="title", max_length=TITLE_MAX, required=_("Give the health check a name."))
    if opens_on is None:
        raise ServiceError(_("Enter the day the health check opens."), field="opens_on")
    if closes_on is None:
        raise ServiceError(_("Enter the day the health check closes."), field="closes_on")
    if closes_on < opens_on:
        raise ServiceError(_("The health check must close on or after the day it opens."), field="closes_on")
    if closes_on < today:
        raise ServiceError(_("The closing day has passed. Choose a day from today on."), field="closes_on")
    if closes_on - opens_on > LONGEST_OPEN:
        raise ServiceError(_("A health check can be open for three months at most."), field="closes_on")
    with transaction.atomic(durable=True):
        # One opening at a time per partnership, so two coordinators cannot open overlapping checks at once.
        Partnership.objects.select_for_update().filter(pk=actor.partnership_id).first()
        overlapping = (
            HealthCheck.objects.filter(
                partnership_id=actor.partnership_id, opens_on__lte=closes_on, closes_on__gte=opens_on
            )
            .order_by("opens_on")
            .first()
        )
        if overlapping is not None:
            raise ServiceError(
                _("“%(title)s” is open from %(opens)s to %(closes)s. Choose days after it closes.")
                % {
                    "title": overlapping.title,
                    "opens": _day(overlapping.opens_on),
                    "closes": _day(overlapping.closes_on),
                },
                field="opens_on",
                code="overlap",
            )
        check = HealthCheck.objects.create(
            partnership_id=actor.partnership_id,
            title=title,
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=actor.user,
        )
        _audit(actor, "health_check_opened", check)
        check_id = check.pk
        from coproduce.evaluation.tasks import tell_about_health_check

        transaction.on_commit(lambda: tell_about_health_check.enqueue(check_id))
    return check


def health_check_announce(*, check_id: int) -> int:
    """Tell everyone taking part in the check's partnership (members and staff; observers only read) that it
    is open, with a link to give their view; how many were told. Run in the background after opening. Safe to
    run twice: an unread notice about the same check is not repeated."""
    from coproduce.notifications.api import notify

    check = HealthCheck.objects.select_related("partnership").filter(pk=check_id).first()
    if check is None:
        return 0
    people = Membership.objects.filter(TAKES_PART, partnership_id=check.partnership_id)
    if check.opens_on > timezone.localdate():
        text = _("The partnership health check “%(title)s” opens on %(opens)s: give your view by %(closes)s.")
    else:
        text = _("The partnership health check “%(title)s” is open: give your view by %(closes)s.")
    url = reverse("evaluation:health-answer", kwargs={"slug": check.partnership.slug, "check_id": check.pk})
    with transaction.atomic():
        return notify(
            partnership_id=check.partnership_id,
            user_ids=people.values_list("user_id", flat=True),
            kind="evaluation.health_check",
            text=text % {"title": check.title, "opens": _day(check.opens_on), "closes": _day(check.closes_on)},
            url=url,
            subject_key=f"evaluation.health_check:{check.pk}",
        )


def health_answer(
    *, actor: Membership, check_id: int, scores: dict[str, int | None], today: date | None = None
) -> HealthReply:
    """Give one's view in a health check: a score from 1 to 5 for each of the seven standards, or ``None`` for
    "I'd rather not say". Members and staff, while the check is open, once each (``HealthAlreadyAnswered``
    the second time: two tabs or a double submit save one reply). The side is decided by ``side_of``."""
    require_rule("evaluation.answer_health", actor)
    today = today or timezone.localdate()
    check = HealthCheck.objects.filter(pk=check_id, partnership_id=actor.partnership_id).first()
    if check is None:
        raise NotPermitted()
    if today < check.opens_on:
        raise ServiceError(_("This health check opens on %(day)s.") % {"day": _day(check.opens_on)}, code="not_open")
    if today > check.closes_on:
        raise ServiceError(_("This health check closed on %(day)s.") % {"day": _day(check.closes_on)}, code="closed")
    unknown = set(scores) - set(STANDARD_KEYS)
    if unknown:
        raise ServiceError(_("There is no standard called %(key)s.") % {"key": sorted(unknown)[0]})
    for key in STANDARD_KEYS:
        if key not in scores:
            raise ServiceError(_("Choose an answer, or “I’d rather not say”."), field=key, code="required")
        score = scores[key]
        if score is not None and (isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5):
            raise ServiceError(_("Choose an answer, or “I’d rather not say”."), field=key)
    _refuse_second(actor, check)
    try:
        with transaction.atomic(durable=True):
            reply = HealthReply.objects.create(health_check=check, user=actor.user, side=side_of(actor))
            HealthRating.objects.bulk_create(
                HealthRating(reply=reply, standard=key, score=scores[key]) for key in STANDARD_KEYS
            )
            _audit(actor, "health_answered", check)
    except IntegrityError:
        # The same person in two tabs at once: the constraint kept one reply; say so as for a second answer.
        _refuse_second(actor, check)
        raise
    return reply


def _refuse_second(actor: Membership, check: HealthCheck) -> None:
    given = HealthReply.objects.filter(health_check=check, user=actor.user).values_list("created_at", flat=True).first()
    if given is not None:
        raise HealthAlreadyAnswered(
            _("You gave your view in this health check on %(day)s. Each person answers once: nothing more was saved.")
            % {"day": _day(timezone.localdate(given))},
            code="already_answered",
        )
