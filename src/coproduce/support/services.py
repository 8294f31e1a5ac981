"""Every write in support: keyword-only, the acting membership first, access checked through the one
selector, one transaction with the rows locked, an audit event, nothing half-saved.

Optimistic concurrency: "About me", goals and actions carry a version number. An edit names the version the
person started from; if someone saved in between, the edit is refused with ``ServiceError(code="stale")``
and the page shows the newer version next to what the person typed, so nothing is lost."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, TypeVar, cast

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core.audit import audit_forget, audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.links import link_target
from coproduce.core.permissions import require_rule
from coproduce.partnerships.models import Membership, Organisation, Partnership
from coproduce.support import selectors
from coproduce.support.defaults import ensure_defaults
from coproduce.support.models import (
    FINAL_STATUSES,
    PART_VALUES,
    SHORT_MAX,
    TEXT_MAX,
    Action,
    Basis,
    CheckIn,
    ErasureRequest,
    Goal,
    LawfulBasis,
    OutcomeArea,
    Part,
    PlanChange,
    PlanRead,
    Purpose,
    Rating,
    Referral,
    ReferralUpdate,
    Service,
    ServiceLocation,
    Share,
    SupportNotification,
    SupportPlan,
    TeamMember,
)

STALE = gettext_lazy(
    "Someone else saved a change while you were editing. Their version is shown below; your words are kept "
    "in the form, so you can copy them across and save again."
)

# The referral state machine: from each status, the statuses it may move to. Final ones move nowhere.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "sent": ("accepted", "declined", "closed"),
    "accepted": ("started", "closed"),
    "started": ("completed", "closed"),
    "declined": (),
    "completed": (),
    "closed": (),
}
RECEIVER_MOVES = {"accepted", "declined", "started", "completed"}


def _name(user: Any) -> str:
    return (getattr(user, "display_name", "") or getattr(user, "email", "") or "")[:SHORT_MAX]


def _text(value: str | None, *, field: str, max_length: int, required: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(required, field=field, code="required")
    if len(value) > max_length:
        raise ServiceError(_("Use %(max)d characters or fewer.") % {"max": max_length}, field=field, code="too_long")
    return value


def _editable(actor: Membership, plan: SupportPlan, part: str) -> selectors.PlanAccess:
    access = selectors.plan_access(actor, plan)
    if part not in access.parts:
        raise NotPermitted()
    if not access.may_edit:
        raise NotPermitted()
    return access


def _lock_plan(plan: SupportPlan) -> SupportPlan:
    locked = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.erased_at is not None:
        raise NotPermitted()
    return locked


def _change(
    *,
    plan: SupportPlan,
    actor: Membership,
    part: str,
    summary: str,
    obj: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    with_member: bool = False,
) -> None:
    PlanChange.objects.create(
        plan=plan,
        part=part,
        object_id=getattr(obj, "pk", None),
        summary=summary[:SHORT_MAX],
        before=before or {},
        after=after or {},
        changed_by=actor.user,
        changed_by_label=_name(actor.user),
        with_member=with_member and plan.member_id != actor.pk,
    )
    SupportPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())


def _notify(*, partnership_id: int, user_ids: Iterable[int], text: str, url: str = "") -> None:
    SupportNotification.objects.bulk_create(
        [
            SupportNotification(partnership_id=partnership_id, user_id=uid, text=text[:300], url=url)
            for uid in sorted(set(user_ids))
        ]
    )


def _plan_url(plan: SupportPlan) -> str:
    return reverse("support:plan", kwargs={"slug": plan.partnership.slug, "plan_id": plan.pk})


def _basis(partnership_id: int, purpose: str) -> str:
    found = (
        LawfulBasis.objects.filter(partnership_id=partnership_id, purpose=purpose)
        .values_list("basis", flat=True)
        .first()
    )
    return found or Basis.CONSENT


# --- Plans --------------------------------------------------------------------------------------


def plan_start(*, actor: Membership, member: Membership | None = None) -> SupportPlan:
    """The member starts their own plan (active at once), or a worker starts one with a member (proposed
    until the member accepts it; the worker is proposed as keyworker)."""
    require_rule("support.take_part", actor)
    own = member is None or member.pk == actor.pk
    target = actor if own or member is None else member
    if target.partnership_id != actor.partnership_id:
        raise NotPermitted()
    if not target.is_member:
        raise ServiceError(_("Only a member can have a support plan."), field="member", code="not_member")
    if not own and not actor.is_worker:
        raise NotPermitted()
    ensure_defaults(actor.partnership)
    now = timezone.now()
    try:
        with transaction.atomic(durable=True):
            plan = SupportPlan.objects.create(
                partnership_id=actor.partnership_id,
                member=target,
                status=SupportPlan.Status.ACTIVE if own else SupportPlan.Status.PROPOSED,
                created_by=actor.user,
                accepted_at=now if own else None,
            )
            if not own:
                TeamMember.objects.create(
                    plan=plan, membership=actor, role=TeamMember.Role.KEYWORKER, proposed_by=actor.user
                )
                _notify(
                    partnership_id=plan.partnership_id,
                    user_ids=[target.user_id],
                    text=_("%(name)s has started a support plan with you. Have a look and accept it if you want it.")
                    % {"name": _name(actor.user)},
                    url=_plan_url(plan),
                )
            _change(plan=plan, actor=actor, part=Part.ABOUT, summary=_("Plan started"), obj=plan)
            audit_record(
                actor=actor.user,
                action="support.plan_started",
                partnership_id=plan.partnership_id,
                target=plan,
            )
    except IntegrityError as error:
        raise ServiceError(_("This member already has a support plan."), field="member", code="exists") from error
    return plan


def plan_accept(*, actor: Membership, plan: SupportPlan) -> SupportPlan:
    """The member accepts a plan a worker started with them; the worker becomes their keyworker."""
    with transaction.atomic(durable=True):
        locked = _lock_plan(plan)
        if locked.member_id != actor.pk:
            raise NotPermitted()
        if locked.status == SupportPlan.Status.ACTIVE:
            return locked
        now = timezone.now()
        locked.status, locked.accepted_at = SupportPlan.Status.ACTIVE, now
        locked.save(update_fields=["status", "accepted_at"])
        TeamMember.objects.filter(
            plan=locked, role=TeamMember.Role.KEYWORKER, agreed_at__isnull=True, ended_at__isnull=True
        ).update(agreed_at=now)
        _change(plan=locked, actor=actor, part=Part.TEAM, summary=_("Plan accepted; keyworker agreed"), obj=locked)
        audit_record(
            actor=actor.user,
            action="support.plan_accepted",
            partnership_id=locked.partnership_id,
            target=locked,
        )
    return locked


ABOUT_FIELDS = ("what_matters", "strengths", "wants", "barriers")


def about_update(
    *,
    actor: Membership,
    plan: SupportPlan,
    version: int,
    with_member: bool = False,
    **fields: str,
) -> SupportPlan:
    _editable(actor, plan, Part.ABOUT)
    cleaned = {name: _text(fields.get(name, ""), field=name, max_length=TEXT_MAX) for name in ABOUT_FIELDS}
    with transaction.atomic(durable=True):
        locked = _lock_plan(plan)
        if locked.version != version:
            raise ServiceError(str(STALE), code="stale")
        before = {name: getattr(locked, name) for name in ABOUT_FIELDS}
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.save(update_fields=[*ABOUT_FIELDS, "version"])
        changed = {k: v for k, v in cleaned.items() if before[k] != v}
        _change(
            plan=locked,
            actor=actor,
            part=Part.ABOUT,
            summary=_("About me changed"),
            obj=locked,
            before={k: before[k] for k in changed},
            after=changed,
            with_member=with_member,
        )
    return locked


def _goal_fields(text: str, why: str, target_date: datetime.date | None, *, plan: SupportPlan) -> dict[str, Any]:
    text = _text(text, field="text", max_length=SHORT_MAX, required=_("Write the goal in your own words."))
    why = _text(why, field="why", max_length=TEXT_MAX)
    if target_date is not None and target_date < plan.created_at.date():
        raise ServiceError(_("The date must be after the plan was started."), field="target_date", code="date_order")
    return {"text": text, "why": why, "target_date": target_date}


def goal_create(
    *,
    actor: Membership,
    plan: SupportPlan,
    text: str,
    why: str = "",
    target_date: datetime.date | None = None,
    with_member: bool = False,
) -> Goal:
    _editable(actor, plan, Part.GOALS)
    data = _goal_fields(text, why, target_date, plan=plan)
    with transaction.atomic(durable=True):
        locked = _lock_plan(plan)
        goal = Goal.objects.create(plan=locked, recorded_by=actor.user, with_member=with_member, **data)
        _change(
            plan=locked,
            actor=actor,
            part=Part.GOALS,
            summary=_("Goal added: %(text)s") % {"text": goal.text},
            obj=goal,
            after=_jsonable(data),
            with_member=with_member,
        )
    return goal


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v.isoformat() if isinstance(v, datetime.date | datetime.datetime) else v)
        for k, v in data.items()
        if not hasattr(v, "pk")
    }


_Versioned = TypeVar("_Versioned", Goal, Action)


def _versioned_update(
    *,
    actor: Membership,
    obj: _Versioned,
    version: int,
    data: dict[str, Any],
    finished: bool,
    finished_field: str,
    part: str,
    summary: Any,
    after: dict[str, Any],
    with_member: bool,
) -> _Versioned:
    """Change a goal or an action of a plan: refused as stale if someone saved it since ``version`` was read
    (nothing is overwritten), stamped when first marked achieved or done, and kept in the plan's history."""
    with transaction.atomic(durable=True):
        locked_plan = _lock_plan(obj.plan)
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if locked.version != version:
            raise ServiceError(str(STALE), code="stale")
        before = _jsonable({k: getattr(locked, k) for k in data})
        for key, value in data.items():
            setattr(locked, key, value)
        if not finished:
            setattr(locked, finished_field, None)
        elif getattr(locked, finished_field) is None:
            setattr(locked, finished_field, timezone.now())
        locked.version += 1
        locked.save()
        _change(
            plan=locked_plan,
            actor=actor,
            part=part,
            summary=summary % {"text": locked.text},
            obj=locked,
            before=before,
            after=after,
            with_member=with_member,
        )
    return locked


