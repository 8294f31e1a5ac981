"""Raising a decision, amending it, closing it (by hand or when its time comes), counting it in the
background, reminding people before it closes, and raising one from a ballot file."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.decisions.eligibility import eligible_counts, eligible_memberships, group_of
from coproduce.decisions.models import (
    BODY_MAX,
    REASON_MAX,
    TITLE_MAX,
    Decision,
    DecisionOption,
    DecisionVersion,
    OptionValue,
)
from coproduce.decisions.services._common import (
    OptionInput,
    audit,
    notify,
    option_label,
    options_checked,
)
from coproduce.governance.api import decision_rule_for
from coproduce.methods.decide import Answer, count
from coproduce.partnerships.models import Membership

logger = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(hours=24)
MIN_OPEN = timedelta(minutes=5)
MAX_OPEN = timedelta(days=366)


def decision_raise(
    *,
    actor: Membership,
    kind: str,
    method: str,
    title: str,
    background: str,
    options: Sequence[OptionInput],
    closes_at: datetime,
    participants: str,
    anonymous: bool,
    threshold_percent: int | None = None,
    quorum_members_percent: int = 0,
    quorum_staff_percent: int = 0,
    double_majority: bool = False,
    seats: int | None = None,
    max_score: int | None = None,
    dots: int | None = None,
) -> Decision:
    """Put a proposal to the partnership. Where the partnership has a rule for ``kind`` (governance), its
    method, participants, threshold, quorum and double majority apply: a threshold or quorum left unset is
    filled from it, a weaker one is refused. Version 1 is written with it."""
    with transaction.atomic(durable=True):
        return raise_in_transaction(
            actor=actor,
            kind=kind,
            method=method,
            title=title,
            background=background,
            options=options,
            closes_at=closes_at,
            participants=participants,
            anonymous=anonymous,
            threshold_percent=threshold_percent,
            quorum_members_percent=quorum_members_percent,
            quorum_staff_percent=quorum_staff_percent,
            double_majority=double_majority,
            seats=seats,
            max_score=max_score,
            dots=dots,
        )


def raise_in_transaction(
    *,
    actor: Membership,
    kind: str,
    method: str,
    title: str,
    background: str,
    options: Sequence[OptionInput],
    closes_at: datetime,
    participants: str,
    anonymous: bool,
    threshold_percent: int | None = None,
    quorum_members_percent: int = 0,
    quorum_staff_percent: int = 0,
    double_majority: bool = False,
    seats: int | None = None,
    max_score: int | None = None,
    dots: int | None = None,
) -> Decision:
    """``decision_raise`` inside the caller's transaction (a ballot file's import adds its ballots to it)."""
    require_rule("decisions.raise", actor)
    if kind not in Decision.Kind.values:
        raise ServiceError(_("Choose what kind of decision this is."), field="kind")
    # Elections and polls follow no partnership rule; every other kind follows the one set for it, if any.
    rule = None if kind == Decision.Kind.POLL else decision_rule_for(actor=actor, kind=kind)
    group_id: int | None = None
    if rule is not None:
        if method != rule.method:
            raise ServiceError(
                _("The partnership decides this kind of decision this way: %(rule)s") % {"rule": rule.in_words},
                field="method",
            )
        if participants != rule.participants:
            raise ServiceError(
                _("The partnership decides who takes part in this kind of decision: %(rule)s")
                % {"rule": rule.in_words},
                field="participants",
            )
        group_id = rule.group_id
        if rule.threshold_percent is not None:
            if threshold_percent is not None and threshold_percent < rule.threshold_percent:
                raise ServiceError(
                    _("The threshold cannot be lower than the partnership's rule: %(n)d%%.")
                    % {"n": rule.threshold_percent},
                    field="threshold_percent",
                )
            threshold_percent = threshold_percent or rule.threshold_percent
        for name, value in (
            ("quorum_members_percent", quorum_members_percent),
            ("quorum_staff_percent", quorum_staff_percent),
        ):
            if value and value < rule.quorum_percent:
                raise ServiceError(
                    _("The quorum cannot be lower than the partnership's rule: %(n)d%%.") % {"n": rule.quorum_percent},
                    field=name,
                )
        quorum_members_percent = max(quorum_members_percent, rule.quorum_percent)
        quorum_staff_percent = max(quorum_staff_percent, rule.quorum_percent)
        double_majority = double_majority or rule.double_majority
        probe = Decision(partnership_id=actor.partnership_id, participants=participants, governance_group_id=group_id)
        if group_of(actor, probe) is None:
            raise ServiceError(
                _("Only the people who take part in this kind of decision can raise one: %(rule)s")
                % {"rule": rule.in_words},
                code="not_eligible",
            )
    elif participants == Decision.Participants.GROUP:
        raise ServiceError(_("A group decides only where the partnership's rules say so."), field="participants")
    _check_settings(
        method=method,
        participants=participants,
        threshold_percent=threshold_percent,
        quorum=(quorum_members_percent, quorum_staff_percent),
        double_majority=double_majority,
        seats=seats,
        max_score=max_score,
        dots=dots,
    )
    title = text_checked(title, field="title", max_length=TITLE_MAX, required=_("Give the proposal a title."))
    background = text_checked(background, field="background", max_length=BODY_MAX)
    cleaned = options_checked(method, options, seats=seats)
    now = timezone.now()
    _check_closing(closes_at, now)
    decision = Decision.objects.create(
        partnership_id=actor.partnership_id,
        kind=kind,
        method=method,
        title=title,
        background=background,
        background_html=render_markdown(background),
        participants=participants,
        governance_group_id=group_id,
        anonymous=bool(anonymous),
        closes_at=closes_at,
        threshold_percent=threshold_percent if method == "yes_no" else None,
        quorum_members_percent=quorum_members_percent,
        quorum_staff_percent=quorum_staff_percent,
        double_majority=double_majority,
        seats=seats if method == "stv" else None,
        max_score=max_score if method == "score" else None,
        dots=dots if method == "dot" else None,
        proposer=actor.user,
        proposer_name=actor.user.display_name,
        created_at=now,
    )
    _create_options(decision, cleaned, start=0)
    DecisionVersion.objects.create(
        decision=decision,
        number=1,
        title=title,
        background=background,
        background_html=decision.background_html,
        options=[option_label(o) for o in cleaned],
        created_by=actor.user,
        created_at=now,
    )
    audit(actor, "raised", decision, method=method)
    people = eligible_memberships(decision, actor=actor).values_list("user_id", flat=True)
    notify(
        decision,
        user_ids=people,
        kind="decisions.raised",
        text=_("A new proposal to decide: %(title)s") % {"title": title},
        exclude=actor.user_id,
    )
    return decision


def _check_settings(
    *,
    method: str,
    participants: str,
    threshold_percent: int | None,
    quorum: tuple[int, int],
    double_majority: bool,
    seats: int | None,
    max_score: int | None,
    dots: int | None,
) -> None:
    if method not in Decision.Method.values:
        raise ServiceError(_("Choose how the partnership decides."), field="method")
    if participants not in Decision.Participants.values:
        raise ServiceError(_("Choose who takes part."), field="participants")
    if method == "yes_no" and (threshold_percent is None or not 50 <= threshold_percent <= 100):
        raise ServiceError(_("Give a threshold between 50% and 100%."), field="threshold_percent")
    if any(not 0 <= q <= 100 for q in quorum):
        raise ServiceError(_("A quorum is between 0% and 100%."), field="quorum_members_percent")
    if double_majority and method != "yes_no":
        raise ServiceError(_("A double majority is for yes/no decisions."), field="double_majority")
    if double_majority and participants not in ("everyone", "group"):
        raise ServiceError(
            _("A double majority counts members and staff separately: both must take part."), field="double_majority"
        )
    if method == "stv" and (seats is None or not 1 <= seats <= 50):
        raise ServiceError(_("Give the number of seats to fill (1 or more)."), field="seats")
    if method == "score" and (max_score is None or not 1 <= max_score <= 100):
        raise ServiceError(_("Give the highest score (1 to 100)."), field="max_score")
    if method == "dot" and (dots is None or not 1 <= dots <= 100):
        raise ServiceError(_("Give how many dots each person spreads (1 to 100)."), field="dots")


def _check_closing(closes_at: datetime | None, now: datetime) -> None:
    if closes_at is None:
        raise ServiceError(_("Give a closing time."), field="closes_at")
    if closes_at < now + MIN_OPEN:
        raise ServiceError(_("The closing time must be at least 5 minutes from now."), field="closes_at")
    if closes_at > now + MAX_OPEN:
        raise ServiceError(_("The closing time must be within a year."), field="closes_at")


def _create_options(decision: Decision, options: Iterable[OptionInput], *, start: int) -> None:
    DecisionOption.objects.bulk_create(
        [
            DecisionOption(
                decision=decision,
                label=option_label(option),
                position=start + i,
                starts_at=option[0] if isinstance(option, tuple) else None,
                ends_at=option[1] if isinstance(option, tuple) else None,
            )
            for i, option in enumerate(options)
        ]
    )


def open_for_update(actor: Membership, decision: Decision, rule: str) -> Decision:
    """The decision, locked, after checking the rule; refused once it has closed."""
    same_partnership(actor, decision)
    require_rule(rule, actor, decision)
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if not locked.is_open or locked.closes_at <= timezone.now():
        raise ServiceError(_("This decision has closed."), code="closed")
    return locked


def decision_amend(
    *,
    actor: Membership,
    decision: Decision,
    title: str,
    background: str,
    options: Sequence[OptionInput],
    change_note: str,
) -> DecisionVersion:
    """A new version of the proposal, by its proposer or a coordinator while it is open. Options no longer
    listed are withdrawn (kept, with any answers given to them); answers given so far stay, marked as given
    to the earlier version; everyone who has answered is told."""
    title = text_checked(title, field="title", max_length=TITLE_MAX, required=_("Give the proposal a title."))
    background = text_checked(background, field="background", max_length=BODY_MAX)
    change_note = text_checked(
        change_note, field="change_note", max_length=REASON_MAX, required=_("Say what changed and why.")
    )
    with transaction.atomic(durable=True):
        try:
            locked = open_for_update(actor, decision, "decisions.amend")
        except ServiceError as error:
            if error.code == "closed":
                raise ServiceError(_("This decision has closed: it can no longer be amended."), code="closed") from None
            raise
        cleaned = options_checked(locked.method, options, seats=locked.seats)
        now = timezone.now()
        current = {o.label: o for o in locked.options.filter(withdrawn_at__isnull=True)}
        labels = [option_label(o) for o in cleaned]
        withdrawn = [o.pk for label, o in current.items() if label not in labels]
        DecisionOption.objects.filter(pk__in=withdrawn).update(withdrawn_at=now)
        last = max(locked.options.values_list("position", flat=True), default=-1)
        _create_options(locked, [o for o in cleaned if option_label(o) not in current], start=last + 1)
        for position, label in enumerate(labels):
            if label in current:
                DecisionOption.objects.filter(pk=current[label].pk).update(position=position)
        locked.version += 1
        locked.title = title
        locked.background = background
        locked.background_html = render_markdown(background)
        locked.save(update_fields=["version", "title", "background", "background_html"])
        version = DecisionVersion.objects.create(
            decision=locked,
            number=locked.version,
            title=title,
            background=background,
            background_html=locked.background_html,
            options=labels,
            change_note=change_note,
            created_by=actor.user,
            created_at=now,
        )
        audit(actor, "amended", locked, version=locked.version)
        notify(
            locked,
            user_ids=locked.participations.values_list("user_id", flat=True),
            kind="decisions.amended",
            text=_("A proposal you answered has changed (version %(n)d): %(title)s. Look again at your answer.")
            % {"n": locked.version, "title": title},
            exclude=actor.user_id,
        )
    decision.refresh_from_db()
    return version


def decision_close(*, actor: Membership, decision: Decision) -> Decision:
    """Close a decision by hand (its proposer or a coordinator); the count follows in the background.
    Closing twice is refused."""
    same_partnership(actor, decision)
    require_rule("decisions.close", actor, decision)
    with transaction.atomic(durable=True):
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        _close(locked, actor)
    decision.refresh_from_db()
    return decision


def _close(locked: Decision, actor: Membership | None) -> None:
    if not locked.is_open:
        raise ServiceError(_("This decision has already closed."), code="closed")
    if locked.method == "stv":
        standing = locked.options.filter(withdrawn_at__isnull=True).count()
        if locked.seats is not None and standing < locked.seats:
            raise ServiceError(
                _("There are fewer candidates (%(n)d) than seats (%(seats)d): it cannot be counted.")
                % {"n": standing, "seats": locked.seats},
                code="too_few_candidates",
            )
    locked.status = Decision.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = actor.user if actor is not None else None
    locked.result_status = Decision.ResultStatus.PENDING
    locked.save(update_fields=["status", "closed_at", "closed_by", "result_status"])
    audit(actor, "closed", locked, by_time=actor is None)
    notify(
        locked,
        user_ids=[*locked.participations.values_list("user_id", flat=True), locked.proposer_id],
        kind="decisions.closed",
        text=_("A decision has closed and is being counted: %(title)s") % {"title": locked.title},
        exclude=actor.user_id if actor is not None else None,
    )
    decision_id = locked.pk
    from coproduce.decisions.tasks import count_decision

    transaction.on_commit(lambda: count_decision.enqueue(decision_id))


def close_due(*, now: datetime | None = None) -> int:
    """Close every open decision whose time has come (the periodic job ``decisions.close_due``); how many
    were closed. One transaction each, so one that cannot close does not hold back the others."""
    now = now or timezone.now()
    closed = 0
    for decision_id in Decision.objects.filter(status="open", closes_at__lte=now).values_list("pk", flat=True):
        try:
            with transaction.atomic(durable=True):
                locked = Decision.objects.select_for_update().get(pk=decision_id)
                if locked.is_open:
                    _close(locked, None)
                    closed += 1
        except ServiceError as error:
            logger.warning("decision %s could not close: %s", decision_id, error.message)
    return closed


def decision_count(decision_id: int) -> Decision:
    """Count a closed decision and store the result on it (called by the task ``decisions.tasks.count_decision``).
    Safe to run again: a decision already counted is left as it is."""
    with transaction.atomic(durable=True):
        locked = Decision.objects.select_for_update().get(pk=decision_id)
        if locked.is_open or locked.result_status == Decision.ResultStatus.READY:
            return locked
        options = list(locked.options.filter(withdrawn_at__isnull=True).values_list("pk", "label"))
        values: dict[int, dict[int, int]] = defaultdict(dict)
        for participation_id, option_id, value in OptionValue.objects.filter(
            participation__decision_id=decision_id
        ).values_list("participation_id", "option_id", "value"):
            values[participation_id][option_id] = value
        answers = [
            Answer("member" if is_member else "staff" if is_staff else "other", position, values.get(pk, {}))
            for pk, is_member, is_staff, position in locked.participations.values_list(
                "pk", "is_member", "is_staff", "position"
            )
        ]
        members, staff = eligible_counts(locked)
        try:
            result = count(
                locked.method,
                answers,
                options=[pk for pk, _label in options],
                labels=dict(options),
                threshold_percent=locked.threshold_percent,
                max_score=locked.max_score,
                dots=locked.dots,
                seats=locked.seats,
                eligible_members=members,
                eligible_staff=staff,
                quorum_members_percent=locked.quorum_members_percent,
                quorum_staff_percent=locked.quorum_staff_percent,
                double_majority=locked.double_majority,
                seed=locked.pk,
            )
        except ValueError as error:
            locked.result = {"error": str(error)}
            locked.result_status = Decision.ResultStatus.FAILED
            locked.save(update_fields=["result", "result_status"])
            audit(None, "count_failed", locked)
            return locked
        locked.result = result.to_json()
        locked.result_status = Decision.ResultStatus.READY
        locked.counted_at = timezone.now()
        locked.save(update_fields=["result", "result_status", "counted_at"])
        audit(None, "counted", locked, passed=result.passed)
    return locked


def decision_count_failed(decision_id: int) -> None:
    """The count failed for good (the task's last attempt): the results page says so."""
    Decision.objects.filter(pk=decision_id, result_status=Decision.ResultStatus.PENDING).update(
        result_status=Decision.ResultStatus.FAILED
    )


def closing_reminders_send_due(*, now: datetime | None = None) -> int:
    """Remind everyone who may answer and has not, once, when an open decision closes within 24 hours (the
    periodic job ``decisions.closing_reminders``). How many people were reminded."""
    now = now or timezone.now()
    told = 0
    due = Decision.objects.filter(
        status="open", reminded_at__isnull=True, closes_at__gt=now, closes_at__lte=now + REMIND_BEFORE
    ).values_list("pk", flat=True)
    for decision_id in due:
        with transaction.atomic(durable=True):
            locked = Decision.objects.select_for_update().get(pk=decision_id)
            if locked.reminded_at is not None or not locked.is_open:
                continue
            answered = locked.participations.exclude(user__isnull=True).values_list("user_id", flat=True)
            waiting = eligible_memberships(locked).exclude(user_id__in=answered).values_list("user_id", flat=True)
            told += notify(
                locked,
                user_ids=waiting,
                kind="decisions.closing",
                text=_("A decision closes within a day and you have not answered yet: %(title)s")
                % {"title": locked.title},
                exclude=None,
            )
            locked.reminded_at = now
            locked.save(update_fields=["reminded_at"])
    return told
