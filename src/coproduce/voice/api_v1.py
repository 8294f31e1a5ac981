"""Voice in the public API (/api/v1/partnerships/{slug}/…): ideas, their comments and supports, and the
partnership's responses ("you said, we did").

Every endpoint resolves the token's membership (``actor``, or ``writer`` for a change) and then calls the same
selectors and services as the idea pages, so the same people see the same ideas and get the same 404s: a
withdrawn idea is seen by its author alone, a hidden one by its author and coordinators, and an idea's author
is named as the pages name them to that person (``selectors.author_label``: never an email)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status

from coproduce.api.framework import Input, PageQuery, actor, page_of, paginate, router, writer
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.links import link_target
from coproduce.partnerships.models import Membership
from coproduce.voice import selectors, services
from coproduce.voice.models import BODY_MAX, COMMENT_MAX, TITLE_MAX, Comment, Idea, Response

r = router("voice")

IdeaStatus = Literal["new", "considering", "in_progress", "done", "not_taken_forward"]
AuthorKind = Literal["member", "staff", "observer"]
IdeaSort = Literal["newest", "supported", "active"]


# --- What the endpoints answer ----------------------------------------------------------------


class ChallengeRef(Schema):
    id: int
    title: str


class IdeaOut(Schema):
    """An idea as the idea list shows it (no text)."""

    id: int
    title: str
    status: IdeaStatus
    author: str = Field(description="How the author is shown to you: your own ideas read “you”; never an email.")
    author_kind: AuthorKind
    challenge: ChallengeRef | None
    created_at: datetime
    last_activity_at: datetime
    support_count: int
    comment_count: int
    supported_by_me: bool
    hidden: bool = Field(description="Hidden by a coordinator: only its author and coordinators see it.")


class ResponseOut(Schema):
    """What the partnership said or did about an idea (written by a coordinator)."""

    id: int
    status: IdeaStatus
    previous_status: IdeaStatus
    text: str
    link_url: str | None = Field(description="A page on this site or a web address; null when there is none.")
    link_label: str
    created_at: datetime


class IdeaDetailOut(IdeaOut):
    body: str = Field(description="The idea in the author's words (Markdown, as typed).")
    edited_at: datetime | None
    withdrawn: bool = Field(description="Withdrawn by its author: only the author sees it.")
    hidden_reason: str = Field(description="Why a coordinator hid it; empty unless hidden.")
    following: bool
    responses: list[ResponseOut]


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: str = Field(description="How the author is shown to you; never an email.")
    author_kind: AuthorKind
    body: str = Field(description="Empty when the comment was removed or hidden, except to its author.")
    removed: bool
    hidden: bool
    created_at: datetime
    edited_at: datetime | None


class ThreadOut(CommentOut):
    """A comment on the idea with its replies (one level), oldest first."""

    replies: list[CommentOut]


class YouSaidWeDidOut(Schema):
    """An idea that led to something (in progress or done), with the responses that say what."""

    idea_id: int
    title: str
    status: IdeaStatus
    challenge: ChallengeRef | None
    responses: list[ResponseOut]


class SupportOut(Schema):
    idea_id: int
    supported: bool
    support_count: int


# --- What the endpoints take ------------------------------------------------------------------


class IdeaIn(Input):
    title: str = Field(max_length=TITLE_MAX, description="A few words that say what the idea is.")
    body: str = Field(max_length=BODY_MAX, description="The idea (Markdown).")
    challenge_id: int | None = Field(default=None, description="An open challenge it answers.")
    show_name: bool = Field(default=True, description="False: others see “a parent” or “a member of staff”.")


class CommentIn(Input):
    body: str = Field(max_length=COMMENT_MAX)
    parent_id: int | None = Field(default=None, description="The comment this replies to, on the same idea.")


# --- Presenting ---------------------------------------------------------------------------------


def _challenge(idea: Idea) -> dict[str, Any] | None:
    if idea.challenge_id is None or idea.challenge is None:
        return None
    return {"id": idea.challenge.pk, "title": idea.challenge.title}


def _idea(membership: Membership, idea: Idea, supported: set[int]) -> dict[str, Any]:
    return {
        "id": idea.pk,
        "title": idea.title,
        "status": idea.status,
        "author": selectors.author_label(membership, idea),
        "author_kind": idea.author_kind,
        "challenge": _challenge(idea),
        "created_at": idea.created_at,
        "last_activity_at": idea.last_activity_at,
        "support_count": idea.support_count,
        "comment_count": idea.comment_count,
        "supported_by_me": idea.pk in supported,
        "hidden": idea.hidden_at is not None,
    }


def _response(response: Response) -> dict[str, Any]:
    return {
        "id": response.pk,
        "status": response.status,
        "previous_status": response.previous_status,
        "text": response.text,
        "link_url": link_target(response.link_url) or None,
        "link_label": response.link_label,
        "created_at": response.created_at,
    }


def _comment(membership: Membership, comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "author": selectors.author_label(membership, comment),
        "author_kind": comment.author_kind,
        "body": comment.body,  # comments_for empties the words of a removed or hidden comment for all but its author
        "removed": comment.deleted_at is not None,
        "hidden": comment.hidden_at is not None,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
    }


def _idea_detail(membership: Membership, idea: Idea) -> dict[str, Any]:
    supported = selectors.supported_idea_ids(membership, [idea.pk])
    return {
        **_idea(membership, idea, supported),
        "body": idea.body,
        "edited_at": idea.edited_at,
        "withdrawn": idea.withdrawn_at is not None,
        "hidden_reason": idea.hidden_reason if idea.hidden_at is not None else "",
        "following": selectors.is_following(membership, idea),
        "responses": [_response(response) for response in selectors.responses_for(idea)],
    }


# --- Reading ------------------------------------------------------------------------------------

# The list's orders, each a key the cursor can follow (ties go by id, newest first).
ORDERS = {"newest": "-created_at", "supported": "-support_count", "active": "-last_activity_at"}


@r.get("/partnerships/{slug}/ideas", response=page_of(IdeaOut), summary="The ideas you see")
def list_ideas(
    request: HttpRequest,
    slug: str,
    page: Query[PageQuery],
    challenge: int | None = None,
    status: IdeaStatus | None = None,
    q: str = Query("", max_length=200, description="Words to look for in titles, text and comments."),
    sort: IdeaSort = "newest",
) -> dict[str, Any]:
    """The ideas you see on the ideas page: none withdrawn; hidden ones only to their author and coordinators.
    Filter by challenge or status; ``q`` searches titles, text and comments; newest first, most supported or
    most recently active."""
    membership = actor(request, slug)
    items = selectors.ideas_visible_to(membership, challenge_id=challenge, status=status, query=q, sort=sort)
    found = paginate(request, items, order=ORDERS[sort])
    ideas: list[Idea] = found["items"]
    supported = selectors.supported_idea_ids(membership, [idea.pk for idea in ideas])
    return {**found, "items": [_idea(membership, idea, supported) for idea in ideas]}


@r.get("/partnerships/{slug}/ideas/{idea_id}", response=IdeaDetailOut, summary="One idea with its responses")
def get_idea(request: HttpRequest, slug: str, idea_id: int) -> dict[str, Any]:
    """An idea as its page shows it to you, with the partnership's responses. A withdrawn idea is found by its
    author alone, a hidden one by its author and coordinators: anyone else gets 404."""
    membership = actor(request, slug)
    return _idea_detail(membership, selectors.idea_for(membership, idea_id))


@r.get("/partnerships/{slug}/ideas/{idea_id}/comments", response=page_of(ThreadOut), summary="An idea's comments")
def list_comments(request: HttpRequest, slug: str, idea_id: int, page: Query[PageQuery]) -> dict[str, Any]:
    """The idea's comments, oldest first, each with its replies. A removed or hidden comment stays in its thread
    with no words (its author still reads them)."""
    membership = actor(request, slug)
    idea = selectors.idea_for(membership, idea_id)
    found = paginate(request, selectors.comment_threads(idea), order="created_at")
    threads = selectors.comments_shown_to(membership, idea, found["items"])
    items = [
        {**_comment(membership, top), "replies": [_comment(membership, reply) for reply in top.thread]}  # type: ignore[attr-defined]
        for top in threads
    ]
    return {**found, "items": items}


@r.get("/partnerships/{slug}/responses", response=page_of(YouSaidWeDidOut), summary="You said, we did")
def list_responses(request: HttpRequest, slug: str, page: Query[PageQuery]) -> dict[str, Any]:
    """Ideas that led to something (in progress or done), most recently active first, each with the responses
    that say what the partnership did: the "you said, we did" page."""
    membership = actor(request, slug)
    found = paginate(request, selectors.you_said_we_did(membership), order="-last_activity_at")
    items = [
        {
            "idea_id": idea.pk,
            "title": idea.title,
            "status": idea.status,
            "challenge": _challenge(idea),
            "responses": [_response(response) for response in idea.responses.all()],
        }
        for idea in found["items"]
    ]
    return {**found, "items": items}


# --- Writing ------------------------------------------------------------------------------------


def _renamed(error: ServiceError, fields: dict[str, str]) -> ServiceError:
    """The service's error with its field called as the request body calls it."""
    if error.field in fields:
        return ServiceError(error.message, field=fields[error.field], code=error.code)
    return error


