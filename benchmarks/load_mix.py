"""A mixed load of signed-in people using a partnership, with every write checked against the database afterwards.

A library (imported by ``benchmarks/soak.py`` and ``benchmarks/cluster.py``) and a small command line.

1. **Prepare** (``prepare_data``, run inside Django: ``coproduce shell`` through ``prepare`` or in a test): in one
   partnership (the demo's ``riverside`` by default) it adds ``extra_members`` members, starts a support plan for
   every member who has none, adds one event for everyone with a small capacity (so that its waiting list is
   used), writes a database session for every member and for every member of staff who may use the site
   without more sign-in steps, and returns what the load needs: people, their sessions and plans, the open
   conversations and their statements, the ideas, the fund round in voting and its proposals, the events.
2. **Run** (``run_mix``): one thread per virtual person, each with its own keep-alive HTTP/1.1 connection to
   ``base_url`` (a server, or a load balancer), doing weighted operations with a pause between them:
   page views (home, ideas, an idea, conversations, a conversation, the fund round, events, own plan, inbox),
   ``vote`` in a conversation, ``support`` an idea (or take the support back), ``ballot`` (cast or change a fund
   ballot), ``event`` (register for the event, or cancel), ``plan`` (edit "About me" in one's own plan).
   Each write names its target (person + statement, idea, round, event or plan), so it has a known identity
   that the database can be checked against. Each attempt is recorded as **acknowledged** (the server answered
   that it was done: a redirect without an error message), **rejected** (a clean refusal: the form shown again,
   or a redirect carrying an error message; nothing is changed), or **error** (any other answer: 4xx, 5xx, a
   broken connection, a timeout). An error's effect is unknown: it may or may not have been stored.
3. **Verify** (``verify``, with ``fetch_stored`` reading the database through ``coproduce shell``): for every
   target the load wrote to, the stored state must be the state of the last acknowledged write, or of an
   attempt after it whose outcome is unknown (an error); anything else is **lost**. More than one row where
   the database keeps one per target (a vote per person and statement, a support per person and idea, a
   ballot per person and round, a live registration per person and event) is **doubled**. The plan's version
   must have grown by at least the acknowledged edits and at most those plus the unknown ones. An event's
   confirmed places never exceed its capacity.

Only the given base URL is contacted; each person's loop stops at the deadline or when ``stop`` is set.

    uv run python benchmarks/load_mix.py --base-url http://127.0.0.1:8000 --plan plan.json --users 20 --seconds 60
    # plan.json: from ``prepare`` (``--prepare`` runs it with DATABASE_URL etc. from the environment)
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import json
import math
import os
import random
import re
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_SLUG = "riverside"
AUTH_BACKEND = "coproduce.accounts.backends.AuthenticationBackend"
WRITE_KINDS = ("vote", "support", "ballot", "event", "plan")
PAGE_KINDS = ("home", "ideas", "idea", "conversations", "conversation", "round", "events", "own_plan", "inbox")
# Roughly what people do: mostly reading, then voting; a few of each other write.
DEFAULT_WEIGHTS: dict[str, float] = {
    "home": 8,
    "ideas": 6,
    "idea": 6,
    "conversations": 4,
    "conversation": 4,
    "round": 4,
    "events": 4,
    "own_plan": 4,
    "inbox": 3,
    "vote": 20,
    "support": 8,
    "ballot": 5,
    "event": 5,
    "plan": 5,
}
MESSAGE_ERROR_LEVEL = 40  # django.contrib.messages.constants.ERROR


# --------------------------------------------------------------------------------------------------------------
# Prepare (inside Django)
# --------------------------------------------------------------------------------------------------------------


def prepare_data(
    slug: str = DEFAULT_SLUG, *, extra_members: int = 0, event_capacity: int = 5, with_staff: bool = True
) -> dict[str, Any]:
    """Make the data set ready for the load and return its description (JSON-able). Runs inside Django."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from coproduce.conversations.models import Conversation
    from coproduce.core.sessions import SessionStore
    from coproduce.fund.models import Proposal, Round
    from coproduce.learning.models import Event, EventKind
    from coproduce.partnerships.access import mfa_required
    from coproduce.partnerships.models import Membership, Partnership
    from coproduce.partnerships.selectors import membership_for
    from coproduce.support.models import SupportPlan
    from coproduce.support.services.plans import plan_start
    from coproduce.voice.models import Idea

    user_model = get_user_model()
    partnership = Partnership.objects.get(slug=slug)
    for n in range(extra_members):
        user, _ = user_model.objects.get_or_create(
            email=f"load{n}@{slug}.load.example", defaults={"display_name": f"Load member {n}"}
        )
        Membership.objects.get_or_create(partnership=partnership, user=user, defaults={"is_member": True})

    now = timezone.now()
    people: list[dict[str, Any]] = []
    memberships = Membership.objects.filter(partnership=partnership).select_related("user").order_by("pk")
    for membership in memberships:
        user = membership.user
        if not user.is_active:
            continue
        annotated = membership_for(user, slug)
        if annotated is None or mfa_required(user, annotated):
            continue  # staff without an authenticator app set up are sent to set one up first
        if membership.is_member:
            kind = "member"
        elif membership.is_staff_role and with_staff:
            kind = "staff"
        else:
            continue  # observers only read: they are not part of this load
        plan_id = None
        if membership.is_member:
            plan = SupportPlan.objects.filter(partnership=partnership, member=membership).first()
            if plan is None:
                plan = plan_start(actor=membership)
            plan_id = plan.pk if plan.status == SupportPlan.Status.ACTIVE else None
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = AUTH_BACKEND
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.save()
        people.append({"user": user.pk, "session": store.session_key, "kind": kind, "plan": plan_id})

    conversations = []
    for conversation in Conversation.objects.filter(partnership=partnership, opens_at__lte=now).order_by("pk"):
        if conversation.closes_at is not None and conversation.closes_at <= now + timedelta(hours=6):
            continue
        statements = list(
            conversation.statements.filter(**_shown_statements()).order_by("pk").values_list("pk", flat=True)
        )
        if statements:
            conversations.append({"id": conversation.pk, "statements": statements})

    ideas = list(
        Idea.objects.filter(partnership=partnership, hidden_at__isnull=True, withdrawn_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )

    fund_round = None
    for round_ in Round.objects.filter(partnership=partnership).order_by("-pk"):
        if round_.phase != "voting" or round_.ballot_kind != Round.Kind.APPROVAL:
            continue
        proposals = list(
            Proposal.objects.filter(round=round_, status=Proposal.Status.ON_BALLOT)
            .order_by("pk")
            .values_list("pk", "cost_pence")
        )
        if proposals:
            fund_round = {
                "id": round_.pk,
                "proposals": [[pk, cost] for pk, cost in proposals],
                "min_choices": round_.min_choices,
                "max_choices": round_.max_choices,
                "within_budget": round_.within_budget,
                "budget_pence": round_.budget_pence,
                "staff_vote": round_.voters == "members_and_staff",
            }
            break

    start = (now + timedelta(days=30)).replace(hour=18, minute=0, second=0, microsecond=0)
    event, _ = Event.objects.get_or_create(
        partnership=partnership,
        title="Open meeting (load test)",
        defaults={
            "kind": EventKind.values[0],
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "capacity": event_capacity,
            "audience": "everyone",
        },
    )
    plans = {p.pk: p.version for p in SupportPlan.objects.filter(pk__in=[x["plan"] for x in people if x["plan"]])}
    return {
        "slug": slug,
        "people": people,
        "conversations": conversations,
        "ideas": ideas,
        "round": fund_round,
        "events": [{"id": event.pk, "capacity": event.capacity}],
        "plan_versions": {str(k): v for k, v in plans.items()},
    }


def _shown_statements() -> dict[str, Any]:
    """The filter for statements that take votes (published ones)."""
    from coproduce.conversations.models import Statement

    return {"status": Statement.Status.PUBLISHED}


def fetch_stored_data(plan: dict[str, Any]) -> dict[str, Any]:
    """What the database holds for the people and targets of ``plan`` (JSON-able). Runs inside Django."""
    from django.db.models import Count, Q

    from coproduce.conversations.models import Vote
    from coproduce.fund.models import Ballot
    from coproduce.learning.models import Event, Registration
    from coproduce.support.models import SupportPlan
    from coproduce.voice.models import Support

    users = [p["user"] for p in plan["people"]]
    conversations = [c["id"] for c in plan["conversations"]]
    votes = list(
        Vote.objects.filter(conversation_id__in=conversations, participant__user_id__in=users).values_list(
            "participant__user_id", "statement_id", "value"
        )
    )
    supports = list(
        Support.objects.filter(idea_id__in=plan["ideas"], user_id__in=users).values_list("user_id", "idea_id")
    )
    ballots: list[list[Any]] = []
    if plan["round"]:
        for ballot in Ballot.objects.filter(round_id=plan["round"]["id"], voter_id__in=users).prefetch_related(
            "choices"
        ):
            ballots.append([ballot.voter_id, ballot.pk, sorted(c.proposal_id for c in ballot.choices.all())])
    event_ids = [e["id"] for e in plan["events"]]
    registrations = list(
        Registration.objects.filter(event_id__in=event_ids, user_id__in=users)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("user_id", "event_id", "status")
    )
    events = list(
        Event.objects.filter(pk__in=event_ids)
        .annotate(confirmed=Count("registrations", filter=Q(registrations__status="registered")))
        .values_list("pk", "capacity", "confirmed")
    )
    plans = list(
        SupportPlan.objects.filter(pk__in=[int(k) for k in plan["plan_versions"]]).values_list(
            "pk", "what_matters", "version"
        )
    )
    return {
        "votes": [list(v) for v in votes],
        "supports": [list(s) for s in supports],
        "ballots": ballots,
        "registrations": [list(r) for r in registrations],
        "events": [list(e) for e in events],
        "plans": [list(p) for p in plans],
    }


PREPARE_SNIPPET = """
import json, sys
sys.path.insert(0, {bench_dir!r})
from load_mix import prepare_data
print("LOADMIX " + json.dumps(prepare_data({slug!r}, extra_members={extra}, event_capacity={capacity},
                                           with_staff={staff})))
"""

STORED_SNIPPET = """
import json, sys
sys.path.insert(0, {bench_dir!r})
from load_mix import fetch_stored_data
with open({path!r}) as f:
    plan = json.load(f)
print("LOADMIX " + json.dumps(fetch_stored_data(plan)))
"""


def _shell(env: dict[str, str] | None, code: str, command: list[str] | None = None) -> dict[str, Any]:
    """Run ``code`` in ``coproduce shell`` (or ``command`` + ``-c code``) and return its LOADMIX line's JSON."""
    argv = (command or [sys.executable, "-m", "coproduce.cli", "shell"]) + ["-c", code]
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=900)
    lines = [line[len("LOADMIX ") :] for line in proc.stdout.splitlines() if line.startswith("LOADMIX ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"coproduce shell failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def prepare(
    env: dict[str, str] | None,
    slug: str = DEFAULT_SLUG,
    *,
    extra_members: int = 0,
    event_capacity: int = 5,
    with_staff: bool = True,
    command: list[str] | None = None,
) -> dict[str, Any]:
    """``prepare_data`` through ``coproduce shell`` with ``env`` (DATABASE_URL and the rest)."""
    code = PREPARE_SNIPPET.format(
        bench_dir=str(BENCH_DIR), slug=slug, extra=int(extra_members), capacity=int(event_capacity), staff=with_staff
    )
    return _shell(env, code, command)


def fetch_stored(
    env: dict[str, str] | None, plan: dict[str, Any], workdir: Path, command: list[str] | None = None
) -> dict[str, Any]:
    """``fetch_stored_data`` through ``coproduce shell``; the plan goes through a file in ``workdir``."""
    path = workdir / "load_mix_plan.json"
    path.write_text(json.dumps(plan))
    return _shell(env, STORED_SNIPPET.format(bench_dir=str(BENCH_DIR), path=str(path)), command)


# --------------------------------------------------------------------------------------------------------------
# Run
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Attempt:
    key: str  # the target, e.g. "vote:12:345" (person 12, statement 345)
    state: Any  # what the write asks the target to become
    outcome: str  # "ack", "rejected" or "error"
    at: float  # time.time() when answered


@dataclass
class KindStats:
    sent: int = 0
    acknowledged: int = 0
    rejected: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        values = sorted(self.latencies)
        return {
            "sent": self.sent,
            "acknowledged": self.acknowledged,
            "rejected": self.rejected,
            "errors": self.errors,
            "p50_ms": _ms(_percentile(values, 50)),
            "p95_ms": _ms(_percentile(values, 95)),
            "max_ms": _ms(values[-1] if values else math.nan),
        }


@dataclass
class MixResult:
    stats: dict[str, KindStats] = field(default_factory=lambda: {k: KindStats() for k in (*PAGE_KINDS, *WRITE_KINDS)})
    attempts: list[Attempt] = field(default_factory=list)
    error_log: list[dict[str, Any]] = field(default_factory=list)  # time, person, kind, problem (first 1000)
    error_count: int = 0
    started: float = 0.0
    finished: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(
        self, kind: str, outcome: str, seconds: float, attempt: Attempt | None, person: int, problem: str
    ) -> None:
        with self.lock:
            stats = self.stats[kind]
            stats.sent += 1
            stats.latencies.append(seconds)
            if outcome == "ack":
                stats.acknowledged += 1
            elif outcome == "rejected":
                stats.rejected += 1
            else:
                stats.errors += 1
                self.error_count += 1
                if len(self.error_log) < 1000:
                    self.error_log.append(
                        {"t": round(time.time(), 3), "person": person, "kind": kind, "problem": problem}
                    )
            if attempt is not None:
                self.attempts.append(attempt)

    def summary(self) -> dict[str, Any]:
        with self.lock:
            return {kind: s.summary() for kind, s in self.stats.items() if s.sent}

    def totals(self) -> dict[str, int]:
        with self.lock:
            return {
                "sent": sum(s.sent for s in self.stats.values()),
                "acknowledged": sum(s.acknowledged for s in self.stats.values()),
                "rejected": sum(s.rejected for s in self.stats.values()),
                "errors": self.error_count,
            }


def _percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return math.nan
    return sorted_values[max(1, math.ceil(p / 100 * len(sorted_values))) - 1]


def _ms(seconds: float) -> float | None:
    return None if math.isnan(seconds) else round(seconds * 1000, 1)


class _Inputs(HTMLParser):
    """The named inputs and textareas of a page (the last value wins), enough to send a form back."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.values[str(a["name"])] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = str(a["name"])
            self.values[self._textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.values[self._textarea] += data


def page_inputs(body: str) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(body)
    return parser.values


def message_levels(headers: list[tuple[str, str]]) -> list[int]:
    """The levels of the messages that a response sets in Django's ``messages`` cookie (unsigned read)."""
    levels: list[int] = []
    for key, value in headers:
        if key.lower() != "set-cookie" or not value.startswith("messages="):
            continue
        raw = value.split(";", 1)[0].split("=", 1)[1].strip('"')
        payload = raw.rsplit(":", 1)[0] if ":" in raw else raw
        with contextlib.suppress(Exception):
            compressed = payload.startswith(".")
            data = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
            if compressed:
                data = zlib.decompress(data)
            for item in json.loads(data.decode()):
                if isinstance(item, list) and len(item) >= 3 and item[0] == "__json_message":
                    levels.append(int(item[2]))
    return levels


class Person:
    """One virtual person: a session, a CSRF token, a keep-alive connection and what she believes is stored."""

    def __init__(self, mix: Mix, index: int, info: dict[str, Any]) -> None:
        self.mix = mix
        self.index = index
        self.user = int(info["user"])
        self.kind = info["kind"]
        self.plan_id = info.get("plan")
        self.cookie = f"sessionid={info['session']}"
        self.csrf: str | None = None
        self.rng = random.Random(mix.seed * 100_003 + index)
        self.conn: http.client.HTTPConnection | None = None
        self.supported: dict[int, bool] = {}
        self.registered: dict[int, bool] = {}

    # -- HTTP --------------------------------------------------------------------------------------------------

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = self.mix.connect()
        return self.conn

    def drop(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, form: dict[str, Any] | list[tuple[str, Any]] | None = None):  # type: ignore[no-untyped-def]
        headers = {"Cookie": self.cookie, "Host": self.mix.host_header}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"{self.mix.origin}{path}"
            headers["Origin"] = self.mix.origin
        conn = self._connection()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.drop()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.drop()
        for key, value in response.getheaders():
            if key.lower() == "set-cookie" and value.startswith("csrftoken="):
                secret = value.split(";", 1)[0].split("=", 1)[1]
                self.cookie = re.sub(r"; csrftoken=[^;]*", "", self.cookie) + f"; csrftoken={secret}"
        return response.status, response.getheaders(), data.decode("utf-8", "replace")

    def ensure_csrf(self) -> None:
        if self.csrf is not None and "csrftoken=" in self.cookie:
            return
        status, _, body = self.request("GET", self.mix.path("home"))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or token is None or "csrftoken=" not in self.cookie:
            raise RuntimeError(f"home page for a CSRF token: HTTP {status}")
        self.csrf = token.group(1)

    # -- operations --------------------------------------------------------------------------------------------

    def choose(self) -> str:
        kinds = [k for k in self.mix.weights if self.may(k)]
        return self.rng.choices(kinds, weights=[self.mix.weights[k] for k in kinds])[0]

    def may(self, kind: str) -> bool:
        plan = self.mix.plan
        if self.mix.weights.get(kind, 0) <= 0:
            return False
        if kind in ("own_plan", "plan"):
            return self.plan_id is not None
        if kind in ("vote", "conversation"):
            return bool(plan["conversations"])
        if kind in ("idea", "support"):
            return bool(plan["ideas"])
        if kind == "round":
            return plan["round"] is not None
        if kind == "ballot":
            return plan["round"] is not None and (self.kind == "member" or plan["round"]["staff_vote"])
        if kind == "event":
            return bool(plan["events"])
        return True

    def step(self) -> None:
        kind = self.choose()
        t0 = time.perf_counter()
        attempt: Attempt | None = None
        problem = ""
        try:
            if kind in WRITE_KINDS:
                self.ensure_csrf()
                outcome, attempt, problem = getattr(self, f"do_{kind}")()
            else:
                status, _, _ = self.request("GET", self.page_path(kind))
                outcome = "ack" if status == 200 else "error"
                problem = f"HTTP {status}"
        except (OSError, http.client.HTTPException, RuntimeError) as error:
            outcome, problem = "error", f"{type(error).__name__}: {error}"
            if attempt is None and kind in WRITE_KINDS:
                attempt = self.pending
        if attempt is not None:
            attempt.outcome, attempt.at = outcome, time.time()
        self.pending = None
        self.mix.result.record(kind, outcome, time.perf_counter() - t0, attempt, self.user, f"{kind}: {problem}")

    pending: Attempt | None = None

    def page_path(self, kind: str) -> str:
        plan, rng = self.mix.plan, self.rng
        if kind == "idea":
            return self.mix.path("idea", rng.choice(plan["ideas"]))
        if kind == "conversation":
            return self.mix.path("conversation", rng.choice(plan["conversations"])["id"])
        if kind == "round":
            return self.mix.path("round", plan["round"]["id"])
        if kind == "own_plan":
            return self.mix.path("own_plan", self.plan_id)
        return self.mix.path(kind)

    def _post(self, key: str, state: Any, path: str, form: Any, ok_location: str | None) -> tuple[str, Attempt, str]:
        self.pending = Attempt(key, state, "error", 0.0)
        status, headers, _ = self.request("POST", path, form)
        location = urlsplit({k.lower(): v for k, v in headers}.get("location", "")).path
        if status == 302 and (ok_location is None or location == ok_location):
            if any(level >= MESSAGE_ERROR_LEVEL for level in message_levels(headers)):
                return "rejected", self.pending, "error message"
            return "ack", self.pending, ""
        if status in (200, 302):
            return "rejected", self.pending, f"HTTP {status} to {location!r}"
        return "error", self.pending, f"HTTP {status}"

    def do_vote(self) -> tuple[str, Attempt, str]:
        conversation = self.rng.choice(self.mix.plan["conversations"])
        statement = self.rng.choice(conversation["statements"])
        value = self.rng.choice([1, -1, 0])
        choice = {1: "agree", -1: "disagree", 0: "pass"}[value]
        path = self.mix.path("vote", conversation["id"])
        form = {"csrfmiddlewaretoken": self.csrf, "statement": statement, "vote": choice}
        return self._post(f"vote:{self.user}:{statement}", value, path, form, path)

    def do_support(self) -> tuple[str, Attempt, str]:
        idea = self.rng.choice(self.mix.plan["ideas"])
        wanted = not self.supported.get(idea, False)
        path = self.mix.path("support", idea)
        form = {"csrfmiddlewaretoken": self.csrf, "support": "1" if wanted else "0"}
        result = self._post(f"support:{self.user}:{idea}", wanted, path, form, None)
        self.supported[idea] = wanted  # tried: whatever happened, next time ask for the other state
        return result

    def do_ballot(self) -> tuple[str, Attempt, str]:
        round_ = self.mix.plan["round"]
        proposals = round_["proposals"]
        most = max(1, min(round_["max_choices"], len(proposals)))
        least = max(1, min(round_["min_choices"], most))
        for _ in range(20):
            chosen = self.rng.sample(proposals, self.rng.randint(least, most))
            if not round_["within_budget"] or sum(c for _, c in chosen) <= round_["budget_pence"]:
                break
        ids = sorted(pk for pk, _ in chosen)
        path = self.mix.path("ballot", round_["id"])
        form = [("csrfmiddlewaretoken", self.csrf)] + [("choices", pk) for pk in ids]
        return self._post(f"ballot:{self.user}:{round_['id']}", ids, path, form, path)

    def do_event(self) -> tuple[str, Attempt, str]:
        event = self.rng.choice(self.mix.plan["events"])["id"]
        wanted = not self.registered.get(event, False)
        path = self.mix.path("register" if wanted else "register_cancel", event)
        form = {"csrfmiddlewaretoken": self.csrf}
        result = self._post(f"event:{self.user}:{event}", wanted, path, form, self.mix.path("event", event))
        self.registered[event] = wanted
        return result

    def do_plan(self) -> tuple[str, Attempt, str]:
        path = self.mix.path("about_edit", self.plan_id)
        status, _, body = self.request("GET", path)
        if status != 200:
            self.pending = None
            return "error", None, f"about form: HTTP {status}"  # type: ignore[return-value]
        inputs = page_inputs(body)
        text = f"load-mix {self.mix.run_id} person {self.user} edit {self.rng.getrandbits(48):x}"
        form = {name: inputs.get(name, "") for name in ("what_matters", "strengths", "wants", "barriers")}
        form.update({"csrfmiddlewaretoken": self.csrf, "version": inputs.get("version", ""), "what_matters": text})
        return self._post(f"plan:{self.plan_id}", text, path, form, self.mix.path("own_plan_about", self.plan_id))


class Mix:
    """The shared settings of one run: where to send requests, the data set, the weights and the results."""

    def __init__(
        self,
        base_url: str,
        plan: dict[str, Any],
        *,
        weights: dict[str, float] | None = None,
        pause: tuple[float, float] = (1.0, 3.0),
        seed: int = 1,
        timeout: float = 30.0,
        host_header: str | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        self.scheme, self.host, self.port = parts.scheme or "http", parts.hostname or "127.0.0.1", parts.port
        self.origin = f"{self.scheme}://{parts.netloc}"
        self.host_header = host_header or parts.netloc
        self.plan = plan
        self.weights = dict(weights or DEFAULT_WEIGHTS)
        self.pause = pause
        self.seed = seed
        self.timeout = timeout
        self.run_id = f"{int(time.time()):x}"
        self.result = MixResult()
        slug = plan["slug"]
        self.paths: dict[str, str] = {
            "home": f"/p/{slug}/",
            "ideas": f"/p/{slug}/ideas/",
            "idea": f"/p/{slug}/ideas/{{}}/",
            "support": f"/p/{slug}/ideas/{{}}/support/",
            "conversations": f"/p/{slug}/conversations/",
            "conversation": f"/p/{slug}/conversations/{{}}/",
            "vote": f"/p/{slug}/conversations/{{}}/vote/",
            "round": f"/p/{slug}/fund/rounds/{{}}/",
            "ballot": f"/p/{slug}/fund/rounds/{{}}/ballot/",
            "events": f"/p/{slug}/learning/",
            "event": f"/p/{slug}/learning/events/{{}}/",
            "register": f"/p/{slug}/learning/events/{{}}/register/",
            "register_cancel": f"/p/{slug}/learning/events/{{}}/register/cancel/",
            "own_plan": f"/p/{slug}/support/plans/{{}}/",
            "own_plan_about": f"/p/{slug}/support/plans/{{}}/",
            "about_edit": f"/p/{slug}/support/plans/{{}}/about/",
            "inbox": f"/p/{slug}/notifications/",
        }

    def path(self, name: str, value: Any = None) -> str:
        template = self.paths[name]
        return template.format(value) if value is not None else template

    def connect(self) -> http.client.HTTPConnection:
        if self.scheme == "https":
            return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout)
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)


def run_mix(
    mix: Mix,
    *,
    users: int,
    seconds: float,
    stop: threading.Event | None = None,
    max_operations: int = 10_000_000,
    on_start: Callable[[], None] | None = None,
) -> MixResult:
    """``users`` threads (people taken in turn from the plan) doing weighted operations for ``seconds``
    (or until ``stop`` is set), each pausing a random time within ``mix.pause`` after every operation."""
    people_info = mix.plan["people"]
    if not people_info:
        raise ValueError("the plan has no people")
    stop = stop or threading.Event()
    people = [Person(mix, i, people_info[i % len(people_info)]) for i in range(users)]
    if users > len(people_info):
        # Two threads as one person would race for the same targets; keep them to distinct people.
        people = people[: len(people_info)]
    counter = {"n": 0}
    counter_lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def ticket() -> bool:
        with counter_lock:
            counter["n"] += 1
            return counter["n"] <= max_operations

    def loop(person: Person) -> None:
        # Start at different moments so that the people do not move in step.
        if stop.wait(person.rng.uniform(0, mix.pause[1])):
            return
        try:
            while time.monotonic() < deadline and not stop.is_set() and ticket():
                person.step()
                if stop.wait(person.rng.uniform(*mix.pause)):
                    break
        finally:
            person.drop()

    mix.result.started = time.time()
    if on_start is not None:
        on_start()
    threads = [threading.Thread(target=loop, args=(p,), daemon=True, name=f"load-{p.user}") for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + mix.timeout + mix.pause[1] + 30)
    mix.result.finished = time.time()
    return mix.result


# --------------------------------------------------------------------------------------------------------------
# Verify
# --------------------------------------------------------------------------------------------------------------


def verify(result: MixResult, stored: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
    """Per write kind: sent, acknowledged, rejected, errors, targets, stored (targets in the acknowledged or an
    unknown later state), lost, doubled; plus the events' capacities. See the module's docstring."""
    by_key: dict[str, list[Attempt]] = {}
    for attempt in sorted(result.attempts, key=lambda a: a.at):
        by_key.setdefault(attempt.key, []).append(attempt)

    current: dict[str, list[Any]] = {}  # key -> stored states (more than one: doubled)
    for user, statement, value in stored["votes"]:
        current.setdefault(f"vote:{user}:{statement}", []).append(value)
    for user, idea in stored["supports"]:
        current.setdefault(f"support:{user}:{idea}", []).append(True)
    round_id = plan["round"]["id"] if plan["round"] else None
    for user, _ballot, choices in stored["ballots"]:
        current.setdefault(f"ballot:{user}:{round_id}", []).append(sorted(choices))
    for user, event, _status in stored["registrations"]:
        current.setdefault(f"event:{user}:{event}", []).append(True)
    versions: dict[str, int] = {}
    for pk, text, version in stored["plans"]:
        current.setdefault(f"plan:{pk}", []).append(text)
        versions[str(pk)] = version

    absent = {"support": False, "event": False}  # kinds whose "no row" is a state
    report: dict[str, Any] = {}
    for kind in WRITE_KINDS:
        stats = result.stats[kind]
        row: dict[str, Any] = {
            "sent": stats.sent,
            "acknowledged": stats.acknowledged,
            "rejected": stats.rejected,
            "errors": stats.errors,
            "targets": 0,
            "stored": 0,
            "lost": 0,
            "doubled": 0,
            "lost_samples": [],
        }
        for key, attempts in by_key.items():
            if not key.startswith(kind + ":"):
                continue
            acked = [i for i, a in enumerate(attempts) if a.outcome == "ack"]
            unknown_after = [a.state for a in attempts[(acked[-1] + 1 if acked else 0) :] if a.outcome == "error"]
            rows = current.get(key, [])
            if len(rows) > 1:
                row["doubled"] += len(rows) - 1
            if not acked:
                continue
            row["targets"] += 1
            have = rows[0] if rows else absent.get(kind)
            allowed = [attempts[acked[-1]].state, *unknown_after]
            if have in allowed:
                row["stored"] += 1
            else:
                row["lost"] += 1
                if len(row["lost_samples"]) < 5:
                    row["lost_samples"].append({"key": key, "stored": have, "acknowledged": allowed[0]})
        if kind == "plan":
            # Every acknowledged edit adds one to the plan's version; an unknown one may have.
            bad = []
            for pk, before in plan["plan_versions"].items():
                attempts = by_key.get(f"plan:{pk}", [])
                acks = sum(1 for a in attempts if a.outcome == "ack")
                unknown = sum(1 for a in attempts if a.outcome == "error")
                grown = versions.get(pk, before) - before
                if not acks <= grown <= acks + unknown:
                    bad.append({"plan": pk, "acknowledged": acks, "unknown": unknown, "version_grew_by": grown})
            row["version_mismatches"] = bad
            row["doubled"] += sum(max(0, b["version_grew_by"] - b["acknowledged"] - b["unknown"]) for b in bad)
            row["lost"] += sum(max(0, b["acknowledged"] - b["version_grew_by"]) for b in bad)
        report[kind] = row
    report["capacity"] = [
        {"event": pk, "capacity": capacity, "confirmed": confirmed, "ok": capacity is None or confirmed <= capacity}
        for pk, capacity, confirmed in stored["events"]
    ]
    report["exact"] = all(report[k]["lost"] == 0 and report[k]["doubled"] == 0 for k in WRITE_KINDS) and all(
        c["ok"] for c in report["capacity"]
    )
    return report


def print_table(result: MixResult, checked: dict[str, Any] | None = None, out: Any = sys.stdout) -> None:
    summary = result.summary()
    head = f"{'kind':<14}{'sent':>8}{'acked':>8}{'rejected':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}"
    if checked:
        head += f"{'targets':>9}{'stored':>8}{'lost':>6}{'doubled':>8}"
    print(head, file=out)
    print("-" * len(head), file=out)
    for kind, row in summary.items():
        line = (
            f"{kind:<14}{row['sent']:>8}{row['acknowledged']:>8}{row['rejected']:>9}{row['errors']:>8}"
            f"{row['p50_ms'] or 0:>9.1f}{row['p95_ms'] or 0:>9.1f}"
        )
        if checked and kind in checked:
            c = checked[kind]
            line += f"{c['targets']:>9}{c['stored']:>8}{c['lost']:>6}{c['doubled']:>8}"
        print(line, file=out)
    if checked:
        for c in checked["capacity"]:
            print(f"event {c['event']}: {c['confirmed']} confirmed of {c['capacity']} places", file=out)
        print(f"exact: {'yes' if checked['exact'] else 'NO'}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="where to send requests, e.g. http://127.0.0.1:8000")
    parser.add_argument("--plan", type=Path, required=True, help="the data set's JSON (written by --prepare)")
    parser.add_argument("--prepare", action="store_true", help="prepare the data set first (coproduce shell, env)")
    parser.add_argument("--slug", default=DEFAULT_SLUG)
    parser.add_argument("--extra-members", type=int, default=0, help="members to add when preparing")
    parser.add_argument("--users", type=int, default=20, help="virtual people (threads), default 20")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--pause-min", type=float, default=1.0)
    parser.add_argument("--pause-max", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verify", action="store_true", help="read the database afterwards (coproduce shell, env)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.prepare:
        plan = prepare(dict(os.environ), args.slug, extra_members=args.extra_members)
        args.plan.write_text(json.dumps(plan))
    plan = json.loads(args.plan.read_text())
    mix = Mix(args.base_url, plan, pause=(args.pause_min, args.pause_max), seed=args.seed)
    result = run_mix(mix, users=args.users, seconds=args.seconds)
    checked = verify(result, fetch_stored(dict(os.environ), plan, args.plan.parent), plan) if args.verify else None
    if args.json:
        print(
            json.dumps({"operations": result.summary(), "checked": checked, "errors": result.error_log[:50]}, indent=2)
        )
    else:
        print_table(result, checked)
        for error in result.error_log[:10]:
            print(f"error: {error}")
    return 0 if result.error_count == 0 and (checked is None or checked["exact"]) else 1


if __name__ == "__main__":
    sys.exit(main())
