"""Conversations' part of "My data" (``partnerships.personal_data``): the conversations the person took part
in, the statements they wrote, their votes with each statement's words, and the history of their votes. A
fixed number of queries, each narrowed to the person and the partnership."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from coproduce.conversations.models import Participant, Statement, Vote, VoteEvent
from coproduce.core.personal_data import iso_or_none
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import PersonalDataExport

TABLES = {
    "conversations": _("Conversations you took part in"),
    "statements": _("Statements you wrote"),
    "votes": _("Your votes"),
    "vote_history": _("Every vote as you cast it"),
}


def conversations_export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    participants = list(
        Participant.objects.filter(conversation__partnership_id=membership.partnership_id, user_id=membership.user_id)
        .values_list("pk", "conversation__topic", "created_at", "votes_cast")
        .order_by("created_at", "pk")
    )
    ids = [p[0] for p in participants]
    labels = dict(Vote.Value.choices)
    votes = (
        Vote.objects.filter(participant_id__in=ids)
        .values_list("conversation__topic", "statement__text", "value", "created_at", "updated_at")
        .order_by("conversation_id", "statement__number")
    )
    history = (
        VoteEvent.objects.filter(participant_id__in=ids)
        .values_list("conversation__topic", "statement__text", "value", "cast_at")
        .order_by("cast_at", "pk")
    )
    statements = Statement.objects.filter(
        conversation__partnership_id=membership.partnership_id, author_id=membership.user_id
    ).values_list("conversation__topic", "text", "status", "moderated_reason", "created_at")
    status_labels = dict(Statement.Status.choices)
    return {
        "conversations": [
            {"conversation": topic, "joined": iso_or_none(joined), "votes": cast}
            for _pk, topic, joined, cast in participants
        ],
        "statements": [
            {
                "conversation": topic,
                "statement": text,
                "status": str(status_labels.get(status, status)),
                "reason_taken_out": reason,
                "written": iso_or_none(at),
            }
            for topic, text, status, reason, at in statements.order_by("created_at", "pk")
        ],
        "votes": [
            {
                "conversation": topic,
                "statement": text,
                "vote": str(labels[value]),
                "first_voted": iso_or_none(first),
                "last_changed": iso_or_none(last),
            }
            for topic, text, value, first, last in votes
        ],
        "vote_history": [
            {"conversation": topic, "statement": text, "vote": str(labels[value]), "at": iso_or_none(at)}
            for topic, text, value, at in history
        ],
    }


EXPORT = PersonalDataExport(
    key="conversations", title=_("Conversations"), export=conversations_export, order=50, tables=TABLES
)
