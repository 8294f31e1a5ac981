"""Every write in the fund: keyword-only, the acting membership first, permission checked, one
transaction, an audit event, background work enqueued on commit.

Money that a round may spend is checked with the partnership's row locked, so two rounds created at
once cannot both take the last of it. Ballots are written with the ballot's row locked and the round's
close read inside the same transaction; one ballot per person is a unique constraint.

One module per thing the fund is made of (the ledger, rounds, proposals, ballots, results, awards), and
the import of a Pabulib file as a round (``pabulib``); what they share is in ``_common``. Callers import from here.
"""

from coproduce.fund.services.awards import awards_make, payment_record, spend_report
from coproduce.fund.services.ballots import ballot_submit, check_ballot, receipt_for
from coproduce.fund.services.ballots_with import (
    ballot_confirm,
    ballot_record_with,
    ballots_pending_for,
)
from coproduce.fund.services.ledger import available_pence, contribution_mark_received, contribution_record
from coproduce.fund.services.pabulib import MAX_BALLOTS, round_import_pabulib
from coproduce.fund.services.proposals import proposal_create, proposal_review, proposal_update
from coproduce.fund.services.results import (
    PENDING_LATE_AFTER,
    PENDING_LOST_AFTER,
    RETRY_FAILED_AFTER,
    ballots_digest,
    results_compute,
    results_failed,
    results_late,
    results_request,
)
from coproduce.fund.services.rounds import RoundSettings, round_create, round_update
from coproduce.fund.services.spending import spending_record

__all__ = [
    "MAX_BALLOTS",
    "PENDING_LATE_AFTER",
    "PENDING_LOST_AFTER",
    "RETRY_FAILED_AFTER",
    "RoundSettings",
    "available_pence",
    "awards_make",
    "ballot_confirm",
    "ballot_record_with",
    "ballot_submit",
    "ballots_digest",
    "ballots_pending_for",
    "check_ballot",
    "contribution_mark_received",
    "contribution_record",
    "payment_record",
    "proposal_create",
    "proposal_review",
    "proposal_update",
    "receipt_for",
    "results_compute",
    "results_failed",
    "results_late",
    "results_request",
    "round_create",
    "round_import_pabulib",
    "round_update",
    "spend_report",
    "spending_record",
]
