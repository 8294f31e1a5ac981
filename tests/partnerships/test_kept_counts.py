"""``coproduce check-counts``: every count kept on a row equals its recount; a corrupted one of each kind is
found and named; one query per kind; narrowed to one partnership when asked (partnerships/kept_counts.py)."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from coproduce import cli
from coproduce.demo_data import load_demo
from coproduce.partnerships.kept_counts import KeptCount, all_mismatches, kept_counts, mismatches
from coproduce.partnerships.models import Partnership
from coproduce.voice.models import Idea, Support
from tests.factories import MembershipFactory, PartnershipFactory
from tests.voice.factories import IdeaFactory

# What the capabilities keep today; a new kind adds itself here and in docs/integrity.md.
KINDS = {
    "conversations.conversation.published_count",
    "conversations.participant.votes_cast",
    "fund.ballot.total_cost_pence",
    "fund.ballot.total_points",
    "learning.event.capacity",
    "voice.idea.comment_count",
    "voice.idea.support_count",
}


def check_counts(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("check_counts", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def corrupt(kept: KeptCount) -> tuple[Any, int]:
    """Make one row's kept number wrong, as a lost or doubled write would: (the row's key, the wrong number)."""
    rows = kept.model._default_manager.filter(kept.rows).annotate(recounted=kept.recount)
    if kept.rule == "at_most":
        # A limit is broken when the places taken exceed it: the fullest row, its capacity one below them.
        row = rows.filter(recounted__gt=0).order_by("-recounted").values("pk", "recounted").first()
        assert row is not None, f"the demo has no row that keeps {kept.key}"
        wrong = row["recounted"] - 1
    else:
        row = rows.order_by("pk").values("pk", "recounted").first()
        assert row is not None, f"the demo has no row that keeps {kept.key}"
        wrong = row["recounted"] + 1
    kept.model._default_manager.filter(pk=row["pk"]).update(**{kept.field: wrong})
    return row["pk"], wrong


def test_every_capability_registers_its_kept_counts() -> None:
    assert {kept.key for kept in kept_counts()} == KINDS


@pytest.mark.django_db
def test_the_demo_is_clean_and_each_kind_corrupted_is_found_and_named() -> None:
    load_demo()
    code, out, _err = check_counts("--json")
    report = json.loads(out)
    assert (code, report["ok"], report["mismatches"]) == (0, True, [])
    assert {kind["key"] for kind in report["kinds"]} == KINDS
    for kept in kept_counts():
        row, wrong = corrupt(kept)
        code, out, err = check_counts()
        assert code == 1, kept.key
        lines = out.splitlines()
        assert len(lines) == 1, (kept.key, lines)
        model = kept.model._meta.label
        assert lines[0].startswith(f"{model} {row} {kept.field}: "), lines[0]
        assert f" {wrong}, recounted " in lines[0]
        assert "1 mismatches" in err
        code, out, _err = check_counts("--json")
        (found,) = json.loads(out)["mismatches"]
        assert (found["model"], found["id"], found["field"], found["kept"]) == (model, row, kept.field, wrong)
        assert code == 1
        # Put right again, so that the next kind is the only one wrong.
        recounted = found["recounted"] if kept.rule == "equal" else None
        kept.model._default_manager.filter(pk=row).update(**{kept.field: recounted})
        assert mismatches(kept) == []


@pytest.mark.django_db
def test_one_query_per_kind_however_many_rows() -> None:
    partnership = PartnershipFactory()
    for _ in range(3):
        idea = IdeaFactory(partnership=partnership)
        for _ in range(2):
            Support.objects.create(idea=idea, user=MembershipFactory(partnership=partnership).user)
    Idea.objects.filter(partnership=partnership).update(support_count=F("support_count") + 3)
    with CaptureQueriesContext(connection) as queries:
        found = all_mismatches()
    assert len(queries) == len(kept_counts())
    assert sorted((m.key, m.kept, m.recounted) for m in found) == [("voice.idea.support_count", 3, 2)] * 3


@pytest.mark.django_db
def test_narrowed_to_one_partnership() -> None:
    riverside, hillside = PartnershipFactory(slug="riverside"), PartnershipFactory(slug="hillside")
    idea = IdeaFactory(partnership=riverside)
    IdeaFactory(partnership=hillside)
    Idea.objects.filter(pk=idea.pk).update(comment_count=5)
    assert check_counts("--partnership", "hillside")[0] == 0
    code, out, _err = check_counts("--partnership", "riverside")
    assert code == 1
    assert out.startswith(f"voice.Idea {idea.pk} comment_count: kept 5, recounted 0")
    assert Partnership.objects.count() == 2
    with pytest.raises(CommandError, match="nowhere"):
        check_counts("--partnership", "nowhere")


def test_the_command_line_spells_it_with_a_hyphen(monkeypatch: pytest.MonkeyPatch) -> None:
    # Django's own runner closes the database connection when a command ends (it would end the test's
    # transaction on PostgreSQL): here only the command line handed to it is looked at.
    import django.core.management

    ran: list[list[str]] = []
    monkeypatch.setattr(django.core.management, "execute_from_command_line", ran.append)
    assert cli.main(["coproduce", "check-counts", "--json"]) == 0
    assert ran == [["coproduce", "check_counts", "--json"]]
    from django.core.management import get_commands

    assert get_commands()["check_counts"] == "coproduce.partnerships"
