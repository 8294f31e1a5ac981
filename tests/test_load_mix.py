"""benchmarks/load_mix.py (the mixed load that the soak and cluster benchmarks share): a few seconds of it against
the live test server, with two people, and every acknowledged write found stored once."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from coproduce.conversations import services as conversation_services
from coproduce.conversations.models import Vote
from coproduce.learning.models import Registration
from coproduce.partnerships.models import Membership, Organisation
from coproduce.voice.models import Support
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory
from tests.voice.factories import IdeaFactory

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import load_mix


@pytest.fixture
def data_set(transactional_db: None) -> dict[str, Any]:
    partnership = PartnershipFactory(slug="mix", name="Mix Partnership")
    organisation = Organisation.objects.create(partnership=partnership, name="Council", kind="public")
    coordinator = Membership.objects.create(
        partnership=partnership,
        user=UserFactory(),
        is_member=False,
        is_coordinator=True,
        organisation=organisation,
    )
    conversation_services.conversation_create(
        actor=coordinator, topic="Our service", seeds=[f"Statement {n} about the service." for n in range(6)]
    )
    for n in range(3):
        IdeaFactory(partnership=partnership, title=f"Idea {n}")
    for _ in range(2):
        MembershipFactory(partnership=partnership, is_member=True)
    # The coordinator has no authenticator app: prepare_data leaves her out (she would be sent to set one up).
    return load_mix.prepare_data("mix", event_capacity=1)


def test_prepare_data_has_the_members_their_plans_and_targets(data_set: dict[str, Any]) -> None:
    assert [p["kind"] for p in data_set["people"]] == ["member", "member"]
    assert all(p["plan"] for p in data_set["people"])
    assert len(data_set["conversations"]) == 1 and len(data_set["conversations"][0]["statements"]) == 6
    assert len(data_set["ideas"]) == 3
    assert data_set["round"] is None
    assert data_set["events"][0]["capacity"] == 1


@pytest.mark.parametrize(
    ("texts", "levels"),
    [
        (["saved"], [25]),
        (["saved", "not saved " * 40], [25, 40]),  # long enough to be compressed
    ],
)
def test_message_levels_reads_the_messages_cookie(rf: Any, texts: list[str], levels: list[int]) -> None:
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse

    storage = CookieStorage(rf.get("/"))
    for text, level in zip(texts, levels, strict=True):
        storage.add(level, text)
    response = HttpResponse()
    storage.update(response)
    headers = [("Set-Cookie", morsel.OutputString()) for morsel in response.cookies.values()]
    assert load_mix.message_levels(headers) == levels


def test_a_few_seconds_of_mixed_load_store_every_acknowledged_write_once(
    data_set: dict[str, Any], live_server: Any
) -> None:
    weights = dict.fromkeys(load_mix.DEFAULT_WEIGHTS, 1.0) | {"vote": 6.0, "support": 3.0, "event": 3.0, "plan": 2.0}
    # The live server on SQLite (in memory) shares one connection between its threads: requests one at a time.
    one_at_a_time = connection.vendor == "sqlite"
    mix = load_mix.Mix(
        live_server.url, data_set, weights=weights, pause=(0.01, 0.05), seed=7, one_at_a_time=one_at_a_time
    )
    stop = threading.Event()
    runner = threading.Thread(target=load_mix.run_mix, args=(mix,), kwargs={"users": 2, "seconds": 60, "stop": stop})
    runner.start()
    # A few seconds, and until every kind of write was acknowledged at least once (at most a minute).
    deadline = time.monotonic() + 60
    time.sleep(3)
    while time.monotonic() < deadline and not all(
        mix.result.stats[kind].acknowledged for kind in ("vote", "support", "event", "plan", "home")
    ):
        time.sleep(0.5)
    stop.set()
    runner.join(timeout=60)
    result = mix.result

    assert result.error_count == 0, result.error_log[:5]
    summary = result.summary()
    for kind in ("vote", "support", "event", "plan", "home"):
        assert summary[kind]["acknowledged"] > 0, summary
    checked = load_mix.verify(result, load_mix.fetch_stored_data(data_set), data_set)
    assert checked["exact"], checked
    for kind in ("vote", "support", "event", "plan"):
        assert checked[kind]["targets"] == checked[kind]["stored"] > 0
    # One vote per person and statement, the last one acknowledged.
    users = [p["user"] for p in data_set["people"]]
    assert Vote.objects.filter(participant__user_id__in=users).count() == checked["vote"]["targets"]
    assert Support.objects.filter(user_id__in=users).count() <= checked["support"]["targets"]
    confirmed = Registration.objects.filter(event_id=data_set["events"][0]["id"], status="registered").count()
    assert confirmed <= 1


def test_verify_finds_a_lost_and_a_doubled_write(data_set: dict[str, Any]) -> None:
    """verify itself: an acknowledged vote that is not stored is lost; two rows for one target are doubled."""
    result = load_mix.MixResult()
    person = data_set["people"][0]["user"]
    statement = data_set["conversations"][0]["statements"][0]
    other = data_set["conversations"][0]["statements"][1]
    result.attempts = [
        load_mix.Attempt(f"vote:{person}:{statement}", 1, "ack", 1.0),
        load_mix.Attempt(f"vote:{person}:{other}", -1, "ack", 2.0),
        load_mix.Attempt(f"vote:{person}:{other}", 1, "error", 3.0),  # unknown: either value may be stored
    ]
    stored = load_mix.fetch_stored_data(data_set)
    stored["votes"] = [[person, other, 1]]
    checked = load_mix.verify(result, stored, data_set)
    assert (checked["vote"]["lost"], checked["vote"]["stored"], checked["vote"]["doubled"]) == (1, 1, 0)
    stored["votes"] = [[person, statement, 1], [person, statement, 1], [person, other, -1]]
    checked = load_mix.verify(result, stored, data_set)
    assert (checked["vote"]["lost"], checked["vote"]["doubled"], checked["exact"]) == (0, 1, False)