def goal_update(
    *,
    actor: Membership,
    goal: Goal,
    version: int,
    text: str,
    why: str = "",
    target_date: datetime.date | None = None,
    achieved: bool = False,
    with_member: bool = False,
) -> Goal:
    _editable(actor, goal.plan, Part.GOALS)
    data = _goal_fields(text, why, target_date, plan=goal.plan)
    return _versioned_update(
        actor=actor,
        obj=goal,
        version=version,
        data=data,
        finished=achieved,
        finished_field="achieved_at",
        part=Part.GOALS,
        summary=_("Goal changed: %(text)s"),
        after=_jsonable(data),
        with_member=with_member,
    )


def _action_fields(
    *,
    plan: SupportPlan,
    text: str,
    owner: str,
    owner_organisation: Organisation | None,
    due: datetime.date | None,
    goal: Goal | None,
) -> dict[str, Any]:
    text = _text(text, field="text", max_length=SHORT_MAX, required=_("Say what will be done."))
    if owner not in Action.Owner.values:
        raise ServiceError(_("Choose who will do it."), field="owner")
    if owner == Action.Owner.ORGANISATION:
        if owner_organisation is None:
            raise ServiceError(_("Choose the partner organisation that will do it."), field="owner_organisation")
        if owner_organisation.partnership_id != plan.partnership_id:
            raise ServiceError(_("Choose an organisation in this partnership."), field="owner_organisation")
    else:
        owner_organisation = None
    if goal is not None and goal.plan_id != plan.pk:
        raise ServiceError(_("Choose one of the goals in this plan."), field="goal")
    if due is not None and due < plan.created_at.date():
        raise ServiceError(_("The date must be after the plan was started."), field="due", code="date_order")
    if due is not None and goal is not None and goal.target_date is not None and due > goal.target_date:
        raise ServiceError(
            _("This is due after the goal's own date (%(date)s). Choose an earlier date or change the goal's date.")
            % {"date": goal.target_date.strftime("%d %B %Y")},
            field="due",
            code="date_order",
        )
    return {"text": text, "owner": owner, "owner_organisation": owner_organisation, "due": due, "goal": goal}


