"""The counts voice keeps on an idea, registered for ``coproduce check-counts``."""

from coproduce.partnerships.kept_counts import KeptCount, count_of, register_kept_count
from coproduce.voice.models import Comment, Idea, Support

SUPPORTS = KeptCount(
    key="voice.idea.support_count",
    model=Idea,
    field="support_count",
    recount=count_of(Support, "idea"),
    partnership="partnership_id",
    counts="the idea's supports (a support stays counted when its supporter leaves: ADR 24)",
)
COMMENTS = KeptCount(
    key="voice.idea.comment_count",
    model=Idea,
    field="comment_count",
    recount=count_of(Comment, "idea", deleted_at__isnull=True),
    partnership="partnership_id",
    counts="the idea's comments not removed by their author (a hidden comment still counts)",
)


def register() -> None:
    register_kept_count(SUPPORTS)
    register_kept_count(COMMENTS)
