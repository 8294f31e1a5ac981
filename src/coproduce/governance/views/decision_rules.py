"""The rule each kind of decision follows."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted
from coproduce.governance import selectors, services
from coproduce.governance.forms import RuleForm
from coproduce.governance.models import DecisionRule
from coproduce.governance.views._common import agreement_url, form_page, posted
from coproduce.partnerships.access import acting_membership, partnership_view


@partnership_view("governance.change")
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, kind: str) -> HttpResponse:
    actor = acting_membership(request)
    if kind not in DecisionRule.Kind.values:
        raise NotPermitted()
    rule = selectors.decision_rule(actor, kind)
    initial = (
        {
            "method": rule.method,
            "threshold_percent": rule.threshold_percent,
            "participants": rule.participants,
            "group": rule.group_id,
            "quorum_percent": rule.quorum_percent,
            "double_majority": rule.double_majority,
        }
        if rule
        else {"quorum_percent": 50}
    )
    return form_page(
        request,
        form=RuleForm(posted(request), groups=selectors.groups(actor), initial=initial),
        save=lambda data: services.decision_rule_set(actor=actor, kind=kind, **data),
        success=_("Decision rule saved."),
        next_url=lambda saved: agreement_url(request, "rules"),
        heading=str(DecisionRule.Kind(kind).label),
        button=_("Save the rule"),
        cancel_url=agreement_url(request, "rules"),
        caption=_("How we decide"),
        intro=_(
            "Which method and quorum the partnership uses for this kind of decision. Decisions made on the "
            "platform will follow it once decisions arrive here."
        ),
    )
