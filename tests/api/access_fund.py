"""Rows of the API's access table (tests/api/test_api_access.py): the fund's endpoints. Everyone in the
partnership reads the rounds and their results, as on the pages; another partnership's token finds nothing."""

from __future__ import annotations

from typing import Any

from tests.api.roles import READ
from tests.fund.helpers import make_proposal, make_round

ROWS: dict[str, dict[str, int]] = {
    "fund_list_rounds": READ,
    "fund_get_round": READ,
    "fund_get_results": READ,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    round_ = make_round(world["partnership"], phase="results", budget=3_000)
    make_proposal(round_, cost=1_000, title="Crèche")
    return {"fund_get_round": {"round_id": round_.pk}, "fund_get_results": {"round_id": round_.pk}}
