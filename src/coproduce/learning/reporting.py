"""Learning's figures for reports (``partnerships.reporting``): events held in the period, the places taken
at them, who came, and the hours of learning time. Counts and hours only, never an event's name or a person.

Scope "organisation" narrows to the events that organisation hosted. Three queries whatever the number of
rows."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from coproduce.learning.models import Attendance, Event, Registration
from coproduce.partnerships.report_period import period_moments, scope_id
from coproduce.partnerships.reporting import ReportQuery, ReportRow, ReportSection, ReportTable

KEY = "learning.participation"


def tables(query: ReportQuery) -> list[ReportTable]:
    since, until = period_moments(query)
    held = Q(partnership_id=query.partnership_id, starts_at__gte=since, starts_at__lt=until, cancelled_at__isnull=True)
    if query.scope == "organisation":
        held &= Q(host_id=scope_id(query.organisation_id))
    events = Event.objects.filter(held)
    event_count = events.count()
    places = Registration.objects.filter(event__in=events, status=Registration.Status.REGISTERED).count()
    came = Attendance.objects.filter(event__in=events, present=True).aggregate(
        n=Count("id"), people=Count("user", distinct=True), minutes=Sum("minutes")
    )
    people = came["people"]
    minutes = came["minutes"] or 0
    return [
        ReportTable(
            key=KEY,
            title=_("Events and learning"),
            unit="count",
            rows=(
                ReportRow("events", _("Events held"), event_count, counts_people=False),
                ReportRow("registrations", _("Places taken"), places),
                ReportRow("attendances", _("Attendances"), came["n"]),
                ReportRow("attended", _("People who came"), people),
            ),
            note=_(
                "Events count by the day they started; cancelled events count nothing. Places taken are the "
                "registrations still coming (not cancelled, not waiting). An attendance is one person at one event."
            ),
        ),
        ReportTable(
            key=f"{KEY}.hours",
            title=_("Hours of learning time"),
            unit="hours",
            rows=(
                ReportRow(
                    "hours",
                    _("Hours of learning time"),
                    round(minutes / 60, 1),
                    counts_people=False,
                    basis=people,
                ),
            ),
            note=_(
                "Each person ticked present at an event counts the event's whole length, from its start to its "
                "end; the hours are added up over every event held in the period."
            ),
        ),
    ]


SECTION = ReportSection(
    key=KEY,
    part="participation",
    title=_("Events and learning"),
    order=40,
    tables=tables,
    scopes=("partnership", "organisation"),
)
