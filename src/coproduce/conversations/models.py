"""Opinion-mapping conversations: statements, votes (the current ones and every one cast) and the stored
snapshot of the opinion map.

Integrity lives in the database: one current vote per person per statement (a unique constraint, written
by an upsert under the participant's row lock, with a row of the vote history in the same transaction),
votes only agree (+1), disagree (-1) or pass (0), no two statements with the same words in a conversation,
and one participant row per person per conversation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.conversations.voting import rule
from coproduce.core.text_language import text_language_field
from coproduce.partnerships.assisted import channel_check, channel_field
from coproduce.partnerships.models import Partnership

TOPIC_MAX = 200
DESCRIPTION_MAX = 5000
STATEMENT_MAX = 280  # Pol.is keeps statements short enough to read on a phone and vote on at once
AGREE, DISAGREE, PASS = 1, -1, 0  # the Pol.is export convention


def statement_key(text: str) -> str:
    """What makes two statements "the same": case, spacing and a final full stop do not count."""
    return " ".join(text.casefold().split()).rstrip(".!? ")


def next_number(numbered: models.QuerySet[Any]) -> int:
    """The next ``number`` in a conversation's statements or participants (the caller holds its row lock)."""
    highest = numbered.aggregate(n=models.Max("number"))["n"]
    return 0 if highest is None else highest + 1


