"""Reading events: what each person may see, narrowed here (the twin of ``rules``: ``event_visible`` is the
queryset form of ``learning.see_event``). One event looked up that the person may not see raises
``NotPermitted`` (a 404), the same as a missing one.

What people said would help them come is read only by the event's organisers, and as totals
(``needs_totals``); one person's answers by herself and the organisers (``needs_of``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import rules
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted
from coproduce.learning.models import Attendance, Event, Registration, RegistrationNeeds
from coproduce.partnerships.models import Membership

UNDER = 3  # "under 3": the age a crèche needs to know about (more staff for each child)


def _visible_q(actor: Membership) -> Q:
    """The events ``actor`` may see, as a filter (the rule ``learning.see_event``)."""
    if actor.is_coordinator:
        return Q()
    audiences = ["everyone"]
    if actor.is_member:
        audiences.append("members")
    if actor.is_staff_role:
        audiences.append("staff")
    q = Q(audience__in=audiences)
    if actor.is_staff_role and actor.organisation_id is not None:
        q |= Q(host_id=actor.organisation_id)
    return q


def events_visible_to(
    actor: Membership, *, since: datetime | None = None, until: datetime | None = None
) -> QuerySet[Event]:
    """The events ``actor`` may see, soonest first, from ``since`` to before ``until``, each with
    ``registered_count``, ``waiting_count``, ``places_left`` (``None``: no limit) and ``my_status`` (the actor's
    registration: registered, waiting or ``None``). Two queries however many events (the count and the list
    when paginated; one when iterated)."""
    events = Event.objects.filter(partnership_id=actor.partnership_id).filter(_visible_q(actor))
    if since is not None:
        events = events.filter(starts_at__gte=since)
    if until is not None:
        events = events.filter(starts_at__lt=until)
    mine = (
        Registration.objects.filter(event=OuterRef("pk"), user_id=actor.user_id)
        .exclude(status=Registration.Status.CANCELLED)
        .values("status")[:1]
    )
    return (
        events.select_related("host")
        .annotate(
            registered_count=_counted(Registration.Status.REGISTERED),
            waiting_count=_counted(Registration.Status.WAITING),
            my_status=Subquery(mine),
        )
        .annotate(
            # GREATEST skips NULLs on PostgreSQL (and returns NULL on SQLite): no limit is said explicitly.
            places_left=Case(
                When(capacity__isnull=True, then=Value(None)),
                default=Greatest(F("capacity") - F("registered_count"), Value(0)),
                output_field=IntegerField(),
            )
        )
        .order_by("starts_at", "pk")
    )


def _counted(status: str) -> Any:
    """How many registrations of the event have ``status``: one index-only count per row (the index
    ``registration_list`` starts with event and status)."""
    rows = Registration.objects.filter(event=OuterRef("pk"), status=status).order_by()
    return Subquery(rows.annotate(n=Func(F("pk"), function="COUNT")).values("n"), output_field=IntegerField())


def event_for(actor: Membership, event_id: int) -> Event:
    """One event ``actor`` may see, with its counts (``events_visible_to``); ``NotPermitted`` otherwise."""
    found = events_visible_to(actor).select_related("partnership", "series").filter(pk=event_id).first()
    if found is None:
        raise NotPermitted()
    return found


def event_to_organise(actor: Membership, event_id: int) -> Event:
    """One event ``actor`` organises; ``NotPermitted`` otherwise (also when she may see it but not organise)."""
    event = event_for(actor, event_id)
    if not rules.test_rule("learning.organise", actor, event):
        raise NotPermitted()
    return event


def registration_of(actor: Membership, event: Event) -> Registration | None:
    """``actor``'s registration for ``event`` (with a place or waiting), or ``None``; with her answers about
    what would help her come (``needs``, or an ``AttributeError``-free ``None`` via ``needs_of``)."""
    if event.partnership_id != actor.partnership_id:
        raise NotPermitted()
    return (
        Registration.objects.filter(event=event, user_id=actor.user_id)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("needs")
        .first()
    )


def waiting_place(registration: Registration) -> int:
    """Where a waiting registration is on the waiting list: 1 for the next to get a place."""
    return (
        Registration.objects.filter(
            event_id=registration.event_id, status=Registration.Status.WAITING, position__lte=registration.position
        ).count()
        if registration.status == Registration.Status.WAITING
        else 0
    )


def needs_of(actor: Membership, registration: Registration) -> RegistrationNeeds | None:
    """One person's answers about what would help her come: for herself and the event's organisers only."""
    event = registration.event
    if event.partnership_id != actor.partnership_id:
        raise NotPermitted()
    if registration.user_id != actor.user_id and not rules.test_rule("learning.organise", actor, event):
        raise NotPermitted()
    return RegistrationNeeds.objects.filter(registration=registration).first()


@dataclass
class NeedsTotals:
    """What the organisers must arrange, without anyone's name: for the people with a place."""

    people: int = 0  # people with a place
    childcare_children: int = 0
    childcare_under_3: int = 0
    childcare_ages: dict[int, int] = field(default_factory=dict)  # age → how many children
    childcare_families: int = 0
    travel_costs: int = 0
    interpreters: list[tuple[str, int]] = field(default_factory=list)  # language → how many people
    access_needs: list[str] = field(default_factory=list)
    food_needs: list[str] = field(default_factory=list)
    waiting_with_childcare: int = 0  # children on the waiting list, in case places come free

    @property
    def food_needs_count(self) -> int:
        return len(self.food_needs)

    @property
    def access_needs_count(self) -> int:
        return len(self.access_needs)


