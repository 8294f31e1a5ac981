"""What leaving and erasure do to ideas, comments, supports, follows and notices (registered in ``apps.py``;
see ``partnerships.personal_data`` and ADR 24).

Leaving: ideas and comments stay, shown as written by "a parent" (or "a member of staff"), no longer linked
to the person; supports still count, unlinked; follows go (notices are the inbox's). Erasure does the same and also
replaces the person's words with "Removed at the person's request"."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_forget
from coproduce.core.richtext import render_markdown
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, Disposal, Fate
from coproduce.voice.models import Comment, Flag, Follow, Idea, Response, Support
from coproduce.voice.services._common import search_text_refresh

REMOVED = "Removed at the person's request"


def _ideas(m: Membership) -> QuerySet[Idea]:
    return Idea.objects.filter(partnership_id=m.partnership_id, author_id=m.user_id)


def _comments(m: Membership) -> QuerySet[Comment]:
    return Comment.objects.filter(idea__partnership_id=m.partnership_id, author_id=m.user_id)


def _supports(m: Membership) -> QuerySet[Support]:
    return Support.objects.filter(idea__partnership_id=m.partnership_id, user_id=m.user_id)


def _follows(m: Membership) -> QuerySet[Follow]:
    return Follow.objects.filter(idea__partnership_id=m.partnership_id, user_id=m.user_id)


def _flags(m: Membership) -> QuerySet[Flag]:
    return Flag.objects.filter(partnership_id=m.partnership_id, flagged_by_id=m.user_id)


def _common_lines(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your supports for ideas"),
            Fate.ANONYMISE,
            _("They still count, but no longer say they were yours."),
            _supports(m).count(),
        ),
        Disposal(
            _("Ideas you follow"), Fate.DELETE, _("You will not be told about them any more."), _follows(m).count()
        ),
        Disposal(
            _("Ideas and comments you reported"),
            Fate.ANONYMISE,
            _("The reports stay for the coordinators, without your name."),
            _flags(m).count(),
        ),
        Disposal(
            _("Responses you wrote for the partnership (“You said, we did”)"),
            Fate.KEEP,
            _("They are the partnership's answer to an idea, and stay as they are."),
            Response.objects.filter(idea__partnership_id=m.partnership_id, created_by_id=m.user_id).count(),
        ),
    ]


def leaving(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your ideas"),
            Fate.ANONYMISE,
            _(
                "They stay, so that replies and responses still make sense, shown as written by “a parent” or "
                "“a member of staff”."
            ),
            _ideas(m).count(),
        ),
        Disposal(
            _("Your comments"),
            Fate.ANONYMISE,
            _(
                "They stay, so that the discussion still makes sense, shown as written by “a parent” or "
                "“a member of staff”."
            ),
            _comments(m).count(),
        ),
        *_common_lines(m),
    ]


def _unlink(m: Membership) -> None:
    _supports(m).update(user=None)
    _follows(m).delete()
    _flags(m).update(flagged_by=None)


def leave(m: Membership) -> None:
    _ideas(m).update(author=None)
    _comments(m).update(author=None)
    _unlink(m)


def erasure(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("The words of your ideas and comments"),
            Fate.ANONYMISE,
            _(
                "They become “Removed at the person's request”. The ideas and comments stay, so that replies, "
                "supports and responses still make sense."
            ),
            _ideas(m).count() + _comments(m).count(),
        ),
        *_common_lines(m),
    ]


def erase(m: Membership) -> None:
    ideas = list(_ideas(m).select_for_update())
    comments = list(_comments(m).select_for_update())
    removed_html = render_markdown(REMOVED)
    _ideas(m).update(title=REMOVED, body=REMOVED, body_html=removed_html, author=None, edited_at=None)
    _comments(m).filter(deleted_at__isnull=True).update(body=REMOVED, body_html=removed_html)
    _comments(m).update(author=None)
    for idea_id in sorted({i.pk for i in ideas} | {c.idea_id for c in comments}):
        search_text_refresh(idea_id)
    _unlink(m)
    audit_forget(partnership_id=m.partnership_id, objects=[*ideas, *comments], person=m.user, action_prefix="voice.")


DEPARTURE = Departure(key="voice", erasure=erasure, erase=erase, leaving=leaving, leave=leave, order=10)