class Conversation(models.Model):
    class Moderation(models.TextChoices):
        BEFORE = "before", _("A coordinator checks new statements before others see them")
        AFTER = "after", _("New statements are shown at once; a coordinator can take them out later")

    language = text_language_field()
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="conversations")
    topic = models.CharField(_("topic"), max_length=TOPIC_MAX)
    description = models.TextField(_("description"), blank=True, max_length=DESCRIPTION_MAX)
    description_html = models.TextField(blank=True, editable=False)
    participants_may_add = models.BooleanField(_("participants may add statements"), default=True)
    moderation = models.CharField(max_length=10, choices=Moderation.choices, default=Moderation.AFTER)
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    imported_from = models.CharField(max_length=200, blank=True)  # a Pol.is export's name, for imported ones
    # Snapshot throttle: when a computation is waiting (due), and when the last one started.
    snapshot_due_at = models.DateTimeField(null=True, blank=True)
    snapshot_started_at = models.DateTimeField(null=True, blank=True)
    # When the last computation failed for good (cleared by the next that succeeds): the report says so.
    snapshot_failed_at = models.DateTimeField(null=True, blank=True)
    # How many of its statements are published: kept by the services that add, moderate and import
    # statements (under this row's lock), so a vote's progress does not count them (ADR 16).
    published_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partnership", "-created_at"], name="conversation_recent")]
        constraints = [
            models.CheckConstraint(condition=~Q(topic=""), name="conversation_topic_not_empty"),
            models.CheckConstraint(
                condition=Q(moderation__in=["before", "after"]), name="conversation_moderation_valid"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=F("opens_at")),
                name="conversation_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    def is_open_at(self, moment: object = None) -> bool:
        return rule.open_at(self.opens_at, self.closes_at, moment or timezone.now())  # type: ignore[arg-type]

    @property
    def is_open(self) -> bool:
        return self.is_open_at()

    @property
    def has_opened(self) -> bool:
        return rule.OPENED.holds(self.opens_at, timezone.now())


class Participant(models.Model):
    """A person taking part in one conversation. ``number`` is the Pol.is participant id (exports);
    imported participants have no user, and keep the ``group-id`` Pol.is gave them (``imported_group``)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    number = models.PositiveIntegerField()
    imported_group = models.IntegerField(null=True, blank=True)  # Pol.is's group-id, for imported ones
    created_at = models.DateTimeField(default=timezone.now)
    # How many statements the person has a vote on (whatever their status): kept by the vote and import
    # services under this row's lock, so progress is read, not counted, on every vote (ADR 16).
    votes_cast = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="participant_one_per_person"),
            models.UniqueConstraint(fields=["conversation", "number"], name="participant_number_unique"),
        ]

    def __str__(self) -> str:
        return f"participant {self.number} in conversation {self.conversation_id}"


class Statement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a coordinator")
        PUBLISHED = rule.PUBLISHED, _("Published")
        MODERATED_OUT = rule.MODERATED_OUT, _("Taken out by a coordinator")

    class AuthorKind(models.TextChoices):
        MEMBER = "member", _("a parent")
        STAFF = "staff", _("a member of staff")
        OBSERVER = "observer", _("an observer")
        SEED = "seed", _("the conversation's starter")

    # Not indexed alone: each index below starts with it (one index fewer to keep, and the planner is not
    # tempted to read every statement of the conversation for a status it could look up; ADR 16).
    language = text_language_field()
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="statements", db_index=False)
    number = models.PositiveIntegerField()  # the Pol.is comment id (exports and imports)
    text = models.CharField(max_length=STATEMENT_MAX)
    text_key = models.CharField(max_length=STATEMENT_MAX, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_participant = models.IntegerField(null=True, blank=True)  # Pol.is author-id, for imports and exports
    author_kind = models.CharField(max_length=10, choices=AuthorKind.choices, default=AuthorKind.SEED)
    is_seed = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    moderated_reason = models.CharField(max_length=500, blank=True)
    source_idea_id = models.IntegerField(null=True, blank=True)  # the voice idea it grew from (a plain id)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="statement_number_unique"),
            models.UniqueConstraint(fields=["conversation", "text_key"], name="statement_not_duplicated"),
            models.CheckConstraint(condition=~Q(text_key=""), name="statement_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "published", "moderated_out"]), name="statement_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["conversation", "status"], name="statement_status")]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    """The current vote of one participant on one statement (a changed vote replaces the old one)."""

    class Value(models.IntegerChoices):
        AGREE = AGREE, _("Agree")
        DISAGREE = DISAGREE, _("Disagree")
        PASS = PASS, _("Pass / unsure")

    # participant and conversation are not indexed alone: the unique constraint and the index below start
    # with them, and every vote writes each index of this table (ADR 16).
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes", db_index=False)
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="votes", db_index=False)
    value = models.SmallIntegerField(choices=Value.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Assisted participation (partnerships/assisted.py): "assisted" when a keyworker (``recorded_by``) recorded
    # the vote with the member, until she confirms it (``confirmed_at``); her own vote on the statement sets it
    # back to "self" (the vote's upsert, voting/casting.py). Either way it is her vote in the opinion map.
    channel = channel_field()
    # Indexed only where set (below): a vote by the member herself writes no extra index entry (ADR 16).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="vote_one_per_person_per_statement"),
            models.CheckConstraint(condition=Q(value__in=[AGREE, DISAGREE, PASS]), name="vote_value_valid"),
            channel_check("vote_channel_valid"),
        ]
        indexes = [
            models.Index(fields=["conversation", "statement"], name="vote_by_statement"),
            models.Index(fields=["recorded_by"], condition=Q(recorded_by__isnull=False), name="vote_recorded_by"),
        ]

    def __str__(self) -> str:
        return f"vote {self.value} by {self.participant_id} on {self.statement_id}"


class VoteEvent(models.Model):
    """One vote as it was cast: the history behind the current votes. Every vote adds a row here in the
    transaction that writes the current ``Vote`` (under the voter's row lock, so a person's rows are in
    the order their votes were applied), and an import adds the history it reads. The latest row of a
    person on a statement (by ``cast_at``, then ``id``) holds the value of their current vote. Only the
    coordinators' Pol.is export (``votes.csv``) reads it."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="vote_events")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    # Not indexed alone: the index below starts with it.
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+", db_index=False)
    value = models.SmallIntegerField(choices=Vote.Value.choices)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(value__in=[AGREE, DISAGREE, PASS]), name="vote_event_value_valid"),
        ]
        indexes = [models.Index(fields=["conversation", "cast_at"], name="vote_event_by_time")]

    def __str__(self) -> str:
        return f"vote {self.value} by {self.participant_id} on {self.statement_id} at {self.cast_at}"


class Snapshot(models.Model):
    """The latest computed opinion map of a conversation (the method's result and its state for a warm
    start next time). Pages read it; they never compute."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="snapshot")
    result = models.JSONField()
    state = models.JSONField()
    # Statement id -> Pol.is routing priority, kept apart from the result so that choosing the next
    # statement to vote on reads a small field.
    priorities = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    vote_count = models.PositiveIntegerField(default=0)
    participant_count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    # Set only when the first map of an imported conversation was rebuilt by replaying its vote history
    # (later snapshots leave them as they are): the updates the replay ran and the batch length in seconds.
    history_updates = models.PositiveIntegerField(null=True, blank=True)
    history_interval = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return f"snapshot of conversation {self.conversation_id} at {self.computed_at}"