def needs_totals(actor: Membership, event: Event) -> NeedsTotals:
    """The totals organisers arrange for ("crèche: 7 children, 2 under 3"), from the answers of the people with
    a place; the words people wrote (access and food needs) without names, in a shuffled-free but name-free
    order (alphabetical). Organisers only; two queries."""
    if event.partnership_id != actor.partnership_id or not rules.test_rule("learning.organise", actor, event):
        raise NotPermitted()
    totals = NeedsTotals(people=Registration.objects.filter(event=event, status=Registration.Status.REGISTERED).count())
    rows = RegistrationNeeds.objects.filter(registration__event=event).values_list(
        "registration__status",
        "childcare_children",
        "childcare_ages",
        "travel_costs",
        "access_needs",
        "interpreter_language",
        "food_needs",
    )
    ages: Counter[int] = Counter()
    languages: Counter[str] = Counter()
    names: dict[str, str] = {}
    for status, children, child_ages, travel, access, language, food in rows:
        if status == Registration.Status.WAITING:
            totals.waiting_with_childcare += children
            continue
        if status != Registration.Status.REGISTERED:
            continue
        if children:
            totals.childcare_families += 1
            totals.childcare_children += children
            ages.update(int(a) for a in child_ages or [])
        totals.travel_costs += int(bool(travel))
        if access:
            totals.access_needs.append(access)
        if food:
            totals.food_needs.append(food)
        if language:
            key = " ".join(language.split()).casefold()
            languages[key] += 1
            names.setdefault(key, " ".join(language.split()))
    totals.childcare_ages = dict(sorted(ages.items()))
    totals.childcare_under_3 = sum(n for age, n in ages.items() if age < UNDER)
    totals.interpreters = sorted(((names[k], n) for k, n in languages.items()), key=lambda item: (-item[1], item[0]))
    totals.access_needs.sort()
    totals.food_needs.sort()
    return totals


@dataclass
class RegisterRow:
    user_id: int
    name: str
    status: str  # registered / waiting / "" (came without registering)
    position: int | None
    present: bool | None  # None: not marked yet
    is_member: bool


