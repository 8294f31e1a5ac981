"""The voice pages: challenges, ideas, supports, discussion, moderation, responses and notifications.

Each view resolves what it needs through the selectors (None answers 404), calls one service for a write,
and renders. A service's ServiceError is shown next to its field (or at the top); NotPermitted is a 404."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view
from coproduce.partnerships.models import Membership
from coproduce.voice import selectors, services
from coproduce.voice.forms import (
    ChallengeForm,
    CommentEditForm,
    CommentForm,
    DigestForm,
    FlagForm,
    IdeaFilterForm,
    IdeaForm,
    ModerationForm,
    ReplyForm,
    RespondForm,
)
from coproduce.voice.models import Challenge, Comment, Idea

PAGE_SIZE = 20
NAV = "voice"


# --- Helpers ----------------------------------------------------------------------------------


def _idea_or_404(actor: Membership, idea_id: int) -> Idea:
    idea = selectors.idea_for(actor, idea_id)
    if idea is None:
        raise Http404
    return idea


def _comment_or_404(actor: Membership, comment_id: int) -> Comment:
    comment = selectors.comment_for(actor, comment_id)
    if comment is None:
        raise Http404
    return comment


def _challenge_or_404(actor: Membership, challenge_id: int) -> Challenge:
    challenge = selectors.challenge_for(actor, challenge_id)
    if challenge is None:
        raise Http404
    return challenge


def _idea_url(request: HttpRequest, idea: Idea, anchor: str = "") -> str:
    url = reverse("voice:idea", kwargs={"slug": partnership_slug(request), "idea_id": idea.pk})
    return f"{url}#{anchor}" if anchor else url


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _next_url(request: HttpRequest, fallback: str) -> str:
    """Where to go back to after a plain-form POST: ``next`` if it is a page on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _on_off(request: HttpRequest, field: str) -> bool:
    """A "1"/"0" field, so that a replayed request asks for the same end state and changes nothing."""
    value = request.POST.get(field)
    if value not in ("0", "1"):
        raise BadRequest(f"{field} must be 0 or 1")
    return value == "1"


def _page(request: HttpRequest, items: Any) -> Any:
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return page


SEARCH_COUNT_CAP = 1000


class _SearchPaginator(Paginator):
    """Counts at most SEARCH_COUNT_CAP + 1 matches: "more than 1000 ideas match" is as useful as the exact
    number, and counting every match of a common word means reading every idea's words."""

    @property
    def count(self) -> int:  # type: ignore[override]
        if not hasattr(self, "_capped_count"):
            # Any 1001 will do: no ordering, so the database stops at the 1001st match.
            self._capped_count = self.object_list.order_by()[: SEARCH_COUNT_CAP + 1].count()  # type: ignore[attr-defined]
        return self._capped_count

    @property
    def cap(self) -> int:
        return SEARCH_COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.count > SEARCH_COUNT_CAP


