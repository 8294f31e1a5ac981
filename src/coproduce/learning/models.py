"""Learning together: events (and their series), registrations with what would help a person come, the
waiting list, and attendance.

In three sections: events (series, events, registrations, needs, attendance); calendars and paid time
(the private feed, pay settings, claims); the learning log (entries, consents, links).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.links import validate_web_address
from coproduce.core.text_language import text_language_field
from coproduce.partnerships.models import Organisation, Partnership

TITLE_MAX = 140
TEXT_MAX = 4000
SHORT_MAX = 200
LONGEST_EVENT_MINUTES = 24 * 60
MOST_CHILDREN = 12


# ---------------------------------------------------------------------------------------------------------
# events: series, events, registrations, needs, attendance
# ---------------------------------------------------------------------------------------------------------


class EventKind(models.TextChoices):
    LEARNING = "learning", _("Learning session")
    CODESIGN = "codesign", _("Co-design workshop")
    PEER = "peer", _("Peer group")
    BOARD = "board", _("Board meeting")
    DROPIN = "dropin", _("Drop-in")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone: members and staff")
    MEMBERS = "members", _("Members (parents)")
    STAFF = "staff", _("Staff")


class EventSeries(models.Model):
    """Events that repeat (every week, every second week, or on one weekday of each month).

    Creating a series creates its events; changing it changes its events still to come.
    """

    class Rule(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every second week")
        MONTHLY = "monthly", _("Once a month, on the same weekday")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="event_series")
    title = models.CharField(_("name of the series"), max_length=TITLE_MAX)
    rule = models.CharField(_("how often"), max_length=12, choices=Rule.choices)
    # Monday = 0 … Sunday = 6 (Python's weekday()).
    weekday = models.PositiveSmallIntegerField(_("day of the week"))
    # For monthly series: the 1st … 4th such weekday of the month, or -1 for the last one.
    week_of_month = models.SmallIntegerField(_("which week of the month"), null=True, blank=True)
    starts_on = models.DateField(_("first date"))
    until = models.DateField(_("last date"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("how many times"), null=True, blank=True)
    start_time = models.TimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("how long, in minutes"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name_plural = "event series"
        constraints = [
            models.CheckConstraint(
                condition=Q(rule__in=["weekly", "fortnightly", "monthly"]), name="event_series_rule_valid"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="event_series_weekday_valid"),
            models.CheckConstraint(
                condition=Q(week_of_month__isnull=True) | Q(week_of_month__in=[-1, 1, 2, 3, 4]),
                name="event_series_week_of_month_valid",
            ),
            models.CheckConstraint(
                condition=~Q(rule="monthly") | Q(week_of_month__isnull=False), name="event_series_monthly_has_week"
            ),
            # Exactly one end: a last date or a number of times.
            models.CheckConstraint(
                condition=(Q(until__isnull=False) & Q(count__isnull=True))
                | (Q(until__isnull=True) & Q(count__isnull=False)),
                name="event_series_one_end",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("starts_on")), name="event_series_until_after_start"
            ),
            models.CheckConstraint(
                condition=Q(count__isnull=True) | Q(count__gte=1), name="event_series_count_positive"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=LONGEST_EVENT_MINUTES),
                name="event_series_duration_sensible",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="event_series_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    """A learning session, co-design workshop, peer group, board meeting or drop-in."""

    Kind = EventKind
    Audience = Audience

    language = text_language_field()
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="events")
    series = models.ForeignKey(EventSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    kind = models.CharField(_("kind of event"), max_length=12, choices=EventKind.choices)
    title = models.CharField(_("name of the event"), max_length=TITLE_MAX)
    purpose = models.TextField(_("what it is for"), max_length=TEXT_MAX, blank=True)
    audience = models.CharField(_("who it is for"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    place = models.CharField(_("where"), max_length=SHORT_MAX, blank=True)
    access_info = models.TextField(
        _("getting there and getting in"),
        max_length=TEXT_MAX,
        blank=True,
        help_text=_("Step-free access, the nearest bus stop, parking, a quiet room, hearing loop."),
    )
    online_url = models.CharField(
        _("link to join online"), max_length=500, blank=True, validators=[validate_web_address]
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty when there is no limit.")
    )
    host = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("hosted by"),
    )
    paid_time = models.BooleanField(
        _("parents are paid for their time"),
        default=False,
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("why it is cancelled"), max_length=SHORT_MAX, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["partnership", "starts_at"], name="event_year_list")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="event_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["learning", "codesign", "peer", "board", "dropin"]), name="event_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["everyone", "members", "staff"]), name="event_audience_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="event_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Registration(models.Model):
    """A person's place at an event, or her place on its waiting list.

    ``position`` is the order people came: 1, 2, 3 … per event, given under a lock on the event so there are no
    gaps and no duplicates. The waiting list is the waiting registrations in that order.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Coming")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    # Kept (without the person) when she is erased, so the counts stay true.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)
    position = models.PositiveIntegerField()
    registered_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    is_member = models.BooleanField(default=False)
    is_staff = models.BooleanField(default=False)
    reminded_day_before_at = models.DateTimeField(null=True, blank=True)
    reminded_on_day_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["event", "status", "position"], name="registration_list")]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(status="cancelled") & Q(user__isnull=False),
                name="registration_one_live_per_person",
            ),
            models.UniqueConstraint(fields=["event", "position"], name="registration_position_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["registered", "waiting", "cancelled"]), name="registration_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status="cancelled") & Q(cancelled_at__isnull=False))
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="registration_cancelled_has_time",
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="registration_position_positive"),
        ]

    def __str__(self) -> str:
        return f"registration {self.position} at {self.event_id}: {self.status}"


