"""``coproduce generate-load-data``: national-scale data for measuring pages, queries and migrations.

At ``--scale 1.0``: 200 partnerships, 50 000 members, 5 000 staff, 200 000 ideas, 1 000 000 comments,
5 000 000 conversation votes, 500 000 fund ballots, 2 000 000 support-plan changes and 100 000 event
registrations. Partnerships follow a Zipf law (a few big ones, most small); within each, ideas draw comments
unevenly, members vote on part of each conversation's statements, and events fill up to their places, the
rest waiting.

Rows are built in Python and written per partnership in one transaction each: with ``COPY`` on PostgreSQL
(psycopg's ``cursor.copy``), with ``bulk_create`` on SQLite (which refuses ``--scale`` above 0.05). The ORM's
``save()`` is bypassed, so the rows are made to hold what the services would have written: every database
constraint holds, and every kept count (an idea's comments, a conversation's published statements, a
participant's votes, a ballot's points and cost) equals its recount. Every current vote has its row of vote
history. The same ``--seed`` and ``--anchor`` give the same rows.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

# What --scale 1.0 makes.
TARGETS: dict[str, int] = {
    "partnerships": 200,
    "members": 50_000,
    "staff": 5_000,
    "ideas": 200_000,
    "comments": 1_000_000,
    "votes": 5_000_000,
    "ballots": 500_000,
    "plan_changes": 2_000_000,
    "registrations": 100_000,
}
SQLITE_MAX_SCALE = 0.05
FLUSH_ROWS = 20_000
STATEMENTS_PER_CONVERSATION = 30
PROPOSALS_PER_ROUND = 8
SLUG_PREFIX = "load"

MODELS = {
    "user": "accounts.User",
    "partnership": "partnerships.Partnership",
    "organisation": "partnerships.Organisation",
    "membership": "partnerships.Membership",
    "idea": "voice.Idea",
    "comment": "voice.Comment",
    "conversation": "conversations.Conversation",
    "statement": "conversations.Statement",
    "participant": "conversations.Participant",
    "vote": "conversations.Vote",
    "vote_event": "conversations.VoteEvent",
    "round": "fund.Round",
    "proposal": "fund.Proposal",
    "ballot": "fund.Ballot",
    "ballot_choice": "fund.BallotChoice",
    "plan": "support.SupportPlan",
    "plan_change": "support.PlanChange",
    "event": "learning.Event",
    "registration": "learning.Registration",
}

WORDS = (  # noqa: SIM905 (a sentence is easier to read and edit than a list)
    "childcare bus fares college course evening hours money advice nursery places job interview training "
    "flexible shifts school holidays drop-in hub library benefits check lone parents keyworker confidence "
    "digital skills laptop loan volunteering wellbeing walk group cooking budget energy bills housing "
    "employer visit CV workshop peer support breakfast club after-school club travel pass"
).split()
IDEA_STATUSES = (("new", 50), ("considering", 20), ("in_progress", 15), ("done", 10), ("not_taken_forward", 5))
EVENT_KINDS = ("learning", "codesign", "peer", "board", "dropin")
PLAN_PARTS = ("about", "goals", "actions", "team", "checkins")


def split(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """``total`` shared out in proportion to ``weights`` (largest remainders), each share at least ``minimum``."""
    n = len(weights)
    spare = max(0, total - minimum * n)
    whole = sum(weights)
    exact = [spare * w / whole for w in weights]
    shares = [math.floor(x) for x in exact]
    by_remainder = sorted(range(n), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: spare - sum(shares)]:
        shares[i] += 1
    return [s + minimum for s in shares]


def zipf_weights(n: int, exponent: float = 1.0) -> list[float]:
    return [1 / (rank + 1) ** exponent for rank in range(n)]


def targets_for(scale: float) -> dict[str, int]:
    counts = {name: round(value * scale) for name, value in TARGETS.items()}
    counts["partnerships"] = max(1, counts["partnerships"])
    return counts


@dataclass
class TableStats:
    rows: int = 0
    seconds: float = 0.0


class Writer:
    """Buffers rows per model and writes them: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.connection = connections[using]
        self.copy = self.connection.vendor == "postgresql"
        self.models = {key: apps.get_model(label) for key, label in MODELS.items()}
        self.columns: dict[str, list[tuple[str, Any, bool]]] = {}
        for key, model in self.models.items():
            fields = []
            for f in model._meta.concrete_fields:
                fields.append((f.attname, _default(f), isinstance(f, models.JSONField)))
            self.columns[key] = fields
        self.buffers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.stats: dict[str, TableStats] = defaultdict(TableStats)
        self.next_ids = {
            key: (model.objects.using(using).aggregate(m=models.Max("pk"))["m"] or 0) + 1
            for key, model in self.models.items()
        }

    def new_id(self, key: str) -> int:
        value = self.next_ids[key]
        self.next_ids[key] = value + 1
        return value

    def add(self, key: str, row: dict[str, Any]) -> None:
        buffer = self.buffers[key]
        buffer.append(row)
        if len(buffer) >= FLUSH_ROWS:
            self.flush(key)

    def flush(self, key: str | None = None) -> None:
        # Parents before children: MODELS lists them in that order.
        for name in [key] if key else list(MODELS):
            rows = self.buffers.pop(name, [])
            if rows:
                started = time.perf_counter()
                self._write(name, rows)
                stats = self.stats[name]
                stats.rows += len(rows)
                stats.seconds += time.perf_counter() - started

    def _write(self, key: str, rows: list[dict[str, Any]]) -> None:
        model, fields = self.models[key], self.columns[key]
        if not self.copy:
            model.objects.using(self.using).bulk_create(
                [model(**{name: row.get(name, default) for name, default, _ in fields}) for row in rows],
                batch_size=500,
            )
            return
        table = self.connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(self.connection.ops.quote_name(_column(model, n)) for n, _, _ in fields)
        with self.connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [
                            json.dumps(row.get(name, default)) if is_json else row.get(name, default)
                            for name, default, is_json in fields
                        ]
                    )

    def reset_sequences(self) -> None:
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(self.models.values()))
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _default(field: models.Field[Any, Any]) -> Any:
    """What the database would get for a column the generator leaves out (computed once per run)."""
    if not field.has_default() and field.has_db_default():  # type: ignore[attr-defined]  # Django 5's, not in the stubs
        return getattr(field.db_default, "value", field.db_default)
    return field.get_default()


