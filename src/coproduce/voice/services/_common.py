"""What every voice write shares: the link rule, the resubmission window, locking a visible idea,
the search text and the in-site notifications."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership
from coproduce.core.links import link_target
from coproduce.notifications.api import notify as notices_notify
from coproduce.partnerships.models import Membership, Partnership
from coproduce.voice.models import Comment, Follow, Idea

# A response's link goes to a page of this site ("/p/riverside/tests/4/") or to a web address
# ("https://…"): the rule for every link made from data is coproduce.core.links.link_target.
LINK_MAX = 500
# The same idea or comment from the same person within this time is one sent twice: it is posted once.
RESUBMISSION_WINDOW = timedelta(minutes=10)


def safe_link(value: str) -> str:
    """``value`` stripped when it is a same-site path or an http(s) address; "" when empty.
    Raises ServiceError (field ``link_url``) for anything else (the rule is ``core.links.link_target``)."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > LINK_MAX:
        raise ServiceError(
            _("The link must be %(max)d characters or fewer.") % {"max": LINK_MAX}, field="link_url", code="too_long"
        )
    if not link_target(value):
        raise ServiceError(
            _("A link must be a page on this site starting with a single / or a web address starting with https://."),
            field="link_url",
            code="unsafe_link",
        )
    return value


def author_kind(membership: Membership) -> str:
    if membership.is_member:
        return Idea.AuthorKind.MEMBER
    if membership.is_staff_role:
        return Idea.AuthorKind.STAFF
    return Idea.AuthorKind.OBSERVER


def visible_idea_for_update(membership: Membership, idea: Idea) -> Idea:
    same_partnership(membership, idea)
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if locked.withdrawn_at is not None:
        raise ServiceError(_("This idea has been withdrawn by its author."), code="withdrawn")
    if locked.hidden_at is not None:
        raise ServiceError(_("This idea has been hidden by a coordinator."), code="hidden")
    return locked


# --- Search text ------------------------------------------------------------------------------


def search_text_refresh(idea_id: int) -> None:
    """Rebuild what search reads for an idea from its title, its text and its visible comments (not removed,
    not hidden): a removed or hidden comment's words must not make the idea turn up in a search."""
    title, body = Idea.objects.filter(pk=idea_id).values_list("title", "body").get()
    comments = Comment.objects.filter(idea_id=idea_id, deleted_at__isnull=True, hidden_at__isnull=True)
    words = "\n".join([title, body, *comments.order_by("created_at", "id").values_list("body", flat=True)])
    Idea.objects.filter(pk=idea_id).update(search_text=words)


# --- Notifications ----------------------------------------------------------------------------


def notify(*, users: set[int], partnership_id: int, kind: str, idea: Idea | None, text: str) -> None:
    """Post to the one inbox (``notifications.api``): repeats about the same idea, unread, are one notice."""
    if not users:
        return
    url, subject = "", ""
    if idea is not None:
        slug = Partnership.objects.filter(pk=partnership_id).values_list("slug", flat=True).get()
        url = reverse("voice:idea", kwargs={"slug": slug, "idea_id": idea.pk})
        subject = f"voice.idea:{idea.pk}"
    notices_notify(partnership_id=partnership_id, user_ids=users, kind=kind, text=text, url=url, subject_key=subject)


def idea_audience(idea: Idea, *, exclude: int | None) -> set[int]:
    """The author and the followers of an idea, except the person acting."""
    people = set(Follow.objects.filter(idea=idea).values_list("user_id", flat=True))
    if idea.author_id:
        people.add(idea.author_id)
    people.discard(exclude)  # type: ignore[arg-type]
    return people
