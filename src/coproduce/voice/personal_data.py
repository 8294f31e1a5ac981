"""Voice's part of "My data" (``partnerships.personal_data``): the person's ideas, comments, supports, follows,
the flags they raised, the challenges and responses they wrote. (Notifications are the inbox's.) One query a table,
each narrowed to the person and the partnership."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from coproduce.core.personal_data import iso_or_none
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import PersonalDataExport
from coproduce.voice.models import Challenge, Comment, Flag, Follow, Idea, Response
from coproduce.voice.models import Support as IdeaSupport

TABLES = {
    "ideas": _("Ideas"),
    "comments": _("Comments"),
    "supports": _("Ideas you supported"),
    "follows": _("Ideas you follow"),
    "flags": _("Things you asked a coordinator to look at"),
    "challenges": _("Challenges you put"),
    "responses": _("Responses you wrote"),
}


def voice_export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    user_id, partnership_id = membership.user_id, membership.partnership_id
    ideas = Idea.objects.filter(partnership_id=partnership_id, author_id=user_id).select_related("challenge")
    comments = Comment.objects.filter(idea__partnership_id=partnership_id, author_id=user_id).select_related("idea")
    supports = IdeaSupport.objects.filter(idea__partnership_id=partnership_id, user_id=user_id).select_related("idea")
    follows = Follow.objects.filter(idea__partnership_id=partnership_id, user_id=user_id).select_related("idea")
    flags = Flag.objects.filter(partnership_id=partnership_id, flagged_by_id=user_id).select_related(
        "idea", "comment__idea"
    )
    return {
        "ideas": [
            {
                "title": i.title,
                "idea": i.body,
                "challenge": i.challenge.title if i.challenge else None,
                "show_my_name": i.show_name,
                "posted_as": str(i.get_author_kind_display()),
                "status": str(i.get_status_display()),
                "posted": iso_or_none(i.created_at),
                "edited": iso_or_none(i.edited_at),
                "withdrawn": iso_or_none(i.withdrawn_at),
                "hidden": iso_or_none(i.hidden_at),
                "hidden_reason": i.hidden_reason,
                "supports": i.support_count,
                "comments": i.comment_count,
            }
            for i in ideas.order_by("created_at", "pk")
        ],
        "comments": [
            {
                "on_idea": c.idea.title,
                "comment": c.body,
                "posted": iso_or_none(c.created_at),
                "edited": iso_or_none(c.edited_at),
                "deleted": iso_or_none(c.deleted_at),
                "hidden": iso_or_none(c.hidden_at),
                "hidden_reason": c.hidden_reason,
            }
            for c in comments.order_by("created_at", "pk")
        ],
        "supports": [
            {"idea": s.idea.title, "supported": iso_or_none(s.created_at)} for s in supports.order_by("created_at")
        ],
        "follows": [
            {"idea": f.idea.title, "followed": iso_or_none(f.created_at)} for f in follows.order_by("created_at")
        ],
        "flags": [
            {
                "about": (f.idea.title if f.idea else (f"{f.comment.idea.title} (a comment)" if f.comment else None)),
                "reason": f.reason,
                "raised": iso_or_none(f.created_at),
                "resolved": iso_or_none(f.resolved_at),
                "outcome": f.outcome,
            }
            for f in flags.order_by("created_at")
        ],
        "challenges": [
            {"question": c.title, "more": c.body, "put": iso_or_none(c.created_at), "closes": iso_or_none(c.closes_at)}
            for c in Challenge.objects.filter(partnership_id=partnership_id, created_by_id=user_id).order_by(
                "created_at"
            )
        ],
        "responses": [
            {
                "on_idea": r.idea.title,
                "status": str(r.get_status_display()),
                "response": r.text,
                "at": iso_or_none(r.created_at),
            }
            for r in Response.objects.filter(idea__partnership_id=partnership_id, created_by_id=user_id)
            .select_related("idea")
            .order_by("created_at")
        ],
    }


EXPORT = PersonalDataExport(key="voice", title=_("Ideas and comments"), export=voice_export, order=10, tables=TABLES)
