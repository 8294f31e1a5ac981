"""Voice's kinds of data with a retention period: the words of ideas and comments
taken down (hidden by a moderator, or withdrawn by their author)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.core.richtext import render_markdown
from coproduce.partnerships.models import Partnership
from coproduce.partnerships.personal_data import Fate, RetentionKind, register_retention_kind
from coproduce.voice.models import Comment, Idea

REMOVED = "(removed)"


def purge_removed_text(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    """Ideas hidden or withdrawn, and comments hidden, before the cut-off: their words become "(removed)"; the
    rows stay, so replies, supports and responses still have something to hang on."""
    ideas = (
        Idea.objects.filter(partnership=partnership)
        .filter(Q(hidden_at__lt=older_than) | Q(withdrawn_at__lt=older_than))
        .exclude(title=REMOVED, body=REMOVED)
    )
    comments = Comment.objects.filter(idea__partnership=partnership, hidden_at__lt=older_than).exclude(body=REMOVED)
    if dry_run:
        return ideas.count() + comments.count()
    html = render_markdown(REMOVED)
    changed = ideas.update(title=REMOVED, body=REMOVED, body_html=html, search_text="")
    return changed + comments.update(body=REMOVED, body_html=html)


def register() -> None:
    register_retention_kind(
        RetentionKind(
            key="voice.removed_text",
            label=_(
                "Ideas hidden by a moderator or withdrawn, and hidden comments: their words become “(removed)” "
                "(supports and replies stay)"
            ),
            default_days=365,
            purge=purge_removed_text,
            fate=Fate.ANONYMISE,
        )
    )
