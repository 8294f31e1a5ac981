""" "My data": everything about the person, from every capability, and nothing about anyone else."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from typing import Any

import pytest
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coproduce.core.models import AuditEvent
from coproduce.demo_data import load_demo
from coproduce.partnerships.models import Membership, MyDataExport
from coproduce.partnerships.my_data import my_data_document
from coproduce.partnerships.my_data_files import readable
from coproduce.partnerships.personal_data import personal_data_exports
from coproduce.partnerships.services import my_data_export_build, my_data_export_failed, my_data_exports_purge
from coproduce.support.models import SupportPlan
from coproduce.support.services import goal_create
from coproduce.voice.models import Idea
from tests.conftest import present, signed_in
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership
from tests.partnerships.my_data_world import data_everywhere
from tests.voice.factories import IdeaFactory

pytestmark = pytest.mark.django_db

# What each capability must hold for a person who used it (the check: something from every one).
EXPECTED_ROWS = {
    "account": ["account", "two_factor_methods", "sessions", "sign_in_events"],
    "partnership": ["membership", "invitations_to_you"],
    "support": ["plan", "goals", "who_has_looked"],
    "voice": ["ideas", "comments", "supports", "follows", "flags"],
    "notifications": ["notices"],
    "conversations": ["conversations", "statements", "votes", "vote_history"],
    "fund": ["proposals", "ballots", "ballot_choices"],
    "improvement": ["tests_of_change", "decisions", "feedback"],
    "governance": ["declared_interests"],
    "decisions": ["answers", "comments"],
    "commitments": ["reviews"],
    "learning": ["registrations", "needs", "attendance"],
    "learning_pay": ["claims", "calendar_link"],
    "learning_log": ["log_entries", "log_named"],
    "evaluation": [
        "answers",
        "free_text",
        "question_answers",
        "offers",
        "panel",
        "panel_comments",
        "health_replies",
        "health_ratings",
    ],
    "outcomes": ["outcomes", "priority_groups", "corrections", "outcome_reads"],
    "records": ["audit_events", "emails"],
}


# Capabilities where only staff make anything about themselves (a member such as Aisha has nothing there):
# reviews of commitments are recorded by staff.
STAFF_ONLY = {"commitments"}


def url(name: str, membership: Any) -> str:
    return reverse(f"partnerships:{name}", kwargs={"slug": membership.partnership.slug})


@pytest.fixture
def prepare(django_capture_on_commit_callbacks: Any) -> Any:
    """Ask for the person's download on the page, and run the background task as the worker would."""

    def prepared(membership: Any) -> Client:
        client = signed_in(membership.user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url("my-data", membership))
        assert response.status_code == 302
        assert MyDataExport.objects.get(membership=membership).status == "ready"
        return client

    return prepared


def download_json(client: Client, membership: Any) -> dict[str, Any]:
    response = client.get(url("my-data-json", membership))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    return json.loads(response.content)


@pytest.fixture
def people(partnership: Any, member: Any, worker: Any) -> dict[str, Any]:
    other = MembershipFactory(partnership=partnership, is_member=True)
    data_everywhere(member, mark="MINE", staff=worker)
    data_everywhere(other, mark="THEIRS", staff=worker)
    return {"member": member, "other": other, "worker": worker}


def test_every_capability_is_registered() -> None:
    assert {e.key for e in personal_data_exports()} == set(EXPECTED_ROWS)


def test_the_download_holds_something_from_every_capability_and_nothing_of_anyone_else(
    people: Any, prepare: Any
) -> None:
    document = download_json(prepare(people["member"]), people["member"])
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


def test_staff_get_their_own_data_not_the_plans_they_read(people: Any, prepare: Any) -> None:
    document = download_json(prepare(people["worker"]), people["worker"])
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


