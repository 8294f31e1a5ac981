"""Choosing the statement a person votes on next, and their progress, in one query per vote (ADR 15).

Pol.is shows a person the statements they have not voted on at random, each with a chance in proportion to
its routing priority from the latest map ("comment priorities"). Done naively that reads every published
statement and the person's vote on each, on every vote. Here:

* each process keeps a **routing table** per conversation: the published statements, in number order, with
  the running total of their weights (a statement newer than the map weighs as much as the highest priority
  known; no weight is below 1e-9). It is rebuilt when the conversation's latest map or its number of
  published statements changes, which the query below reports on every vote;
* Python draws ``CANDIDATES`` statements from the table, independently, each with probability weight /
  total weight;
* one query returns the first candidate, in the order drawn, that is still published and that the person
  has not voted on, with all its columns, and the person's progress (published statements, and how many of
  them they have voted on). Taking the first acceptable draw is rejection sampling, so the statement shown
  has exactly the chance Pol.is gives it among those the person has not voted on;
* when no candidate is acceptable (the person has voted on nearly everything, or a statement was published
  since the table was built), the exact draw is made over the statements the person has not voted on, read
  in a second query; before a conversation has any map, one of those with the fewest votes is chosen at
  random (new statements need votes). Either way the chances are the same as drawing over everything.

Asking for one statement (to change a vote) is the same query with that statement as the only candidate.
Identifiers come from the models' metadata and every value is a parameter.
"""

from __future__ import annotations

import bisect
import itertools
import random
import threading
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count

from coproduce.conversations.models import Conversation, Participant, Snapshot, Statement, Vote
from coproduce.conversations.voting import rule
from coproduce.conversations.voting.sql import built_once, columns, table
from coproduce.core.db import prepared_cursor, prepared_rows

# Draws per vote. With 16, a person who has voted on statements holding 80% of the weight needs the second
# query 3% of the time (0.8 ** 16), and over a whole conversation about one vote in seventeen does.
CANDIDATES = 16
MIN_WEIGHT = 1e-9
_TABLES_KEPT = 256  # conversations whose routing table a process keeps

_rng = random.SystemRandom()


@dataclass(frozen=True)
class RoutingTable:
    key: tuple[Any, int]  # (the latest map's time as the database gives it, or None; published statements)
    ids: list[int]  # published statements in number order
    running: list[float]  # running total of their weights
    weights: dict[int, float]  # by statement id; empty before the first map
    top: float  # the weight of a statement newer than the map

    def draw(self) -> int:
        """One statement id, with probability weight / total weight (the table must not be empty)."""
        return _pick(self.ids, self.running)

    def weight(self, statement_id: int) -> float:
        return self.weights.get(statement_id, self.top)


def _running(weights: list[float]) -> list[float]:
    """Running totals of the weights, in order."""
    return list(itertools.accumulate(weights))


def _pick(ids: list[int], running: list[float]) -> int:
    """One of ``ids`` with probability its weight / total weight, as ``random.choices`` draws."""
    index = bisect.bisect_right(running, _rng.random() * running[-1])
    return ids[min(index, len(ids) - 1)]


_tables: dict[int, RoutingTable] = {}
_tables_lock = threading.Lock()