def register_for(actor: Membership, event: Event) -> list[RegisterRow]:
    """The attendance register: everyone with a place, then anyone marked who had not registered; each with
    their mark so far. Organisers only; two queries."""
    if event.partnership_id != actor.partnership_id or not rules.test_rule("learning.organise", actor, event):
        raise NotPermitted()
    marks = dict(Attendance.objects.filter(event=event, user__isnull=False).values_list("user_id", "present"))
    registrations = (
        Registration.objects.filter(event=event, status=Registration.Status.REGISTERED, user__isnull=False)
        .select_related("user")
        .order_by("position")
    )
    rows = [
        RegisterRow(
            user_id=r.user_id,
            name=str(r.user),
            status=r.status,
            position=r.position,
            present=marks.get(r.user_id),
            is_member=r.is_member,
        )
        for r in registrations
        if r.user_id is not None and r.user is not None
    ]
    listed = {row.user_id for row in rows}
    unregistered = [uid for uid in marks if uid not in listed]
    if unregistered:
        for m in (
            Membership.objects.filter(partnership_id=event.partnership_id, user_id__in=unregistered)
            .select_related("user")
            .order_by("user__display_name")
        ):
            rows.append(RegisterRow(m.user_id, str(m.user), "", None, marks[m.user_id], m.is_member))
    return rows


def waiting_list(actor: Membership, event: Event) -> list[Registration]:
    """The people waiting, in the order they came (organisers only)."""
    if event.partnership_id != actor.partnership_id or not rules.test_rule("learning.organise", actor, event):
        raise NotPermitted()
    return list(
        Registration.objects.filter(event=event, status=Registration.Status.WAITING)
        .select_related("user")
        .order_by("position")
    )


@dataclass(frozen=True)
class HoursRow:
    label: str
    minutes: int
    people: int
    sessions: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def learning_hours(actor: Membership, *, since: datetime, until: datetime, by: str = "organisation") -> list[HoursRow]:
    """Hours of learning time from ``since`` to before ``until`` (by when events started): ``by="organisation"``
    (staff: each attendee's organisation on the day, and members together as "Parents") or ``by="member"``
    (coordinators only: each member by name). Most hours first. One query."""
    if not actor.is_staff_role or (by == "member" and not actor.is_coordinator):
        raise NotPermitted()
    if by not in ("organisation", "member"):
        raise ValueError(by)
    present = Attendance.objects.filter(
        event__partnership_id=actor.partnership_id,
        event__starts_at__gte=since,
        event__starts_at__lt=until,
        event__cancelled_at__isnull=True,
        present=True,
    )
    result: list[HoursRow] = []
    if by == "organisation":
        grouped = (
            present.values("organisation__name", "is_member")
            .annotate(
                minutes=Sum("minutes"), people=Count("user", distinct=True), sessions=Count("event", distinct=True)
            )
            .order_by()
        )
        merged: dict[str, list[int]] = {}
        for row in grouped:
            label = row["organisation__name"] or (_("Parents") if row["is_member"] else _("Others"))
            totals = merged.setdefault(label, [0, 0, 0])
            totals[0] += row["minutes"] or 0
            totals[1] += row["people"]
            totals[2] += row["sessions"]
        result = [HoursRow(label, m, p, s) for label, (m, p, s) in merged.items()]
    else:
        per_member = (
            present.filter(is_member=True, user__isnull=False)
            .values("user_id", "user__display_name", "user__email")
            .annotate(minutes=Sum("minutes"), sessions=Count("event", distinct=True))
            .order_by()
        )
        result = [
            HoursRow(row["user__display_name"] or row["user__email"], row["minutes"] or 0, 1, row["sessions"])
            for row in per_member
        ]
    return sorted(result, key=lambda r: (-r.minutes, r.label))


def has_learning_exists(actor: Membership) -> Any:
    """Whether ``actor`` has any live registration (for a home section): an ``Exists`` expression."""
    return Exists(
        Registration.objects.filter(user_id=actor.user_id, event__partnership_id=actor.partnership_id).exclude(
            status=Registration.Status.CANCELLED
        )
    )