def test_every_role_prepares_reads_and_downloads_their_own(
    people: Any, coordinator: Any, observer: Any, partner_lead: Any, prepare: Any
) -> None:
    for membership in (people["member"], people["worker"], coordinator, observer, partner_lead):
        client = signed_in(membership.user)
        page = client.get(url("my-data", membership))
        assert page.status_code == 200
        assert "Prepare my data" in page.content.decode()
        assert "Tests of change" in page.content.decode()  # what it gathers, before it is prepared
        client = prepare(membership)
        page = client.get(url("my-data", membership))
        assert "no-store" in page["Cache-Control"]
        assert "Your data is ready" in page.content.decode()
        for name in ("my-data-json", "my-data-zip"):
            response = client.get(url(name, membership))
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"]
        document = json.loads(client.get(url("my-data-json", membership)).content)
        assert document["person"]["email"] == membership.user.email
    summary = signed_in(people["member"].user).get(url("my-data", people["member"])).content.decode()
    assert "MINE" not in summary  # a summary: counts, not the words
    assert "Ideas: 1" in summary
    assert "Your votes: 1" in summary
    # There is no address for someone else's data: an id after it is a page that does not exist.
    other = people["other"]
    assert signed_in(people["member"].user).get(url("my-data", people["member"]) + f"{other.pk}/").status_code == 404


def test_one_persons_download_is_never_served_to_another(people: Any, prepare: Any) -> None:
    prepare(people["member"])
    other = signed_in(people["other"].user)
    # The other person has prepared nothing: they are sent to prepare their own, and get nothing of the member's.
    for name in ("my-data-json", "my-data-zip"):
        response = other.get(url(name, people["other"]))
        assert response.status_code == 302
        assert response["Location"] == url("my-data", people["other"])
    assert "Your data is ready" not in other.get(url("my-data", people["other"])).content.decode()


def test_progress_is_shown_while_it_is_prepared_and_the_status_polls(member: Any) -> None:
    client = signed_in(member.user)
    client.post(url("my-data", member))  # the task waits for the commit that never comes in this test
    export = MyDataExport.objects.get(membership=member)
    assert export.status == "waiting"
    MyDataExport.objects.filter(pk=export.pk).update(status="building", parts_done=3, parts_total=8)
    page = client.get(url("my-data", member)).content.decode()
    assert "3 of 8 parts gathered" in page
    assert 'hx-trigger="every 3s"' in page
    assert "Check again" in page  # without JavaScript
    partial = client.get(url("my-data", member) + "?partial=status").content.decode()
    assert partial.lstrip().startswith('<div id="my-data-status"')
    # Asking again while it is prepared changes nothing.
    client.post(url("my-data", member))
    assert MyDataExport.objects.filter(membership=member).count() == 1


def test_a_download_is_kept_for_a_day_then_gone(member: Any, prepare: Any) -> None:
    client = prepare(member)
    export = MyDataExport.objects.get(membership=member)
    assert export.expires_at - present(export.finished_at) == datetime.timedelta(hours=24)
    MyDataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(url("my-data-zip", member)).status_code == 302
    # The next request from anyone deletes what is past its time, and so does the purge a scheduled job may run.
    prepare(MembershipFactory(partnership=member.partnership, is_member=True))
    assert not MyDataExport.objects.filter(pk=export.pk).exists()
    MyDataExport.objects.update(expires_at=timezone.now())
    assert my_data_exports_purge() == 1
    assert not MyDataExport.objects.exists()


def test_a_failed_preparation_says_so_and_offers_to_try_again(member: Any) -> None:
    client = signed_in(member.user)
    client.post(url("my-data", member))
    export = MyDataExport.objects.get(membership=member)
    my_data_export_failed(export.pk)
    page = client.get(url("my-data", member)).content.decode()
    assert "Something went wrong preparing your data" in page
    assert "Prepare my data" in page


def test_building_twice_changes_nothing(member: Any, prepare: Any) -> None:
    prepare(member)
    export = MyDataExport.objects.get(membership=member)
    assert my_data_export_build(export_id=export.pk) == "ready"
    assert MyDataExport.objects.get(pk=export.pk).finished_at == export.finished_at
    assert my_data_export_build(export_id=export.pk + 1000) == "gone"