def action_create(
    *,
    actor: Membership,
    plan: SupportPlan,
    text: str,
    owner: str = "member",
    owner_organisation: Organisation | None = None,
    due: datetime.date | None = None,
    goal: Goal | None = None,
    with_member: bool = False,
) -> Action:
    _editable(actor, plan, Part.ACTIONS)
    data = _action_fields(plan=plan, text=text, owner=owner, owner_organisation=owner_organisation, due=due, goal=goal)
    with transaction.atomic(durable=True):
        locked = _lock_plan(plan)
        action = Action.objects.create(plan=locked, recorded_by=actor.user, with_member=with_member, **data)
        _change(
            plan=locked,
            actor=actor,
            part=Part.ACTIONS,
            summary=_("Action added: %(text)s") % {"text": action.text},
            obj=action,
            after=_jsonable(data),
            with_member=with_member,
        )
    return action


def action_update(
    *,
    actor: Membership,
    action: Action,
    version: int,
    text: str,
    owner: str = "member",
    owner_organisation: Organisation | None = None,
    due: datetime.date | None = None,
    goal: Goal | None = None,
    done: bool = False,
    with_member: bool = False,
) -> Action:
    _editable(actor, action.plan, Part.ACTIONS)
    data = _action_fields(
        plan=action.plan, text=text, owner=owner, owner_organisation=owner_organisation, due=due, goal=goal
    )
    return _versioned_update(
        actor=actor,
        obj=action,
        version=version,
        data=data,
        finished=done,
        finished_field="done_at",
        part=Part.ACTIONS,
        summary=_("Action changed: %(text)s"),
        after={**_jsonable(data), "done": done},
        with_member=with_member,
    )


# --- Team ---------------------------------------------------------------------------------------


def team_propose(*, actor: Membership, plan: SupportPlan, person: Membership, role: str) -> TeamMember:
    """Add a keyworker or partner contact to the team: at once if the member adds them, otherwise proposed
    until the member agrees."""
    access = _editable(actor, plan, Part.TEAM)
    if person.partnership_id != plan.partnership_id or not person.is_staff_role:
        raise ServiceError(_("Choose a member of staff in this partnership."), field="person")
    if role not in TeamMember.Role.values:
        raise ServiceError(_("Choose keyworker or partner contact."), field="role")
    with transaction.atomic(durable=True):
        locked = _lock_plan(plan)
        if TeamMember.objects.filter(plan=locked, membership=person, ended_at__isnull=True).exists():
            raise ServiceError(
                _("%(name)s is already in the team.") % {"name": _name(person.user)}, field="person", code="exists"
            )
        now = timezone.now()
        member = TeamMember.objects.create(
            plan=locked,
            membership=person,
            role=role,
            proposed_by=actor.user,
            agreed_at=now if access.is_owner else None,
        )
        _change(
            plan=locked,
            actor=actor,
            part=Part.TEAM,
            summary=(_("%(name)s added to the team") if access.is_owner else _("%(name)s proposed for the team"))
            % {"name": _name(person.user)},
            obj=member,
        )
        if not access.is_owner and locked.member is not None:
            _notify(
                partnership_id=locked.partnership_id,
                user_ids=[locked.member.user_id],
                text=_("%(name)s has been proposed for your team. Agree or say no on your plan.")
                % {"name": _name(person.user)},
                url=_plan_url(locked),
            )
        audit_record(
            actor=actor.user,
            action="support.team_proposed",
            partnership_id=locked.partnership_id,
            target=member,
        )
    return member


def team_agree(*, actor: Membership, team_member: TeamMember) -> TeamMember:
    if team_member.plan.member_id != actor.pk:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        locked_plan = _lock_plan(team_member.plan)
        locked = TeamMember.objects.select_for_update().get(pk=team_member.pk)
        if locked.ended_at is not None:
            raise ServiceError(_("This person is no longer in the team."), code="ended")
        if locked.agreed_at is None:
            locked.agreed_at = timezone.now()
            locked.save(update_fields=["agreed_at"])
            _change(plan=locked_plan, actor=actor, part=Part.TEAM, summary=_("Team member agreed"), obj=locked)
            audit_record(
                actor=actor.user,
                action="support.team_agreed",
                partnership_id=locked_plan.partnership_id,
                target=locked,
            )
    return locked