@r.post("/partnerships/{slug}/ideas", response={201: IdeaDetailOut}, summary="Share an idea")
def create_idea(request: HttpRequest, slug: str, payload: IdeaIn) -> Status[dict[str, Any]]:
    """Share an idea, as the new-idea page does (members and staff; observers only read). The same idea sent
    twice within ten minutes is posted once: the second answer is the first idea."""
    membership = writer(request, slug)
    challenge = None
    if payload.challenge_id is not None:
        try:
            challenge = selectors.challenge_for(membership, payload.challenge_id)
        except NotPermitted:
            message = _("Choose an open challenge from the list.")
            raise ServiceError(message, field="challenge_id", code="invalid_choice") from None
    try:
        idea = services.idea_create(
            actor=membership,
            title=payload.title,
            body=payload.body,
            challenge=challenge,
            show_name=payload.show_name,
        )
    except ServiceError as error:
        raise _renamed(error, {"challenge": "challenge_id"}) from None
    return Status(201, _idea_detail(membership, selectors.idea_for(membership, idea.pk)))


def _support(request: HttpRequest, slug: str, idea_id: int, *, support: bool) -> dict[str, Any]:
    membership = writer(request, slug)
    idea = selectors.idea_for(membership, idea_id)
    supported = services.support_toggle(actor=membership, idea=idea, support=support)
    idea = selectors.idea_for(membership, idea_id)
    return {"idea_id": idea.pk, "supported": supported, "support_count": idea.support_count}


