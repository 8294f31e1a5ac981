""" "My data": everything about the person, from every capability, and nothing about anyone else."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.core.models import AuditEvent
from coproduce.partnerships.my_data import my_data_document
from coproduce.partnerships.my_data_files import readable
from coproduce.partnerships.personal_data import personal_data_exports
from coproduce.support.models import SupportPlan
from coproduce.support.services import goal_create
from coproduce.voice.models import Idea
from tests.conftest import signed_in
from tests.factories import MembershipFactory, PartnershipFactory
from tests.partnerships.my_data_world import data_everywhere
from tests.voice.factories import IdeaFactory

pytestmark = pytest.mark.django_db

# What each capability must hold for a person who used it (the check: something from every one).
EXPECTED_ROWS = {
    "account": ["account", "two_factor_methods", "sessions", "sign_in_events"],
    "partnership": ["membership", "invitations_to_you"],
    "support": ["plan", "goals", "who_has_looked", "notifications"],
    "voice": ["ideas", "comments", "supports", "follows", "flags", "notifications"],
    "conversations": ["conversations", "statements", "votes", "vote_history"],
    "fund": ["proposals", "ballots", "ballot_choices"],
    "improvement": ["tests_of_change", "decisions", "feedback"],
    "records": ["audit_events", "emails"],
}


def url(name: str, membership: Any) -> str:
    return reverse(f"partnerships:{name}", kwargs={"slug": membership.partnership.slug})


def download_json(membership: Any) -> dict[str, Any]:
    response = signed_in(membership.user).get(url("my-data-json", membership))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    return json.loads(response.content)  # type: ignore[no-any-return]


@pytest.fixture
def people(partnership: Any, member: Any, worker: Any) -> dict[str, Any]:
    other = MembershipFactory(partnership=partnership, is_member=True)
    data_everywhere(member, mark="MINE", staff=worker)
    data_everywhere(other, mark="THEIRS", staff=worker)
    return {"member": member, "other": other, "worker": worker}


def test_every_capability_is_registered() -> None:
    assert {e.key for e in personal_data_exports()} == set(EXPECTED_ROWS)


def test_the_download_holds_something_from_every_capability_and_nothing_of_anyone_else(people: Any) -> None:
    document = download_json(people["member"])
    assert document["format"] == "coproduce-my-data"
    assert document["version"] == 1
    assert document["made_at"]
    for key, tables in EXPECTED_ROWS.items():
        part = document["capabilities"][key]
        for table in tables:
            assert part["tables"][table], f"{key}.{table} is empty"
    text = json.dumps(document)
    assert "MINE" in text
    assert "THEIRS" not in text
    # The words of what they did, not only that they did it.
    assert document["capabilities"]["conversations"]["tables"]["votes"][0]["statement"] == "MINE statement 0"
    assert document["capabilities"]["support"]["tables"]["goals"][0]["goal"] == "MINE goal 0"
    assert document["capabilities"]["support"]["tables"]["who_has_looked"][0]["who"] == "MINE reader"
    assert document["capabilities"]["fund"]["tables"]["ballot_choices"][0]["proposal"] == "MINE proposal"
    decisions = document["capabilities"]["improvement"]["tables"]["decisions"]
    assert decisions[0]["your_part"] == "co-signed"


def test_no_secret_leaves_the_account(people: Any) -> None:
    member = people["member"]
    text = json.dumps(my_data_document(member))
    assert member.user.password not in text
    assert "s-MINE-" not in text  # the session key
    assert "password" not in json.dumps(my_data_document(member)["capabilities"]["account"]["tables"]["account"])


def test_another_partnership_of_the_same_person_stays_out(people: Any, worker: Any) -> None:
    member = people["member"]
    elsewhere = MembershipFactory(partnership=PartnershipFactory(), user=member.user, is_member=True)
    data_everywhere(elsewhere, mark="ELSEWHERE", staff=MembershipFactory(partnership=elsewhere.partnership))
    document = my_data_document(member)
    for key, part in document["capabilities"].items():
        if key == "account":
            continue  # the account is one, for every partnership: its sessions and sign-ins are the same
        tables = {name: rows for name, rows in part["tables"].items() if (key, name) != ("records", "emails")}
        assert "ELSEWHERE" not in json.dumps(tables), key


def test_staff_get_their_own_data_not_the_plans_they_read(people: Any) -> None:
    document = download_json(people["worker"])
    text = json.dumps(document)
    assert "MINE goal" not in text
    assert "THEIRS goal" not in text
    assert document["capabilities"]["support"]["tables"]["plan"] == []
    # Their own acts are there; what they acted on is named only by its kind.
    events = document["capabilities"]["records"]["tables"]["audit_events"]
    roles_changed = [e for e in events if e["what"] == "membership.roles_changed"]
    assert roles_changed
    assert all(e["by"] == "you" and e["about_label"] == "" for e in roles_changed)
    assert document["capabilities"]["improvement"]["tables"]["decisions"][0]["your_part"] == "decided"


def test_every_role_reaches_only_their_own_page(
    people: Any, coordinator: Any, observer: Any, partner_lead: Any
) -> None:
    for membership in (people["member"], people["worker"], coordinator, observer, partner_lead):
        response = signed_in(membership.user).get(url("my-data", membership))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    page = signed_in(people["member"].user).get(url("my-data", people["member"])).content.decode()
    assert "MINE" not in page  # a summary: counts, not the words
    assert "Ideas: 1" in page
    assert "Your votes: 1" in page
    # There is no address for someone else's data: an id after it is a page that does not exist.
    other = people["other"]
    assert signed_in(people["member"].user).get(url("my-data", people["member"]) + f"{other.pk}/").status_code == 404


def test_another_partnerships_download_is_a_404(people: Any, outsider: Any) -> None:
    for name in ("my-data", "my-data-json", "my-data-zip"):
        assert signed_in(outsider.user).get(url(name, people["member"])).status_code == 404


def test_downloads_are_get_only(member: Any) -> None:
    for name in ("my-data", "my-data-json", "my-data-zip"):
        assert signed_in(member.user).post(url(name, member)).status_code == 405


def test_every_download_is_audited(member: Any) -> None:
    client = signed_in(member.user)
    client.get(url("my-data", member))
    assert not AuditEvent.objects.filter(action="data.exported").exists()  # looking at the page is not a download
    client.get(url("my-data-json", member))
    client.get(url("my-data-zip", member))
    events = AuditEvent.objects.filter(action="data.exported", partnership_id=member.partnership_id)
    assert sorted(e.detail["format"] for e in events) == ["json", "zip"]
    assert {(e.actor_id, e.target_id) for e in events} == {(member.user_id, str(member.pk))}


def test_the_zip_reads_offline_with_an_index_a_page_per_capability_and_a_csv_per_table(people: Any) -> None:
    member = people["member"]
    Idea.objects.filter(author=member.user).update(title="<script>alert(1)</script>", body="=HYPERLINK(1)")
    response = signed_in(member.user).get(url("my-data-zip", member))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    document = json.loads(archive.read("my-data.json"))
    assert "index.html" in names
    index = archive.read("index.html").decode()
    for key, part in document["capabilities"].items():
        assert f"{key}.html" in names
        assert f'href="{key}.html"' in index
        for table, rows in part["tables"].items():
            with archive.open(f"{key}/{table}.csv") as file:
                read = list(csv.reader(io.TextIOWrapper(file, encoding="utf-8-sig")))
            assert len(read) == len(rows) + 1  # a heading row, then one row each
    voice = archive.read("voice.html").decode()
    assert "<script>alert(1)</script>" not in voice
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in voice
    with archive.open("voice/ideas.csv") as file:
        ideas = list(csv.DictReader(io.TextIOWrapper(file, encoding="utf-8-sig")))
    assert ideas[0]["idea"] == "'=HYPERLINK(1)"  # not a formula in a spreadsheet
    support = archive.read("support.html").decode()
    assert "MINE goal 0" in support
    assert "THEIRS" not in "".join(archive.read(n).decode("utf-8-sig") for n in names)


def test_dates_are_written_in_words() -> None:
    assert readable("2026-11-03") == "3 November 2026"
    assert readable("2026-11-03T09:05:00+00:00") == "3 November 2026, 09:05"
    assert readable(None) == "–"
    assert readable(True) == "Yes"
    assert readable(["a", "b"]) == "a; b"
    assert readable("2026 was a year") == "2026 was a year"


@pytest.mark.parametrize("key", sorted(EXPECTED_ROWS))
def test_each_capability_reads_a_fixed_number_of_queries(key: str, partnership: Any, worker: Any) -> None:
    export = next(e for e in personal_data_exports() if e.key == key)
    few = MembershipFactory(partnership=partnership, is_member=True)
    many = MembershipFactory(partnership=partnership, is_member=True)
    data_everywhere(few, mark="FEW", staff=worker, n=1)
    data_everywhere(many, mark="MANY", staff=worker, n=6)

    def queries(membership: Any) -> int:
        membership = type(membership).objects.select_related("user", "partnership").get(pk=membership.pk)
        with CaptureQueriesContext(connection) as captured:
            export.export(membership)
        return len(captured.captured_queries)

    assert queries(many) == queries(few)


def test_the_page_and_the_downloads_keep_a_fixed_number_of_queries(
    partnership: Any, worker: Any, django_assert_max_num_queries: Any
) -> None:
    few = MembershipFactory(partnership=partnership, is_member=True)
    data_everywhere(few, mark="FEW", staff=worker, n=1)
    client = signed_in(few.user)
    for name in ("my-data", "my-data-zip"):
        client.get(url(name, few))  # warm caches
        with django_assert_max_num_queries(80) as counted:
            client.get(url(name, few))
        data_everywhere(MembershipFactory(partnership=partnership, is_member=True), mark="X", staff=worker, n=1)
        # More of the person's own data: the same queries.
        plan = SupportPlan.objects.get(member=few)
        for i in range(5):
            goal_create(actor=few, plan=plan, text=f"more {name} {i}")
        IdeaFactory(partnership=partnership, author=few.user)
        with django_assert_max_num_queries(len(counted.captured_queries)):
            client.get(url(name, few))