def team_end(*, actor: Membership, team_member: TeamMember) -> TeamMember:
    """The member takes someone out of their team (or says no to a proposal); staff may leave a team."""
    if team_member.plan.member_id != actor.pk and team_member.membership_id != actor.pk:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        locked_plan = _lock_plan(team_member.plan)
        locked = TeamMember.objects.select_for_update().get(pk=team_member.pk)
        if locked.ended_at is None:
            locked.ended_at = timezone.now()
            locked.save(update_fields=["ended_at"])
            _change(plan=locked_plan, actor=actor, part=Part.TEAM, summary=_("Left the team"), obj=locked)
            audit_record(
                actor=actor.user,
                action="support.team_ended",
                partnership_id=locked_plan.partnership_id,
                target=locked,
            )
    return locked


# --- Consent and sharing ------------------------------------------------------------------------


def sharing_set(
    *,
    actor: Membership,
    plan: SupportPlan,
    organisation: Organisation,
    parts: Iterable[str],
    with_member: bool = False,
) -> list[Share]:
    """Make the live shares with ``organisation`` exactly ``parts``: give the new ones, withdraw the rest.
    The member decides; a keyworker may record the member's choice only with the member there."""
    access = selectors.plan_access(actor, plan)
    if not (access.is_owner or (access.is_keyworker and with_member)):
        if access.is_keyworker:
            raise ServiceError(
                _("Only the member decides who sees their plan. Record this only when they are with you and agree."),
                field="with_member",
                code="not_agreed",
            )
        raise NotPermitted()
    if organisation.partnership_id != plan.partnership_id:
        raise ServiceError(_("Choose an organisation in this partnership."), field="organisation")
    wanted = set(parts)
    if not wanted <= set(PART_VALUES):
        raise ServiceError(_("Choose parts of the plan from the list."), field="parts")
    now = timezone.now()
    with transaction.atomic(durable=True):
        locked = _lock_plan(plan)
        live = {
            s.part: s
            for s in Share.objects.select_for_update().filter(
                plan=locked, organisation=organisation, withdrawn_at__isnull=True
            )
        }
        for part in sorted(set(live) - wanted):
            share = live[part]
            share.withdrawn_at, share.withdrawn_by = now, actor.user
            share.save(update_fields=["withdrawn_at", "withdrawn_by"])
            audit_record(
                actor=actor.user,
                action="support.consent_withdrawn",
                partnership_id=locked.partnership_id,
                target=share,
                detail={"part": part, "organisation": organisation.pk},
            )
        basis = _basis(locked.partnership_id, Purpose.SHARING)
        member_user = locked.member.user if locked.member else None
        for part in sorted(wanted - set(live)):
            share = Share.objects.create(
                plan=locked,
                organisation=organisation,
                part=part,
                lawful_basis=basis,
                given_by=member_user,
                recorded_by=actor.user,
                given_at=now,
            )
            audit_record(
                actor=actor.user,
                action="support.consent_given",
                partnership_id=locked.partnership_id,
                target=share,
                detail={"part": part, "organisation": organisation.pk},
            )
        if not wanted:
            _withdraw_referrals(locked, organisation, actor, now)
        if wanted != set(live):
            _change(
                plan=locked,
                actor=actor,
                part=Part.ABOUT,
                summary=_("Sharing with %(org)s: %(parts)s")
                % {
                    "org": organisation.name,
                    "parts": ", ".join(str(Part(p).label) for p in sorted(wanted)) or _("nothing"),
                },
                with_member=with_member,
            )
    return list(Share.objects.filter(plan=plan, organisation=organisation, withdrawn_at__isnull=True))


def _withdraw_referrals(
    plan: SupportPlan, organisation: Organisation, actor: Membership, now: datetime.datetime
) -> None:
    """Withdrawing everything from an organisation withdraws the member's agreement to its referrals too."""
    for referral in Referral.objects.select_for_update().filter(
        plan=plan, organisation=organisation, withdrawn_at__isnull=True
    ):
        referral.withdrawn_at = now
        if referral.status not in FINAL_STATUSES:
            referral.status = Referral.Status.CLOSED
            ReferralUpdate.objects.create(
                referral=referral,
                status="closed",
                message=_("The member withdrew their agreement."),
                by=actor.user,
                by_label=_name(actor.user),
            )
        referral.updated_at = now
        referral.save(update_fields=["withdrawn_at", "status", "updated_at"])
        audit_record(
            actor=actor.user, action="support.referral_withdrawn", partnership_id=plan.partnership_id, target=referral
        )


def plan_read_record(*, reader: Membership, plan: SupportPlan, parts: Iterable[str], page: str) -> PlanRead | None:
    """Record a read by anyone other than the plan's member (for "who has looked at my plan")."""
    if plan.member_id == reader.pk:
        return None
    parts = sorted(parts)
    with transaction.atomic(durable=True):  # one commit for the read and its audit event
        return _plan_read(reader, plan, parts, page)


def _plan_read(reader: Membership, plan: SupportPlan, parts: list[str], page: str) -> PlanRead:
    read = PlanRead.objects.create(
        plan=plan,
        reader=reader.user,
        reader_label=_name(reader.user),
        organisation_label=reader.organisation.name if reader.organisation_id and reader.organisation else "",
        parts=parts,
        page=page,
    )
    audit_record(
        actor=reader.user,
        action="support.plan_read",
        partnership_id=plan.partnership_id,
        target=plan,
        detail={"parts": parts, "page": page},
    )
    return read


# --- Check-ins ----------------------------------------------------------------------------------


def _rating(value: Any, *, field: str, required: bool) -> int | None:
    if value in (None, ""):
        if required:
            raise ServiceError(_("Choose the point you agree on, from 1 to 10."), field=field, code="required")
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not text.lstrip("-").isdecimal():
        raise ServiceError(_("Give a whole number from 1 to 10."), field=field, code="rating")
    number = int(text)
    if not 1 <= number <= 10:
        raise ServiceError(_("Give a number from 1 to 10."), field=field, code="rating")
    return number


