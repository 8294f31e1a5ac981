"""What support's audit events say in the audit log (``partnerships.audit_wording``), naming plans by whose
they are: "Jamie Reid read Aisha's support plan"."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core.money import format_pence
from coproduce.support.models import BarrierRequest, Part, Referral, Share, SupportPlan, TeamMember


def _whose(plan: SupportPlan) -> str:
    if plan.member is None:
        return _("a support plan whose member has left")
    return _("%(name)s's support plan") % {"name": plan.member.user.name}


def plans(partnership_id: int, ids: list[str]) -> dict[str, str]:
    found = SupportPlan.objects.filter(partnership_id=partnership_id, pk__in=ids).select_related("member__user")
    return {str(plan.pk): _whose(plan) for plan in found}


def shares(partnership_id: int, ids: list[str]) -> dict[str, str]:
    found = Share.objects.filter(plan__partnership_id=partnership_id, pk__in=ids).select_related(
        "plan__member__user", "organisation"
    )
    return {
        str(share.pk): _("“%(part)s” in %(plan)s, for %(organisation)s")
        % {"part": Part(share.part).label, "plan": _whose(share.plan), "organisation": share.organisation.name}
        for share in found
    }


def referrals(partnership_id: int, ids: list[str]) -> dict[str, str]:
    found = Referral.objects.filter(partnership_id=partnership_id, pk__in=ids).select_related(
        "plan__member__user", "service"
    )
    return {
        str(referral.pk): _("the referral from %(plan)s to %(service)s")
        % {"plan": _whose(referral.plan), "service": referral.service.name}
        for referral in found
    }


def team_places(partnership_id: int, ids: list[str]) -> dict[str, str]:
    found = TeamMember.objects.filter(plan__partnership_id=partnership_id, pk__in=ids).select_related(
        "plan__member__user", "membership__user"
    )
    return {
        str(place.pk): _("%(person)s in the team of %(plan)s")
        % {"person": place.membership.user.name, "plan": _whose(place.plan)}
        for place in found
    }


def barrier_requests(partnership_id: int, ids: list[str]) -> dict[str, str]:
    found = BarrierRequest.objects.filter(partnership_id=partnership_id, pk__in=ids).select_related(
        "plan__member__user"
    )
    return {
        str(request.pk): _("a request for money (%(amount)s) in %(plan)s")
        % {"amount": format_pence(request.amount_pence), "plan": _whose(request.plan)}
        for request in found
    }


SENTENCES = {
    "support.plan_started": gettext_lazy("%(who)s started %(what)s."),
    "support.plan_accepted": gettext_lazy("%(who)s agreed to %(what)s."),
    "support.plan_closed": gettext_lazy("%(who)s closed %(what)s."),
    "support.plan_read": gettext_lazy("%(who)s looked at %(what)s."),
    "support.consent_given": gettext_lazy("%(who)s agreed to share %(what)s."),
    "support.consent_withdrawn": gettext_lazy("%(who)s stopped sharing %(what)s."),
    "support.referral_sent": gettext_lazy("%(who)s sent %(what)s."),
    "support.referral_moved": gettext_lazy("%(who)s moved on %(what)s."),
    "support.referral_withdrawn": gettext_lazy("%(who)s withdrew %(what)s."),
    "support.team_proposed": gettext_lazy("%(who)s suggested %(what)s."),
    "support.team_agreed": gettext_lazy("%(who)s agreed to %(what)s."),
    "support.team_ended": gettext_lazy("%(who)s ended the place of %(what)s."),
    "support.outcome_area_added": gettext_lazy("%(who)s added the outcome area “%(what)s”."),
    "support.outcome_area_changed": gettext_lazy("%(who)s changed the outcome area “%(what)s”."),
    "support.service_saved": gettext_lazy("%(who)s saved the service %(what)s."),
    "support.directory_imported": gettext_lazy("%(who)s imported a directory of services."),
    "support.data_downloaded": gettext_lazy("%(who)s downloaded their support data."),
    "support.barrier_asked": gettext_lazy("%(who)s asked for %(what)s."),
    "support.barrier_agreed": gettext_lazy("%(who)s agreed to %(what)s."),
    "support.barrier_first_approval": gettext_lazy("%(who)s gave the first of two approvals to %(what)s."),
    "support.barrier_approved": gettext_lazy("%(who)s approved %(what)s."),
    "support.barrier_refused": gettext_lazy("%(who)s refused %(what)s."),
    "support.barrier_paid": gettext_lazy("%(who)s marked paid %(what)s."),
    "support.barrier_cancelled": gettext_lazy("%(who)s cancelled %(what)s."),
    "support.lawful_basis_set": gettext_lazy("%(who)s set the lawful basis for sharing (%(what)s)."),
}

NAMERS = {
    "support.supportplan": plans,
    "support.share": shares,
    "support.referral": referrals,
    "support.teammember": team_places,
    "support.barrierrequest": barrier_requests,
}
