"""``coproduce budget FILE.pb``: anyone can recompute a result from a Pabulib file (no database needed).

These tests do not use the ``db`` fixture, so pytest-django refuses any database access by the command.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from coproduce.methods.equal_shares import equal_shares, greedy
from coproduce.methods.pabulib import read_pb, to_instance

DATA = Path(__file__).resolve().parent.parent / "data" / "pabulib"
ASSEN = DATA / "Netherlands_Assen_2024.pb"
GDYNIA = DATA / "Poland_Gdynia_2024_Maly_Kack__small.pb"


def run(*args: str) -> str:
    out = StringIO()
    call_command("budget", *args, stdout=out)
    return out.getvalue()


def official(path: Path) -> set[str]:
    return {p["project_id"] for p in read_pb(path).projects if p.get("selected") == "1"}


def test_prints_the_official_outcome_of_assen_its_cost_and_the_time() -> None:
    lines = run(str(ASSEN)).splitlines()
    selected_line = next(line for line in lines if line.startswith("Selected"))
    selected = selected_line.split(": ", 1)[1].split()
    assert set(selected) == official(ASSEN)
    costs = to_instance(read_pb(ASSEN)).costs
    assert f"Cost: {sum(costs[p] for p in selected)} of a budget of 100000" in lines
    assert any(line.startswith("Time: ") and line.endswith(" s") for line in lines)
    assert "completion add1" in lines[0]


def test_json_output() -> None:
    result = json.loads(run(str(GDYNIA), "--json"))
    assert set(result) == {"selected", "cost", "seconds"}
    instance = to_instance(read_pb(GDYNIA))
    expected = equal_shares(instance, completion="add1")
    assert result["selected"] == list(expected.selected)
    assert result["cost"] == expected.cost
    assert isinstance(result["seconds"], float) and result["seconds"] >= 0


@pytest.mark.parametrize("completion", ["none", "add1-past-exhaustive"])
def test_other_completions(completion: str) -> None:
    instance = to_instance(read_pb(GDYNIA))
    result = json.loads(run(str(GDYNIA), "--completion", completion, "--json"))
    assert result["selected"] == list(equal_shares(instance, completion=completion).selected)  # type: ignore[arg-type]


def test_greedy_rule() -> None:
    path = GDYNIA
    result = json.loads(run(str(path), "--rule", "greedy", "--json"))
    assert result["selected"] == list(greedy(to_instance(read_pb(path))).selected)
    with pytest.raises(CommandError, match="--completion applies to --rule equal-shares only"):
        run(str(path), "--rule", "greedy", "--completion", "add1")


def test_the_tie_break_can_be_chosen() -> None:
    path = DATA / "Poland_Swiecie_2023.pb"
    result = json.loads(run(str(path), "--tie-break", "id", "--completion", "none", "--json"))
    instance = to_instance(read_pb(path))
    assert result["selected"] == list(equal_shares(instance, completion="none", tie_break="id").selected)


def test_a_malformed_file_is_refused_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_text(ASSEN.read_text(encoding="utf-8").replace("3;7200;", "3;lots;", 1), encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.pb: line \d+: the cost of project '3' \(lots\) is not a number"):
        run(str(bad))
    with pytest.raises(CommandError, match="cannot be read"):
        run(str(tmp_path / "missing.pb"))


def command_line(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COPRODUCE_", "DJANGO_", "DATABASE_"))}
    # A database that cannot exist: the command must not need one.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/no/such/folder/db.sqlite3"
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "coproduce.cli", "budget", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_from_the_command_line_without_a_database(tmp_path: Path) -> None:
    result = command_line(str(GDYNIA), "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["selected"] == list(equal_shares(to_instance(read_pb(GDYNIA))).selected)


def test_a_bad_file_on_the_command_line_gives_one_line_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;0\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n", encoding="utf-8")
    result = command_line(str(bad), tmp_path=tmp_path)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == ["CommandError: bad.pb: line 3: the budget must be more than zero"]


def hostile(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = ASSEN.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("budget;100000", "budget;1e999999", "the budget (1e999999) is not a number written in digits"),
        (
            "budget;100000",
            "budget;" + "9" * 400,
            "the budget (99999999999999999999…) is not a number written in digits",
        ),
        ("budget;100000", "budget;1e30000", "the budget (1e30000) is not a number written in digits"),
        ("3;7200;", '3;"7200;', 'a quote (") is opened but not closed on this line'),
        ("num_votes;84", "num_votes;85", "num_votes is 85, but the file has 84"),
    ],
)
def test_hostile_files_give_one_line_and_no_traceback(tmp_path: Path, old: str, new: str, reason: str) -> None:
    """Issue 16: the first three of these printed tracebacks (the first after 25 s of work)."""
    path = hostile(tmp_path, "hostile.pb", old, new)
    with pytest.raises(CommandError) as caught:
        run(str(path))
    message = str(caught.value)
    assert re.fullmatch(rf"hostile\.pb: line \d+: {re.escape(reason)}", message), message


def test_a_hostile_file_on_the_command_line_exits_with_one_line(tmp_path: Path) -> None:
    path = hostile(tmp_path, "huge.pb", "budget;100000", "budget;1e999999")
    result = command_line(str(path), tmp_path=tmp_path)
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "CommandError: huge.pb: line 9: the budget (1e999999) is not a number written in digits"
    ]
