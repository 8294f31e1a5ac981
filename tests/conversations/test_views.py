"""The conversation pages as people use them: voting with and without htmx, progress, changing a vote,
adding statements, moderation, the report, export and import; bad input; queries per page."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coproduce.conversations import services, snapshots
from coproduce.conversations.models import Conversation, Participant, Snapshot, Statement, Vote, VoteEvent
from coproduce.core.audit import AuditEvent
from coproduce.methods import opinion
from tests.conftest import present, signed_in
from tests.factories import MembershipFactory, staff_membership

pytestmark = pytest.mark.django_db

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}
OPEN_DATA = Path(__file__).resolve().parent.parent / "data" / "polis" / "opendata"
SEEDS = [f"Statement number {n} about job fairs." for n in range(1, 9)]


def url(view: str, conversation: Conversation, **kwargs: Any) -> str:
    return reverse(
        f"conversations:{view}",
        kwargs={"slug": conversation.partnership.slug, "conversation_id": conversation.pk, **kwargs},
    )


def html(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def conversation(coordinator: Any) -> Conversation:
    return services.conversation_create(actor=coordinator, topic="Job fairs for parents", seeds=SEEDS)


def shown_statement(page: str) -> Statement:
    found = re.search(r'name="statement" value="(\d+)"', page)
    assert found, page
    return Statement.objects.get(pk=int(found.group(1)))


def test_the_description_is_shown_as_formatted_text_and_nothing_unsafe_gets_through(
    coordinator: Any, member: Any
) -> None:
    conversation = services.conversation_create(
        actor=coordinator,
        topic="Job fairs",
        description="Read **this** first.\n\n<script>alert(1)</script> [More](javascript:alert(1))",
        seeds=SEEDS,
    )
    page = html(signed_in(member.user).get(url("detail", conversation)))
    assert "<p>Read <strong>this</strong> first.</p>" in page
    assert "&lt;p&gt;" not in page  # formatted, not shown as tags
    assert "<script>alert" not in page  # shown as text, not run
    assert 'href="javascript:' not in page  # not made a link


# --- Voting -------------------------------------------------------------------------------------


def test_a_member_votes_through_every_statement_without_javascript(conversation: Conversation, member: Any) -> None:
    client = signed_in(member.user)
    page = html(client.get(url("vote", conversation)))
    assert "You have voted on 0 of 8 statements." in page
    seen = []
    for n in range(8):
        statement = shown_statement(page)
        assert statement.pk not in seen  # never the same statement twice
        seen.append(statement.pk)
        response = client.post(
            url("vote", conversation), {"statement": statement.pk, "vote": ["agree", "disagree", "pass"][n % 3]}
        )
        assert response.status_code == 302 and response["Location"] == url("vote", conversation)
        page = html(client.get(response["Location"]))
        assert f"You have voted on {n + 1} of 8 statements." in page
    assert "You have voted on every statement" in page
    assert 'name="statement"' not in page
    assert Vote.objects.filter(participant__user=member.user).count() == 8
    assert "no-store" in client.get(url("vote", conversation))["Cache-Control"]


def test_with_htmx_the_vote_swaps_in_the_next_statement(conversation: Conversation, member: Any) -> None:
    client = signed_in(member.user)
    first = shown_statement(html(client.get(url("vote", conversation))))
    response = client.post(url("vote", conversation), {"statement": first.pk, "vote": "agree"}, **HTMX)
    assert response.status_code == 200
    partial = html(response)
    assert partial.lstrip().startswith('<div id="vote-card"')
    assert "<html" not in partial
    assert "Your vote is recorded." in partial
    assert "You have voted on 1 of 8 statements." in partial
    assert shown_statement(partial) != first


# On SQLite a vote is a transaction of several statements; the PostgreSQL half of the suite runs this.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a vote is one statement on PostgreSQL")
def test_an_htmx_vote_is_four_queries_once_the_person_has_voted(conversation: Conversation, member: Any) -> None:
    """The session with the person, the membership, the vote, the next statement with progress (ADRs 15, 16):
    nothing else, and no column the vote left unread is fetched afterwards."""
    client = signed_in(member.user)
    first, second, third = list(conversation.statements.order_by("number"))[:3]
    client.post(url("vote", conversation), {"statement": first.pk, "vote": "agree"}, **HTMX)
    snapshots.snapshot_compute(conversation.pk)  # the next statement is drawn by the map's priorities
    client.post(url("vote", conversation), {"statement": second.pk, "vote": "agree"}, **HTMX)  # (table built)
    # A map is already waiting to be computed, so the vote asks for none (its own test: test_services).
    Conversation.objects.filter(pk=conversation.pk).update(snapshot_due_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url("vote", conversation), {"statement": third.pk, "vote": "pass"}, **HTMX)
    assert response.status_code == 200 and "You have voted on 3 of 8 statements." in html(response)
    sql = [q["sql"] for q in queries]
    assert len(sql) == 4, sql
    assert "django_session" in sql[0] and "accounts_user" in sql[0]
    assert 'INTO "conversations_vote"' in sql[2] and "routing_chosen" in sql[3]


def test_a_member_changes_a_vote_from_their_list(conversation: Conversation, member: Any) -> None:
    client = signed_in(member.user)
    statement = conversation.statements.first()
    assert statement is not None
    client.post(url("vote", conversation), {"statement": statement.pk, "vote": "agree"})
    page = html(client.get(url("my-votes", conversation)))
    assert statement.text in page and "Agree" in page
    change = f"{url('vote', conversation)}?statement={statement.pk}"
    assert change in page.replace("&amp;", "&")
    page = html(client.get(change))
    assert shown_statement(page) == statement
    assert "You agreed. Choose again to change your vote." in page
    assert 'value="agree" class="ds_button  cp-vote__button" aria-pressed="true"' in page
    client.post(url("vote", conversation), {"statement": statement.pk, "vote": "disagree"})
    assert Vote.objects.get(participant__user=member.user).value == -1


@pytest.mark.parametrize("value", ["maybe", "", "AGREE"])
def test_a_vote_other_than_agree_disagree_or_pass_gets_a_clear_message(
    conversation: Conversation, member: Any, value: str
) -> None:
    client = signed_in(member.user)
    statement = conversation.statements.first()
    assert statement is not None
    response = client.post(url("vote", conversation), {"statement": statement.pk, "vote": value}, follow=True)
    assert response.status_code == 200
    page = html(response)
    assert "Choose agree, disagree or pass." in page
    assert shown_statement(page) == statement  # asked again on the same statement
    partial = html(client.post(url("vote", conversation), {"statement": statement.pk, "vote": value}, **HTMX))
    assert "Choose agree, disagree or pass." in partial and 'role="alert"' in partial
    assert not Vote.objects.exists()


def test_a_vote_on_a_closed_conversation_or_a_taken_out_statement_is_refused_plainly(
    conversation: Conversation, coordinator: Any, member: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    client = signed_in(member.user)
    first, second = list(conversation.statements.order_by("number")[:2])
    services.statement_moderate(actor=coordinator, statement=first, publish=False, reason="Off topic")
    page = html(client.post(url("vote", conversation), {"statement": first.pk, "vote": "agree"}, follow=True))
    assert "taken out of the conversation" in page
    Conversation.objects.filter(pk=conversation.pk).update(
        opens_at=timezone.now() - timedelta(days=2), closes_at=timezone.now() - timedelta(hours=1)
    )
    page = html(client.post(url("vote", conversation), {"statement": second.pk, "vote": "agree"}, follow=True))
    assert "has closed" in page
    assert 'name="statement"' not in page
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    "data", [{"statement": "abc", "vote": "agree"}, {"vote": "agree"}, {"statement": "", "vote": "agree"}]
)
def test_a_malformed_vote_is_a_bad_request_not_an_error(
    conversation: Conversation, member: Any, data: dict[str, str]
) -> None:
    assert signed_in(member.user).post(url("vote", conversation), data).status_code == 400


def test_a_statement_of_another_conversation_elsewhere_answers_404(conversation: Conversation, member: Any) -> None:
    other = MembershipFactory(is_member=True)
    elsewhere_coordinator = staff_membership(other.partnership, role="coordinator")
    elsewhere = services.conversation_create(actor=elsewhere_coordinator, topic="Elsewhere", seeds=["Theirs"])
    statement = elsewhere.statements.get()
    response = signed_in(member.user).post(url("vote", conversation), {"statement": statement.pk, "vote": "agree"})
    assert response.status_code == 404
    assert not Vote.objects.exists()


# --- Adding statements and moderation -----------------------------------------------------------------


def test_a_member_adds_a_statement_and_bad_ones_get_messages(conversation: Conversation, member: Any) -> None:
    client = signed_in(member.user)
    for text, message in [
        ("", "Write the statement."),
        ("x" * 281, "280 characters or fewer"),
        ("statement NUMBER 1 about job fairs", "is already in this conversation"),
    ]:
        response = client.post(url("statement-new", conversation), {"text": text})
        assert response.status_code == 200
        page = html(response)
        assert message in page and "There is a problem" in page and "<title>Error:" in page
    response = client.post(url("statement-new", conversation), {"text": "A crèche at every fair."})
    assert response.status_code == 302
    assert conversation.statements.filter(text="A crèche at every fair.", status="published").exists()
    assert "A crèche at every fair." in html(client.get(url("detail", conversation)))


def test_a_coordinator_publishes_a_waiting_statement(coordinator: Any, member: Any) -> None:
    conversation = services.conversation_create(actor=coordinator, topic="T", moderation="before", seeds=["One"])
    statement = services.statement_add(actor=member, conversation=conversation, text="Mine")
    client = signed_in(coordinator.user)
    page = html(client.get(url("moderation", conversation)))
    assert "Mine" in page
    response = client.post(url("statement-moderate", conversation, statement_id=statement.pk), {"action": "publish"})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == "published"
    response = client.post(url("statement-moderate", conversation, statement_id=statement.pk), {"action": "nonsense"})
    assert response.status_code == 302
    assert "Choose publish or take out." in html(client.get(response["Location"]))


def test_a_coordinator_turns_an_idea_into_a_statement(
    conversation: Conversation, coordinator: Any, member: Any
) -> None:
    from coproduce.voice import services as voice_services

    idea = voice_services.idea_create(actor=member, title="Evening job fairs", body="After bedtime.")
    client = signed_in(coordinator.user)
    page = html(client.get(url("statement-from-idea", conversation) + f"?idea={idea.pk}"))
    assert "Evening job fairs" in page
    response = client.post(url("statement-from-idea", conversation), {"idea": idea.pk, "text": "Fairs in the evening."})
    assert response.status_code == 302
    assert conversation.statements.filter(source_idea_id=idea.pk).exists()
    assert idea.responses.get().link_url == url("detail", conversation)
    response = client.post(url("statement-from-idea", conversation), {"idea": 999999, "text": "x"})
    assert "Choose an idea from the list." in html(response)


def test_starting_a_conversation_with_bad_input_keeps_what_was_typed(coordinator: Any) -> None:
    client = signed_in(coordinator.user)
    new = reverse("conversations:new", kwargs={"slug": coordinator.partnership.slug})
    response = client.post(
        new,
        {"topic": "Job fairs", "seeds": "One\n\none", "moderation": "after", "closes_on": "31/02/2027"},
    )
    page = html(response)
    assert "Enter a real date" in page
    response = client.post(new, {"topic": "Job fairs", "seeds": "One\n\none", "moderation": "after"})
    page = html(response)
    assert "Statement 2 repeats an earlier one" in page and "Job fairs" in page
    assert not Conversation.objects.exists()
    response = client.post(
        new, {"topic": "Job fairs", "seeds": "One\nTwo", "moderation": "before", "participants_may_add": "on"}
    )
    assert response.status_code == 302
    assert Conversation.objects.get().statements.count() == 2


# --- The report -------------------------------------------------------------------------------------


def _crowd(conversation: Conversation, partnership: Any) -> tuple[list[Any], list[Any]]:
    members = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(6)]
    staff = [staff_membership(partnership, role="worker", mfa=False) for _ in range(6)]
    for i, statement in enumerate(conversation.statements.order_by("number")):
        for person in members:
            services.vote_cast(actor=person, statement_id=statement.pk, vote="agree" if i % 2 else "disagree")
        for person in staff:
            services.vote_cast(actor=person, statement_id=statement.pk, vote="disagree" if i % 2 else "agree")
    snapshots.snapshot_compute(conversation.pk)  # what the background task does (its throttle: test_services)
    return members, staff


def test_the_report_shows_groups_consensus_and_the_lens_and_says_when(
    conversation: Conversation, partnership: Any, django_assert_max_num_queries: Any
) -> None:
    members, _staff = _crowd(conversation, partnership)
    snapshot = Snapshot.objects.get(conversation=conversation)
    assert snapshot.vote_count == 96
    client = signed_in(members[0].user)
    with django_assert_max_num_queries(15):
        response = client.get(url("report", conversation))
    page = html(response)
    assert "worked out at" in page
    assert "you are here" in page
    assert "Group A" in page and "Group B" in page
    assert "Where members and staff differ most" in page
    assert "members 100% agree, staff 0% agree" in page
    assert "<svg" in page and "style=" not in page and "<script>" not in page
    assert "<caption>Agree shares of members and of staff, every statement</caption>" in page


def test_the_report_says_when_no_statement_has_a_majority_of_both_sides(
    conversation: Conversation, partnership: Any
) -> None:
    first = present(conversation.statements.order_by("number").first())
    members = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(5)]
    staff = [staff_membership(partnership, role="worker", mfa=False) for _ in range(5)]
    for person in members:
        services.vote_cast(actor=person, statement_id=first.pk, vote="agree")
    for person in staff:
        services.vote_cast(actor=person, statement_id=first.pk, vote="disagree")
    page = html(signed_in(members[0].user).get(url("report", conversation)))
    assert "members 100% agree, staff 0% agree" in page  # they differ
    assert "No statement yet that more than half of each side agrees with." in page
    assert "Not enough votes from both sides yet." not in page


@pytest.mark.parametrize(("x", "anchor", "dx"), [(-1.0, "start", 12), (1.0, "end", -12)])
def test_you_are_here_is_written_on_the_side_of_the_dot_with_room(x: float, anchor: str, dx: int) -> None:
    from coproduce.conversations import report

    result = {
        "pca": {"participant_projections": {"1": [x, 0.0], "2": [-x, 0.5], "3": [0.0, -0.5]}},
        "participants": {"1": 0, "2": 0, "3": 0},
        "groups": [{"id": 0, "members": [1, 2, 3]}],
    }
    you = report.opinion_map(result, {}, 1).you
    assert you is not None
    assert (you["label_anchor"], you["label_dx"]) == (anchor, dx)
    # At the right edge the dot is within the padding of the map's width, where a label written to its
    # right would run off the map.
    assert (you["x"] > report.MAP_SIZE / 2) == (anchor == "end")


def test_the_report_query_count_does_not_grow_with_the_conversation(
    conversation: Conversation, partnership: Any, django_assert_max_num_queries: Any, coordinator: Any
) -> None:
    _crowd(conversation, partnership)
    client = signed_in(coordinator.user)
    client.get(url("report", conversation))
    with django_assert_max_num_queries(15):
        client.get(url("report", conversation))
    for n in range(20):
        services.statement_seed(actor=coordinator, conversation=conversation, text=f"More {n}")
    _crowd(conversation, partnership)
    with django_assert_max_num_queries(15):
        assert client.get(url("report", conversation)).status_code == 200


def test_before_any_snapshot_the_report_says_so(conversation: Conversation, member: Any) -> None:
    page = html(signed_in(member.user).get(url("report", conversation)))
    assert "have not been worked out yet" in page


def test_no_page_shows_how_another_person_voted(conversation: Conversation, partnership: Any, coordinator: Any) -> None:
    members, _staff = _crowd(conversation, partnership)
    someone = members[1].user
    # A name found nowhere else on the pages (a generated name such as "Jo" would be inside "Job fairs").
    someone.display_name = "Zebedee Quillfeather"
    someone.save(update_fields=["display_name"])
    for name in ("report", "detail", "moderation", "export"):
        page = html(signed_in(coordinator.user).get(url(name, conversation)))
        assert someone.display_name not in page and someone.email not in page
    theirs = html(signed_in(members[0].user).get(url("my-votes", conversation)))
    assert theirs.count("<tr>") == 1 + conversation.statements.count()  # their own, one row each


def test_the_list_page_has_a_fixed_number_of_queries(
    coordinator: Any, member: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        services.conversation_create(actor=coordinator, topic=f"Topic {n}", seeds=[f"S {n}", f"T {n}"])
    client = signed_in(member.user)
    with django_assert_max_num_queries(10):
        page = html(client.get(reverse("conversations:list", kwargs={"slug": member.partnership.slug})))
    assert "Topic 4" in page and "You have voted on 0 of 2." in page


# --- Pol.is export and import ---------------------------------------------------------------------------


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _change_minds(conversation: Conversation, members: list[Any]) -> int:
    """Three members change their vote on the first statement, one of them twice: four more votes cast."""
    first = conversation.statements.order_by("number").first()
    assert first is not None
    for person, choices in zip(members[:3], (["pass"], ["agree"], ["pass", "disagree"]), strict=True):
        for choice in choices:
            services.vote_cast(actor=person, statement_id=first.pk, vote=choice)
    return 4


def _unzip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info).decode() for info in archive.infolist()}


def _current(conversation: Conversation) -> list[tuple[int, int, int]]:
    return sorted(
        Vote.objects.filter(conversation=conversation).values_list("participant__number", "statement__number", "value")
    )


def _history(conversation: Conversation) -> list[tuple[int, int, int]]:
    return list(
        VoteEvent.objects.filter(conversation=conversation)
        .order_by("cast_at", "pk")
        .values_list("participant__number", "statement__number", "value")
    )


def _import(client: Any, partnership: Any, uploads: list[Any], topic: str = "") -> Any:
    return client.post(
        reverse("conversations:import", kwargs={"slug": partnership.slug}), {"topic": topic, "upload": uploads}
    )


def test_the_export_page_offers_everything_in_one_zip_first(conversation: Conversation, coordinator: Any) -> None:
    page = html(signed_in(coordinator.user).get(url("export", conversation)))
    main = f'<a class="ds_button" href="{url("export-zip", conversation)}" download>Download all (zip)</a>'
    assert main in page
    assert page.index(main) < page.index(url("export-file", conversation, name="votes"))


def test_the_zip_holds_every_vote_cast_the_groups_and_a_readme_and_is_audited(
    conversation: Conversation, partnership: Any, coordinator: Any
) -> None:
    members, _staff = _crowd(conversation, partnership)
    changed = _change_minds(conversation, members)
    snapshots.snapshot_compute(conversation.pk)
    response = signed_in(coordinator.user).get(url("export-zip", conversation))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    name = response["Content-Disposition"].removeprefix('attachment; filename="').removesuffix('"')
    assert re.fullmatch(rf"conversation-{conversation.pk}-polis-export-\d{{4}}-\d{{2}}-\d{{2}}\.zip", name)
    assert "no-store" in response["Cache-Control"]
    files = _unzip(response.content)
    folder = f"conversation-{conversation.pk}/"
    names = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv", "README.txt")
    assert set(files) == {folder + n for n in names}
    readme = files[folder + "README.txt"]
    assert "“Job fairs for parents”" in readme and "Riverside Test Partnership" in readme
    assert re.search(r"Exported: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", readme)
    assert "groups of opinion of the map Coproduce worked out at" in readme
    votes = _rows(files[folder + "votes.csv"])
    assert len(votes) == 96 + changed == VoteEvent.objects.count()
    assert Vote.objects.count() == 96  # the current votes: one per person and statement
    stamps = [int(row["timestamp"]) for row in votes]
    assert stamps == sorted(stamps)
    snapshot = Snapshot.objects.get(conversation=conversation)
    number = dict(Participant.objects.values_list("pk", "number"))
    ours = {str(number[int(pk)]): "" if g is None else str(g) for pk, g in snapshot.result["participants"].items()}
    assert {row["participant"]: row["group-id"] for row in _rows(files[folder + "participants-votes.csv"])} == ours
    summary = dict(csv.reader(io.StringIO(files[folder + "summary.csv"])))
    assert summary["topic"] == "Job fairs for parents" and summary["voters"] == "12"
    assert summary["comments"] == str(conversation.statements.count())
    assert summary["groups"] == str(len({g for g in ours.values() if g})) == str(len(snapshot.result["groups"]))
    event = AuditEvent.objects.get(action="conversations.exported")
    assert event.detail == {"file": name} and event.actor_id == coordinator.user_id


def test_export_then_import_gives_the_same_current_votes_history_and_groups(
    conversation: Conversation, partnership: Any, coordinator: Any
) -> None:
    members, _staff = _crowd(conversation, partnership)
    _change_minds(conversation, members)
    snapshots.snapshot_compute(conversation.pk)
    client = signed_in(coordinator.user)
    files = {}
    for name in ("comments", "votes", "participants-votes"):
        response = client.get(url("export-file", conversation, name=name))
        assert response.status_code == 200 and response["Content-Disposition"] == f'attachment; filename="{name}.csv"'
        files[name] = response.content.decode()
    assert AuditEvent.objects.filter(action="conversations.exported").count() == 3
    comments = _rows(files["comments"])
    assert sum(int(c["agrees"]) + int(c["disagrees"]) for c in comments) == sum(
        1 for *_k, v in _current(conversation) if v
    )

    uploads = [SimpleUploadedFile(f"{name}.csv", files[name].encode(), content_type="text/csv") for name in files]
    response = _import(client, partnership, uploads, topic="Imported")
    assert response.status_code == 302, html(response)
    imported = Conversation.objects.get(topic="Imported")
    assert not imported.is_open
    assert _current(imported) == _current(conversation)
    assert _history(imported) == _history(conversation)  # every vote, in the order cast
    assert Participant.objects.filter(conversation=imported, user__isnull=False).count() == 0
    snapshot = Snapshot.objects.get(conversation=conversation)
    number = dict(Participant.objects.filter(conversation=conversation).values_list("pk", "number"))
    ours = {number[int(pk)]: group for pk, group in snapshot.result["participants"].items()}
    assert dict(Participant.objects.filter(conversation=imported).values_list("number", "imported_group")) == ours
    assert {g for g in ours.values() if g is not None}, "the groups were there to keep"


def test_an_imported_conversation_exported_before_our_map_keeps_pol_is_groups(
    coordinator: Any, partnership: Any
) -> None:
    client = signed_in(coordinator.user)
    folder = OPEN_DATA / "london.youth.policing"
    uploads = [
        SimpleUploadedFile(name, (folder / name).read_bytes())
        for name in ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")
    ]
    assert _import(client, partnership, uploads).status_code == 302
    first = Conversation.objects.get()
    assert first.topic.startswith("What is the best way to engage more young people")
    assert not Snapshot.objects.filter(conversation=first).exists()  # computed in the background, later
    files = _unzip(client.get(url("export-zip", first)).content)
    folder_name = f"conversation-{first.pk}/"
    assert "groups as imported from Pol.is" in files[folder_name + "README.txt"]
    polis_groups = {
        row["participant"]: row["group-id"] for row in _rows((folder / "participants-votes.csv").read_text())
    }
    exported = {row["participant"]: row["group-id"] for row in _rows(files[folder_name + "participants-votes.csv"])}
    assert exported == polis_groups
    upload = SimpleUploadedFile("again.zip", client.get(url("export-zip", first)).content)
    assert _import(client, partnership, [upload], topic="Again").status_code == 302
    again = Conversation.objects.get(topic="Again")
    assert _current(again) == _current(first)
    assert _history(again) == _history(first)
    groups = dict(Participant.objects.filter(conversation=again).values_list("number", "imported_group"))
    assert {str(n): "" if g is None else str(g) for n, g in groups.items()} == polis_groups

    # Once our map is worked out, participants-votes.csv has our groups and Pol.is's go beside them.
    snapshots.snapshot_compute(first.pk)
    files = _unzip(client.get(url("export-zip", first)).content)
    assert {row["participant"]: row["group-id"] for row in _rows(files[folder_name + "imported-groups.csv"])} == (
        polis_groups
    )
    assert "imported-groups.csv" in files[folder_name + "README.txt"]


def test_the_report_of_an_imported_conversation_compares_pol_is_groups_with_ours(
    coordinator: Any, partnership: Any, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(coordinator.user)
    folder = OPEN_DATA / "london.youth.policing"
    uploads = [
        SimpleUploadedFile(n, (folder / n).read_bytes())
        for n in ("comments.csv", "votes.csv", "participants-votes.csv")
    ]
    assert _import(client, partnership, uploads, topic="Policing").status_code == 302
    imported = Conversation.objects.get()
    page = html(client.get(url("report", imported)))
    assert "Groups as imported from Pol.is" in page
    assert "which had put 24 people in groups of opinion" in page
    assert "compared once the map has been worked out" in page
    snapshots.snapshot_compute(imported.pk)
    with django_assert_max_num_queries(16):
        page = html(client.get(url("report", imported)))
    found = re.search(r"over the (\d+) people in a group in both: (-?\d\.\d\d)", page)
    assert found, page
    number = dict(Participant.objects.filter(conversation=imported).values_list("pk", "number"))
    result = Snapshot.objects.get(conversation=imported).result["participants"]
    theirs = dict(Participant.objects.filter(conversation=imported).values_list("pk", "imported_group"))
    both = [pk for pk in number if theirs[pk] is not None and result.get(str(pk)) is not None]
    expected = opinion.adjusted_rand_index([theirs[pk] for pk in both], [result[str(pk)] for pk in both])
    assert int(found.group(1)) == len(both) and found.group(2) == f"{expected:.2f}"
    # the first map was rebuilt from the imported votes' history (640 votes: 17 stretches of up to a minute)
    assert Snapshot.objects.get(conversation=imported).history_updates == 17
    assert (
        "The first map was rebuilt from the imported history: the votes were taken in the order they were cast "
        "and the groups worked out 17 times, once for each stretch of up to 1 minute of votes"
    ) in " ".join(page.split())
    # a conversation of our own has no such section
    other = services.conversation_create(actor=coordinator, topic="Ours", seeds=["One"])
    page = html(client.get(url("report", other)))
    assert "Groups as imported from Pol.is" not in page and "rebuilt from the imported history" not in page


def test_an_import_without_pol_is_groups_still_says_its_first_map_was_rebuilt(
    coordinator: Any, partnership: Any
) -> None:
    client = signed_in(coordinator.user)
    folder = OPEN_DATA / "london.youth.policing"
    uploads = [SimpleUploadedFile(n, (folder / n).read_bytes()) for n in ("comments.csv", "votes.csv")]
    assert _import(client, partnership, uploads, topic="Policing").status_code == 302
    imported = Conversation.objects.get()
    snapshots.snapshot_compute(imported.pk)
    page = " ".join(html(client.get(url("report", imported))).split())
    assert "Groups as imported from Pol.is" not in page
    assert "the groups worked out 17 times, once for each stretch of up to 1 minute of votes" in page


GOOD_COMMENTS = "comment-id,comment-body\n1,Hello\n"


def with_comments(name: str, text: str) -> dict[str, str]:
    """A good comments.csv and one other file."""
    return {"comments.csv": GOOD_COMMENTS, name: text}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"votes.csv": "timestamp,datetime,comment-id,voter-id,vote\n"}, "The export has no comments.csv file."),
        ({"comments.csv": GOOD_COMMENTS}, "The export has no votes.csv (or participants-votes.csv) file."),
        (
            {"comments.csv": "comment-id,body\n1,Hello\n", "votes.csv": "comment-id,voter-id,vote\n"},
            "comments.csv has no column “comment-body”.",
        ),
        (
            with_comments("votes.csv", "comment-id,voter\n1,2\n"),
            "votes.csv has no columns “voter-id”, “vote”.",
        ),
        (
            with_comments("participants-votes.csv", "person,group-id,1\n1,0,1\n"),
            "participants-votes.csv has no column “participant”.",
        ),
        (
            with_comments("votes.csv", "comment-id,voter-id,vote\n1,2,5\n"),
            "votes.csv, line 2: a vote must be 1, -1 or 0, not 5 (column “vote”).",
        ),
        (
            with_comments("votes.csv", "comment-id,voter-id,vote\n1,2,1\n7,2,1\n"),
            "votes.csv, line 3: comment 7 is not in comments.csv.",
        ),
        (
            with_comments("participants-votes.csv", "participant,group-id,1,9\n1,0,1,\n"),
            "participants-votes.csv: column “9” is for comment 9, which is not in comments.csv.",
        ),
        (
            {"comments.csv": "comment-id,comment-body\nx,Hello\n", "votes.csv": "comment-id,voter-id,vote\n"},
            "comments.csv, line 2: “x” in column “comment-id” is not a whole number.",
        ),
        (
            with_comments("votes.csv", "comment-id,voter-id,vote\n1,-4,1\n"),
            "votes.csv, line 2: -4 in column “voter-id” is not between 0 and 2147483647.",
        ),
        (
            with_comments("votes.csv", "timestamp,comment-id,voter-id,vote\ninf,1,2,1\n"),
            "votes.csv, line 2: “inf” in column “timestamp” is not a whole number.",
        ),
        (
            with_comments("votes.csv", "timestamp,comment-id,voter-id,vote\n1e30,1,2,1\n"),
            "in column “timestamp” is not a time (milliseconds since 1970).",
        ),
        (
            with_comments("participants-votes.csv", "participant,group-id,1\n1,A,1\n"),
            "participants-votes.csv, line 2: “A” in column “group-id” is not a whole number.",
        ),
        (
            with_comments("participants-votes.csv", "participant,group-id,1\n1,0,1\n1,1,-1\n"),
            "participants-votes.csv, line 3: participant 1 appears twice.",
        ),
        (
            {"comments.csv": "comment-id,comment-body\n1,Hello\n1,Again\n", "votes.csv": "comment-id,voter-id,vote\n"},
            "comments.csv, line 3: comment-id 1 appears twice.",
        ),
        (
            with_comments("votes.csv", "timestamp,comment-id,voter-id,vote\n1,1,2\n"),
            "votes.csv, line 2 has 3 values where the header has 4.",
        ),
        ({"comments.csv": "", "votes.csv": "comment-id,voter-id,vote\n"}, "One of the files is empty."),
        (
            {"comments.csv": "\n", "votes.csv": "comment-id,voter-id,vote\n"},
            "comments.csv is empty: it has no header row.",
        ),
        (
            {"comments.csv": "comment-id,comment-body\n1,Hel\x00lo\n", "votes.csv": "comment-id,voter-id,vote\n"},
            "comments.csv, line 2 cannot be read as CSV.",
        ),
        (
            {"comments.csv": "comment-id,comment-body\n1,   \n", "votes.csv": "comment-id,voter-id,vote\n"},
            "comments.csv: comment 1 has no words.",
        ),
        ({"export.zip": "not a zip"}, "is not a zip file that can be opened"),
        ({"notes.txt": "hello"}, "is not a .csv or .zip file"),
    ],
)
def test_a_bad_export_names_what_is_wrong_and_saves_nothing(
    coordinator: Any, files: dict[str, str], message: str
) -> None:
    uploads = [SimpleUploadedFile(name, text.encode()) for name, text in files.items()]
    response = _import(signed_in(coordinator.user), coordinator.partnership, uploads)
    assert response.status_code == 200
    page = html(response)
    assert message in page, page
    assert "There is a problem" in page and "<title>Error:" in page
    for model in (Conversation, Statement, Participant, Vote, VoteEvent):
        assert not model.objects.exists(), model


def test_a_file_that_is_not_utf8_and_a_zip_with_two_exports_are_refused(coordinator: Any) -> None:
    client = signed_in(coordinator.user)
    latin = [
        SimpleUploadedFile("comments.csv", "comment-id,comment-body\n1,Café\n".encode("latin-1")),
        SimpleUploadedFile("votes.csv", b"comment-id,voter-id,vote\n"),
    ]
    assert "“comments.csv” is not a UTF-8 text file." in html(_import(client, coordinator.partnership, latin))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for folder in ("one", "two"):
            archive.writestr(f"{folder}/comments.csv", GOOD_COMMENTS)
    upload = SimpleUploadedFile("two.zip", buffer.getvalue())
    page = html(_import(client, coordinator.partnership, [upload]))
    assert "There are two files called “comments.csv”: upload one export at a time." in page
    assert not Conversation.objects.exists()


def test_a_zipped_export_folder_is_imported(coordinator: Any) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("my-export/comments.csv", "comment-id,comment-body,moderated\n0,One,1\n1,Two,-1\n")
        archive.writestr(
            "my-export/participants-votes.csv",
            "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n0,1,0,2,1,0,1,0\n1,,0,1,0,1,-1,\n",
        )
        archive.writestr("my-export/summary.csv", "topic,Free bus passes\nurl,https://pol.is/x\n")
    upload = SimpleUploadedFile("export.zip", buffer.getvalue(), content_type="application/zip")
    response = _import(signed_in(coordinator.user), coordinator.partnership, [upload])
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.topic == "Free bus passes"
    assert list(conversation.statements.values_list("text", "status")) == [
        ("One", "published"),
        ("Two", "moderated_out"),
    ]
    assert _current(conversation) == [(0, 0, 1), (0, 1, 0), (1, 0, -1)]
    assert sorted(_history(conversation)) == _current(conversation)  # no timestamps: one vote each, as imported
    assert dict(Participant.objects.values_list("number", "imported_group")) == {0: 1, 1: None}


def test_the_home_page_lists_open_conversations_with_progress(conversation: Conversation, member: Any) -> None:
    statement = conversation.statements.first()
    assert statement is not None
    services.vote_cast(actor=member, statement_id=statement.pk, vote="agree")
    page = html(signed_in(member.user).get(reverse("partnerships:home", kwargs={"slug": member.partnership.slug})))
    assert "Job fairs for parents" in page
    assert "you have voted on 1 of 8" in page
    assert url("vote", conversation) in page


def test_the_home_page_lists_only_the_three_newest_open_conversations(coordinator: Any, member: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from coproduce.conversations.selectors import open_conversations

    now = timezone.now()
    made = {
        topic: services.conversation_create(actor=coordinator, topic=topic, seeds=["A statement"])
        for topic in ["Oldest open", "Open two", "Open three", "Newest open", "Closed already", "Not open yet"]
    }
    Conversation.objects.filter(pk=made["Closed already"].pk).update(
        opens_at=now - timedelta(days=2), closes_at=now - timedelta(minutes=1)
    )
    Conversation.objects.filter(pk=made["Not open yet"].pk).update(opens_at=now + timedelta(days=1))
    assert [c.topic for c in open_conversations(member)] == ["Newest open", "Open three", "Open two"]
    page = html(signed_in(member.user).get(reverse("partnerships:home", kwargs={"slug": member.partnership.slug})))
    for topic in ["Newest open", "Open three", "Open two"]:
        assert topic in page
    for topic in ["Oldest open", "Closed already", "Not open yet"]:
        assert topic not in page


def test_the_home_pages_counts_are_the_orms(coordinator: Any, member: Any) -> None:
    from django.db.models import Count, Q

    from coproduce.conversations.selectors import open_conversations

    first = services.conversation_create(actor=coordinator, topic="First", seeds=["One", "Two", "Three"])
    second = services.conversation_create(actor=coordinator, topic="Second", seeds=["Four", "Five"])
    other = MembershipFactory(partnership=member.partnership)
    statements = list(first.statements.order_by("number"))
    for statement in statements:
        services.vote_cast(actor=member, statement_id=statement.pk, vote="agree")
        services.vote_cast(actor=other, statement_id=statement.pk, vote="disagree")
    # A statement taken out after the vote no longer counts, in either number.
    Statement.objects.filter(pk=statements[0].pk).update(status=Statement.Status.MODERATED_OUT)
    published = Q(statements__status=Statement.Status.PUBLISHED)
    expected = {
        c.pk: (c.n_statements, c.n_mine)
        for c in Conversation.objects.filter(partnership=member.partnership).annotate(
            n_statements=Count("statements", filter=published, distinct=True),
            n_mine=Count(
                "votes",
                filter=Q(votes__participant__user_id=member.user_id, votes__statement__status="published"),
                distinct=True,
            ),
        )
    }
    found = {c.pk: (c.statement_count, c.my_vote_count) for c in open_conversations(member)}  # type: ignore[attr-defined]
    assert found == expected == {first.pk: (2, 2), second.pk: (2, 0)}
