"""Which method and quorum the partnership uses for each kind of decision."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.permissions import require_rule
from coproduce.governance.models import DecisionRule, Group
from coproduce.governance.services._common import _audit
from coproduce.partnerships.models import Membership


def _checked(
    actor: Membership,
    *,
    kind: str,
    method: str,
    threshold_percent: int | None,
    quorum_percent: int | None,
    participants: str,
    group: Group | None,
    double_majority: bool,
) -> dict[str, object]:
    if kind not in DecisionRule.Kind.values:
        raise ServiceError(_("Choose a kind of decision from the list."), field="kind")
    if method not in DecisionRule.Method.values:
        raise ServiceError(_("Choose how the decision is made."), field="method", code="required")
    if method == DecisionRule.Method.YES_NO:
        if threshold_percent is None:
            raise ServiceError(_("Enter the share of votes that must be yes."), field="threshold_percent")
        if not 50 <= threshold_percent <= 100:
            raise ServiceError(_("The threshold must be between 50 and 100%."), field="threshold_percent")
    else:
        threshold_percent = None  # a threshold belongs to a yes/no/abstain vote only
    if quorum_percent is None or not 0 <= quorum_percent <= 100:
        raise ServiceError(_("The quorum must be between 0 and 100%."), field="quorum_percent")
    if participants not in DecisionRule.Participants.values:
        raise ServiceError(_("Choose who takes part."), field="participants", code="required")
    if participants == DecisionRule.Participants.GROUP:
        if group is None:
            raise ServiceError(_("Choose the group that decides."), field="group", code="required")
        if group.partnership_id != actor.partnership_id:
            raise ServiceError(_("Choose a group from the list."), field="group")
    else:
        group = None
    if double_majority and participants not in (DecisionRule.Participants.EVERYONE, DecisionRule.Participants.GROUP):
        raise ServiceError(
            _("Members and staff can only be counted separately when both take part."),
            field="double_majority",
            code="one_side",
        )
    return {
        "method": method,
        "threshold_percent": threshold_percent,
        "quorum_percent": quorum_percent,
        "participants": participants,
        "group": group,
        "double_majority": double_majority,
    }


def decision_rule_set(
    *,
    actor: Membership,
    kind: str,
    method: str,
    quorum_percent: int | None,
    participants: str,
    threshold_percent: int | None = None,
    group: Group | None = None,
    double_majority: bool = False,
) -> DecisionRule:
    """Set the rule for one kind of decision (the first time, or again)."""
    require_rule("governance.change", actor)
    fields = _checked(
        actor,
        kind=kind,
        method=method,
        threshold_percent=threshold_percent,
        quorum_percent=quorum_percent,
        participants=participants,
        group=group,
        double_majority=double_majority,
    )
    with transaction.atomic(durable=True):
        rule = DecisionRule.objects.select_for_update().filter(partnership_id=actor.partnership_id, kind=kind).first()
        before = None
        if rule is None:
            rule = DecisionRule(partnership_id=actor.partnership_id, kind=kind)
        else:
            before = _described(rule)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.updated_at = timezone.now()
        rule.save()
        _audit(actor, "rule_set", rule, kind=kind, before=before, after=_described(rule))
    return rule


def _described(rule: DecisionRule) -> dict[str, object]:
    return {
        "method": rule.method,
        "threshold_percent": rule.threshold_percent,
        "quorum_percent": rule.quorum_percent,
        "participants": rule.participants,
        "group_id": rule.group_id,
        "double_majority": rule.double_majority,
    }
