"""Votes, the hot path: ``vote_cast`` checks the permission and the value, ``voting.casting`` stores the
vote (whether the statement takes it is ``voting.rule``'s), and a snapshot is asked for after the commit."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.conversations.models import Conversation, Vote
from coproduce.conversations.services.snapshots import snapshot_overdue, snapshot_schedule
from coproduce.conversations.voting import casting
from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import same_partnership
from coproduce.core.permissions import require_rule
from coproduce.notifications.api import notify
from coproduce.partnerships.assisted import Channel, assistance_check, assisted_notice
from coproduce.partnerships.models import Membership

VOTE_VALUES = {"agree": Vote.Value.AGREE, "disagree": Vote.Value.DISAGREE, "pass": Vote.Value.PASS}


def vote_value(word: str) -> int:
    """ "agree", "disagree" or "pass" as the stored value; anything else is refused."""
    try:
        return int(VOTE_VALUES[word])
    except (KeyError, TypeError):
        raise ServiceError(_("Choose agree, disagree or pass."), field="vote", code="invalid_vote") from None


def vote_cast(*, actor: Membership, statement_id: int, vote: str | int, conversation_id: int | None = None) -> Vote:
    """Record (or change) the person's vote on a statement: agree, disagree or pass. With
    ``conversation_id``, a statement of another conversation is refused as missing."""
    require_rule("conversations.vote", actor)
    value = vote_value(vote) if isinstance(vote, str) else vote
    if value not in (Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS):
        raise ServiceError(_("Choose agree, disagree or pass."), field="vote", code="invalid_vote")
    stored = casting.cast(actor=actor, statement_id=statement_id, value=value, conversation_id=conversation_id)
    conversation = stored.conversation
    if conversation.snapshot_due_at is None or snapshot_overdue(conversation.snapshot_due_at):
        # After the commit, in its own statement: the vote's transaction never writes the conversation
        # row that every other vote's foreign key check reads (that made deadlocks under load).
        transaction.on_commit(lambda: snapshot_schedule(conversation))
    return stored


def votes_record_with(
    *, actor: Membership, member: Membership, agreed: bool, conversation: Conversation, votes: dict[int, str]
) -> tuple[int, int]:
    """A worker or coordinator records a member's votes with her, when she is present or on the phone and
    agreed (partnerships/assisted.py). ``votes`` maps statement ids to "agree", "disagree", "pass" or "" (not
    asked). Her own votes are never replaced. She is told, to confirm or change them. Returns (recorded, kept)."""
    require_rule("conversations.record_with", actor)
    same_partnership(actor, conversation)
    assistance_check(recorder=actor, member_membership=member, agreed=agreed)
    chosen = [(statement_id, vote_value(word)) for statement_id, word in sorted(votes.items()) if word]
    if not chosen:
        raise ServiceError(
            _("Choose agree, disagree or pass on at least one statement."), field="votes", code="no_votes"
        )
    with transaction.atomic(durable=True):
        # Her row locked and read afresh: a switch turned off a moment ago is honoured.
        locked = Membership.objects.select_for_update().select_related("user", "partnership").get(pk=member.pk)
        assistance_check(recorder=actor, member_membership=locked, agreed=agreed)
        recorded, kept = casting.cast_with_member(
            member=locked, recorded_by_id=actor.user_id, votes=chosen, conversation_id=conversation.pk
        )
        if recorded:
            audit_record(
                actor=actor.user,
                action="conversations.votes_recorded_with",
                partnership_id=actor.partnership_id,
                target=conversation,
                target_label=conversation.topic,
                detail={"member": locked.user.name, "votes": recorded},
            )
            notify(
                **assisted_notice(
                    member_membership=locked,
                    recorder=actor,
                    what=ngettext("%(n)d vote in “%(topic)s”", "%(n)d votes in “%(topic)s”", recorded)
                    % {"n": recorded, "topic": conversation.topic},
                    subject_key=f"conversations.votes:{conversation.pk}",
                )
            )
            if conversation.snapshot_due_at is None or snapshot_overdue(conversation.snapshot_due_at):
                transaction.on_commit(lambda: snapshot_schedule(conversation))
    return recorded, kept


def votes_assisted_confirm(*, member: Membership, item_id: int) -> None:
    """She says the votes recorded with her in a conversation (``item_id``) are right: they stay marked as
    recorded with a keyworker, confirmed."""
    conversation = Conversation.objects.filter(pk=item_id, partnership_id=member.partnership_id).first()
    if conversation is None:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        waiting = Vote.objects.filter(
            conversation=conversation,
            participant__user_id=member.user_id,
            confirmed_at__isnull=True,
        ).exclude(channel=Channel.SELF)
        confirmed = Vote.objects.filter(pk__in=list(waiting.values_list("pk", flat=True))).update(
            confirmed_at=timezone.now()
        )
        if not confirmed:
            raise NotPermitted()
        audit_record(
            actor=member.user,
            action="conversations.assisted_votes_confirmed",
            partnership_id=member.partnership_id,
            target=conversation,
            target_label=conversation.topic,
            detail={"votes": confirmed},
        )
