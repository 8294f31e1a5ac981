"""What every support write shares: text checks, access and locking, the plan's history, notifications.

Optimistic concurrency: "About me", goals and actions carry a version number. An edit names the version the
person started from; if someone saved in between, the edit is refused with ``ServiceError(code="stale")``
and the page shows the newer version next to what the person typed, so nothing is lost."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import text_checked
from coproduce.notifications import api as notices
from coproduce.partnerships.models import Membership
from coproduce.support import selectors
from coproduce.support.models import (
    SHORT_MAX,
    Action,
    Basis,
    Goal,
    LawfulBasis,
    PlanChange,
    SupportPlan,
)

STALE = gettext_lazy(
    "Someone else saved a change while you were editing. Their version is shown below; your words are kept "
    "in the form, so you can copy them across and save again."
)


def person_label(user: Any) -> str:
    return (getattr(user, "display_name", "") or getattr(user, "email", "") or "")[:SHORT_MAX]


def clean_text(value: str | None, *, field: str, max_length: int, required: str | None = None) -> str:
    """``core.guards.text_checked`` with support's own wording for text that is too long."""
    return text_checked(
        value, field=field, max_length=max_length, required=required, too_long=_("Use %(max)d characters or fewer.")
    )


def require_editable(actor: Membership, plan: SupportPlan, part: str) -> selectors.PlanAccess:
    return selectors.require_access(selectors.plan_access(actor, plan), part=part, editing=True)


def lock_plan(plan: SupportPlan) -> SupportPlan:
    locked = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.erased_at is not None:
        raise NotPermitted()
    return locked


def record_change(
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
        changed_by_label=person_label(actor.user),
        with_member=with_member and plan.member_id != actor.pk,
    )
    SupportPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())


def notify(
    *, partnership_id: int, user_ids: Iterable[int], kind: str, text: str, url: str = "", subject_key: str = ""
) -> None:
    """Post to the one inbox (``notifications.api``); ``subject_key`` groups repeats about one thing and lets the
    service that finishes it clear them (``notices_done``)."""
    notices.notify(
        partnership_id=partnership_id, user_ids=user_ids, kind=kind, text=text, url=url, subject_key=subject_key
    )


def notices_done(*, partnership_id: int, subject_key: str) -> None:
    notices.notices_done(partnership_id=partnership_id, subject_key=subject_key)


def plan_url(plan: SupportPlan) -> str:
    return reverse("support:plan", kwargs={"slug": plan.partnership.slug, "plan_id": plan.pk})


def lawful_basis_for(partnership_id: int, purpose: str) -> str:
    found = (
        LawfulBasis.objects.filter(partnership_id=partnership_id, purpose=purpose)
        .values_list("basis", flat=True)
        .first()
    )
    return found or Basis.CONSENT


def jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v.isoformat() if isinstance(v, datetime.date | datetime.datetime) else v)
        for k, v in data.items()
        if not hasattr(v, "pk")
    }


Versioned = TypeVar("Versioned", Goal, Action)


def versioned_update(
    *,
    actor: Membership,
    obj: Versioned,
    version: int,
    data: dict[str, Any],
    finished: bool,
    finished_field: str,
    part: str,
    summary: Any,
    after: dict[str, Any],
    with_member: bool,
) -> Versioned:
    """Change a goal or an action of a plan: refused as stale if someone saved it since ``version`` was read
    (nothing is overwritten), stamped when first marked achieved or done, and kept in the plan's history."""
    with transaction.atomic(durable=True):
        locked_plan = lock_plan(obj.plan)
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if locked.version != version:
            raise ServiceError(str(STALE), code="stale")
        before = jsonable({k: getattr(locked, k) for k in data})
        for key, value in data.items():
            setattr(locked, key, value)
        if not finished:
            setattr(locked, finished_field, None)
        elif getattr(locked, finished_field) is None:
            setattr(locked, finished_field, timezone.now())
        locked.version += 1
        locked.save()
        record_change(
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
