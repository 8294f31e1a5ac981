"""Writes of employability outcomes: recording one (the member, or her keyworker with her), her priority family
groups, reading them (recorded when it is not her), asking for a correction and answering it.

Every write: keyword-only, the acting membership first, checked here (``NotPermitted`` for someone out of reach),
one durable transaction with its audit event. The audit events never say what was recorded nor about whom
beyond the row's id: the audit log is a coordinator's page, and coordinators see counts only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import text_checked
from coproduce.core.reversing import cached_reverse
from coproduce.notifications import api as notifications_api
from coproduce.partnerships.models import Membership
from coproduce.reports.living_wage import RATES, living_wage_on
from coproduce.reports.models.outcomes import (
    FOLLOW_UP_WEEKS,
    JOB_KINDS,
    MAX_HOURS,
    PRIORITY_GROUPS,
    SHORT_MAX,
    TEXT_MAX,
    CorrectionRequest,
    Outcome,
    OutcomeRead,
    PriorityGroups,
)
from coproduce.support import api as support_api

__all__ = [
    "ANSWERED",
    "RECORDED",
    "correction_ask",
    "correction_correct",
    "correction_decline",
    "outcome_record",
    "outcomes_read_record",
    "priority_groups_set",
]

# Notices to the member (registered in apps.py).
RECORDED = "reports.outcome_recorded"
ANSWERED = "reports.correction_answered"
ASKED = "reports.correction_asked"

OUTCOME_FIELDS = ("kind", "on", "hours_per_week", "contract", "hourly_pay_pence", "job_id", "description")


def _label(membership: Membership) -> str:
    user = membership.user
    return (user.display_name or user.email or "")[:SHORT_MAX]


def _audit(actor: Membership, action: str, target: Any, **detail: Any) -> None:
    audit_record(
        actor=actor.user,
        action=f"reports.{action}",
        partnership_id=actor.partnership_id,
        target=target,
        target_label=_("an employability outcome") if isinstance(target, Outcome | CorrectionRequest) else "",
        detail=detail or None,
    )


def _mine_url(member: Membership) -> str:
    return cached_reverse("reports:outcomes", kwargs={"slug": member.partnership.slug})


def _may_record_for(actor: Membership, member: Membership) -> bool:
    if actor.partnership_id != member.partnership_id or not member.is_member:
        return False
    if actor.pk == member.pk:
        return True
    return support_api.keyworker_of(actor=actor, member=member)


def _checked(
    member: Membership,
    *,
    kind: str,
    on: dt.date | None,
    hours_per_week: Decimal | int | float | None,
    contract: str,
    hourly_pay_pence: int | None,
    job: Outcome | None,
    description: str,
    today: dt.date,
    outcome: Outcome | None = None,
) -> dict[str, Any]:
    """The outcome's fields, checked, with the Living Wage in force on its date; ``ServiceError`` naming the field
    otherwise."""
    if kind not in Outcome.Kind.values:
        raise ServiceError(_("Choose what happened."), field="kind")
    if on is None:
        raise ServiceError(_("Enter the date it happened, for example 27 3 2026."), field="on")
    if on > today:
        raise ServiceError(_("The date cannot be in the future: record it once it has happened."), field="on")
    values: dict[str, Any] = {
        "kind": kind,
        "on": on,
        "hours_per_week": None,
        "contract": "",
        "hourly_pay_pence": None,
        "living_wage_pence": None,
        "pays_living_wage": None,
        "job": None,
        "description": text_checked(description, field="description", max_length=SHORT_MAX),
    }
    if kind in JOB_KINDS:
        if hours_per_week is None:
            raise ServiceError(_("Enter the hours a week."), field="hours_per_week")
        hours = Decimal(str(hours_per_week))
        if not Decimal(0) <= hours <= MAX_HOURS:
            raise ServiceError(
                _("Hours a week must be from 0 to %(max)d.") % {"max": MAX_HOURS}, field="hours_per_week"
            )
        if contract not in Outcome.Contract.values:
            raise ServiceError(_("Choose the kind of contract."), field="contract")
        if hourly_pay_pence is None:
            raise ServiceError(_("Enter the pay an hour, in pounds, for example 13.45."), field="hourly_pay")
        if isinstance(hourly_pay_pence, bool) or hourly_pay_pence < 0:
            raise ServiceError(_("Pay an hour cannot be less than nothing."), field="hourly_pay")
        living_wage = living_wage_on(on)
        if living_wage is None:
            first = date_format(RATES[0][0], "j F Y")
            raise ServiceError(
                _("Jobs can be recorded from %(date)s, when the Living Wage table starts.") % {"date": first},
                field="on",
            )
        values.update(
            hours_per_week=hours.quantize(Decimal("0.1")),
            contract=contract,
            hourly_pay_pence=hourly_pay_pence,
            living_wage_pence=living_wage,
            pays_living_wage=hourly_pay_pence >= living_wage,
        )
    if kind in FOLLOW_UP_WEEKS:
        if job is None or job.member_id != member.pk or job.kind != Outcome.Kind.JOB_STARTED:
            raise ServiceError(_("Choose the job this follows up."), field="job")
        weeks = FOLLOW_UP_WEEKS[Outcome.Kind(kind)]
        if on <= job.on:
            raise ServiceError(_("A follow-up must come after the job started."), field="on")
        if on < job.on + dt.timedelta(weeks=weeks):
            earliest = date_format(job.on + dt.timedelta(weeks=weeks), "j F Y")
            raise ServiceError(
                _("This follow-up can be recorded from %(date)s, %(weeks)d weeks after the job started.")
                % {"date": earliest, "weeks": weeks},
                field="on",
            )
        taken = Outcome.objects.filter(job_id=job.pk, kind=kind)
        if outcome is not None:
            taken = taken.exclude(pk=outcome.pk)
        if taken.exists():
            raise ServiceError(_("This follow-up of that job is already recorded."), field="kind")
        values["job"] = job
    return values


def outcome_record(
    *,
    actor: Membership,
    member: Membership,
    kind: str,
    on: dt.date | None,
    hours_per_week: Decimal | int | float | None = None,
    contract: str = "",
    hourly_pay_pence: int | None = None,
    job: Outcome | None = None,
    description: str = "",
    agreed_with_member: bool = False,
    today: dt.date | None = None,
) -> Outcome:
    """Record an outcome about ``member``: by herself, or by her keyworker with her (``agreed_with_member``
    required). She is told when someone else records it."""
    if not _may_record_for(actor, member):
        raise NotPermitted()
    by_staff = actor.pk != member.pk
    if by_staff and not agreed_with_member:
        raise ServiceError(
            _("Record an outcome only with the member: tick that she agreed to what you are recording."),
            field="agreed_with_member",
        )
    values = _checked(
        member,
        kind=kind,
        on=on,
        hours_per_week=hours_per_week,
        contract=contract,
        hourly_pay_pence=hourly_pay_pence,
        job=job,
        description=description,
        today=today or timezone.localdate(),
    )
    try:
        with transaction.atomic(durable=True):
            outcome = Outcome.objects.create(
                partnership_id=member.partnership_id,
                member=member,
                recorded_by=actor,
                recorded_by_label=_label(actor),
                organisation_id=actor.organisation_id if by_staff else None,
                agreed_with_member=by_staff,
                **values,
            )
            _audit(actor, "outcome_recorded", outcome, with_member=by_staff)
            if by_staff:
                notifications_api.notify(
                    partnership_id=member.partnership_id,
                    user_ids=[member.user_id],
                    kind=RECORDED,
                    text=_("%(who)s recorded an outcome with you: %(what)s.")
                    % {"who": _label(actor), "what": outcome.get_kind_display()},
                    url=_mine_url(member),
                    subject_key=f"reports.outcome:{outcome.pk}",
                )
    except IntegrityError as error:  # the same follow-up sent twice at once
        raise ServiceError(_("This follow-up of that job is already recorded."), field="kind") from error
    return outcome


def priority_groups_set(
    *, actor: Membership, member: Membership, answers: dict[str, str], agreed_with_member: bool = False
) -> PriorityGroups:
    """Save her answers about the priority family groups (each "yes", "no", "prefer_not" or "not_asked"): by
    herself, or by her keyworker with her."""
    if not _may_record_for(actor, member):
        raise NotPermitted()
    by_staff = actor.pk != member.pk
    if by_staff and not agreed_with_member:
        raise ServiceError(
            _("Record these only with the member: tick that she agreed to what you are recording."),
            field="agreed_with_member",
        )
    keys = [key for key, _label in PRIORITY_GROUPS]
    unknown = set(answers) - set(keys)
    if unknown:
        raise ServiceError(_("Answer only the questions on the form."), code="unknown_field")
    for key, value in answers.items():
        if value not in PriorityGroups.Answer.values:
            raise ServiceError(_("Choose one of the answers, or “Prefer not to say”."), field=key)
    with transaction.atomic(durable=True):
        groups, _created = PriorityGroups.objects.select_for_update().get_or_create(
            member=member, defaults={"partnership_id": member.partnership_id}
        )
        for key, value in answers.items():
            setattr(groups, key, value)
        groups.updated_at = timezone.now()
        groups.updated_by = actor
        groups.updated_by_label = _label(actor)
        groups.save()
        _audit(actor, "priority_groups_set", None, with_member=by_staff)
    return groups


def outcomes_read_record(*, reader: Membership, member: Membership) -> OutcomeRead | None:
    """Record that ``reader`` (anyone but her) read her outcomes: she sees it on her page."""
    if reader.pk == member.pk:
        return None
    with transaction.atomic(durable=True):
        read = OutcomeRead.objects.create(
            member=member,
            reader=reader,
            reader_label=_label(reader),
            organisation_label=reader.organisation.name if reader.organisation_id and reader.organisation else "",
        )
        _audit(reader, "outcomes_read", None)
    return read


def correction_ask(*, actor: Membership, outcome: Outcome, text: str) -> CorrectionRequest:
    """She asks for an outcome about her to be corrected (one open request an outcome). Her keyworker, when the
    outcome's recorder is her keyworker still, is told."""
    if outcome.member_id != actor.pk:
        raise NotPermitted()
    text = text_checked(
        text, field="text", max_length=TEXT_MAX, required=_("Say what is wrong and what it should say.")
    )
    if CorrectionRequest.objects.filter(outcome=outcome, status=CorrectionRequest.Status.OPEN).exists():
        raise ServiceError(_("You have already asked for this to be corrected: you will be told the answer."))
    try:
        with transaction.atomic(durable=True):
            correction = CorrectionRequest.objects.create(outcome=outcome, text=text)
            _audit(actor, "correction_asked", correction)
            recorder = outcome.recorded_by
            if (
                recorder is not None
                and recorder.pk != actor.pk
                and support_api.keyworker_of(actor=recorder, member=actor)
            ):
                notifications_api.notify(
                    partnership_id=actor.partnership_id,
                    user_ids=[recorder.user_id],
                    kind=ASKED,
                    text=_("%(who)s asked for an outcome to be corrected.") % {"who": _label(actor)},
                    url=cached_reverse(
                        "reports:outcome-correction",
                        kwargs={"slug": actor.partnership.slug, "correction_id": correction.pk},
                    ),
                    subject_key=f"reports.correction_asked:{correction.pk}",
                )
    except IntegrityError as error:
        raise ServiceError(
            _("You have already asked for this to be corrected: you will be told the answer.")
        ) from error
    return correction