@r.post("/partnerships/{slug}/ideas/{idea_id}/support", response=SupportOut, summary="Support an idea")
def support_idea(request: HttpRequest, slug: str, idea_id: int) -> dict[str, Any]:
    """Support the idea. Sent again, it changes nothing: a person supports an idea once."""
    return _support(request, slug, idea_id, support=True)


@r.delete("/partnerships/{slug}/ideas/{idea_id}/support", response=SupportOut, summary="Stop supporting an idea")
def unsupport_idea(request: HttpRequest, slug: str, idea_id: int) -> dict[str, Any]:
    """Stop supporting the idea. Sent again, it changes nothing."""
    return _support(request, slug, idea_id, support=False)


@r.post("/partnerships/{slug}/ideas/{idea_id}/comments", response={201: CommentOut}, summary="Comment on an idea")
def create_comment(request: HttpRequest, slug: str, idea_id: int, payload: CommentIn) -> Status[dict[str, Any]]:
    """Comment on the idea, or reply to one of its comments (``parent_id``; a reply to a reply joins its
    thread). The same comment sent twice within ten minutes is posted once."""
    membership = writer(request, slug)
    idea = selectors.idea_for(membership, idea_id)
    parent = None
    if payload.parent_id is not None:
        try:
            parent = selectors.comment_for(membership, payload.parent_id)
        except NotPermitted:
            parent = None
        if parent is None or parent.idea_id != idea.pk:
            message = _("There is no such comment on this idea.")
            raise ServiceError(message, field="parent_id", code="invalid_choice")
    comment = services.comment_create(actor=membership, idea=idea, body=payload.body, parent=parent)
    comment.idea = idea
    return Status(201, _comment(membership, comment))
