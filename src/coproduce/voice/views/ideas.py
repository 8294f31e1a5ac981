"""The idea pages: the list, a new idea, one idea with its discussion, edit, withdraw, support, follow."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view
from coproduce.partnerships.assisted import Channel
from coproduce.partnerships.models import Membership
from coproduce.voice import selectors, services
from coproduce.voice.forms import CommentForm, IdeaFilterForm, IdeaForm, IdeaRecordWithForm, ReplyForm
from coproduce.voice.models import Challenge, Comment, Idea
from coproduce.voice.views._common import (
    NAV,
    idea_list_page,
    idea_url,
    is_htmx,
    mark_supported,
    next_url,
    on_off,
)

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
    page = idea_list_page(request, items, searched=bool(filters["q"]))
    mark_supported(actor, page.object_list)
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
            "may_record_with": may("voice.record_with", actor),
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
                return redirect(idea_url(request, idea))
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


def idea_page(
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
    mark_supported(actor, [idea])
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
    return idea_page(request, actor, selectors.idea_for(actor, idea_id))


@partnership_view("voice.take_part")
@require_http_methods(["GET", "POST"])
def idea_edit(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = acting_membership(request)
    idea = selectors.idea_for(actor, idea_id)
    if not may("voice.change_idea", actor, idea):
        if may("voice.withdraw_idea", actor, idea):  # the author, after the edit window
            messages.error(
                request, _("Ideas can be changed for 24 hours after posting, until the partnership responds.")
            )
            return redirect(idea_url(request, idea))
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
                return redirect(idea_url(request, idea))
    else:
        form = IdeaForm(initial={"title": idea.title, "body": idea.body, "show_name": idea.show_name})
    return render(
        request,
        "voice/idea_form.html",
        {"nav_section": NAV, "form": form, "idea": idea, "assisted": idea.channel != Channel.SELF},
    )


@partnership_view("voice.record_with")
@require_http_methods(["GET", "POST"])
def idea_record_with(request: HttpRequest) -> HttpResponse:
    """A worker or coordinator records an idea with a member who is here or on the phone and agreed."""
    actor = acting_membership(request)
    challenges = selectors.open_challenges(actor)
    form = IdeaRecordWithForm(request.POST or None, recorder=actor, challenges=challenges)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = services.idea_record_with(
                actor=actor,
                member=data["member"],
                agreed=data["agreed"],
                title=data["title"],
                body=data["body"],
                challenge=data["challenge"],
                show_name=data["show_name"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(
                request,
                _("The idea is recorded with %(name)s. They will be asked to check it.")
                % {"name": data["member"].user.name},
            )
            return redirect(idea_url(request, idea))
    return render(request, "voice/idea_record_with.html", {"nav_section": NAV, "form": form})


@partnership_view("voice.view")
@require_http_methods(["GET", "POST"])
def idea_withdraw(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = acting_membership(request)
    idea = selectors.idea_for(actor, idea_id)
    if not may("voice.withdraw_idea", actor, idea):
        raise NotPermitted()
    if idea.withdrawn_at is not None:
        messages.info(request, _("You have already withdrawn this idea."))
        return redirect(idea_url(request, idea))
    if request.method == "POST":
        services.idea_withdraw(actor=actor, idea=idea)
        messages.success(request, _("Your idea is withdrawn. Nobody else can see it now."))
        return redirect("voice:ideas", slug=partnership_slug(request))
    return render(request, "voice/idea_withdraw.html", {"nav_section": NAV, "idea": idea})


@partnership_view("voice.support")
@require_POST
def idea_support(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = acting_membership(request)
    idea = selectors.idea_for(actor, idea_id)
    wanted = on_off(request, "support")
    error = None
    try:
        supported = services.support_toggle(actor=actor, idea=idea, support=wanted)
    except ServiceError as exc:
        error = exc.message
        supported = None
    fallback = idea_url(request, idea)
    if is_htmx(request):
        idea.refresh_from_db(fields=["support_count"])
        if supported is None:
            mark_supported(actor, [idea])
        else:
            idea.supported_by_me = supported  # type: ignore[attr-defined]
        context = {"idea": idea, "may_support": True, "next_url": next_url(request, fallback), "support_error": error}
        return render(request, "voice/_partials/support_button.html", context)
    if error:
        messages.error(request, error)
    return redirect(next_url(request, fallback))


@partnership_view("voice.view")
@require_POST
def idea_follow(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = acting_membership(request)
    idea = selectors.idea_for(actor, idea_id)
    following = services.follow_toggle(actor=actor, idea=idea, follow=on_off(request, "follow"))
    fallback = idea_url(request, idea)
    if is_htmx(request):
        context = {"idea": idea, "following": following, "next_url": next_url(request, fallback)}
        return render(request, "voice/_partials/follow_button.html", context)
    if following:
        messages.success(request, _("You are following this idea. You will hear about responses and comments."))
    else:
        messages.success(request, _("You no longer follow this idea."))
    return redirect(next_url(request, fallback))