def _build(conversation_id: int, key: tuple[Any, int]) -> RoutingTable:
    ids = list(
        Statement.objects.filter(conversation_id=conversation_id, status=rule.PUBLISHED)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    found = Snapshot.objects.filter(conversation_id=conversation_id).values_list("priorities", flat=True).first()
    priorities = {int(k): float(v) for k, v in (found or {}).items()}
    if not priorities:
        return RoutingTable(key=key, ids=ids, running=[], weights={}, top=1.0)
    top = max(priorities.values()) or 1.0
    weights = {pk: max(priorities.get(pk, top), MIN_WEIGHT) for pk in ids}
    return RoutingTable(key=key, ids=ids, running=_running([weights[pk] for pk in ids]), weights=weights, top=top)


def _keep(conversation_id: int, table: RoutingTable) -> None:
    with _tables_lock:
        if conversation_id not in _tables and len(_tables) >= _TABLES_KEPT:
            _tables.pop(next(iter(_tables)))
        _tables[conversation_id] = table


# Progress is read from two counts the services keep (ADR 16): the conversation's published statements, and
# the statements the person has a vote on, less those no longer published (few: only a coordinator takes a
# statement out). Each candidate is looked up by primary key alone (so the plan does not depend on the
# planner's statistics), and the first that fits, in the order drawn, is chosen. Trying them one by one and
# stopping at the first (16 subqueries in a COALESCE) was tried: PostgreSQL spent more setting up the 16
# subqueries on each run than this spends checking all 16 (docs/performance.md). Whether a statement was
# asked for is given once, in ``o``; "published" is ``rule``'s condition; the person's vote is looked for by a
# scalar subquery (a NOT EXISTS may be turned into a hashed read of all the person's votes).
_SQL = """
SELECT k.routing_at, k.routing_total, k.routing_voted, k.routing_participant,
  (SELECT v.value FROM {votes} v WHERE v.participant_id = k.routing_participant
     AND v.statement_id = k.routing_chosen) AS routing_my_vote,
  {columns}
FROM (
  SELECT
    (SELECT sn.computed_at FROM {snapshots} sn WHERE sn.conversation_id = c.id) AS routing_at,
    c.published_count AS routing_total,
    COALESCE(p.votes_cast, 0) - (
      SELECT COUNT(*) FROM {statements} t JOIN {votes} v ON v.statement_id = t.id
      WHERE t.conversation_id = c.id AND t.status = %s AND v.participant_id = p.id
    ) AS routing_voted,
    (SELECT d.column1 FROM (VALUES {candidates}) d
       WHERE (SELECT t.conversation_id = c.id AND {published} FROM {statements} t WHERE t.id = d.column1)
         AND (o.asked OR (SELECT 1 FROM {votes} v WHERE v.participant_id = p.id
                          AND v.statement_id = d.column1) IS NULL)
       ORDER BY d.column2 LIMIT 1) AS routing_chosen,
    p.id AS routing_participant
  FROM (SELECT CAST(%s AS boolean) AS asked) o
  CROSS JOIN {conversations} c LEFT JOIN {participants} p ON p.conversation_id = c.id AND p.user_id = %s
  WHERE c.id = %s
  LIMIT 1
) k
{statement_join}
"""
# The chosen statement's row, by primary key. On PostgreSQL a lateral subquery, so that the lookup is by the
# key even before the planner has statistics for the table (a new database, or autovacuum turned off).
_JOIN = "LEFT JOIN {statements} s ON s.id = k.routing_chosen"
_LATERAL_JOIN = (
    "LEFT JOIN LATERAL (SELECT {columns} FROM {statements} s WHERE s.id = k.routing_chosen LIMIT 1) s ON TRUE"
)

_NOT_VOTED_SQL = (
    "SELECT t.id FROM {statements} t WHERE t.conversation_id = %s AND {published} "
    "AND NOT EXISTS (SELECT 1 FROM {votes} v WHERE v.participant_id = %s AND v.statement_id = t.id) ORDER BY t.number"
)


@built_once
def _sql(vendor: str) -> str:
    """The routing query for this kind of database."""
    statement_columns = columns(Statement, "s")
    return _SQL.format(
        votes=table(Vote),
        statements=table(Statement),
        snapshots=table(Snapshot),
        participants=table(Participant),
        conversations=table(Conversation),
        columns=statement_columns,
        published=rule.IS_PUBLISHED.sql("t"),
        statement_join=(_LATERAL_JOIN if vendor == "postgresql" else _JOIN).format(
            statements=table(Statement), columns=statement_columns
        ),
        candidates=", ".join(f"(CAST(%s AS bigint), {rank})" for rank in range(CANDIDATES)),
    )


@built_once
def _not_voted_sql(vendor: str) -> str:
    return _NOT_VOTED_SQL.format(statements=table(Statement), votes=table(Vote), published=rule.IS_PUBLISHED.sql("t"))


@dataclass
class VotingState:
    """What the voting page shows."""

    statement: Statement | None  # the statement to vote on now (None: all done)
    my_vote: int | None  # the person's current vote on it, when changing a vote
    voted: int  # how many published statements the person has voted on
    total: int  # how many published statements there are

    @property
    def remaining(self) -> int:
        return self.total - self.voted


@dataclass(frozen=True)
class _Found:
    """One answer of the routing query: the chosen statement (None: none) and the person's progress."""

    statement: Statement | None
    my_vote: int | None
    voted: int
    total: int
    computed_at: Any  # the latest map's time, as the database gives it (None: no map yet)
    participant_id: int | None


def _query(conversation_id: int, user_id: int, candidates: list[int], *, asked: bool) -> _Found:
    # Votes on statements a coordinator took out no longer count; none can be on a statement still waiting.
    # The published test is inside the candidates' subquery, so its parameter follows them.
    params = [rule.MODERATED_OUT, *candidates, rule.PUBLISHED, asked, user_id, conversation_id]
    ((statement, extra),) = prepared_rows(Statement, _sql(), params)
    return _Found(
        statement=statement if statement.pk is not None else None,
        my_vote=extra["routing_my_vote"],
        voted=extra["routing_voted"],
        total=extra["routing_total"],
        computed_at=extra["routing_at"],
        participant_id=extra["routing_participant"],
    )


def _not_voted_on(conversation_id: int, participant_id: int | None) -> list[int]:
    with prepared_cursor(connection) as cursor:
        cursor.execute(_not_voted_sql(), [conversation_id, rule.PUBLISHED, participant_id])
        return [pk for (pk,) in cursor.fetchall()]


def _exact_draw(table: RoutingTable, remaining: list[int]) -> int:
    """One of ``remaining``: by weight once there is a map, else among those with the fewest votes."""
    if table.weights:
        return _pick(remaining, _running([table.weight(pk) for pk in remaining]))
    counts = dict(
        Vote.objects.filter(statement_id__in=remaining)
        .values("statement_id")
        .annotate(n=Count("pk"))
        .values_list("statement_id", "n")
    )
    fewest = min(counts.get(pk, 0) for pk in remaining)
    tied = [pk for pk in remaining if counts.get(pk, 0) == fewest]
    return tied[min(int(_rng.random() * len(tied)), len(tied) - 1)]


def _candidates(table: RoutingTable | None) -> list[int]:
    if table is None or not table.running:
        return [-1] * CANDIDATES  # no statement has this id: nothing is drawn
    return [table.draw() for _ in range(CANDIDATES)]


def route(conversation_id: int, user_id: int, *, asked: int | None = None) -> VotingState:
    """The statement to show the person and their progress: ``asked`` if it is published (with their vote
    on it), otherwise the next one, drawn as the module's docstring says."""
    if asked is not None:
        found = _query(conversation_id, user_id, [asked] * CANDIDATES, asked=True)
        if found.statement is not None:
            return VotingState(found.statement, found.my_vote, found.voted, found.total)
    table_ = _tables.get(conversation_id)
    found = _query(conversation_id, user_id, _candidates(table_), asked=False)
    key = (found.computed_at, found.total)
    if table_ is None or table_.key != key:
        # A new map, or statements published or taken out: build the table again, and draw from it.
        table_ = _build(conversation_id, key)
        _keep(conversation_id, table_)
        found = _query(conversation_id, user_id, _candidates(table_), asked=False)
    if found.statement is not None:
        return VotingState(found.statement, None, found.voted, found.total)
    if found.voted >= found.total:
        return VotingState(None, None, found.voted, found.total)
    remaining = _not_voted_on(conversation_id, found.participant_id)
    if not remaining:  # changed between the two queries
        return VotingState(None, None, found.voted, found.total)
    chosen = Statement.objects.get(pk=_exact_draw(table_, remaining))
    return VotingState(chosen, None, found.voted, found.total)