def checkin_create(
    *,
    actor: Membership,
    plan: SupportPlan,
    date: datetime.date,
    notes: str = "",
    ratings: dict[int, tuple[Any, Any, Any]],
    with_member: bool = False,
) -> CheckIn:
    """``ratings``: outcome area id → (member's rating, worker's rating, agreed point). A check-in the member
    records is agreed at once; one a worker records waits for the member to agree."""
    access = _editable(actor, plan, Part.CHECKINS)
    notes = _text(notes, field="notes", max_length=TEXT_MAX)
    if date > timezone.localdate():
        raise ServiceError(_("The date of a check-in cannot be in the future."), field="date", code="date_order")
    if date < plan.created_at.date():
        raise ServiceError(_("The date must be after the plan was started."), field="date", code="date_order")
    areas = {a.pk: a for a in OutcomeArea.objects.filter(partnership_id=plan.partnership_id, active=True)}
    cleaned = []
    for area_id, (mine, worker, agreed) in ratings.items():
        if area_id not in areas:
            raise ServiceError(_("Choose areas of this partnership's outcome wheel."), code="area")
        cleaned.append(
            (
                area_id,
                _rating(mine, field=f"member_{area_id}", required=False),
                _rating(worker, field=f"worker_{area_id}", required=False),
                _rating(agreed, field=f"agreed_{area_id}", required=True) or 0,
            )
        )
    if not cleaned:
        raise ServiceError(_("Rate at least one area."), code="required")
    with transaction.atomic(durable=True):
        locked = _lock_plan(plan)
        checkin = CheckIn.objects.create(
            plan=locked,
            date=date,
            notes=notes,
            recorded_by=actor.user,
            with_member=with_member,
            agreed_at=timezone.now() if access.is_owner else None,
        )
        Rating.objects.bulk_create(
            [Rating(checkin=checkin, area_id=a, member_rating=m, worker_rating=w, agreed=g) for a, m, w, g in cleaned]
        )
        _change(
            plan=locked,
            actor=actor,
            part=Part.CHECKINS,
            summary=_("Check-in of %(date)s recorded") % {"date": date.isoformat()},
            obj=checkin,
            with_member=with_member,
        )
        if not access.is_owner and locked.member is not None:
            _notify(
                partnership_id=locked.partnership_id,
                user_ids=[locked.member.user_id],
                text=_("%(name)s recorded a check-in. Look it over and agree it.") % {"name": _name(actor.user)},
                url=reverse("support:checkin", kwargs={"slug": locked.partnership.slug, "checkin_id": checkin.pk}),
            )
    return checkin


def checkin_agree(*, actor: Membership, checkin: CheckIn, agreed: dict[int, Any] | None = None) -> CheckIn:
    """The member agrees a check-in, changing any agreed point first if they see it differently."""
    if checkin.plan.member_id != actor.pk:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        locked_plan = _lock_plan(checkin.plan)
        locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        ratings = {r.area_id: r for r in Rating.objects.select_for_update().filter(checkin=locked)}
        for area_id, value in (agreed or {}).items():
            if area_id in ratings:
                number = _rating(value, field=f"agreed_{area_id}", required=True)
                if number is not None and number != ratings[area_id].agreed:
                    ratings[area_id].agreed = number
                    ratings[area_id].save(update_fields=["agreed"])
        if locked.agreed_at is None:
            locked.agreed_at = timezone.now()
            locked.save(update_fields=["agreed_at"])
            _change(
                plan=locked_plan,
                actor=actor,
                part=Part.CHECKINS,
                summary=_("Check-in of %(date)s agreed") % {"date": locked.date.isoformat()},
                obj=locked,
            )
    return locked


# --- Referrals ----------------------------------------------------------------------------------


def referral_create(
    *,
    actor: Membership,
    plan: SupportPlan,
    service: Service,
    parts: Iterable[str],
    note: str = "",
    member_agrees: bool = False,
) -> Referral:
    """A referral from the plan to a service. The member must agree, and agree what is shared with it; the
    shared parts become consent records for the receiving organisation, tied to this referral."""
    access = selectors.plan_access(actor, plan)
    if not access.may_edit:
        raise NotPermitted()
    if service.partnership_id != plan.partnership_id or not service.active:
        raise ServiceError(
            _("Choose a service from this partnership's directory."), field="service", code="other_partnership"
        )
    if not member_agrees:
        raise ServiceError(
            _("A referral can only be sent when the member agrees to it. Tick the box to say they agree."),
            field="member_agrees",
            code="not_agreed",
        )
    parts = set(parts)
    if not parts <= set(PART_VALUES):
        raise ServiceError(_("Choose parts of the plan from the list."), field="parts")
    note = _text(note, field="note", max_length=TEXT_MAX)
    now = timezone.now()
    with transaction.atomic(durable=True):
        locked = _lock_plan(plan)
        if locked.status != SupportPlan.Status.ACTIVE:
            raise ServiceError(
                _("The member needs to accept the plan before a referral can be made."), code="not_active"
            )
        referral = Referral.objects.create(
            partnership_id=locked.partnership_id,
            plan=locked,
            service=service,
            organisation_id=service.organisation_id,
            note=note,
            shared_parts=sorted(parts),
            member_agreed_at=now,
            referred_by=actor.user,
        )
        ReferralUpdate.objects.create(
            referral=referral, status="sent", message=note, by=actor.user, by_label=_name(actor.user)
        )
        basis = _basis(locked.partnership_id, Purpose.REFERRAL)
        live = set(
            Share.objects.filter(
                plan=locked, organisation_id=service.organisation_id, withdrawn_at__isnull=True
            ).values_list("part", flat=True)
        )
        member_user = locked.member.user if locked.member else None
        for part in sorted(parts - live):
            share = Share.objects.create(
                plan=locked,
                organisation_id=service.organisation_id,
                part=part,
                purpose=Purpose.REFERRAL,
                lawful_basis=basis,
                referral=referral,
                given_by=member_user,
                recorded_by=actor.user,
                given_at=now,
            )
            audit_record(
                actor=actor.user,
                action="support.consent_given",
                partnership_id=locked.partnership_id,
                target=share,
                detail={"part": part, "organisation": service.organisation_id, "referral": referral.pk},
            )
        _change(
            plan=locked,
            actor=actor,
            part=Part.ACTIONS,
            summary=_("Referral sent to %(service)s") % {"service": service.name},
            obj=referral,
        )
        staff = Membership.objects.filter(
            partnership_id=locked.partnership_id, organisation_id=service.organisation_id
        ).exclude(pk=actor.pk)
        _notify(
            partnership_id=locked.partnership_id,
            user_ids=staff.values_list("user_id", flat=True),
            text=_("New referral to %(service)s.") % {"service": service.name},
            url=reverse("support:referral", kwargs={"slug": locked.partnership.slug, "referral_id": referral.pk}),
        )
        audit_record(
            actor=actor.user,
            action="support.referral_sent",
            partnership_id=locked.partnership_id,
            target=referral,
            detail={"service": service.pk, "parts": sorted(parts)},
        )
    return referral


