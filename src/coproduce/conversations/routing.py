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
import functools
import itertools
import random
import threading
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count

from coproduce.conversations.models import Conversation, Participant, Snapshot, Statement, Vote
from coproduce.core.db import prepared_cursor, prepared_raw

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
        Statement.objects.filter(conversation_id=conversation_id, status=Statement.Status.PUBLISHED)
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
# subqueries on each run than this spends checking all 16 (docs/performance.md). The two values every
# candidate is checked against are given once, in ``o``; the person's vote is looked for by a scalar subquery
# (a NOT EXISTS may be turned into a hashed read of all the person's votes).
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
       WHERE (SELECT t.conversation_id = c.id AND t.status = o.published FROM {statements} t WHERE t.id = d.column1)
         AND (o.asked OR (SELECT 1 FROM {votes} v WHERE v.participant_id = p.id
                          AND v.statement_id = d.column1) IS NULL)
       ORDER BY d.column2 LIMIT 1) AS routing_chosen,
    p.id AS routing_participant
  FROM (SELECT CAST(%s AS varchar(20)) AS published, CAST(%s AS boolean) AS asked) o
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
    "SELECT t.id FROM {statements} t WHERE t.conversation_id = %s AND t.status = %s "
    "AND NOT EXISTS (SELECT 1 FROM {votes} v WHERE v.participant_id = %s AND v.statement_id = t.id) ORDER BY t.number"
)


def _sql() -> str:
    return _sql_for(connection.vendor)


@functools.cache
def _sql_for(vendor: str) -> str:
    """The routing query for this kind of database, built once per process."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"s.{quote(field.column)}" for field in Statement._meta.concrete_fields)
    return _SQL.format(
        votes=quote(Vote._meta.db_table),
        statements=quote(Statement._meta.db_table),
        snapshots=quote(Snapshot._meta.db_table),
        participants=quote(Participant._meta.db_table),
        conversations=quote(Conversation._meta.db_table),
        columns=columns,
        statement_join=(_LATERAL_JOIN if vendor == "postgresql" else _JOIN).format(
            statements=quote(Statement._meta.db_table), columns=columns
        ),
        candidates=", ".join(f"(CAST(%s AS bigint), {rank})" for rank in range(CANDIDATES)),
    )


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


def _query(conversation_id: int, user_id: int, candidates: list[int], *, asked: bool) -> Any:
    published = Statement.Status.PUBLISHED.value
    # Votes on statements a coordinator took out no longer count; none can be on a statement still waiting.
    params = [Statement.Status.MODERATED_OUT.value, *candidates, published, asked, user_id, conversation_id]
    (row,) = prepared_raw(Statement, _sql(), params)
    return row


def _not_voted_on(conversation_id: int, participant_id: int | None) -> list[int]:
    sql = _NOT_VOTED_SQL.format(
        statements=connection.ops.quote_name(Statement._meta.db_table),
        votes=connection.ops.quote_name(Vote._meta.db_table),
    )
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, [conversation_id, Statement.Status.PUBLISHED.value, participant_id])
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
        row = _query(conversation_id, user_id, [asked] * CANDIDATES, asked=True)
        if row.pk is not None:
            return VotingState(row, row.routing_my_vote, row.routing_voted, row.routing_total)
    table = _tables.get(conversation_id)
    row = _query(conversation_id, user_id, _candidates(table), asked=False)
    key = (row.routing_at, row.routing_total)
    if table is None or table.key != key:
        # A new map, or statements published or taken out: build the table again, and draw from it.
        table = _build(conversation_id, key)
        _keep(conversation_id, table)
        row = _query(conversation_id, user_id, _candidates(table), asked=False)
    if row.pk is not None:
        return VotingState(row, None, row.routing_voted, row.routing_total)
    if row.routing_voted >= row.routing_total:
        return VotingState(None, None, row.routing_voted, row.routing_total)
    remaining = _not_voted_on(conversation_id, row.routing_participant)
    if not remaining:  # changed between the two queries
        return VotingState(None, None, row.routing_voted, row.routing_total)
    chosen = Statement.objects.get(pk=_exact_draw(table, remaining))
    return VotingState(chosen, None, row.routing_voted, row.routing_total)