def test_another_partnerships_page_and_downloads_are_a_404(people: Any, outsider: Any, prepare: Any) -> None:
    prepare(people["member"])
    for name in ("my-data", "my-data-json", "my-data-zip"):
        assert signed_in(outsider.user).get(url(name, people["member"])).status_code == 404
    assert signed_in(outsider.user).post(url("my-data", people["member"])).status_code == 404
    anonymous = Client().post(url("my-data", people["member"]))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    no_mfa = staff_membership(people["member"].partnership, role="worker", mfa=False)
    refused = signed_in(no_mfa.user).post(url("my-data", no_mfa))
    assert refused.status_code == 302
    assert refused["Location"] == reverse("accounts:mfa-required")
    assert MyDataExport.objects.filter(membership=people["member"]).count() == 1  # the member's own, no other
    assert MyDataExport.objects.count() == 1


def test_downloads_are_get_only(member: Any) -> None:
    for name in ("my-data-json", "my-data-zip"):
        assert signed_in(member.user).post(url(name, member)).status_code == 405


def test_every_download_is_audited(member: Any, prepare: Any) -> None:
    client = prepare(member)
    client.get(url("my-data", member))
    assert not AuditEvent.objects.filter(action="data.exported").exists()  # preparing and looking are not downloads
    client.get(url("my-data-json", member))
    client.get(url("my-data-zip", member))
    events = AuditEvent.objects.filter(action="data.exported", partnership_id=member.partnership_id)
    assert sorted(e.detail["format"] for e in events) == ["json", "zip"]
    assert {(e.actor_id, e.target_id) for e in events} == {(member.user_id, str(member.pk))}


def test_the_zip_reads_offline_with_an_index_a_page_per_capability_and_a_csv_per_table(
    people: Any, prepare: Any
) -> None:
    member = people["member"]
    Idea.objects.filter(author=member.user).update(title="<script>alert(1)</script>", body="=HYPERLINK(1)")
    response = prepare(member).get(url("my-data-zip", member))
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
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            export.export(membership)
        return len(captured.captured_queries)

    assert queries(many) == queries(few)


def test_the_page_and_the_downloads_keep_a_fixed_number_of_queries(
    partnership: Any, worker: Any, prepare: Any, django_assert_max_num_queries: Any
) -> None:
    few = MembershipFactory(partnership=partnership, is_member=True)
    data_everywhere(few, mark="FEW", staff=worker, n=1)
    client = prepare(few)
    for name in ("my-data", "my-data-zip"):
        client.get(url(name, few))  # warm caches
        reset_queries()  # a full query log (it keeps 9,000) would count nothing
        with django_assert_max_num_queries(12) as counted:
            client.get(url(name, few))
        allowed = len(counted.captured_queries)  # read now: the captured queries are a view of the log
        # More of the person's own data, and a fresh download of it: the same queries.
        plan = SupportPlan.objects.get(member=few)
        for i in range(5):
            goal_create(actor=few, plan=plan, text=f"more {name} {i}")
        IdeaFactory(partnership=partnership, author=few.user)
        client = prepare(few)
        reset_queries()
        with django_assert_max_num_queries(allowed):
            client.get(url(name, few))


def test_in_the_demo_aisha_prepares_and_downloads_something_from_every_capability(prepare: Any) -> None:
    load_demo()
    aisha = Membership.objects.get(user__email="aisha@riverside.example", partnership__slug="riverside")
    document = download_json(prepare(aisha), aisha)
    for key, part in document["capabilities"].items():
        if key in STAFF_ONLY:
            assert key in document["capabilities"]
            continue
        assert any(part["tables"].values()), f"nothing from {key}"
    with zipfile.ZipFile(io.BytesIO(prepare(aisha).get(url("my-data-zip", aisha)).content)) as archive:
        assert "index.html" in archive.namelist()
