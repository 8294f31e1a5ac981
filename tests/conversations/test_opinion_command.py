"""``coproduce opinion FOLDER [--json]``: the opinion map of a Pol.is export folder."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from coproduce.methods import polis_csv

OPEN_DATA = Path(__file__).resolve().parent.parent / "data" / "polis" / "opendata"
BREXIT = OPEN_DATA / "brexit-consensus"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("opinion", *args, stdout=out)
    return out.getvalue()


def test_json_gives_participants_groups_consensus_and_time() -> None:
    data = json.loads(run(str(BREXIT), "--json"))
    assert set(data) >= {"participants", "groups", "consensus", "seconds"}
    export = polis_csv.read_export(BREXIT)
    assert set(data["participants"]) == {str(p) for p, *_ in export.votes}
    group_ids = {g["id"] for g in data["groups"]}
    assert len(group_ids) >= 2
    assert set(data["participants"].values()) <= group_ids | {None}
    assert sum(g["members"] for g in data["groups"]) == sum(v is not None for v in data["participants"].values())
    texts = {s.id: s.text for s in export.statements}
    for group in data["groups"]:
        assert group["representative"]
        for rep in group["representative"]:
            assert rep["text"] == texts[rep["statement"]]
            assert rep["repful_for"] in {"agree", "disagree"}
    assert data["consensus"]["agree"]
    assert all(item["p_success"] > 0.5 for item in data["consensus"]["agree"])
    assert 0 < data["seconds"] < 30


def test_text_names_the_groups_and_their_statements() -> None:
    out = run(str(BREXIT))
    assert "204 participants, 50 statements" in out
    assert "Group A (" in out and "Group B (" in out
    assert "Everyone tends to agree:" in out
    export = polis_csv.read_export(BREXIT)
    consensus_line = next(line for line in out.splitlines()[out.splitlines().index("Everyone tends to agree:") + 1 :])
    sid = int(consensus_line.split("[", 1)[1].split("]", 1)[0])
    assert sid in export.statement_ids


def test_a_folder_with_only_participant_votes_works(tmp_path: Path) -> None:
    shutil.copy(BREXIT / "comments.csv", tmp_path)
    shutil.copy(BREXIT / "participants-votes.csv", tmp_path)
    data = json.loads(run(str(tmp_path), "--json"))
    full = json.loads(run(str(BREXIT), "--json"))
    assert set(data["participants"]) == set(full["participants"])


@pytest.mark.parametrize(
    ("files", "message"),
    [([], "missing comments.csv"), (["comments.csv"], "missing votes.csv")],
)
def test_bad_folders_are_a_clear_error(tmp_path: Path, files: list[str], message: str) -> None:
    for name in files:
        shutil.copy(BREXIT / name, tmp_path)
    with pytest.raises(CommandError, match=message):
        run(str(tmp_path))


def test_missing_column_from_the_command_line_is_one_line_and_a_failure(tmp_path: Path) -> None:
    shutil.copy(BREXIT / "comments.csv", tmp_path)
    text = (BREXIT / "votes.csv").read_text(encoding="utf-8").replace("voter-id", "voter", 1)
    (tmp_path / "votes.csv").write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "coproduce.cli", "opinion", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == ["CommandError: votes.csv has no 'voter-id' column"]
    assert done.stdout == ""
