"""The same selections, in the same order, as the reference implementation (pabutools, exact rationals).

pabutools is a test-time oracle only (GPL-3.0-or-later); the platform never imports it. The runs that take
pabutools more than a few seconds are skipped unless ``COPRODUCE_SLOW_TESTS=1``:

    COPRODUCE_SLOW_TESTS=1 uv run pytest tests/methods/test_equal_shares_pabutools.py -q
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pabutools.election import Additive_Cardinal_Sat, Cost_Sat, parse_pabulib
from pabutools.rules import exhaustion_by_budget_increase, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule

from coproduce.methods.equal_shares import equal_shares
from coproduce.methods.pabulib import read_pb, to_instance

DATA = Path(__file__).resolve().parent.parent / "data" / "pabulib"
SLOW_ENABLED = bool(os.environ.get("COPRODUCE_SLOW_TESTS"))

# Every approval and cumulative election in tests/data/pabulib, with whether pabutools' Add1 run is slow.
FILES = {
    "Netherlands_Amsterdam_515.pb": False,
    "Netherlands_Assen_2024.pb": False,
    "Poland_Czestochowa_2024_Bleszno.pb": False,  # cumulative
    "Poland_Gdynia_2023_Pustki_Cisowskie-Demptowo__large.pb": False,
    "Poland_Gdynia_2024_Maly_Kack__small.pb": False,
    "Poland_Katowice_2020_Szopienice-Burowiec.pb": True,  # cumulative
    "Poland_Katowice_2025_Szopienice_-_Burowiec.pb": True,  # cumulative
    "Poland_Swiecie_2023.pb": True,
    "Poland_Warszawa_2018_Muranow.pb": True,
    "Poland_Wieliczka_2023_Green_Budget.pb": True,
    "Poland_Wroclaw_2018_Rejon_nr_2_750.pb": False,  # choose-1, read as approval
    "Poland_Lodz_2022.pb": True,  # 90 494 voters: plain MES takes pabutools about 8 s
}


def params(*, add1: bool) -> list[Any]:
    result = []
    for name, slow in FILES.items():
        too_slow = (slow and add1) or name == "Poland_Lodz_2022.pb"
        marks = [pytest.mark.skipif(not SLOW_ENABLED, reason="slow: set COPRODUCE_SLOW_TESTS=1")] if too_slow else []
        result.append(pytest.param(name, marks=marks, id=name.removesuffix(".pb")))
    return result


def reference(name: str, *, increment: int | None, tie_break: str = "id") -> list[str]:
    instance, profile = parse_pabulib(str(DATA / name))
    profile = profile.as_multiprofile()  # identical ballots merged: the same outcome, much faster
    approval = instance.meta["vote_type"] in ("approval", "choose-1")
    rule: TieBreakingRule | None = None
    if tie_break == "support":
        supporters: Counter[str] = Counter()
        for ballot in profile:
            for project in ballot:
                supporters[project.name] += profile.multiplicity(ballot)
        rule = TieBreakingRule(lambda _i, _p, project: (-supporters[project.name], project.cost, project.name))
    outcome = method_of_equal_shares(
        instance,
        profile,
        sat_class=Cost_Sat if approval else Additive_Cardinal_Sat,
        voter_budget_increment=increment,
        tie_breaking=rule,
    )
    return [project.name for project in outcome]


def ours(name: str, *, completion: str, tie_break: str = "id") -> list[str]:
    instance = to_instance(read_pb(DATA / name))
    return list(equal_shares(instance, completion=completion, tie_break=tie_break).selected)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", params(add1=False))
def test_plain_mes_selects_what_pabutools_selects(name: str) -> None:
    assert ours(name, completion="none") == reference(name, increment=None)


@pytest.mark.parametrize("name", params(add1=True))
def test_mes_with_add1_selects_what_pabutools_selects(name: str) -> None:
    assert ours(name, completion="add1") == reference(name, increment=1)


@pytest.mark.parametrize("name", params(add1=False))
def test_plain_mes_with_the_support_tie_break_agrees_with_pabutools_under_that_rule(name: str) -> None:
    assert ours(name, completion="none", tie_break="support") == reference(name, increment=None, tie_break="support")


def test_add1_with_the_support_tie_break_agrees_with_pabutools_under_that_rule() -> None:
    name = "Poland_Gdynia_2024_Maly_Kack__small.pb"
    assert ours(name, completion="add1", tie_break="support") == reference(name, increment=1, tie_break="support")


@pytest.mark.parametrize(
    "name",
    [
        "Poland_Gdynia_2024_Maly_Kack__small.pb",
        pytest.param(
            "Netherlands_Assen_2024.pb",
            marks=pytest.mark.skipif(not SLOW_ENABLED, reason="slow: set COPRODUCE_SLOW_TESTS=1"),
        ),
        pytest.param(
            "Poland_Wieliczka_2023_Green_Budget.pb",
            marks=pytest.mark.skipif(not SLOW_ENABLED, reason="slow: set COPRODUCE_SLOW_TESTS=1"),
        ),
    ],
)
def test_add1_past_exhaustive_selects_what_pabutools_selects(name: str) -> None:
    instance, profile = parse_pabulib(str(DATA / name))
    outcome = exhaustion_by_budget_increase(
        instance,
        profile,
        method_of_equal_shares,
        {"sat_class": Cost_Sat},
        budget_step=profile.num_ballots(),
        exhaustive_stop=False,
    )
    assert sorted(ours(name, completion="add1-past-exhaustive")) == sorted(p.name for p in outcome)
