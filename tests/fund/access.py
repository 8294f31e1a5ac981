"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file).

In the world built here the member proposed the project in the round open for voting (members only),
and a finished round has an award; the partner lead's organisation has a pledged contribution."""

from __future__ import annotations

from typing import Any

from coproduce.fund.models import Award, Contribution, InterestDeclaration
from tests.conftest import present
from tests.fund.helpers import add_money, make_pot, make_proposal, make_round
from tests.test_url_access import (
    COORDINATOR_PAGE,
    PARTNERSHIP_PAGE,
    POST_ONLY,
    TAKING_PART_PAGE,
    everyone,
    only,
)


def post_only_for(*roles: str) -> dict[str, int]:
    """A POST-only address: a GET answers 405 to those who may post, 404 to the rest."""
    return {**everyone(404), "anonymous": 302, "staff_no_mfa": 302, **dict.fromkeys(roles, 405)}


ROWS: dict[str, dict[str, int]] = {
    "fund:ledger": PARTNERSHIP_PAGE,
    "fund:contribution-new": only("partner_lead", "coordinator"),
    "fund:contribution-received": post_only_for("partner_lead", "coordinator"),
    "fund:award": PARTNERSHIP_PAGE,
    "fund:award-payment": {**COORDINATOR_PAGE, "coordinator": 405},
    "fund:award-spend": POST_ONLY,
    "fund:grants-json": PARTNERSHIP_PAGE,
    "fund:rounds": PARTNERSHIP_PAGE,
    "fund:round-new": COORDINATOR_PAGE,
    "fund:round-import": COORDINATOR_PAGE,
    "fund:round": PARTNERSHIP_PAGE,
    "fund:round-edit": COORDINATOR_PAGE,
    "fund:proposal-new": TAKING_PART_PAGE,
    # A members-only round: staff and observers have no ballot there.
    "fund:ballot": only("member"),
    # A worker or coordinator records a member's ballot with her, enters her paper form, prints the forms.
    "fund:ballot-record-with": only("worker", "coordinator"),
    "fund:ballot-paper": only("worker", "coordinator"),
    "fund:ballot-paper-form": only("worker", "coordinator"),
    "fund:receipt": PARTNERSHIP_PAGE,
    "fund:results": PARTNERSHIP_PAGE,
    "fund:awards-make": {**COORDINATOR_PAGE, "coordinator": 405},
    "fund:round-export": PARTNERSHIP_PAGE,
    "fund:proposal": PARTNERSHIP_PAGE,
    "fund:proposal-edit": only("member"),
    "fund:proposal-review": only("worker", "partner_lead", "coordinator"),
    # The flexible money: the coordinator sets it up; every staff member declares their own interests.
    "fund:flexible": COORDINATOR_PAGE,
    "fund:pot-new": COORDINATOR_PAGE,
    "fund:pot-edit": COORDINATOR_PAGE,
    "fund:category-new": COORDINATOR_PAGE,
    "fund:category-edit": COORDINATOR_PAGE,
    "fund:interests": only("worker", "partner_lead", "coordinator"),
    "fund:interest-withdraw": post_only_for("worker", "partner_lead", "coordinator"),
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Make what this capability's pages need in the shared world; return each URL name's kwargs
    (besides the partnership's slug, which is added for every name in this capability's namespace)."""
    partnership = world["partnership"]
    people = world["people"]
    lead = people["partner_lead"]
    add_money(partnership, organisation=lead.organisation)
    pledged = Contribution.objects.create(
        partnership=partnership, organisation=lead.organisation, kind="money", description="Pledged", value_pence=100
    )
    voting = make_round(partnership, phase="voting", title="Open round")
    proposal = make_proposal(voting, proposer=people["member"].user)
    finished = make_round(partnership, phase="results", title="Finished round")
    funded = make_proposal(finished, proposer=people["member"].user)
    award = Award.objects.create(
        partnership=partnership,
        round=finished,
        proposal=funded,
        amount_pence=funded.cost_pence,
        holder=people["member"].user,
    )
    pot = world.get("pot") or make_pot(partnership)  # support's rows may have made it already
    declared = InterestDeclaration.objects.create(
        partnership=partnership, membership=people["worker"], supplier="Shop", supplier_key="shop"
    )
    on_voting = {"round_id": voting.pk}
    return {
        "fund:pot-edit": {"pot_id": pot.pk},
        "fund:category-new": {"pot_id": pot.pk},
        "fund:category-edit": {"category_id": present(pot.categories.first()).pk},
        "fund:interest-withdraw": {"declaration_id": declared.pk},
        "fund:contribution-received": {"contribution_id": pledged.pk},
        "fund:award": {"award_id": award.pk},
        "fund:award-payment": {"award_id": award.pk},
        "fund:award-spend": {"award_id": award.pk},
        "fund:round": on_voting,
        "fund:round-edit": on_voting,
        "fund:proposal-new": on_voting,
        "fund:ballot": on_voting,
        "fund:receipt": on_voting,
        "fund:ballot-record-with": on_voting,
        "fund:ballot-paper": on_voting,
        "fund:ballot-paper-form": on_voting,
        "fund:results": {"round_id": finished.pk},
        "fund:awards-make": {"round_id": finished.pk},
        "fund:round-export": {"round_id": finished.pk},
        "fund:proposal": {"proposal_id": proposal.pk},
        "fund:proposal-edit": {"proposal_id": proposal.pk},
        "fund:proposal-review": {"proposal_id": proposal.pk},
    }