class RegistrationNeeds(models.Model):
    """What would help a person come. Seen only by her and the organisers; deleted after the event (retention
    kind ``learning.needs``)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="needs")
    childcare_children = models.PositiveSmallIntegerField(_("children who need childcare"), default=0)
    # Ages in whole years, one per child.
    childcare_ages = models.JSONField(_("their ages"), default=list, blank=True)
    travel_costs = models.BooleanField(_("help with travel costs"), default=False)
    access_needs = models.TextField(_("access needs"), max_length=1000, blank=True)
    interpreter_language = models.CharField(_("an interpreter, for this language"), max_length=60, blank=True)
    food_needs = models.CharField(_("food needs"), max_length=SHORT_MAX, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "registration needs"
        constraints = [
            models.CheckConstraint(
                condition=Q(childcare_children__lte=MOST_CHILDREN), name="needs_childcare_children_sensible"
            ),
        ]

    def __str__(self) -> str:
        return f"needs of {self.registration_id}"


class Attendance(models.Model):
    """Who came, ticked on the day. ``minutes`` of learning time count for the hours report.

    ``client_token`` is sent by the register page with each tick so a tick sent twice (a slow connection) is
    applied once. The organisation and membership kind are kept as they were on the day, so the hours stay true
    after people leave.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="attendances"
    )
    present = models.BooleanField(default=True)
    minutes = models.PositiveIntegerField(default=0)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_member = models.BooleanField(default=False)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)
    client_token = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], condition=Q(user__isnull=False), name="attendance_one_per_person"
            ),
            models.UniqueConstraint(
                fields=["event", "client_token"], condition=~Q(client_token=""), name="attendance_token_once"
            ),
            models.CheckConstraint(condition=Q(minutes__lte=LONGEST_EVENT_MINUTES), name="attendance_minutes_sensible"),
            models.CheckConstraint(condition=Q(present=True) | Q(minutes=0), name="attendance_absent_no_minutes"),
        ]

    def __str__(self) -> str:
        return f"attendance at {self.event_id}: {'present' if self.present else 'absent'}"