def _idea_list_page(request: HttpRequest, items: Any, *, searched: bool) -> Any:
    """A page of ideas: first the ids of the page (the database sorts the matching ideas without joining
    anything to them), then those 20 ideas with their author and challenge, in that order."""
    paginator_class = _SearchPaginator if searched else Paginator
    page = paginator_class(items.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    found = {idea.pk: idea for idea in items.filter(pk__in=ids).order_by()}
    page.object_list = [found[pk] for pk in ids if pk in found]
    return page


def _mark_supported(actor: Membership, ideas: list[Idea]) -> None:
    """One query for the whole page: which of these ideas the person supports."""
    supported = selectors.supported_idea_ids(actor, [idea.pk for idea in ideas])
    for idea in ideas:
        idea.supported_by_me = idea.pk in supported  # type: ignore[attr-defined]


# --- Ideas ------------------------------------------------------------------------------------


def _idea_filters(request: HttpRequest, challenges: list[Challenge]) -> dict[str, Any]:
    """The list's filters from the query string, read leniently: an unknown value is ignored."""
    query = " ".join(request.GET.get("q", "").split())[:100]
    challenge = request.GET.get("challenge", "")
    challenge_ids = {c.pk for c in challenges}
    challenge_id = int(challenge) if challenge.isdecimal() and int(challenge) in challenge_ids else None
    status = request.GET.get("status", "")
    status = status if status in Idea.Status.values else ""
    sort = request.GET.get("sort", "")
    sort = sort if sort in selectors.SORTS else "newest"
    return {"q": query, "challenge": str(challenge_id or ""), "status": status, "sort": sort}


@partnership_view("voice.view")
def ideas(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    challenges = list(selectors.challenge_choices(actor))
    filters = _idea_filters(request, challenges)
    items = selectors.ideas_visible_to(
        actor,
        challenge_id=int(filters["challenge"]) if filters["challenge"] else None,
        status=filters["status"] or None,
        query=filters["q"],
        sort=filters["sort"],
    )
    page = _idea_list_page(request, items, searched=bool(filters["q"]))
    _mark_supported(actor, page.object_list)
    page_query = urlencode(
        [(key, value) for key, value in filters.items() if value and (key, value) != ("sort", "newest")]
    )
    return render(
        request,
        "voice/ideas.html",
        {
            "nav_section": NAV,
            "page": page,
            "page_query": page_query,
            "filter_form": IdeaFilterForm(initial=filters, challenges=challenges),
            "filtered": bool(filters["q"] or filters["challenge"] or filters["status"]),
            "query": filters["q"],
            "may_add": may("voice.add_idea", actor),
            "may_support": may("voice.support", actor),
        },
    )


@partnership_view("voice.add_idea")
@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    challenges = selectors.open_challenges(actor)
    if request.method == "POST":
        form = IdeaForm(request.POST, challenges=challenges)
        if form.is_valid():
            data = form.cleaned_data
            try:
                idea = services.idea_create(
                    actor=actor,
                    title=data["title"],
                    body=data["body"],
                    challenge=data["challenge"],
                    show_name=data["show_name"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your idea is posted. You will hear when someone responds or comments."))
                return redirect(_idea_url(request, idea))
    else:
        initial: dict[str, Any] = {"show_name": True}
        wanted = request.GET.get("challenge", "")
        if wanted.isdecimal():
            challenge = challenges.filter(pk=int(wanted)).first()
            if challenge is not None:
                initial["challenge"] = challenge.pk
        form = IdeaForm(initial=initial, challenges=challenges)
    return render(request, "voice/idea_form.html", {"nav_section": NAV, "form": form, "idea": None})


def _present_comments(
    request: HttpRequest,
    actor: Membership,
    comments: list[Comment],
    *,
    may_comment: bool,
    may_flag: bool,
    may_moderate: bool,
) -> None:
    """Set on each comment what its template shows: the author's label, the time, the action links."""
    slug = partnership_slug(request)

    def url(name: str, comment_id: int) -> str:  # remembered per process, as every address is (core.reversing)
        return cached_reverse(f"voice:{name}", kwargs={"slug": slug, "comment_id": comment_id})

    for top in comments:
        for comment in [top, *top.thread]:  # type: ignore[attr-defined]
            gone = comment.deleted_at is not None or comment.hidden_at is not None
            mine = comment.author_id is not None and comment.author_id == actor.user_id
            local = timezone.localtime(comment.created_at)
            comment.label = selectors.author_label(actor, comment)  # type: ignore[attr-defined]
            comment.mine = mine  # type: ignore[attr-defined]
            comment.when_iso = local.isoformat(timespec="seconds")  # type: ignore[attr-defined]
            comment.when_text = date_format(local, "j M Y, H:i")  # type: ignore[attr-defined]
            comment.reply_url = (  # type: ignore[attr-defined]
                f"?reply_to={comment.pk}#reply" if may_comment and comment.parent_id is None else ""
            )
            comment.edit_url = url("comment-edit", comment.pk) if mine and not gone else ""  # type: ignore[attr-defined]
            comment.delete_url = url("comment-delete", comment.pk) if mine and not gone else ""  # type: ignore[attr-defined]
            comment.flag_url = url("comment-flag", comment.pk) if may_flag and not mine and not gone else ""  # type: ignore[attr-defined]
            comment.moderate_url = (  # type: ignore[attr-defined]
                url("moderate-comment", comment.pk) if may_moderate and comment.deleted_at is None else ""
            )


def _idea_page(
    request: HttpRequest,
    actor: Membership,
    idea: Idea,
    *,
    comment_form: CommentForm | None = None,
    reply_form: ReplyForm | None = None,
) -> HttpResponse:
    comments = selectors.comments_for(actor, idea)
    thread_of: dict[int, int] = {}
    for comment in comments:
        thread_of[comment.pk] = comment.pk
        for reply in comment.thread:  # type: ignore[attr-defined]
            thread_of[reply.pk] = comment.pk
    may_comment = may("voice.comment", actor) and idea.is_visible
    reply_to: int | None = None
    wanted = str(reply_form.data.get("parent", "")) if reply_form is not None else request.GET.get("reply_to", "")
    if wanted.isdecimal():
        reply_to = thread_of.get(int(wanted))
    if may_comment:
        comment_form = comment_form or CommentForm()
        if reply_to is not None and reply_form is None:
            reply_form = ReplyForm(initial={"parent": reply_to})
    may_flag = may("voice.flag", actor) and idea.is_visible
    may_moderate = may("voice.moderate", actor)
    _present_comments(request, actor, comments, may_comment=may_comment, may_flag=may_flag, may_moderate=may_moderate)
    _mark_supported(actor, [idea])
    form_errors = bool((comment_form and comment_form.errors) or (reply_form and reply_form.errors))
    return render(
        request,
        "voice/idea.html",
        {
            "nav_section": NAV,
            "idea": idea,
            "responses": list(selectors.responses_for(idea)),
            "comments": comments,
            "comment_form": comment_form if may_comment else None,
            "reply_form": reply_form if may_comment else None,
            "reply_to": reply_to,
            "form_errors": form_errors,
            "following": selectors.is_following(actor, idea),
            "is_author": idea.author_id == actor.user_id,
            "may_edit": may("voice.change_idea", actor, idea),
            "may_withdraw": may("voice.withdraw_idea", actor, idea) and idea.withdrawn_at is None,
            "may_support": may("voice.support", actor) and idea.is_visible,
            "may_comment": may_comment,
            "may_flag": may_flag,
            "may_respond": may("voice.respond", actor) and idea.is_visible,
            "may_moderate": may_moderate,
        },
    )


@partnership_view("voice.view")
def idea(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = acting_membership(request)
    return _idea_page(request, actor, _idea_or_404(actor, idea_id))


@partnership_view("voice.take_part")
@require_http_methods(["GET", "POST"])
def idea_edit(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = acting_membership(request)
    idea = _idea_or_404(actor, idea_id)
    if not may("voice.change_idea", actor, idea):
        if may("voice.withdraw_idea", actor, idea):  # the author, after the edit window
            messages.error(
                request, _("Ideas can be changed for 24 hours after posting, until the partnership responds.")
            )
            return redirect(_idea_url(request, idea))
        raise NotPermitted()
    if request.method == "POST":
        form = IdeaForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.idea_update(
                    actor=actor,
                    idea=idea,
                    title=data["title"],
                    body=data["body"],
                    show_name=data["show_name"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(_idea_url(request, idea))
    else:
        form = IdeaForm(initial={"title": idea.title, "body": idea.body, "show_name": idea.show_name})
    return render(request, "voice/idea_form.html", {"nav_section": NAV, "form": form, "idea": idea})


@partnership_view("voice.view")
@require_http_methods(["GET", "POST"])
def idea_withdraw(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = acting_membership(request)
    idea = _idea_or_404(actor, idea_id)
    if not may("voice.withdraw_idea", actor, idea):
        raise NotPermitted()
    if idea.withdrawn_at is not None:
        messages.info(request, _("You have already withdrawn this idea."))
        return redirect(_idea_url(request, idea))
    if request.method == "POST":
        services.idea_withdraw(actor=actor, idea=idea)
        messages.success(request, _("Your idea is withdrawn. Nobody else can see it now."))
        return redirect("voice:ideas", slug=partnership_slug(request))
    return render(request, "voice/idea_withdraw.html", {"nav_section": NAV, "idea": idea})


@partnership_view("voice.support")
@require_POST
def idea_support(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = acting_membership(request)
    idea = _idea_or_404(actor, idea_id)
    wanted = _on_off(request, "support")
    error = None
    try:
        supported = services.support_toggle(actor=actor, idea=idea, support=wanted)
    except ServiceError as exc:
        error = exc.message
        supported = None
    fallback = _idea_url(request, idea)
    if _is_htmx(request):
        idea.refresh_from_db(fields=["support_count"])
        if supported is None:
            _mark_supported(actor, [idea])
        else:
            idea.supported_by_me = supported  # type: ignore[attr-defined]
        context = {"idea": idea, "may_support": True, "next_url": _next_url(request, fallback), "support_error": error}
        return render(request, "voice/_partials/support_button.html", context)
    if error:
        messages.error(request, error)
    return redirect(_next_url(request, fallback))


@partnership_view("voice.view")
@require_POST
def idea_follow(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = acting_membership(request)
    idea = _idea_or_404(actor, idea_id)
    following = services.follow_toggle(actor=actor, idea=idea, follow=_on_off(request, "follow"))
    fallback = _idea_url(request, idea)
    if _is_htmx(request):
        context = {"idea": idea, "following": following, "next_url": _next_url(request, fallback)}
        return render(request, "voice/_partials/follow_button.html", context)
    if following:
        messages.success(request, _("You are following this idea. You will hear about responses and comments."))
    else:
        messages.success(request, _("You no longer follow this idea."))
    return redirect(_next_url(request, fallback))


# --- Comments ---------------------------------------------------------------------------------


@partnership_view("voice.comment")
@require_POST
def comment_create(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = acting_membership(request)
    idea = _idea_or_404(actor, idea_id)
    is_reply = bool(request.POST.get("parent"))
    form: CommentForm = ReplyForm(request.POST) if is_reply else CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = selectors.comment_for(actor, form.cleaned_data["parent"])
            if parent is None or parent.idea_id != idea.pk:
                raise Http404
        try:
            comment = services.comment_create(actor=actor, idea=idea, body=form.cleaned_data["body"], parent=parent)
        except ServiceError as error:
            if error.field is None:  # the idea was withdrawn or hidden meanwhile: it takes no comments
                messages.error(request, error.message)
                return redirect(_idea_url(request, idea))
            error.add_to(form)
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(_idea_url(request, idea, f"comment-{comment.pk}"))
    if is_reply and isinstance(form, ReplyForm):
        return _idea_page(request, actor, idea, reply_form=form)
    return _idea_page(request, actor, idea, comment_form=form)


def _own_comment(request: HttpRequest, comment_id: int) -> Comment:
    actor = acting_membership(request)
    comment = _comment_or_404(actor, comment_id)
    if not may("voice.change_comment", actor, comment):
        raise NotPermitted()
    return comment


@partnership_view("voice.take_part")
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    actor = acting_membership(request)
    comment = _own_comment(request, comment_id)
    if comment.deleted_at is not None or comment.hidden_at is not None:
        messages.error(request, _("This comment can no longer be changed."))
        return redirect(_idea_url(request, comment.idea, f"comment-{comment.pk}"))
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                services.comment_update(actor=actor, comment=comment, body=form.cleaned_data["body"])
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your comment is changed."))
                return redirect(_idea_url(request, comment.idea, f"comment-{comment.pk}"))
    else:
        form = CommentEditForm(initial={"body": comment.body})
    return render(request, "voice/comment_edit.html", {"nav_section": NAV, "form": form, "comment": comment})


@partnership_view("voice.take_part")
@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    actor = acting_membership(request)
    comment = _own_comment(request, comment_id)
    if comment.deleted_at is not None:
        messages.info(request, _("This comment was already removed."))
        return redirect(_idea_url(request, comment.idea, f"comment-{comment.pk}"))
    if request.method == "POST":
        services.comment_delete(actor=actor, comment=comment)
        messages.success(request, _("Your comment is removed. A note says it was removed by its author."))
        return redirect(_idea_url(request, comment.idea, f"comment-{comment.pk}"))
    return render(request, "voice/comment_delete.html", {"nav_section": NAV, "comment": comment})


# --- Flags ------------------------------------------------------------------------------------


def _flag_page(request: HttpRequest, *, idea: Idea, comment: Comment | None) -> HttpResponse:
    actor = acting_membership(request)
    back = _idea_url(request, idea, f"comment-{comment.pk}" if comment else "")
    if request.method == "POST":
        form = FlagForm(request.POST)
        if form.is_valid():
            try:
                services.flag_create(
                    actor=actor, reason=form.cleaned_data["reason"], idea=None if comment else idea, comment=comment
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(
                    request, _("Thank you. A coordinator will look at it and decide whether it breaks the house rules.")
                )
                return redirect(back)
    else:
        form = FlagForm()
    context = {"nav_section": NAV, "form": form, "idea": idea, "comment": comment, "back": back}
    return render(request, "voice/flag.html", context)


@partnership_view("voice.flag")
@require_http_methods(["GET", "POST"])
def idea_flag(request: HttpRequest, idea_id: int) -> HttpResponse:
    return _flag_page(request, idea=_idea_or_404(acting_membership(request), idea_id), comment=None)


@partnership_view("voice.flag")
@require_http_methods(["GET", "POST"])
def comment_flag(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_or_404(acting_membership(request), comment_id)
    return _flag_page(request, idea=comment.idea, comment=comment)


# --- Responses --------------------------------------------------------------------------------


@partnership_view("voice.respond")
@require_http_methods(["GET", "POST"])
def idea_respond(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = acting_membership(request)
    idea = _idea_or_404(actor, idea_id)
    if request.method == "POST":
        form = RespondForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.idea_respond(
                    actor=actor,
                    idea=idea,
                    status=data["status"],
                    text=data["text"],
                    link_url=data["link_url"],
                    link_label=data["link_label"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your response is published. The author and followers are told."))
                return redirect(_idea_url(request, idea, "responses"))
    else:
        form = RespondForm()
    return render(request, "voice/respond.html", {"nav_section": NAV, "form": form, "idea": idea})


@partnership_view("voice.view")
def you_said_we_did(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.you_said_we_did(acting_membership(request)))
    return render(request, "voice/you_said_we_did.html", {"nav_section": NAV, "page": page})


# --- Challenges -------------------------------------------------------------------------------


@partnership_view("voice.view")
def challenges(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    items = list(selectors.challenges_visible_to(actor))
    return render(
        request,
        "voice/challenges.html",
        {
            "nav_section": NAV,
            "open_challenges": [c for c in items if c.is_open],
            "closed_challenges": [c for c in items if not c.is_open],
            "may_add": may("voice.add_challenge", actor),
        },
    )


def _challenge_form_page(request: HttpRequest, challenge: Challenge | None) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        form = ChallengeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "title": data["title"],
                "body": data["body"],
                "closes_at": ChallengeForm.closing_datetime(data["closes_at"]),
            }
            try:
                if challenge is None:
                    challenge = services.challenge_create(actor=actor, **fields)
                    messages.success(request, _("Your challenge is published. Everyone can now add ideas to it."))
                else:
                    challenge = services.challenge_update(actor=actor, challenge=challenge, **fields)
                    messages.success(request, _("The challenge is saved."))
            except ServiceError as error:
                error.add_to(form)
            else:
                return redirect("voice:challenge", slug=partnership_slug(request), challenge_id=challenge.pk)
    elif challenge is not None:
        form = ChallengeForm(
            initial={
                "title": challenge.title,
                "body": challenge.body,
                "closes_at": ChallengeForm.closing_date(challenge.closes_at),
            }
        )
    else:
        form = ChallengeForm()
    return render(request, "voice/challenge_form.html", {"nav_section": NAV, "form": form, "challenge": challenge})


@partnership_view("voice.add_challenge")
@require_http_methods(["GET", "POST"])
def challenge_new(request: HttpRequest) -> HttpResponse:
    return _challenge_form_page(request, None)


@partnership_view("voice.view")
@require_http_methods(["GET", "POST"])
def challenge_edit(request: HttpRequest, challenge_id: int) -> HttpResponse:
    actor = acting_membership(request)
    challenge = _challenge_or_404(actor, challenge_id)
    if not may("voice.change_challenge", actor, challenge):
        raise NotPermitted()
    return _challenge_form_page(request, challenge)


@partnership_view("voice.view")
def challenge(request: HttpRequest, challenge_id: int) -> HttpResponse:
    actor = acting_membership(request)
    item = _challenge_or_404(actor, challenge_id)
    page = _idea_list_page(
        request, selectors.ideas_visible_to(actor, challenge_id=item.pk, sort="supported"), searched=False
    )
    _mark_supported(actor, page.object_list)
    return render(
        request,
        "voice/challenge.html",
        {
            "nav_section": NAV,
            "challenge": item,
            "page": page,
            "page_query": "",
            "may_add": may("voice.add_idea", actor) and item.is_open,
            "may_edit": may("voice.change_challenge", actor, item),
            "may_support": may("voice.support", actor),
        },
    )


# --- Moderation -------------------------------------------------------------------------------


@partnership_view("voice.moderate")
def moderation(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    hidden_ideas, hidden_comments = selectors.hidden_items(actor)
    return render(
        request,
        "voice/moderation.html",
        {
            "nav_section": NAV,
            "page": _page(request, selectors.moderation_queue(actor)),
            "hidden_ideas": list(hidden_ideas[:100]),
            "hidden_comments": list(hidden_comments[:100]),
        },
    )


def _moderate_page(request: HttpRequest, *, idea: Idea, comment: Comment | None) -> HttpResponse:
    actor = acting_membership(request)
    target: Idea | Comment = comment if comment is not None else idea
    if request.method == "POST":
        form = ModerationForm(request.POST)
        if form.is_valid():
            hide = form.cleaned_data["action"] == "hide"
            try:
                services.moderation_set_hidden(
                    actor=actor,
                    hidden=hide,
                    reason=form.cleaned_data["reason"],
                    idea=None if comment else idea,
                    comment=comment,
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                if hide:
                    messages.success(request, _("It is hidden. Its author sees your reason."))
                else:
                    messages.success(request, _("It is shown again. Its author sees your reason."))
                return redirect("voice:moderation", slug=partnership_slug(request))
    else:
        form = ModerationForm(initial={"action": "restore" if target.hidden_at else "hide"})
    context = {"nav_section": NAV, "form": form, "idea": idea, "comment": comment, "target": target}
    return render(request, "voice/moderate.html", context)


@partnership_view("voice.moderate")
@require_http_methods(["GET", "POST"])
def moderate_idea(request: HttpRequest, idea_id: int) -> HttpResponse:
    return _moderate_page(request, idea=_idea_or_404(acting_membership(request), idea_id), comment=None)


@partnership_view("voice.moderate")
@require_http_methods(["GET", "POST"])
def moderate_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_or_404(acting_membership(request), comment_id)
    return _moderate_page(request, idea=comment.idea, comment=comment)


@partnership_view("voice.moderate")
@require_POST
def flag_dismiss(request: HttpRequest, flag_id: int) -> HttpResponse:
    actor = acting_membership(request)
    flag = selectors.flag_for(actor, flag_id)
    if flag is None:
        raise Http404  # another partnership's flag, or none: the same answer as a missing page
    if flag.resolved_at is not None:
        messages.info(request, _("That flag has already been dealt with."))
    else:
        services.flag_dismiss(actor=actor, flag=flag)
        messages.success(request, _("The flag is dismissed. The content stays as it is."))
    return redirect("voice:moderation", slug=partnership_slug(request))


@partnership_view("voice.view")
def house_rules(request: HttpRequest) -> HttpResponse:
    return render(request, "voice/house_rules.html", {"nav_section": NAV})


# --- Notifications ----------------------------------------------------------------------------


@partnership_view("voice.view")
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        count = services.notifications_mark_read(actor=actor)
        if count:
            messages.success(request, _("All your notifications are marked as read."))
        return redirect("voice:notifications", slug=partnership_slug(request))
    page = _page(request, selectors.notifications_for(actor))
    return render(request, "voice/notifications.html", {"nav_section": NAV, "page": page})


@partnership_view("voice.view")
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        form = DigestForm(request.POST)
        if form.is_valid():
            try:
                services.digest_preference_set(actor=actor, frequency=form.cleaned_data["frequency"])
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your email setting is saved."))
                return redirect("voice:notifications", slug=partnership_slug(request))
    else:
        form = DigestForm(initial={"frequency": selectors.digest_frequency(actor)})
    return render(request, "voice/notification_settings.html", {"nav_section": NAV, "form": form})


# --- An equal voice ---------------------------------------------------------------------------


@partnership_view("voice.view")
def equal_voice(request: HttpRequest) -> HttpResponse:
    report = selectors.equal_voice(acting_membership(request))
    rows = [
        (_("Ideas"), report.ideas),
        (_("Comments"), report.comments),
        (_("Supports"), report.supports),
    ]
    return render(request, "voice/equal_voice.html", {"nav_section": NAV, "report": report, "rows": rows})