def referral_move(
    *,
    actor: Membership,
    referral: Referral,
    status: str,
    message: str = "",
    reason: str = "",
) -> Referral:
    """Move a referral along sent → accepted / declined (with a reason) → started → completed, or close it.
    The receiving organisation moves it; the member or their keyworker may close it. A final referral never
    changes again."""
    message = _text(message, field="message", max_length=TEXT_MAX)
    reason = _text(reason, field="reason", max_length=TEXT_MAX)
    with transaction.atomic(durable=True):
        locked = Referral.objects.select_for_update().select_related("plan", "service").get(pk=referral.pk)
        if selectors.referrals_visible_to(actor).filter(pk=locked.pk).first() is None:
            raise NotPermitted()
        receiver = (
            actor.is_staff_role and actor.organisation_id == locked.organisation_id and locked.withdrawn_at is None
        )
        access = selectors.plan_access(actor, locked.plan)
        if locked.status in FINAL_STATUSES:
            raise ServiceError(
                _("This referral is %(status)s and cannot change again.")
                % {"status": locked.get_status_display().lower()},
                field="status",
                code="final",
            )
        if status not in TRANSITIONS.get(locked.status, ()):
            raise ServiceError(
                _("A referral that is %(status)s cannot move to that step.")
                % {"status": locked.get_status_display().lower()},
                field="status",
                code="transition",
            )
        if status in RECEIVER_MOVES and not receiver:
            raise ServiceError(
                _("Only the organisation that received the referral can do this."), field="status", code="not_receiver"
            )
        if status == "closed" and not (receiver or access.may_edit):
            raise NotPermitted()
        if status == "declined" and not reason:
            raise ServiceError(
                _("Say why the referral is declined, so the member and their keyworker know."),
                field="reason",
                code="required",
            )
        locked.status = status
        locked.decline_reason = reason if status == "declined" else locked.decline_reason
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "decline_reason", "updated_at"])
        ReferralUpdate.objects.create(
            referral=locked,
            status=status,
            message=reason if status == "declined" and not message else message,
            by=actor.user,
            by_label=_name(actor.user),
        )
        people = {locked.referred_by_id} if locked.referred_by_id else set()
        if locked.plan.member is not None:
            people.add(locked.plan.member.user_id)
        people.discard(actor.user_id)
        _notify(
            partnership_id=locked.partnership_id,
            user_ids=people,  # type: ignore[arg-type]
            text=_("Your referral to %(service)s is now: %(status)s.")
            % {"service": locked.service.name, "status": locked.get_status_display().lower()},
            url=reverse("support:referral", kwargs={"slug": actor.partnership.slug, "referral_id": locked.pk}),
        )
        audit_record(
            actor=actor.user,
            action="support.referral_moved",
            partnership_id=locked.partnership_id,
            target=locked,
            detail={"status": status},
        )
    return locked


def referral_message(*, actor: Membership, referral: Referral, message: str) -> ReferralUpdate:
    """A message on a referral (e.g. back to the referrer), without changing its status."""
    message = _text(message, field="message", max_length=TEXT_MAX, required=_("Write a message."))
    with transaction.atomic(durable=True):
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if selectors.referrals_visible_to(actor).filter(pk=locked.pk).first() is None:
            raise NotPermitted()
        if locked.status in FINAL_STATUSES:
            raise ServiceError(_("This referral is closed and cannot change again."), field="message", code="final")
        update = ReferralUpdate.objects.create(
            referral=locked, status=locked.status, message=message, by=actor.user, by_label=_name(actor.user)
        )
        locked.updated_at = timezone.now()
        locked.save(update_fields=["updated_at"])
    return update


# --- Data rights --------------------------------------------------------------------------------


def data_export_record(*, actor: Membership) -> None:
    audit_record(
        actor=actor.user,
        action="support.data_downloaded",
        partnership_id=actor.partnership_id,
        target=actor,
    )


