"""What every decisions write shares: the audit event, the address of a decision's page, notices, and the
checks on options."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.decisions.models import LABEL_MAX, Decision
from coproduce.notifications.api import notify as notices_notify
from coproduce.partnerships.models import Membership, Partnership

MAX_OPTIONS = 50


def audit(actor: Membership | None, action: str, decision: Decision, **detail: Any) -> None:
    audit_record(
        actor=actor.user if actor is not None else None,
        action=f"decisions.{action}",
        partnership_id=decision.partnership_id,
        target=decision,
        detail=detail or None,
    )


def decision_url(decision: Decision, name: str = "decisions:decision") -> str:
    """The address of a decision's page (or another of its pages, by URL name)."""
    slug = Partnership.objects.filter(pk=decision.partnership_id).values_list("slug", flat=True).get()
    return reverse(name, kwargs={"slug": slug, "decision_id": decision.pk})


def notify(decision: Decision, *, user_ids: Iterable[int | None], kind: str, text: str, exclude: int | None) -> int:
    users = {u for u in user_ids if u is not None and u != exclude}
    if not users:
        return 0
    return notices_notify(
        partnership_id=decision.partnership_id,
        user_ids=users,
        kind=kind,
        text=text,
        url=decision_url(decision),
        subject_key=f"decisions.decision:{decision.pk}",
    )


OptionInput = str | tuple[datetime, datetime]


def options_checked(method: str, options: Iterable[OptionInput], *, seats: int | None) -> list[OptionInput]:
    """The options as given, checked for the method: labels (or, for a time poll, start and end times)."""
    found = list(options or [])
    if method in ("consent", "yes_no"):
        if found:
            raise ServiceError(_("A proposal decided by consent or yes/no has no options."), field="options")
        return []
    cleaned: list[OptionInput] = []
    for option in found:
        if method == "time_poll":
            if not isinstance(option, tuple) or len(option) != 2:
                raise ServiceError(_("Give each time a start and an end."), field="options")
            starts, ends = option
            if ends <= starts:
                raise ServiceError(_("Each time must end after it starts."), field="options")
            cleaned.append((starts, ends))
        else:
            label = str(option).strip()
            if not label:
                continue
            if len(label) > LABEL_MAX:
                raise ServiceError(
                    _("An option must be %(max)d characters or fewer.") % {"max": LABEL_MAX}, field="options"
                )
            cleaned.append(label)
    labels = [_time_label(o) if isinstance(o, tuple) else o for o in cleaned]
    if len({label.casefold() for label in labels}) != len(labels):
        raise ServiceError(_("Each option must be different."), field="options")
    if len(cleaned) < 2:
        raise ServiceError(_("Give at least two options."), field="options")
    if len(cleaned) > MAX_OPTIONS:
        raise ServiceError(_("Give at most %(max)d options.") % {"max": MAX_OPTIONS}, field="options")
    if method == "stv" and seats is not None and len(cleaned) < seats:
        raise ServiceError(
            _("There are fewer candidates (%(n)d) than seats (%(seats)d): add candidates or fill fewer seats.")
            % {"n": len(cleaned), "seats": seats},
            field="options",
        )
    return cleaned


def _time_label(option: tuple[datetime, datetime]) -> str:
    from django.utils import timezone

    starts, ends = (timezone.localtime(t) for t in option)
    if starts.date() == ends.date():
        return f"{starts:%A %-d %B %Y, %H:%M}–{ends:%H:%M}"
    return f"{starts:%A %-d %B %Y, %H:%M} – {ends:%A %-d %B %Y, %H:%M}"


def option_label(option: OptionInput) -> str:
    return _time_label(option) if isinstance(option, tuple) else option
