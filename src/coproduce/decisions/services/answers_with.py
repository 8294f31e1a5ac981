"""A member's answer to a decision recorded with her by a worker or coordinator ("assisted"), or entered
from her paper form ("paper", once per form number: a unique constraint per decision). The same checks as
her own answer (the decision locked and open, the method's rules, one answer per person). An answer already
there is never replaced from here; her own answer, given later, replaces one recorded with her."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import text_checked
from coproduce.decisions.eligibility import group_of
from coproduce.decisions.models import PAPER_REF_MAX, RANKED_METHODS, REASON_MAX, Decision, OptionValue, Participation
from coproduce.decisions.services._common import audit, decision_url
from coproduce.decisions.services.answers import answer_checked
from coproduce.decisions.services.decisions import open_for_update
from coproduce.notifications.api import notices_done, notify
from coproduce.partnerships.assisted import (
    AssistedItem,
    Channel,
    assistance_check,
    assisted_notice,
    confirm_recorded,
    paper_ref_checked,
)
from coproduce.partnerships.models import Membership


def answer_record_with(
    *,
    actor: Membership,
    decision: Decision,
    member: Membership,
    agreed: bool,
    channel: str = Channel.ASSISTED,
    paper_ref: str = "",
    position: str = "",
    reason: str = "",
    values: Mapping[int, int] | None = None,
) -> Participation:
    """Record ``member``'s answer with her (``channel`` "assisted") or from her paper form ("paper", with the
    form's number). Refused when the actor is not a worker or coordinator here, the member turned assistance
    off, did not agree or does not take part in this decision, the decision has closed, the answer breaks
    the method's rules, she has already answered, or the form number was entered before."""
    if channel not in (Channel.ASSISTED, Channel.PAPER):
        raise ServiceError(_("Choose how the answer was given."), field="channel")
    assistance_check(recorder=actor, member_membership=member, agreed=agreed)
    ref = paper_ref_checked(paper_ref, max_length=PAPER_REF_MAX) if channel == Channel.PAPER else ""
    reason = text_checked(reason, field="reason", max_length=REASON_MAX)
    who = member.user.name
    with transaction.atomic(durable=True):
        locked = open_for_update(actor, decision, "decisions.record_with")
        if group_of(member, locked) != "member":
            raise ServiceError(_("%(who)s does not take part in this decision.") % {"who": who}, field="member")
        position, cleaned = answer_checked(locked, position, reason, dict(values or {}))
        _refuse_if_taken(locked, member, ref, who)
        now = timezone.now()
        try:
            with transaction.atomic():
                participation = Participation.objects.create(
                    decision=locked,
                    user_id=member.user_id,
                    is_member=True,
                    version=locked.version,
                    position=position,
                    reason=reason,
                    created_at=now,
                    updated_at=now,
                    channel=channel,
                    recorded_by_id=actor.user_id,
                    paper_ref=ref,
                )
        except IntegrityError:  # pragma: no cover - the decision's row lock serialises answers
            _refuse_if_taken(locked, member, ref, who)
            raise
        is_rank = locked.method in RANKED_METHODS
        OptionValue.objects.bulk_create(
            [
                OptionValue(participation=participation, option_id=option_id, value=value, is_rank=is_rank)
                for option_id, value in sorted(cleaned.items())
            ]
        )
        detail = {"member": member.user_id, "channel": str(channel), **({"form": ref} if ref else {})}
        audit(actor, "answer_recorded_with", locked, **detail)
        notify(
            **assisted_notice(
                member_membership=member,
                recorder=actor,
                what=(
                    _("your answer to “%(title)s”")
                    if channel == Channel.ASSISTED
                    else _("your paper answer to “%(title)s”")
                )
                % {"title": locked.title},
                subject_key=f"decisions.answer_with:{participation.pk}",
            )
        )
    return participation


def recorded_words(participation: Participation, *, who: str, anonymous: bool) -> str:
    """How an answer already there was given, and (unless the decision is anonymous) what it says."""
    when = formats.date_format(timezone.localtime(participation.updated_at), "j F Y, H:i")
    if participation.channel == Channel.PAPER:
        words = _("%(who)s has already answered, from paper form %(ref)s on %(when)s.")
    elif participation.channel == Channel.ASSISTED:
        words = _("%(who)s has already answered, recorded with her on %(when)s.")
    else:
        words = _("%(who)s has already answered herself on %(when)s. She can change her answer herself.")
    text = words % {"who": who, "ref": participation.paper_ref, "when": when}
    if participation.position and not anonymous:
        text += " " + _("Her answer: %(answer)s.") % {"answer": participation.get_position_display()}
    return text


def _refuse_if_taken(decision: Decision, member: Membership, ref: str, who: str) -> None:
    existing = Participation.objects.filter(decision=decision, user_id=member.user_id).first()
    if existing is not None:
        raise ServiceError(recorded_words(existing, who=who, anonymous=decision.anonymous), code="exists")
    if ref and Participation.objects.filter(decision=decision, paper_ref=ref).exists():
        raise ServiceError(
            _("Paper form %(ref)s has already been entered for this decision.") % {"ref": ref},
            field="paper_ref",
            code="paper_ref_used",
        )


def answers_pending_for(membership: Membership) -> list[AssistedItem]:
    """The member's answers recorded with her or from paper that she has not confirmed, to decisions still
    open (so that she can still change them)."""
    found = (
        Participation.objects.filter(
            user_id=membership.user_id,
            decision__partnership_id=membership.partnership_id,
            decision__status=Decision.Status.OPEN,
            decision__closes_at__gt=timezone.now(),
            channel__in=[Channel.ASSISTED, Channel.PAPER],
            confirmed_at__isnull=True,
        )
        .select_related("decision", "recorded_by")
        .prefetch_related("values__option")
        .order_by("created_at", "id")
    )
    items = []
    for participation in found:
        decision = participation.decision
        if participation.position:
            answer = str(participation.get_position_display())
        else:
            answer = ", ".join(f"{v.option.label}: {v.value}" for v in participation.values.all())
        summary = (
            _("Your answer to “%(title)s”, from paper form %(ref)s: %(answer)s")
            if participation.channel == Channel.PAPER
            else _("Your answer to “%(title)s”: %(answer)s")
        ) % {"title": decision.title, "ref": participation.paper_ref, "answer": answer}
        items.append(
            AssistedItem(
                kind="decisions.answer",
                item_id=participation.pk,
                summary=summary,
                recorded_by_name=participation.recorded_by.name if participation.recorded_by else _("a keyworker"),
                recorded_at=participation.created_at,
                change_url=decision_url(decision) + "#answer",
                channel=participation.channel,
            )
        )
    return items


def answer_confirm(*, member: Membership, item_id: int) -> None:
    """The member says the answer recorded with her is right."""

    def confirmed(participation: Participation) -> None:
        audit(member, "answer_confirmed", participation.decision)
        notices_done(partnership_id=member.partnership_id, subject_key=f"decisions.answer_with:{participation.pk}")

    confirm_recorded(
        Participation.objects.filter(
            pk=item_id,
            user_id=member.user_id,
            decision__partnership_id=member.partnership_id,
            channel__in=[Channel.ASSISTED, Channel.PAPER],
        ).select_related("decision"),
        then=confirmed,
    )
