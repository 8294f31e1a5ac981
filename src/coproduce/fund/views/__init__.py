"""The fund pages: the ledger, rounds, proposals and their reviews, ballots and receipts, results,
awards with their payments and spending, and the open-data and Pabulib files.

Each view resolves what it needs through the selectors (what is out of reach raises NotPermitted, a
404), calls one service for a write, and renders. A service's ServiceError is shown next to its field (or at the top).

One module per part of the section; urls.py names the views through this package."""

from coproduce.fund.views.awards import award, award_payment, award_spend, awards_make, grants_json
from coproduce.fund.views.ballots import ballot, receipt
from coproduce.fund.views.ballots_with import ballot_paper, ballot_paper_form, ballot_record_with
from coproduce.fund.views.flexible import (
    category_edit,
    category_new,
    flexible_money,
    interest_withdraw,
    interests,
    pot_edit,
    pot_new,
)
from coproduce.fund.views.ledger import contribution_new, contribution_received, ledger
from coproduce.fund.views.open_data import open_grants
from coproduce.fund.views.proposals import proposal, proposal_edit, proposal_new, proposal_review
from coproduce.fund.views.results import results
from coproduce.fund.views.rounds import round_detail, round_edit, round_export, round_import, round_new, rounds

__all__ = [
    "award",
    "award_payment",
    "award_spend",
    "awards_make",
    "ballot",
    "ballot_paper",
    "ballot_paper_form",
    "ballot_record_with",
    "category_edit",
    "category_new",
    "contribution_new",
    "contribution_received",
    "flexible_money",
    "grants_json",
    "interest_withdraw",
    "interests",
    "ledger",
    "open_grants",
    "pot_edit",
    "pot_new",
    "proposal",
    "proposal_edit",
    "proposal_new",
    "proposal_review",
    "receipt",
    "results",
    "round_detail",
    "round_edit",
    "round_export",
    "round_import",
    "round_new",
    "rounds",
]