class AttendanceTick(models.Model):
    """A tick's key, kept once it has been applied, so that every tick counts once: the same tick sent again
    (a slow connection retrying, or an older form re-sent from the browser's history after a newer one)
    changes nothing. It holds only the random key the register page made, nothing about the person; the keys
    are deleted with what people said would help them come (``learning.needs``, after the event)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    client_token = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "client_token"], name="attendance_tick_once"),
            models.CheckConstraint(condition=~Q(client_token=""), name="attendance_tick_has_token"),
        ]

    def __str__(self) -> str:
        return f"tick at {self.event_id}"


# ---------------------------------------------------------------------------------------------------------
# calendars and pay: the private calendar feed; paid time and expenses (claims paid through the fund's ledger)
# ---------------------------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """The stored form of a calendar link's secret (the secret is 32 random bytes, so a plain SHA-256 is
    enough: there is nothing to guess)."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's private calendar link: the events she registered for, read by her phone's calendar without
    signing in. Only a hash of the link's secret is kept (the link is shown once, when made); making a new one
    replaces the hash, so the old link answers 404 at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    renewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="calendar_feed_one_per_person"),
            models.CheckConstraint(condition=~Q(token_hash=""), name="calendar_feed_has_hash"),
        ]

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id} in {self.partnership_id}"


MOST_HOURLY_RATE_PENCE = 100_00  # £100 an hour: above any rate a partnership pays for co-design time
MOST_EXPENSE_PENCE = 500_00  # the highest ceiling a partnership may set for one claim's travel or childcare


class PaySettings(models.Model):
    """What the partnership pays parents for their time at paid-time events, and which costs it covers."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="pay_settings")
    hourly_rate_pence = models.PositiveIntegerField(_("hourly rate for co-design time"), default=0)
    covers_travel = models.BooleanField(_("travel costs are covered"), default=True)
    covers_childcare = models.BooleanField(_("childcare costs are covered"), default=True)
    expense_ceiling_pence = models.PositiveIntegerField(
        _("the most one claim can ask for travel, and for childcare"), default=50_00
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "pay settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_rate_pence__lte=MOST_HOURLY_RATE_PENCE), name="pay_settings_rate_sensible"
            ),
            models.CheckConstraint(
                condition=Q(expense_ceiling_pence__gte=1) & Q(expense_ceiling_pence__lte=MOST_EXPENSE_PENCE),
                name="pay_settings_ceiling_sensible",
            ),
        ]

    def __str__(self) -> str:
        return f"pay settings of {self.partnership_id}"


class Claim(models.Model):
    """One attending parent's claim after a paid-time event: how she wants to be paid for her time (cash, a
    voucher, or not at all) and her travel and childcare costs. A coordinator approves it — the payment is then
    an entry in the fund's ledger (``spending_id``) — or refuses it with a reason."""

    class TimeChoice(models.TextChoices):
        CASH = "cash", _("Cash (paid to me)")
        VOUCHER = "voucher", _("A shopping voucher")
        NOTHING = "nothing", _("Nothing for my time, thank you")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for approval")
        APPROVED = "approved", _("Approved and paid")
        REFUSED = "refused", _("Refused")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="learning_claims")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="claims")
    # Kept without the person when she is erased: it is a record of public money paid.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    time_choice = models.CharField(_("for my time"), max_length=10, choices=TimeChoice.choices)
    time_minutes = models.PositiveIntegerField(default=0)
    time_pence = models.PositiveIntegerField(default=0)
    travel_pence = models.PositiveIntegerField(_("travel"), default=0)
    childcare_pence = models.PositiveIntegerField(_("childcare"), default=0)
    receipt_reference = models.CharField(_("receipt reference"), max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    refusal_reason = models.CharField(max_length=SHORT_MAX * 2, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    spending_id = models.PositiveBigIntegerField(null=True, blank=True)  # the fund's ledger entry, once paid
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partnership", "status"], name="claim_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], condition=Q(user__isnull=False), name="claim_one_per_person_per_event"
            ),
            models.CheckConstraint(
                condition=Q(time_choice__in=["cash", "voucher", "nothing"]), name="claim_time_choice_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "approved", "refused"]), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(travel_pence__lte=MOST_EXPENSE_PENCE) & Q(childcare_pence__lte=MOST_EXPENSE_PENCE),
                name="claim_expenses_sensible",
            ),
            models.CheckConstraint(
                condition=~Q(time_choice="nothing") | Q(time_pence=0), name="claim_nothing_means_nothing"
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""), name="claim_refusal_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="waiting") | Q(decided_at__isnull=False), name="claim_decision_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"claim {self.pk} for event {self.event_id}: {self.status}"

    @property
    def total_pence(self) -> int:
        return self.time_pence + self.travel_pence + self.childcare_pence