def _column(model: type[models.Model], attname: str) -> str:
    for f in model._meta.concrete_fields:
        if f.attname == attname:
            return str(f.column)
    raise KeyError(attname)


class Generator:
    def __init__(
        self, writer: Writer, *, seed: int, anchor: datetime, counts: dict[str, int], say: Any, stop_after: float = 0
    ) -> None:
        self.stop_after = stop_after
        self.made = 0  # partnerships made
        self.w = writer
        self.seed = seed
        self.anchor = anchor
        self.counts = counts
        self.say = say

    # -- helpers ---------------------------------------------------------------------------------------
    def when(self, rng: random.Random, days_back: float = 730, days_ahead: float = 0) -> datetime:
        return self.anchor - timedelta(seconds=rng.uniform(-days_ahead * 86400, days_back * 86400))

    @staticmethod
    def words(rng: random.Random, n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    def shares(self) -> Iterator[tuple[int, dict[str, int]]]:
        p = self.counts["partnerships"]
        weights = zipf_weights(p)
        per = {
            "members": split(self.counts["members"], weights, minimum=min(2, self.counts["members"] // p)),
            "staff": split(self.counts["staff"], weights, minimum=min(1, self.counts["staff"] // p)),
        }
        for name in ("ideas", "comments", "votes", "ballots", "plan_changes", "registrations"):
            per[name] = split(self.counts[name], weights)
        for i in range(p):
            yield i, {name: values[i] for name, values in per.items()}

    # -- the partnership and its people -----------------------------------------------------------------
    def run(self) -> None:
        started = time.perf_counter()
        total = self.counts["partnerships"]
        for index, share in self.shares():
            with transaction.atomic(using=self.w.using):
                self.partnership(index, share)
                self.w.flush()
            done = self.made = index + 1
            if done == total or done % max(1, total // 20) == 0 or index < 3:
                rows = sum(s.rows for s in self.w.stats.values())
                elapsed = time.perf_counter() - started
                self.say(f"partnership {done}/{total}: {rows:,} rows in {elapsed:.0f} s ({rows / elapsed:,.0f} rows/s)")
            if self.stop_after and time.perf_counter() - started > self.stop_after and done < total:
                self.say(f"Stopped after {done} of {total} partnerships (--stop-after): the biggest come first.")
                return

    def partnership(self, index: int, share: dict[str, int]) -> None:
        rng = random.Random(self.seed * 1_000_003 + index)  # noqa: S311 (made-up data, not secrets)
        w = self.w
        pid = w.new_id("partnership")
        slug = f"{SLUG_PREFIX}-{self.seed}-{index + 1}"
        created = self.anchor - timedelta(days=800)
        w.add(
            "partnership",
            {
                "id": pid,
                "slug": slug,
                "name": f"Load partnership {self.seed}-{index + 1}",
                "description": self.words(rng, 12),
                "created_at": created,
            },
        )
        orgs = []
        for k in range(max(1, min(8, 2 + share["staff"] // 10))):
            oid = w.new_id("organisation")
            orgs.append(oid)
            kind = ("public", "third_sector", "private", "community")[k % 4]
            w.add("organisation", {"id": oid, "partnership_id": pid, "name": f"Organisation {k + 1}", "kind": kind})

        def person(tag: str, j: int) -> int:
            uid = w.new_id("user")
            w.add(
                "user",
                {
                    "id": uid,
                    "email": f"{slug}-{tag}{j}@load.example",
                    "password": "!",
                    "display_name": f"{tag.upper()}{j} {rng.choice(WORDS).title()}",
                    "date_joined": created + timedelta(days=rng.uniform(0, 700)),
                },
            )
            return uid

        members: list[int] = []
        member_ships: list[int] = []
        for j in range(share["members"]):
            uid = person("m", j)
            mid = w.new_id("membership")
            w.add(
                "membership",
                {
                    "id": mid,
                    "partnership_id": pid,
                    "user_id": uid,
                    "is_member": True,
                    "joined_at": created + timedelta(days=rng.uniform(0, 700)),
                },
            )
            members.append(uid)
            member_ships.append(mid)
        staff: list[int] = []
        for j in range(share["staff"]):
            uid = person("s", j)
            roles = (
                {"is_coordinator": True}
                if j == 0
                else ({"is_partner_lead": True} if j % 10 == 1 else {"is_worker": True})
            )
            w.add(
                "membership",
                {
                    "id": w.new_id("membership"),
                    "partnership_id": pid,
                    "user_id": uid,
                    "organisation_id": orgs[j % len(orgs)],
                    "joined_at": created,
                    **roles,
                },
            )
            staff.append(uid)
        people = members + staff
        if not people:
            return
        self.ideas(rng, pid, members, staff, share)
        self.conversations(rng, pid, members, staff, share["votes"])
        self.fund(rng, pid, members, staff, orgs, share["ballots"])
        self.plans(rng, pid, member_ships, members, staff, share["plan_changes"])
        self.events(rng, pid, members, staff, orgs, share["registrations"])

    def author(self, rng: random.Random, members: list[int], staff: list[int]) -> tuple[int, str]:
        if members and (not staff or rng.random() < 0.8):
            return rng.choice(members), "member"
        return rng.choice(staff), "staff"

    # -- voice -----------------------------------------------------------------------------------------
    def ideas(self, rng: random.Random, pid: int, members: list[int], staff: list[int], share: dict[str, int]) -> None:
        n = share["ideas"]
        if n == 0:
            return
        # Comments go unevenly: the idea at a random point u gets them with weight (1-u)^3 (a long tail).
        per_idea = [0] * n
        for _ in range(share["comments"]):
            per_idea[min(n - 1, int(n * rng.random() ** 3))] += 1
        rng.shuffle(per_idea)
        statuses = [status for status, _ in IDEA_STATUSES]
        weights = [weight for _, weight in IDEA_STATUSES]
        for i in range(n):
            iid = self.w.new_id("idea")
            author, kind = self.author(rng, members, staff)
            created = self.when(rng)
            title = self.words(rng, rng.randint(3, 8)).capitalize()
            body = self.words(rng, rng.randint(10, 60))
            bodies = []
            moment = created
            for _ in range(per_idea[i]):
                moment = moment + timedelta(minutes=rng.uniform(1, 600))
                c_author, c_kind = self.author(rng, members, staff)
                text = self.words(rng, rng.randint(4, 30))
                bodies.append(text)
                self.w.add(
                    "comment",
                    {
                        "id": self.w.new_id("comment"),
                        "idea_id": iid,
                        "author_id": c_author,
                        "author_kind": c_kind,
                        "body": text,
                        "body_html": f"<p>{text}</p>",
                        "created_at": moment,
                        "language": "en",
                    },
                )
            self.w.add("idea", {
                "id": iid, "partnership_id": pid, "author_id": author, "author_kind": kind, "title": title,
                "body": body, "body_html": f"<p>{body}</p>", "created_at": created, "last_activity_at": moment,
                "status": rng.choices(statuses, weights)[0], "comment_count": per_idea[i],
                "search_text": "\n".join([title, body, *bodies]), "language": "en",
            })  # fmt: skip

    # -- conversations ---------------------------------------------------------------------------------
    def conversations(self, rng: random.Random, pid: int, members: list[int], staff: list[int], votes: int) -> None:
        w = self.w
        voters = members or staff
        number = 0
        while votes > 0:
            number += 1
            cid = w.new_id("conversation")
            opened = self.when(rng, 600)
            s_count = STATEMENTS_PER_CONVERSATION
            w.add(
                "conversation",
                {
                    "id": cid,
                    "partnership_id": pid,
                    "topic": f"Conversation {number}: " + self.words(rng, 5),
                    "opens_at": opened,
                    "created_at": opened,
                    "published_count": s_count,
                    "created_by": staff[0] if staff else None,
                    "language": "en",
                },
            )
            statements = []
            for s in range(s_count):
                sid = w.new_id("statement")
                statements.append(sid)
                text = f"{s + 1}. " + self.words(rng, rng.randint(5, 14))
                w.add(
                    "statement",
                    {
                        "id": sid,
                        "conversation_id": cid,
                        "number": s,
                        "text": text,
                        "text_key": " ".join(text.casefold().split()).rstrip(".!? "),
                        "is_seed": True,
                        "status": "published",
                        "created_at": opened,
                        "language": "en",
                    },
                )
            taking_part = rng.sample(voters, max(1, int(len(voters) * rng.uniform(0.4, 0.9))))
            for p_number, uid in enumerate(taking_part):
                if votes <= 0:
                    break
                cast = min(votes, rng.randint(5, s_count))
                votes -= cast
                part_id = w.new_id("participant")
                joined = opened + timedelta(hours=rng.uniform(0, 500))
                w.add(
                    "participant",
                    {
                        "id": part_id,
                        "conversation_id": cid,
                        "user_id": uid,
                        "number": p_number,
                        "created_at": joined,
                        "votes_cast": cast,
                    },
                )
                for k, sid in enumerate(rng.sample(statements, cast)):
                    value = rng.choice((1, 1, -1, 0))
                    at = joined + timedelta(seconds=20 * k)
                    w.add(
                        "vote",
                        {
                            "id": w.new_id("vote"),
                            "participant_id": part_id,
                            "statement_id": sid,
                            "conversation_id": cid,
                            "value": value,
                            "created_at": at,
                            "updated_at": at,
                        },
                    )
                    w.add(
                        "vote_event",
                        {
                            "id": w.new_id("vote_event"),
                            "participant_id": part_id,
                            "statement_id": sid,
                            "conversation_id": cid,
                            "value": value,
                            "cast_at": at,
                        },
                    )

    # -- fund ------------------------------------------------------------------------------------------
    def fund(self, rng: random.Random, pid: int, members: list[int], staff: list[int], orgs: list[int],
             ballots: int) -> None:  # fmt: skip
        w = self.w
        voters = members or staff
        number = 0
        while ballots > 0:
            number += 1
            rid = w.new_id("round")
            start = self.when(rng, 700, 0) - timedelta(days=60)
            proposals = []
            for k in range(PROPOSALS_PER_ROUND):
                cost = rng.randint(50, 500) * 1000
                prop = w.new_id("proposal")
                proposals.append((prop, cost))
                w.add(
                    "proposal",
                    {
                        "id": prop,
                        "round_id": rid,
                        "proposer_id": rng.choice(voters),
                        "title": f"Project {k + 1}: " + self.words(rng, 4),
                        "description": self.words(rng, 20),
                        "beneficiaries": self.words(rng, 3),
                        "cost_pence": cost,
                        "proposed_cost_pence": cost,
                        "status": "on_ballot",
                        "delivered_by_id": orgs[k % len(orgs)],
                        "created_at": start,
                        "language": "en",
                    },
                )
            budget = sum(cost for _, cost in proposals) // 2
            w.add(
                "round",
                {
                    "id": rid,
                    "partnership_id": pid,
                    "title": f"Community fund round {number}",
                    "budget_pence": budget,
                    "min_choices": 1,
                    "max_choices": 3,
                    "proposals_from": start,
                    "review_from": start + timedelta(days=14),
                    "voting_from": start + timedelta(days=28),
                    "results_from": start + timedelta(days=42),
                    "delivery_from": start + timedelta(days=42),
                    "created_at": start,
                    "language": "en",
                },
            )
            voting = start + timedelta(days=28)
            for receipt, uid in enumerate(rng.sample(voters, min(ballots, len(voters)))):
                ballots -= 1
                chosen = rng.sample(proposals, rng.randint(1, 3))
                bid = w.new_id("ballot")
                at = voting + timedelta(seconds=rng.uniform(0, 13 * 86400))
                w.add(
                    "ballot",
                    {
                        "id": bid,
                        "round_id": rid,
                        "voter_id": uid,
                        "receipt": f"R{rid:x}-{receipt:07d}",
                        "total_points": len(chosen),
                        "total_cost_pence": sum(c for _, c in chosen),
                        "created_at": at,
                        "updated_at": at,
                    },
                )
                for prop, _ in chosen:
                    w.add(
                        "ballot_choice",
                        {"id": w.new_id("ballot_choice"), "ballot_id": bid, "proposal_id": prop, "points": 1},
                    )

    # -- support plans -----------------------------------------------------------------------------------
    def plans(self, rng: random.Random, pid: int, member_ships: list[int], members: list[int], staff: list[int],
              changes: int) -> None:  # fmt: skip
        if not member_ships or changes == 0:
            return
        w = self.w
        with_plan = rng.sample(range(len(member_ships)), max(1, int(len(member_ships) * 0.7)))
        per_plan = [0] * len(with_plan)
        for _ in range(changes):
            per_plan[min(len(with_plan) - 1, int(len(with_plan) * rng.random() ** 2))] += 1
        for k, m in enumerate(with_plan):
            plan = w.new_id("plan")
            created = self.when(rng, 700)
            moment = created
            w.add(
                "plan",
                {
                    "id": plan,
                    "partnership_id": pid,
                    "member_id": member_ships[m],
                    "status": "active",
                    "what_matters": self.words(rng, 12),
                    "created_by_id": members[m],
                    "created_at": created,
                    "updated_at": created,
                    "accepted_at": created,
                    "language": "en",
                },
            )
            for _ in range(per_plan[k]):
                moment = moment + timedelta(minutes=rng.uniform(5, 900))
                by_member = not staff or rng.random() < 0.5
                part = rng.choice(PLAN_PARTS)
                w.add("plan_change", {
                    "id": w.new_id("plan_change"), "plan_id": plan, "part": part,
                    "summary": f"Changed {part}: " + self.words(rng, 4),
                    "before": {"text": self.words(rng, 3)}, "after": {"text": self.words(rng, 3)},
                    "changed_by_id": members[m] if by_member else rng.choice(staff),
                    "changed_by_label": "member" if by_member else "keyworker",
                    "with_member": not by_member, "changed_at": moment,
                })  # fmt: skip

    # -- events ----------------------------------------------------------------------------------------
    def events(self, rng: random.Random, pid: int, members: list[int], staff: list[int], orgs: list[int],
               registrations: int) -> None:  # fmt: skip
        w = self.w
        people = [(u, True) for u in members] + [(u, False) for u in staff]
        while registrations > 0:
            eid = w.new_id("event")
            starts = self.when(rng, 365, 90).replace(minute=0, second=0, microsecond=0)
            capacity = rng.choice((None, 10, 15, 20, 30, 40))
            w.add(
                "event",
                {
                    "id": eid,
                    "partnership_id": pid,
                    "kind": rng.choice(EVENT_KINDS),
                    "title": self.words(rng, 3).capitalize(),
                    "purpose": self.words(rng, 12),
                    "place": "Community hub",
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2),
                    "capacity": capacity,
                    "host_id": orgs[0],
                    "created_at": starts - timedelta(days=30),
                    "updated_at": starts - timedelta(days=30),
                    "language": "en",
                },
            )
            size = min(registrations, len(people), rng.randint(3, 50))
            registrations -= size
            for position, (uid, is_member) in enumerate(rng.sample(people, size), start=1):
                status = "registered" if capacity is None or position <= capacity else "waiting"
                w.add(
                    "registration",
                    {
                        "id": w.new_id("registration"),
                        "event_id": eid,
                        "user_id": uid,
                        "status": status,
                        "position": position,
                        "is_member": is_member,
                        "is_staff": not is_member,
                        "registered_at": starts - timedelta(days=rng.uniform(1, 29)),
                    },
                )


class Command(BaseCommand):
    help = "Make national-scale made-up data (200 partnerships, 50 000 members, … at --scale 1.0) for measuring."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="Fraction of the full size (e.g. 0.001).")
        parser.add_argument("--seed", type=int, default=1, help="The same seed (and anchor) makes the same rows.")
        parser.add_argument(
            "--anchor",
            type=date.fromisoformat,
            default=None,
            help="The day the data is made as of (YYYY-MM-DD; default today).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--stop-after",
            type=float,
            default=0,
            help="Seconds: finish the partnership under way after this long and stop (the biggest come first).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale: float = options["scale"]
        using: str = options["database"]
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        vendor = connections[using].vendor
        if vendor != "postgresql" and scale > SQLITE_MAX_SCALE:
            raise CommandError(
                f"On {vendor} this makes at most --scale {SQLITE_MAX_SCALE}; national-scale data needs PostgreSQL "
                "(set DATABASE_URL to a postgres:// address)."
            )
        Partnership = apps.get_model(MODELS["partnership"])
        prefix = f"{SLUG_PREFIX}-{options['seed']}-"
        if Partnership.objects.using(using).filter(slug__startswith=prefix).exists():
            raise CommandError(f"Partnerships made with seed {options['seed']} are already there ({prefix}…).")
        anchor_day: date = options["anchor"] or datetime.now(UTC).date()
        anchor = datetime(anchor_day.year, anchor_day.month, anchor_day.day, 12, tzinfo=UTC)
        counts = targets_for(scale)
        self.stdout.write("Making: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        writer = Writer(using)
        started = time.perf_counter()
        generator = Generator(
            writer, seed=options["seed"], anchor=anchor, counts=counts, say=self.stdout.write,
            stop_after=options["stop_after"],
        )  # fmt: skip
        generator.run()
        writer.reset_sequences()
        if vendor == "postgresql":
            with connections[using].cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{'table':<34} {'rows':>11} {'write s':>8} {'rows/s':>10}")
        for key, label in MODELS.items():
            stats = writer.stats.get(key)
            if stats and stats.rows:
                table = apps.get_model(label)._meta.db_table
                rate = stats.rows / stats.seconds if stats.seconds else 0
                self.stdout.write(f"{table:<34} {stats.rows:>11,} {stats.seconds:>8.1f} {rate:>10,.0f}")
        rows = sum(s.rows for s in writer.stats.values())
        self.stdout.write(self.style.SUCCESS(f"Made {rows:,} rows in {elapsed:.0f} s ({rows / elapsed:,.0f} rows/s)."))
