"""The audit log in sentences: "Jamie Reid read Aisha's support plan", not ``support.plan_read Support plan 1``.

Each capability registers, in its ``AppConfig.ready``, what its actions say (``sentences``: the action's
code to a sentence with ``%(who)s`` and ``%(what)s``) and, where the label kept with an event is only an
id ("Support plan 1"), how to name its objects for the reader (``namers``: a target type to a function
taking the partnership's id and the targets' ids, returning their names, in one query). An event about
something erased keeps only what happened: it names neither who did it nor what it was about. An action
with no sentence is still written in words, from its code."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core.models import AuditEvent

Namer = Callable[[int, list[str]], dict[str, str]]

_SENTENCES: dict[str, Any] = {}
_NAMERS: dict[str, Namer] = {}


def register_audit_wording(*, sentences: Mapping[str, Any], namers: Mapping[str, Namer] | None = None) -> None:
    _SENTENCES.update(sentences)
    _NAMERS.update(namers or {})


def worded(action: str) -> bool:
    """Whether a capability has given this action its sentence."""
    return action in _SENTENCES


@dataclass(frozen=True)
class AuditEntry:
    event: AuditEvent
    sentence: str


def _who(event: AuditEvent) -> str:
    if event.actor_label:
        return event.actor_label
    if event.detail.get("erased"):
        return _("Someone (erased)")
    if event.detail.get("by"):
        return _("The operator (%(command)s)") % {"command": event.detail["by"]}
    return _("The system")


def _fallback(action: str, who: str, about: str) -> str:
    """An action no capability has worded: its code in words ("Morag: seat retired (Parent seat)")."""
    words = action.split(".", 1)[-1].replace("_", " ")
    return f"{who}: {words}{about}."


def audit_entries(events: Iterable[AuditEvent], *, partnership_id: int) -> list[AuditEntry]:
    """The events as sentences, naming their objects with one query per kind of object."""
    events = list(events)
    wanted: dict[str, set[str]] = {}
    for event in events:
        if event.target_type in _NAMERS and event.target_id and not event.detail.get("erased"):
            wanted.setdefault(event.target_type, set()).add(event.target_id)
    names = {kind: _NAMERS[kind](partnership_id, sorted(ids)) for kind, ids in wanted.items()}
    entries = []
    for event in events:
        erased = bool(event.detail.get("erased"))
        what = "" if erased else names.get(event.target_type, {}).get(event.target_id) or event.target_label
        what = what or _("something no longer shown")
        template = _SENTENCES.get(event.action)
        if template is None:
            about = "" if erased or not event.target_label else f" ({what})"
            sentence = _fallback(event.action, _who(event), about)
        else:
            words = {key: value for key, value in event.detail.items() if isinstance(value, str | int)}
            try:
                sentence = str(template) % {**words, "who": _who(event), "what": what}
            except KeyError:  # an older event without the detail its sentence names
                sentence = _fallback(event.action, _who(event), f" ({what})")
        entries.append(AuditEntry(event=event, sentence=sentence))
    return entries


# The foundation's own events: the partnership, its organisations, memberships, invitations and accounts.
register_audit_wording(
    sentences={
        "partnership.created": gettext_lazy("%(who)s set up the partnership %(what)s."),
        "partnership.settings_changed": gettext_lazy("%(who)s changed the partnership's settings."),
        "organisation.created": gettext_lazy("%(who)s added the organisation %(what)s."),
        "organisation.changed": gettext_lazy("%(who)s changed the details of %(what)s."),
        "organisation.retired": gettext_lazy("%(who)s took %(what)s out of the partnership."),
        "organisation.reinstated": gettext_lazy("%(who)s brought %(what)s back into the partnership."),
        "membership.created_by_demo": gettext_lazy("%(what)s was added to the demo partnership."),
        "membership.roles_changed": gettext_lazy("%(who)s changed what %(what)s can do."),
        "membership.left": gettext_lazy("%(what)s left the partnership."),
        "membership.assistance_on": gettext_lazy("%(who)s allowed keyworkers to record their views with them."),
        "membership.assistance_off": gettext_lazy("%(who)s stopped keyworkers recording their views with them."),
        "invitation.created": gettext_lazy("%(who)s invited %(what)s."),
        "invitation.resent": gettext_lazy("%(who)s sent the invitation to %(what)s again."),
        "invitation.revoked": gettext_lazy("%(who)s withdrew the invitation to %(what)s."),
        "invitation.accepted": gettext_lazy("%(who)s accepted the invitation and joined."),
        "data.exported": gettext_lazy("%(who)s downloaded their own data (My data)."),
        "account.signed_in": gettext_lazy("%(who)s signed in."),
        "account.signed_out": gettext_lazy("%(who)s signed out."),
        "account.sign_in_failed": gettext_lazy("Someone tried to sign in as %(what)s with a wrong password."),
        "account.password_changed": gettext_lazy("%(who)s changed their password."),
        "account.password_reset": gettext_lazy("%(who)s set a new password from an emailed link."),
        "account.mfa_added": gettext_lazy("%(who)s set up an authenticator app."),
        "account.mfa_removed": gettext_lazy("%(who)s removed their authenticator app."),
    }
)
