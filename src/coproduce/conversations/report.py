"""What the report page shows, read from the stored snapshot (never computed in the request): the opinion
map as SVG shapes, what each group thinks, what everyone agrees on, and the co-production lens.

The snapshot's result is the method's ``Result.to_dict()`` stored as JSON, so its keys are strings."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import ngettext

from coproduce.conversations import selectors
from coproduce.conversations.models import Conversation, Participant, Snapshot, Statement
from coproduce.conversations.snapshots import SNAPSHOT_STALE_AFTER
from coproduce.partnerships.models import Membership

GROUP_LETTERS = "ABCDEFGHIJ"
COLOURS = ("#0065bd", "#d32205", "#428542", "#6d3b8c", "#c26f00", "#00747a", "#5e5e5e")
MAP_SIZE = 320  # the SVG's view box is MAP_SIZE × MAP_SIZE
MAP_PAD = 24
TOP = 5
# The likelihood (in %) that every group of opinion agrees from which a statement counts as agreed by every group.
GROUP_AWARE_AGREED = 50


def colour(position: int) -> str:
    return COLOURS[position % len(COLOURS)]


def group_label(position: int) -> str:
    return GROUP_LETTERS[position] if position < len(GROUP_LETTERS) else str(position + 1)


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull (Andrew's monotone chain), counter-clockwise."""
    unique = sorted(set(points))
    if len(unique) <= 2:
        return unique

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(unique):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


@dataclass
class MapGroup:
    id: int
    label: str
    position: int
    size: int
    shown: bool  # large enough to show what it thinks
    colour: str = "#000"
    polygon: str = ""  # SVG points of the area around its members
    center: tuple[float, float] = (0.0, 0.0)
    radius: float = 0.0  # for a group of one or two points, a circle instead of a polygon
    statements: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class OpinionMap:
    dots: list[dict[str, Any]]
    groups: list[MapGroup]
    you: dict[str, Any] | None
    in_map: int
    not_in_map: int


def _scale(points: dict[str, list[float]]) -> Any:
    xs = [p[0] for p in points.values()] or [0.0]
    ys = [p[1] for p in points.values()] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    usable = MAP_SIZE - 2 * MAP_PAD

    def to_svg(point: list[float] | tuple[float, float]) -> tuple[float, float]:
        x = MAP_SIZE / 2 + (point[0] - cx) / span * usable
        y = MAP_SIZE / 2 - (point[1] - cy) / span * usable  # SVG's y grows downwards
        return round(x, 1), round(y, 1)

    return to_svg


def opinion_map(result: dict[str, Any], statements: dict[int, Statement], you: int | None) -> OpinionMap:
    projections: dict[str, list[float]] = (result.get("pca") or {}).get("participant_projections") or {}
    membership: dict[str, int | None] = result.get("participants") or {}
    to_svg = _scale({pid: p for pid, p in projections.items() if membership.get(pid) is not None} or projections)
    position_of = {g["id"]: i for i, g in enumerate(result.get("groups") or [])}
    dots = []
    for pid, point in projections.items():
        group = membership.get(pid)
        if group is None:
            continue  # not in the map yet (too few votes)
        x, y = to_svg(point)
        dots.append({"x": x, "y": y, "colour": colour(position_of.get(group, 0))})
    groups: list[MapGroup] = []
    repness = result.get("repness") or {}
    for position, group in enumerate(result.get("groups") or []):
        members = [str(m) for m in group.get("members") or []]
        points = [to_svg(projections[m]) for m in members if m in projections]
        item = MapGroup(
            id=group["id"],
            label=group_label(position),
            position=position,
            size=len(members),
            shown=len(members) >= selectors.MIN_GROUP_SIZE,
            colour=colour(position),
        )
        hull = _hull(points)
        if len(hull) >= 3:
            item.polygon = " ".join(f"{x},{y}" for x, y in hull)
        elif points:
            item.center = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
            item.radius = max(12.0, max(math.dist(item.center, p) for p in points) + 8)
        if item.shown:
            for rep in (repness.get(str(group["id"])) or repness.get(group["id"]) or [])[:TOP]:  # type: ignore[call-overload]
                statement = statements.get(int(rep["statement"]))
                if statement is None or statement.status != Statement.Status.PUBLISHED:
                    continue
                item.statements.append(
                    {
                        "statement": statement,
                        "repful_for": rep["repful_for"],
                        "agree_percent": round(100 * rep.get("agree_share", 0.0)),
                        "disagree_percent": round(100 * rep.get("disagree_share", 0.0)),
                        "n_trials": rep.get("n_trials", 0),
                    }
                )
        groups.append(item)
    you_point = None
    if you is not None and str(you) in projections and membership.get(str(you)) is not None:
        x, y = to_svg(projections[str(you)])
        group = membership.get(str(you))
        you_point = {
            "x": x,
            "y": y,
            "group": group_label(position_of[group]) if group in position_of else None,
            # "you are here" goes on the side of the dot with more room, so it is not cut off at the edge.
            "label_anchor": "end" if x > MAP_SIZE / 2 else "start",
            "label_dx": -12 if x > MAP_SIZE / 2 else 12,
        }
    in_map = sum(1 for g in membership.values() if g is not None)
    return OpinionMap(dots=dots, groups=groups, you=you_point, in_map=in_map, not_in_map=len(membership) - in_map)