def _answered(actor: Membership, correction: CorrectionRequest, status: str, reply: str, change: dict) -> None:
    correction.status = status
    correction.reply = reply
    correction.change = change
    correction.handled_by = actor
    correction.handled_by_label = _label(actor)
    correction.handled_at = timezone.now()
    correction.save()
    member = correction.outcome.member
    notifications_api.notify(
        partnership_id=member.partnership_id,
        user_ids=[member.user_id],
        kind=ANSWERED,
        text=_("%(who)s answered your request to correct an outcome.") % {"who": _label(actor)},
        url=_mine_url(member),
        subject_key=f"reports.correction:{correction.pk}",
    )
    notifications_api.notices_done(
        partnership_id=member.partnership_id, subject_key=f"reports.correction_asked:{correction.pk}"
    )


def _lock_open(actor: Membership, correction: CorrectionRequest) -> CorrectionRequest:
    if not support_api.keyworker_of(actor=actor, member=correction.outcome.member):
        raise NotPermitted()
    locked = (
        CorrectionRequest.objects.select_for_update()
        .select_related("outcome__member__partnership")
        .get(pk=correction.pk)
    )
    if locked.status != CorrectionRequest.Status.OPEN:
        raise ServiceError(_("This request has been answered already."))
    return locked


def _snapshot(outcome: Outcome) -> dict[str, Any]:
    raw = {name: getattr(outcome, name) for name in OUTCOME_FIELDS}
    return {k: (str(v) if isinstance(v, dt.date | Decimal) else v) for k, v in raw.items()}


