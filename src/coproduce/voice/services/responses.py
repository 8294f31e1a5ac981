"""Status and responses: what became of an idea.

``response_record`` is the service other capabilities call when an idea becomes something (a test of
change, a fund proposal, a conversation statement), so the person who had the idea sees what became of it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.partnerships.models import Membership
from coproduce.voice.models import BODY_MAX, Idea, Response
from coproduce.voice.services._common import idea_audience, notify, safe_link, visible_idea_for_update

# --- Status and responses ---------------------------------------------------------------------


def _record_response(
    *,
    actor: Membership,
    idea: Idea,
    status: str,
    text: str,
    link_url: str,
    link_label: str,
    source: str,
) -> Response:
    if status not in Idea.Status.values or status == Idea.Status.NEW:
        raise ServiceError(_("Choose what is happening with the idea."), field="status")
    text = text_checked(
        text,
        field="text",
        max_length=BODY_MAX,
        required=(
            _("Give the reason it is not being taken forward.")
            if status == Idea.Status.NOT_TAKEN_FORWARD
            else _("Write the response people will see.")
        ),
        too_long=_("The response must be %(max)d characters or fewer."),
    )
    link_url = safe_link(link_url)
    locked = visible_idea_for_update(actor, idea)
    now = timezone.now()
    response = Response.objects.create(
        idea=locked,
        status=status,
        previous_status=locked.status,
        text=text,
        text_html=render_markdown(text),
        link_url=link_url,
        link_label=(link_label or "").strip()[:200],
        source=source,
        created_by=actor.user,
        created_at=now,
    )
    locked.status = status
    locked.last_activity_at = now
    if locked.first_response_at is None:
        locked.first_response_at = now
    locked.save(update_fields=["status", "last_activity_at", "first_response_at"])
    audit_record(
        actor=actor.user,
        action="voice.responded",
        partnership_id=actor.partnership_id,
        target=locked,
        detail={"status": status, "previous": response.previous_status, "source": source},
    )
    notify(
        users=idea_audience(locked, exclude=actor.user_id),
        partnership_id=actor.partnership_id,
        kind="voice.response",
        idea=locked,
        text=_("The partnership responded to “%(title)s”: %(status)s")
        % {"title": locked.title, "status": Idea.Status(status).label},
    )
    return response


def idea_respond(
    *,
    actor: Membership,
    idea: Idea,
    status: str,
    text: str,
    link_url: str = "",
    link_label: str = "",
) -> Response:
    """A coordinator moves an idea on, with a public response (a reason when not taken forward)."""
    require_rule("voice.respond", actor)
    same_partnership(actor, idea)
    with transaction.atomic(durable=True):
        return _record_response(
            actor=actor,
            idea=idea,
            status=status,
            text=text,
            link_url=link_url,
            link_label=link_label,
            source="voice",
        )


def response_record(
    *,
    actor: Membership,
    idea: Idea,
    text: str,
    link_url: str,
    link_label: str,
    source: str,
    status: str = Idea.Status.IN_PROGRESS,
) -> Response:
    """For other capabilities: record that an idea became something, with a link to it.

    The calling service has already checked that ``actor`` may create that thing; this checks only that
    the idea is in the same partnership and still visible. Call it inside the caller's transaction."""
    same_partnership(actor, idea)
    # Not durable: it always runs inside the calling service's transaction (a savepoint there), so that the
    # response and the thing it links to are committed together or not at all.
    with transaction.atomic():
        return _record_response(
            actor=actor,
            idea=idea,
            status=status,
            text=text,
            link_url=link_url,
            link_label=link_label,
            source=source,
        )
