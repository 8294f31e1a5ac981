# ---------------------------------------------------------------------------------------------------------
# The learning log (issue 21, item 7): a short record after a session, published to the partnership only
# when every parent named in it agrees. Written by the learning-log part of the issue; migration 0003_log.
# ---------------------------------------------------------------------------------------------------------

from django.conf import settings as _settings  # noqa: E402
from django.db import models  # noqa: E402
from django.db.models import Q as _Q  # noqa: E402
from django.utils import timezone as _timezone  # noqa: E402
from django.utils.translation import gettext_lazy as _lazy  # noqa: E402

from coproduce.partnerships.models import Partnership as _Partnership  # noqa: E402

LOG_TITLE_MAX = 140
LOG_TEXT_MAX = 4000


class LogEntry(models.Model):
    """What we tried, what we learned and what we will do next, after a session."""

    class Status(models.TextChoices):
        DRAFT = "draft", _lazy("Draft")
        WAITING = "waiting", _lazy("Waiting for the parents named to agree")
        PUBLISHED = "published", _lazy("Published to the partnership")

    partnership = models.ForeignKey(_Partnership, on_delete=models.CASCADE, related_name="log_entries")
    event = models.ForeignKey(
        "learning.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="log_entries"
    )
    title = models.CharField(_lazy("title"), max_length=LOG_TITLE_MAX)
    what_we_tried = models.TextField(_lazy("what we tried"), max_length=LOG_TEXT_MAX)
    what_we_tried_html = models.TextField(editable=False, default="")
    what_we_learned = models.TextField(_lazy("what we learned"), max_length=LOG_TEXT_MAX)
    what_we_learned_html = models.TextField(editable=False, default="")
    what_next = models.TextField(_lazy("what we will do next"), max_length=LOG_TEXT_MAX)
    what_next_html = models.TextField(editable=False, default="")
    # SET_NULL on erasure: the entry stays, written by "a former member".
    author = models.ForeignKey(_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    co_authors = models.ManyToManyField(_settings.AUTH_USER_MODEL, blank=True, related_name="+")
    former_co_authors = models.PositiveSmallIntegerField(default=0)  # co-authors erased or gone
    named_parents = models.ManyToManyField(
        _settings.AUTH_USER_MODEL, through="LogConsent", blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=_timezone.now)
    updated_at = models.DateTimeField(default=_timezone.now)
    asked_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-updated_at", "-id"]
        indexes = [models.Index(fields=["partnership", "status", "-published_at"], name="log_entry_list")]
        constraints = [
            models.CheckConstraint(condition=~_Q(title=""), name="log_entry_has_title"),
            models.CheckConstraint(
                condition=_Q(status__in=["draft", "waiting", "published"]), name="log_entry_status_valid"
            ),
            models.CheckConstraint(
                condition=_Q(status="published", published_at__isnull=False) | ~_Q(status="published"),
                name="log_entry_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LogConsent(models.Model):
    """A parent named in an entry, and her answer: the entry is published only when every one agreed."""

    entry = models.ForeignKey(LogEntry, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(_settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    asked_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    # Her name may appear on the case study shared outside the partnership only if she says so.
    named_outside = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "user"], name="log_consent_once_per_parent"),
            models.CheckConstraint(
                condition=_Q(agreed_at__isnull=True) | _Q(declined_at__isnull=True),
                name="log_consent_agreed_or_declined",
            ),
            models.CheckConstraint(
                condition=_Q(named_outside=False) | _Q(agreed_at__isnull=False),
                name="log_consent_named_outside_needs_agreement",
            ),
        ]

    def __str__(self) -> str:
        return f"consent of {self.user_id} to entry {self.entry_id}"


class LogLink(models.Model):
    """What an entry touches: an idea, a test of change or a decision, by its id in the app that holds it
    (read back through that app's api, so what the reader may not see is never shown)."""

    class Kind(models.TextChoices):
        IDEA = "idea", _lazy("Idea")
        TEST = "test", _lazy("Test of change")
        DECISION = "decision", _lazy("Decision")

    entry = models.ForeignKey(LogEntry, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    target_id = models.PositiveIntegerField()

    class Meta:
        ordering = ["kind", "target_id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "kind", "target_id"], name="log_link_once"),
            models.CheckConstraint(condition=_Q(kind__in=["idea", "test", "decision"]), name="log_link_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id}"