# ---------------------------------------------------------------------------------------------------------
# The learning log: a short record after a session, published to the partnership only
# when every parent named in it agrees.
# ---------------------------------------------------------------------------------------------------------

LOG_TITLE_MAX = 140
LOG_TEXT_MAX = 4000


class LogEntry(models.Model):
    """What we tried, what we learned and what we will do next, after a session."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        WAITING = "waiting", _("Waiting for the parents named to agree")
        PUBLISHED = "published", _("Published to the partnership")

    language = text_language_field()
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="log_entries")
    event = models.ForeignKey(
        "learning.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="log_entries"
    )
    title = models.CharField(_("title"), max_length=LOG_TITLE_MAX)
    what_we_tried = models.TextField(_("what we tried"), max_length=LOG_TEXT_MAX)
    what_we_tried_html = models.TextField(editable=False, default="")
    what_we_learned = models.TextField(_("what we learned"), max_length=LOG_TEXT_MAX)
    what_we_learned_html = models.TextField(editable=False, default="")
    what_next = models.TextField(_("what we will do next"), max_length=LOG_TEXT_MAX)
    what_next_html = models.TextField(editable=False, default="")
    # SET_NULL on erasure: the entry stays, written by "a former member".
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    co_authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    former_co_authors = models.PositiveSmallIntegerField(default=0)  # co-authors erased or gone
    named_parents: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="LogConsent", blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    asked_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-updated_at", "-id"]
        indexes = [models.Index(fields=["partnership", "status", "-published_at"], name="log_entry_list")]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="log_entry_has_title"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "waiting", "published"]), name="log_entry_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="published", published_at__isnull=False) | ~Q(status="published"),
                name="log_entry_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LogConsent(models.Model):
    """A parent named in an entry, and her answer: the entry is published only when every one agreed."""

    entry = models.ForeignKey(LogEntry, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    asked_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    # Her name may appear on the case study shared outside the partnership only if she says so.
    named_outside = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "user"], name="log_consent_once_per_parent"),
            models.CheckConstraint(
                condition=Q(agreed_at__isnull=True) | Q(declined_at__isnull=True),
                name="log_consent_agreed_or_declined",
            ),
            models.CheckConstraint(
                condition=Q(named_outside=False) | Q(agreed_at__isnull=False),
                name="log_consent_named_outside_needs_agreement",
            ),
        ]

    def __str__(self) -> str:
        return f"consent of {self.user_id} to entry {self.entry_id}"


class LogLink(models.Model):
    """What an entry touches: an idea, a test of change or a decision, by its id in the app that holds it
    (read back through that app's api, so what the reader may not see is never shown)."""

    class Kind(models.TextChoices):
        IDEA = "idea", _("Idea")
        TEST = "test", _("Test of change")
        DECISION = "decision", _("Decision")

    entry = models.ForeignKey(LogEntry, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    target_id = models.PositiveIntegerField()

    class Meta:
        ordering = ["kind", "target_id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "kind", "target_id"], name="log_link_once"),
            models.CheckConstraint(condition=Q(kind__in=["idea", "test", "decision"]), name="log_link_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id}"
