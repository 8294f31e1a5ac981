"""The commitments board in the public API: every promise the partnership made, with its status, as the board
shows it (what needs doing first: overdue, then review due, on track, no date and done; within each, the
earliest date first).

The same selector as the board's page (each source narrows to what the person may see). The board is put
together from every capability's sources, so it is paged here by its own order: the cursor is the last item's
place in it (status, date, words, source and id), never an offset."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Schema

from coproduce.api.framework import PageQuery, ProblemError, actor, page_of, router
from coproduce.commitments import selectors
from coproduce.commitments.selectors import STATUS_ORDER, BoardItem

r = router("commitments")


class ReviewOut(Schema):
    reviewed_on: date
    verdict: str
    next_review_on: date | None


class CommitmentOut(Schema):
    source: str  # the kind's key: "decisions.outcome", "fund.award", …
    object_id: int  # with source, names the commitment for good
    kind: str  # the kind, in words
    what: str  # the promise in a line
    owner: str  # who answers for it: a person's or an organisation's name ("" when nobody is named)
    made_on: date
    due_on: date | None
    review_on: date | None
    next_review_on: date | None
    status: str  # overdue, review_due, on_track, no_date or done
    status_label: str
    done: bool
    url: str  # the page to read about it, on this site
    latest_review: ReviewOut | None


Key = tuple[int, str, str, str, int]


def _key(item: BoardItem) -> Key:
    c = item.commitment
    when = c.due_on or item.next_review_on or date.max
    return (STATUS_ORDER[item.status], when.isoformat(), c.what.casefold(), c.source, c.object_id)


def _encode(key: Key) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> Key:
    refused = ProblemError(400, _("This cursor is not valid."), errors=[("cursor", _("Not a valid cursor."))])
    try:
        found = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, TypeError) as exc:
        raise refused from exc
    types = (int, str, str, str, int)
    if (
        not isinstance(found, list)
        or len(found) != len(types)
        or not all(isinstance(v, t) and not isinstance(v, bool) for v, t in zip(found, types, strict=True))
    ):
        raise refused
    return (found[0], found[1], found[2], found[3], found[4])


def _item(item: BoardItem) -> dict[str, Any]:
    c = item.commitment
    review = item.latest_review
    return {
        "source": c.source,
        "object_id": c.object_id,
        "kind": item.kind,
        "what": c.what,
        "owner": c.owner,
        "made_on": c.made_on,
        "due_on": c.due_on,
        "review_on": c.review_on,
        "next_review_on": item.next_review_on,
        "status": item.status,
        "status_label": item.status_label,
        "done": c.done,
        "url": c.url,
        "latest_review": None
        if review is None
        else {"reviewed_on": review.reviewed_on, "verdict": review.verdict, "next_review_on": review.next_review_on},
    }


@r.get("/partnerships/{slug}/commitments", response=page_of(CommitmentOut))
def list_commitments(
    request: HttpRequest, slug: str, page: Query[PageQuery], kind: str | None = None, overdue: bool = False
) -> Any:
    """The commitments board: ``kind`` (a source's key) shows one kind, ``overdue=true`` only the overdue ones."""
    person = actor(request, slug)
    kinds = dict(selectors.kinds())
    if kind and kind not in kinds:
        raise ProblemError(
            400,
            _("There is no kind of commitment called that."),
            errors=[("kind", _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(kinds)})],
        )
    items = sorted(selectors.board_for(person, kind=kind or None, overdue_only=overdue), key=_key)
    if page.cursor:
        after = _decode(page.cursor)
        items = [item for item in items if _key(item) > after]
    shown = items[: page.limit]
    next_url = None
    if len(items) > page.limit:
        query = request.GET.copy()
        query["cursor"] = _encode(_key(shown[-1]))
        query["limit"] = str(page.limit)
        next_url = request.build_absolute_uri(request.path) + "?" + urlencode(sorted(query.items()))
    return {"items": [_item(item) for item in shown], "next": next_url}
