"""Answering a decision: one answer per person, changed as often as they like while it is open."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import text_checked
from coproduce.decisions.eligibility import group_of
from coproduce.decisions.models import (
    NEEDS_REASON,
    POSITIONS,
    RANKED_METHODS,
    REASON_MAX,
    Decision,
    OptionValue,
    Participation,
)
from coproduce.decisions.services._common import audit, notify
from coproduce.decisions.services.decisions import open_for_update
from coproduce.notifications.api import notices_done
from coproduce.partnerships.assisted import Channel
from coproduce.partnerships.models import Membership


def answer_give(
    *,
    actor: Membership,
    decision: Decision,
    position: str = "",
    reason: str = "",
    values: Mapping[int, int] | None = None,
) -> Participation:
    """Give (or change) the actor's answer. Refused once the decision has closed or its closing time has
    passed. Disagreeing or blocking needs a reason, and tells the proposer, who may amend the proposal."""
    reason = text_checked(reason, field="reason", max_length=REASON_MAX)
    with transaction.atomic(durable=True):
        locked = open_for_update(actor, decision, "decisions.answer")
        group = group_of(actor, locked)
        position, cleaned = answer_checked(locked, position, reason, dict(values or {}))
        now = timezone.now()
        participation, created = Participation.objects.select_for_update().get_or_create(
            decision=locked,
            user=actor.user,
            defaults={
                "is_member": group == "member",
                "is_staff": group == "staff",
                "version": locked.version,
                "position": position,
                "reason": reason,
                "created_at": now,
                "updated_at": now,
            },
        )
        if not created:
            if participation.channel != Channel.SELF:
                # Her own answer replaces one recorded with her or from her paper form (the form's number
                # stays, so the same form cannot be entered again).
                participation.channel, participation.recorded_by_id, participation.confirmed_at = (
                    Channel.SELF,
                    None,
                    None,
                )
                notices_done(
                    partnership_id=locked.partnership_id, subject_key=f"decisions.answer_with:{participation.pk}"
                )
            participation.is_member = group == "member"
            participation.is_staff = group == "staff"
            participation.version = locked.version
            participation.position = position
            participation.reason = reason
            participation.updated_at = now
            participation.save(
                update_fields=[
                    "is_member",
                    "is_staff",
                    "version",
                    "position",
                    "reason",
                    "updated_at",
                    "channel",
                    "recorded_by",
                    "confirmed_at",
                ]
            )
            participation.values.all().delete()
        is_rank = locked.method in RANKED_METHODS
        OptionValue.objects.bulk_create(
            [
                OptionValue(participation=participation, option_id=option_id, value=value, is_rank=is_rank)
                for option_id, value in sorted(cleaned.items())
            ]
        )
        # An anonymous decision's audit says only that someone answered, never how.
        detail = {} if locked.anonymous else {"position": position} if position else {}
        audit(actor, "answered", locked, changed=not created, **detail)
        if position in NEEDS_REASON:
            words = (
                _("Someone blocked your proposal “%(title)s”. Read the reason, and amend the proposal if you can.")
                if position == "block"
                else _("Someone disagreed with your proposal “%(title)s”. Read the reason, and amend it if you can.")
            )
            notify(
                locked,
                user_ids=[locked.proposer_id],
                kind="decisions.objection",
                text=words % {"title": locked.title},
                exclude=actor.user_id,
            )
    return participation


def answer_checked(
    decision: Decision, position: str, reason: str, values: dict[int, int]
) -> tuple[str, dict[int, int]]:
    """The position and values, checked for the decision's method (values of 0 are left out, except in a
    time poll where 0 means "no")."""
    method = decision.method
    if method in POSITIONS:
        if position not in POSITIONS[method]:
            words = (
                _("Choose agree, abstain, disagree or block.")
                if method == "consent"
                else _("Choose yes, no or abstain.")
            )
            raise ServiceError(words, field="position")
        if position in NEEDS_REASON and not reason:
            raise ServiceError(
                _("Say why you block it, so that the proposal can be changed.")
                if position == "block"
                else _("Say why you disagree."),
                field="reason",
            )
        if values:
            raise ServiceError(_("This decision has no options to answer."), field="values")
        return position, {}
    if position:
        raise ServiceError(_("This decision is answered by its options."), field="position")
    standing = set(decision.options.filter(withdrawn_at__isnull=True).values_list("pk", flat=True))
    if any(option not in standing for option in values):
        raise ServiceError(_("One of the options is not part of this decision."), field="values")
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in values.values()):
        raise ServiceError(_("Each answer must be a whole number, 0 or more."), field="values")
    if method == "score":
        top = decision.max_score or 0
        if any(v > top for v in values.values()):
            raise ServiceError(_("Each score must be from 0 to %(n)d.") % {"n": top}, field="values")
        return "", {k: v for k, v in values.items() if v}
    if method == "dot":
        budget = decision.dots or 0
        spent = sum(values.values())
        if spent > budget:
            raise ServiceError(
                ngettext(
                    "You have %(n)d dot to spread and placed %(spent)d: take some away.",
                    "You have %(n)d dots to spread and placed %(spent)d: take some away.",
                    budget,
                )
                % {"n": budget, "spent": spent},
                field="values",
            )
        if not spent:
            raise ServiceError(_("Place at least one dot."), field="values")
        return "", {k: v for k, v in values.items() if v}
    if method == "time_poll":
        if any(v > 2 for v in values.values()):
            raise ServiceError(_("For each time, choose yes, if need be, or no."), field="values")
        return "", {option: values.get(option, 0) for option in standing}
    ranks = sorted(v for v in values.values() if v)
    if not ranks:
        raise ServiceError(_("Number at least one option: 1 for your first choice."), field="values")
    if ranks != list(range(1, len(ranks) + 1)):
        raise ServiceError(
            _("Number your choices 1, 2, 3 and so on, using each number once and missing none out."),
            field="values",
        )
    return "", {k: v for k, v in values.items() if v}
