"""Voice: challenges, ideas, supports, comments, flags, responses ("you said, we did") and notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.text_language import text_language_field
from coproduce.partnerships.assisted import channel_check, channel_field
from coproduce.partnerships.models import Partnership

TITLE_MAX = 140
BODY_MAX = 5000
COMMENT_MAX = 2000
REASON_MAX = 500


class Challenge(models.Model):
    """An open question put to the partnership."""

    language = text_language_field()
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="challenges")
    title = models.CharField(_("question"), max_length=TITLE_MAX)
    body = models.TextField(_("more about it"), blank=True, max_length=BODY_MAX)
    body_html = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(_("closing date"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partnership", "-created_at"], name="challenge_recent")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closes_at is None or self.closes_at > timezone.now()


class Idea(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONSIDERING = "considering", _("Being considered")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_TAKEN_FORWARD = "not_taken_forward", _("Not taken forward")

    class AuthorKind(models.TextChoices):
        MEMBER = "member", _("a parent")
        STAFF = "staff", _("a member of staff")
        OBSERVER = "observer", _("an observer")

    language = text_language_field()
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="ideas")
    challenge = models.ForeignKey(Challenge, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="ideas")
    # What the author was when they posted (for "a parent" / "a member of staff" and the equal-voice page).
    author_kind = models.CharField(max_length=10, choices=AuthorKind.choices)
    show_name = models.BooleanField(_("show my name"), default=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("your idea"), max_length=BODY_MAX)
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=REASON_MAX, blank=True)
    # Counters kept in the same transaction as the rows they count (tested against a recount).
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    # What search reads: the title, the text and the words of the visible comments, one per line. Kept by
    # the services in the transaction that changes any of them (see services.search_text_refresh).
    search_text = models.TextField(blank=True, default="", editable=False)
    # Assisted participation (partnerships/assisted.py): "self" when the author wrote it herself; "assisted"
    # when a keyworker (``recorded_by``) recorded it with her, until she confirms it (``confirmed_at``) or
    # changes it herself (then "self").
    channel = channel_field()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["partnership", "-created_at"], name="idea_newest"),
            models.Index(fields=["partnership", "-support_count", "-created_at"], name="idea_most_supported"),
            models.Index(fields=["partnership", "-last_activity_at"], name="idea_recently_active"),
            models.Index(fields=["partnership", "status"], name="idea_status"),
            # Everything the visibility filter reads, so that counting a list reads only this index.
            models.Index(fields=["partnership", "withdrawn_at", "hidden_at", "author"], name="idea_visible"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["new", "considering", "in_progress", "done", "not_taken_forward"]),
                name="idea_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(author_kind__in=["member", "staff", "observer"]), name="idea_author_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="idea_title_not_empty"),
            channel_check("idea_channel_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_visible(self) -> bool:
        return self.withdrawn_at is None and self.hidden_at is None


class Support(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    # Null once the supporter left the partnership or asked for erasure: the support still counts (ADR 24).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    is_member = models.BooleanField(default=False)  # for the equal-voice page
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="support_one_per_person")]

    def __str__(self) -> str:
        return f"support {self.user_id} → idea {self.idea_id}"


class Comment(models.Model):
    language = text_language_field()
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_kind = models.CharField(max_length=10, choices=Idea.AuthorKind.choices)
    body = models.TextField(max_length=COMMENT_MAX)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=REASON_MAX, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["idea", "created_at"], name="comment_thread"),
            # The moderation page's hidden comments: few, so a small partial index (docs/scale.md).
            models.Index(fields=["-hidden_at"], condition=Q(hidden_at__isnull=False), name="comment_hidden"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="comment_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on idea {self.idea_id}"


class Flag(models.Model):
    """Someone asks a coordinator to look at an idea or a comment."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=REASON_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=20, blank=True)  # hidden / kept

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(idea__isnull=False, comment__isnull=True) | Q(idea__isnull=True, comment__isnull=False)),
                name="flag_one_target",
            ),
            models.UniqueConstraint(
                fields=["flagged_by", "idea"],
                condition=Q(resolved_at__isnull=True, idea__isnull=False),
                name="flag_open_once_per_idea",
            ),
            models.UniqueConstraint(
                fields=["flagged_by", "comment"],
                condition=Q(resolved_at__isnull=True, comment__isnull=False),
                name="flag_open_once_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"flag {self.pk}"


class Response(models.Model):
    """The partnership's public answer on an idea: a status change with words, and optionally a link to
    what the idea became (a test of change, a fund proposal, a conversation statement)."""

    language = text_language_field()
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="responses")
    status = models.CharField(max_length=20, choices=Idea.Status.choices)
    previous_status = models.CharField(max_length=20, choices=Idea.Status.choices)
    text = models.TextField(max_length=BODY_MAX)
    text_html = models.TextField(editable=False)
    link_url = models.CharField(max_length=500, blank=True)
    link_label = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=40, default="voice")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="response_has_text")]

    def __str__(self) -> str:
        return f"response on idea {self.idea_id}: {self.status}"


class Follow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="follow_one_per_person")]

    def __str__(self) -> str:
        return f"follow {self.user_id} → idea {self.idea_id}"