def erasure_request(*, actor: Membership, plan: SupportPlan) -> ErasureRequest:
    if plan.member_id != actor.pk or plan.erased_at is not None:
        raise NotPermitted()
    try:
        with transaction.atomic(durable=True):
            erasure = ErasureRequest.objects.create(
                partnership_id=plan.partnership_id, plan=plan, requested_by=actor.user
            )
            audit_record(
                actor=actor.user,
                action="support.erasure_requested",
                partnership_id=plan.partnership_id,
                target=plan,
            )
    except IntegrityError as error:
        raise ServiceError(
            _("You have already asked for this. A coordinator will confirm it soon."), code="exists"
        ) from error
    coordinators = Membership.objects.filter(partnership_id=plan.partnership_id, is_coordinator=True)
    _notify(
        partnership_id=plan.partnership_id,
        user_ids=coordinators.values_list("user_id", flat=True),
        text=_("A member has asked for their support plan to be erased."),
        url=reverse("support:erasures", kwargs={"slug": actor.partnership.slug}),
    )
    return erasure


def erasure_confirm(*, actor: Membership, erasure: ErasureRequest) -> SupportPlan:
    """Erase the plan. Every word and rating the member gave goes, and so does every link to them: the plan
    row stays (so the count of plans stays right) with its referrals' statuses (so the referral figures
    stay right), but nothing that says whose they were. The audit events about the plan, and the
    member's own support events, keep what happened and when, not to whom (``core.audit.audit_forget``)."""
    require_rule("support.confirm_erasure", actor)
    if erasure.partnership_id != actor.partnership_id:
        raise NotPermitted()
    now = timezone.now()
    with transaction.atomic(durable=True):
        locked_erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
        if locked_erasure.confirmed_at is not None:
            raise ServiceError(_("This erasure has already been confirmed."), code="done")
        plans = SupportPlan.objects.select_for_update(of=("self",)).select_related("member__user", "partnership")
        plan = plans.get(pk=locked_erasure.plan_id)
        person = plan.member.user if plan.member is not None else None
        # Everything the audit log may name, gathered before the rows go.
        parts: list[Any] = [
            plan,
            *TeamMember.objects.filter(plan=plan),
            *Share.objects.filter(plan=plan),
            *Referral.objects.filter(plan=plan),
        ]
        slug = plan.partnership.slug
        notices = [_plan_url(plan)]
        notices += [
            reverse("support:checkin", kwargs={"slug": slug, "checkin_id": pk})
            for pk in CheckIn.objects.filter(plan=plan).values_list("pk", flat=True)
        ]
        notices += [
            reverse("support:referral", kwargs={"slug": slug, "referral_id": referral.pk})
            for referral in parts
            if isinstance(referral, Referral)
        ]
        for name in ABOUT_FIELDS:
            setattr(plan, name, "")
        plan.member, plan.erased_at, plan.created_by = None, now, None
        plan.save()
        # Goals, actions and check-ins (with the outcome-wheel ratings) go: they were the member's words and
        # scores, and no figure counts them once the plan is no one's.
        Action.objects.filter(plan=plan).delete()
        Goal.objects.filter(plan=plan).delete()
        Rating.objects.filter(checkin__plan=plan).delete()
        CheckIn.objects.filter(plan=plan).delete()
        Referral.objects.filter(plan=plan).update(note="", decline_reason="—", referred_by=None, withdrawn_at=now)
        ReferralUpdate.objects.filter(referral__plan=plan).update(message="", by=None, by_label="")
        Share.objects.filter(plan=plan, withdrawn_at__isnull=True).update(withdrawn_at=now)
        Share.objects.filter(plan=plan).update(given_by=None, recorded_by=None, withdrawn_by=None)
        TeamMember.objects.filter(plan=plan, ended_at__isnull=True).update(ended_at=now)
        TeamMember.objects.filter(plan=plan).update(proposed_by=None)
        PlanChange.objects.filter(plan=plan).delete()
        PlanRead.objects.filter(plan=plan).delete()
        SupportNotification.objects.filter(partnership_id=plan.partnership_id, url__in=notices).delete()
        # The request itself no longer says whose plan it was.
        locked_erasure.confirmed_at, locked_erasure.confirmed_by, locked_erasure.requested_by = now, actor.user, None
        locked_erasure.save(update_fields=["confirmed_at", "confirmed_by", "requested_by"])
        audit_record(
            actor=actor.user,
            action="support.erasure_confirmed",
            partnership_id=plan.partnership_id,
            target=plan,
        )
        audit_forget(partnership_id=plan.partnership_id, objects=parts, person=person, action_prefix="support.")
    return plan


def lawful_basis_set(*, actor: Membership, purpose: str, basis: str, explanation: str = "") -> LawfulBasis:
    require_rule("support.settings", actor)
    if purpose not in Purpose.values:
        raise ServiceError(_("Choose a purpose from the list."), field="purpose")
    if basis not in Basis.values:
        raise ServiceError(_("Choose a lawful basis from the list."), field="basis")
    explanation = _text(explanation, field="explanation", max_length=TEXT_MAX)
    with transaction.atomic(durable=True):
        row, _created = LawfulBasis.objects.select_for_update().get_or_create(
            partnership_id=actor.partnership_id, purpose=purpose
        )
        before = row.basis
        row.basis, row.explanation = basis, explanation
        row.save()
        audit_record(
            actor=actor.user,
            action="support.lawful_basis_set",
            partnership_id=actor.partnership_id,
            target=row,
            detail={"purpose": purpose, "from": before, "to": basis},
        )
    return row


# --- The directory ------------------------------------------------------------------------------

SERVICE_FIELDS = (
    "name",
    "description",
    "who_for",
    "how_to_get",
    "cost",
    "is_free",
    "languages",
    "contact_name",
    "email",
    "phone",
    "url",
)


def may_manage_service(actor: Membership, organisation: Organisation) -> bool:
    """A partner lead manages their own organisation's services; a coordinator manages any in the partnership."""
    if organisation.partnership_id != actor.partnership_id:
        return False
    return actor.is_coordinator or (actor.is_partner_lead and actor.organisation_id == organisation.pk)


