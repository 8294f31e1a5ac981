"""What the fund's audit events say in the audit log (``partnerships.audit_wording``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.fund.models import Award


def awards(partnership_id: int, ids: list[str]) -> dict[str, str]:
    found = Award.objects.filter(partnership_id=partnership_id, pk__in=ids).select_related("proposal")
    return {str(award.pk): _("the award to “%(title)s”") % {"title": award.proposal.title} for award in found}


SENTENCES = {
    "fund.round_created": gettext_lazy("%(who)s set up the %(what)s."),
    "fund.round_changed": gettext_lazy("%(who)s changed the %(what)s."),
    "fund.round_imported": gettext_lazy("%(who)s imported the %(what)s from a file."),
    "fund.proposal_created": gettext_lazy("%(who)s put forward the idea “%(what)s”."),
    "fund.proposal_changed": gettext_lazy("%(who)s changed the idea “%(what)s”."),
    "fund.proposal_reviewed": gettext_lazy("%(who)s checked the cost and whether “%(what)s” can be done."),
    "fund.ballot_cast": gettext_lazy("%(who)s voted in the %(what)s."),
    "fund.ballot_changed": gettext_lazy("%(who)s changed their vote in the %(what)s."),
    "fund.ballot_recorded_with": gettext_lazy("%(who)s recorded a member's vote in the %(what)s with her."),
    "fund.ballot_from_paper": gettext_lazy("%(who)s entered a member's paper ballot in the %(what)s."),
    "fund.ballot_confirmed": gettext_lazy("%(who)s confirmed the vote recorded with them in the %(what)s."),
    "fund.awards_made": gettext_lazy("%(who)s made the awards of the %(what)s."),
    "fund.contribution_recorded": gettext_lazy("%(who)s recorded a contribution to the fund."),
    "fund.contribution_received": gettext_lazy("%(who)s recorded that a contribution to the fund arrived."),
    "fund.payment_recorded": gettext_lazy("%(who)s recorded a payment of %(what)s."),
    "fund.spending_recorded": gettext_lazy("%(who)s recorded a payment for taking part (paid time or expenses)."),
    "fund.spend_reported": gettext_lazy("%(who)s reported how %(what)s was spent."),
    "fund.pot_created": gettext_lazy("%(who)s set up the flexible money for %(year)s."),
    "fund.pot_changed": gettext_lazy("%(who)s changed the flexible money for %(year)s (amount, limits or cap)."),
    "fund.pot_category_added": gettext_lazy("%(who)s added “%(name)s” to what the flexible money may pay for."),
    "fund.pot_category_changed": gettext_lazy("%(who)s changed “%(name)s” in what the flexible money may pay for."),
    "fund.interest_declared": gettext_lazy("%(who)s declared an interest in the supplier “%(supplier)s”."),
    "fund.interest_withdrawn": gettext_lazy("%(who)s withdrew their interest in the supplier “%(supplier)s”."),
    "fund.barrier_payment_recorded": gettext_lazy("%(who)s recorded a payment from the flexible money."),
}

NAMERS = {"fund.award": awards}