def correction_correct(
    *,
    actor: Membership,
    correction: CorrectionRequest,
    kind: str,
    on: dt.date | None,
    hours_per_week: Decimal | int | float | None = None,
    contract: str = "",
    hourly_pay_pence: int | None = None,
    job: Outcome | None = None,
    description: str = "",
    reply: str = "",
    today: dt.date | None = None,
) -> Outcome:
    """Her keyworker corrects the outcome as she asked: the outcome changes, the request keeps what it was and
    what it became, and she is told."""
    if not support_api.keyworker_of(actor=actor, member=correction.outcome.member):
        raise NotPermitted()
    reply = text_checked(reply, field="reply", max_length=TEXT_MAX)
    outcome = correction.outcome
    values = _checked(
        outcome.member,
        kind=kind,
        on=on,
        hours_per_week=hours_per_week,
        contract=contract,
        hourly_pay_pence=hourly_pay_pence,
        job=job,
        description=description,
        today=today or timezone.localdate(),
        outcome=outcome,
    )
    if kind not in FOLLOW_UP_WEEKS and outcome.follow_ups.exists() and kind != Outcome.Kind.JOB_STARTED:
        raise ServiceError(_("This job has follow-ups recorded: it stays a job started."), field="kind")
    with transaction.atomic(durable=True):
        locked = _lock_open(actor, correction)
        outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
        before = _snapshot(outcome)
        for name, value in values.items():
            setattr(outcome, name, value)
        outcome.updated_at = timezone.now()
        outcome.save()
        _answered(
            actor, locked, CorrectionRequest.Status.CORRECTED, reply, {"before": before, "after": _snapshot(outcome)}
        )
        _audit(actor, "outcome_corrected", outcome)
    correction.refresh_from_db()
    return outcome


def correction_decline(*, actor: Membership, correction: CorrectionRequest, reply: str) -> CorrectionRequest:
    """Her keyworker leaves the outcome as it is, saying why in a reply she reads."""
    if not support_api.keyworker_of(actor=actor, member=correction.outcome.member):
        raise NotPermitted()
    reply = text_checked(
        reply, field="reply", max_length=TEXT_MAX, required=_("Say why it stays as it is: she will read this.")
    )
    with transaction.atomic(durable=True):
        locked = _lock_open(actor, correction)
        _answered(actor, locked, CorrectionRequest.Status.DECLINED, reply, {})
        _audit(actor, "correction_declined", locked)
    correction.refresh_from_db()
    return correction