def service_save(
    *,
    actor: Membership,
    organisation: Organisation,
    service: Service | None = None,
    needs: Iterable[Any] = (),
    location: dict[str, str] | None = None,
    **fields: Any,
) -> Service:
    if not may_manage_service(actor, organisation) or (
        service is not None and not may_manage_service(actor, service.organisation)
    ):
        raise NotPermitted()
    data = {name: fields.get(name) for name in SERVICE_FIELDS}
    data["name"] = _text(data["name"], field="name", max_length=SHORT_MAX, required=_("Enter the service's name."))
    data["description"] = _text(
        data["description"], field="description", max_length=TEXT_MAX, required=_("Say what the service is.")
    )
    for name in ("who_for", "how_to_get"):
        data[name] = _text(data[name], field=name, max_length=TEXT_MAX)
    for name in ("cost", "languages", "contact_name"):
        data[name] = _text(data[name], field=name, max_length=SHORT_MAX)
    data["is_free"] = bool(data["is_free"])
    data["email"], data["phone"] = (data["email"] or "").strip(), (data["phone"] or "").strip()[:40]
    data["email"] = _text(
        data["email"], field="email", max_length=cast(int, Service._meta.get_field("email").max_length)
    )
    data["url"] = _text(data["url"], field="url", max_length=cast(int, Service._meta.get_field("url").max_length))
    if data["url"] and not link_target(data["url"], same_site=False):
        raise ServiceError(_("Enter a web address starting https://"), field="url", code="invalid")
    needs = list(needs)
    if any(tag.partnership_id != actor.partnership_id for tag in needs):
        raise ServiceError(_("Choose needs from the list."), field="needs")
    try:
        with transaction.atomic(durable=True):
            if service is None:
                saved = Service.objects.create(partnership_id=actor.partnership_id, organisation=organisation, **data)
            else:
                saved = Service.objects.select_for_update().get(pk=service.pk)
                for name, value in data.items():
                    setattr(saved, name, value)
                saved.save()
            saved.needs.set(needs)
            if location is not None and (location.get("name") or "").strip():
                first = saved.locations.first()
                values = {
                    k: (location.get(k) or "").strip()[: (12 if k == "postcode" else SHORT_MAX)]
                    for k in ("name", "address", "postcode", "opening_times")
                }
                if first is None:
                    ServiceLocation.objects.create(service=saved, **values)
                else:
                    for key, value in values.items():
                        setattr(first, key, value)
                    first.save()
            audit_record(
                actor=actor.user,
                action="support.service_saved",
                partnership_id=actor.partnership_id,
                target=saved,
            )
    except IntegrityError as error:
        raise ServiceError(
            _("This organisation already has a service with that name."), field="name", code="exists"
        ) from error
    return saved


def _area_text(name: str, question: str, stages: list[str]) -> tuple[str, str, list[str]]:
    name = _text(name, field="name", max_length=80, required=_("Enter the area's name."))
    question = _text(question, field="question", max_length=SHORT_MAX)
    if len(stages) != 5:
        raise ServiceError(_("Name all five stages."), code="stages")
    cleaned = [
        _text(stage, field=f"stage_{i + 1}", max_length=80, required=_("Name this stage."))
        for i, stage in enumerate(stages)
    ]
    return name, question, cleaned


def outcome_area_create(
    *,
    actor: Membership,
    name: str,
    question: str,
    stages: list[str],
) -> OutcomeArea:
    """A coordinator adds an area to the partnership's outcome wheel, after the default areas (which are put in
    first if the partnership has none yet, so that adding one does not leave the wheel with only that one)."""
    require_rule("support.settings", actor)
    name, question, cleaned = _area_text(name, question, stages)
    with transaction.atomic(durable=True):
        partnership = Partnership.objects.select_for_update().get(pk=actor.partnership_id)
        ensure_defaults(partnership)
        areas = OutcomeArea.objects.filter(partnership=partnership)
        if any(area.name.casefold() == name.casefold() for area in areas):
            raise ServiceError(_("The wheel already has an area with that name."), field="name", code="exists")
        taken = {area.key for area in areas}
        base = slugify(name)[:34] or "area"
        key = base
        number = 2
        while key in taken:
            key = f"{base}-{number}"
            number += 1
        area = OutcomeArea.objects.create(
            partnership=partnership,
            key=key,
            name=name,
            question=question,
            stages=cleaned,
            order=max((a.order for a in areas), default=-1) + 1,
        )
        audit_record(
            actor=actor.user,
            action="support.outcome_area_added",
            partnership_id=actor.partnership_id,
            target=area,
        )
    return area


def outcome_area_update(
    *,
    actor: Membership,
    area: OutcomeArea,
    name: str,
    question: str,
    stages: list[str],
    active: bool,
) -> OutcomeArea:
    """A coordinator rewords an area of the partnership's outcome wheel (its five stages too), or retires it.
    Ratings already given keep their numbers."""
    require_rule("support.settings", actor)
    if area.partnership_id != actor.partnership_id:
        raise NotPermitted()
    name, question, cleaned = _area_text(name, question, stages)
    with transaction.atomic(durable=True):
        locked = OutcomeArea.objects.select_for_update().get(pk=area.pk)
        before = {"name": locked.name, "stages": locked.stages, "active": locked.active}
        locked.name, locked.question, locked.stages, locked.active = name, question, cleaned, active
        locked.save()
        audit_record(
            actor=actor.user,
            action="support.outcome_area_changed",
            partnership_id=actor.partnership_id,
            target=locked,
            detail={"before": before},
        )
    return locked