def _consensus(result: dict[str, Any], statements: dict[int, Statement]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {"agree": [], "disagree": []}
    for direction in ("agree", "disagree"):
        for item in (result.get("consensus") or {}).get(direction) or []:
            statement = statements.get(int(item["statement"]))
            # The report's own rule: no share of fewer than MIN_GROUP_SIZE voters ("100% of 1 agree" tells
            # everyone how that one person voted).
            if item["n_trials"] < selectors.MIN_GROUP_SIZE:
                continue
            if statement is not None and statement.status == Statement.Status.PUBLISHED:
                found[direction].append(
                    {
                        "statement": statement,
                        "percent": round(100 * item["n_success"] / item["n_trials"]) if item["n_trials"] else 0,
                        "n_trials": item["n_trials"],
                    }
                )
    return found


def _group_aware(result: dict[str, Any], statements: dict[int, Statement]) -> list[dict[str, Any]]:
    values = result.get("group_aware_consensus") or {}
    rows: list[dict[str, Any]] = []
    for sid, value in values.items():
        statement = statements.get(int(sid))
        if statement is not None and statement.status == Statement.Status.PUBLISHED:
            percent = round(100 * float(value))
            # Listed under "Agreed by every group" only when that is more likely than not.
            if percent >= GROUP_AWARE_AGREED:
                rows.append({"statement": statement, "percent": percent})
    rows.sort(key=lambda r: (-r["percent"], r["statement"].number))
    return rows[:TOP]


@dataclass
class ImportedGroups:
    """The groups Pol.is gave the people of an imported conversation, beside ours: how many people in
    each, and how closely the two groupings agree (the adjusted Rand index over the people in a group
    in both; None when fewer than two are)."""

    sizes: list[tuple[int, int]]  # (Pol.is group-id, people), by group-id
    people: int
    compared: int = 0
    agreement: float | None = None

    @property
    def agreement_text(self) -> str:
        return f"{self.agreement:.2f}" if self.agreement is not None else ""


def imported_groups(conversation: Conversation, result: dict[str, Any] | None) -> ImportedGroups | None:
    """For a conversation imported from Pol.is with its group-ids, those groups and how they compare with
    the groups of our latest map (``result``); None for any other conversation. One query."""
    if not conversation.imported_from:
        return None
    theirs: dict[int, int] = {
        pk: group
        for pk, group in Participant.objects.filter(
            conversation=conversation, imported_group__isnull=False
        ).values_list("pk", "imported_group")
        if group is not None
    }
    if not theirs:
        return None
    sizes: dict[int, int] = {}
    for group in theirs.values():
        sizes[group] = sizes.get(group, 0) + 1
    found = ImportedGroups(sizes=sorted(sizes.items()), people=len(theirs))
    ours = (result or {}).get("participants") or {}
    both = [pk for pk in theirs if ours.get(str(pk)) is not None]
    found.compared = len(both)
    if len(both) >= 2:
        from coproduce.methods.opinion import adjusted_rand_index

        found.agreement = adjusted_rand_index([theirs[pk] for pk in both], [ours[str(pk)] for pk in both])
    return found


def history_replay(snapshot: Snapshot | None) -> str:
    """One plain sentence saying that the first map was rebuilt from the imported vote history (how often
    the groups were worked out again, and for how long a stretch of votes); "" when it was not."""
    if snapshot is None or not snapshot.history_updates or not snapshot.history_interval:
        return ""
    seconds = round(snapshot.history_interval)
    if seconds % 86400 == 0:
        stretch = ngettext("%(n)d day", "%(n)d days", seconds // 86400) % {"n": seconds // 86400}
    elif seconds % 3600 == 0:
        stretch = ngettext("%(n)d hour", "%(n)d hours", seconds // 3600) % {"n": seconds // 3600}
    elif seconds % 60 == 0:
        stretch = ngettext("%(n)d minute", "%(n)d minutes", seconds // 60) % {"n": seconds // 60}
    else:
        stretch = ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    n = snapshot.history_updates
    return ngettext(
        "The first map was rebuilt from the imported history: the votes were taken in the order they were cast "
        "and the groups worked out %(n)d time, once for each stretch of up to %(stretch)s of votes, as Pol.is "
        "did while the conversation was running. Later maps carry on from it.",
        "The first map was rebuilt from the imported history: the votes were taken in the order they were cast "
        "and the groups worked out %(n)d times, once for each stretch of up to %(stretch)s of votes, as Pol.is "
        "did while the conversation was running. Later maps carry on from it.",
        n,
    ) % {"n": n, "stretch": stretch}


def report_context(membership: Membership, conversation: Conversation) -> dict[str, Any]:
    """Everything the report page shows, in a fixed number of queries whatever the size."""
    snapshot = selectors.snapshot_for(conversation)
    lens = selectors.coproduction_lens(conversation)
    statements = {row.statement.pk: row.statement for row in lens.rows}
    context: dict[str, Any] = {
        "snapshot": snapshot,
        "map_status": map_status(conversation, snapshot),
        "lens": lens,
        "min_group_size": selectors.MIN_GROUP_SIZE,
        "lens_chart": lens_chart(lens.differ_most or lens.agree_most),
        "vote_channels": selectors.vote_channels(conversation),
    }
    if snapshot is not None and snapshot.result:
        you = selectors.participant_for(membership, conversation)
        result = snapshot.result
        context["map"] = opinion_map(result, statements, you.pk if you is not None else None)
        context["consensus"] = _consensus(result, statements)
        context["group_aware"] = _group_aware(result, statements)
        context["map_size"] = MAP_SIZE
    context["imported_groups"] = imported_groups(conversation, snapshot.result if snapshot is not None else None)
    context["history_replay"] = history_replay(snapshot)
    return context


def map_status(conversation: Conversation, snapshot: Snapshot | None, now: datetime | None = None) -> str:
    """What the report may honestly say of the opinion map, from the conversation's computation marks:
    ``waiting`` (a computation is due or running), ``late`` (it should have finished long ago: its
    worker is not running, and the report must not promise a map), ``failed`` (the last one failed for
    good), ``ready`` (the snapshot is up to date) or ``none`` (nothing asked for yet: no votes)."""
    now = now or timezone.now()
    stale = now - SNAPSHOT_STALE_AFTER
    due, started, failed = (
        conversation.snapshot_due_at,
        conversation.snapshot_started_at,
        conversation.snapshot_failed_at,
    )
    if due is not None:
        return "late" if due < stale else "waiting"
    if failed is not None and (started is None or failed >= started):
        return "failed"
    if started is not None and (snapshot is None or snapshot.computed_at < started):
        return "late" if started < stale else "waiting"
    return "ready" if snapshot is not None else "none"


def lens_chart(rows: list[selectors.LensRow]) -> dict[str, Any]:
    """Horizontal bars (SVG shapes) of members' and staff's agree shares, two bars per statement."""
    bar_width, label_height, bar_height, gap = 200, 18, 14, 14
    items = []
    y = 0
    for index, row in enumerate(rows, start=1):
        items.append(
            {
                "index": index,
                "row": row,
                "label_y": y + 13,
                "members_y": y + label_height,
                "staff_y": y + label_height + bar_height + 2,
                "members_width": round(bar_width * row.members.agree_share, 1),
                "staff_width": round(bar_width * row.staff.agree_share, 1),
            }
        )
        y += label_height + 2 * bar_height + 2 + gap
    return {"items": items, "height": max(y, 1), "bar_width": bar_width}
