"""Forms for events, series, registration with what would help a person come, the attendance register and the
learning-hours report: explicit fields. The services check everything again; the forms give the same
plain-English messages early, next to the field, and keep what was typed."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.form_fields import date_field, text_field
from coproduce.core.links import validate_web_address
from coproduce.learning.models import (
    MOST_CHILDREN,
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Audience,
    EventKind,
    EventSeries,
    RegistrationNeeds,
)

MAX_SERIES = 52


def _limit(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


def _time(label: Any, required_message: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        help_text=_("For example, 10:30 or 14:00."),
        error_messages={"invalid": _("Enter a time like 10:30 or 14:00."), "required": required_message},
    )


def local_moment(day: date, at: time) -> datetime:
    """The moment ``at`` on ``day`` in Europe/London (summer time or not, as that day has it)."""
    return timezone.make_aware(datetime.combine(day, at))


class EventForm(forms.Form):
    """One event. The day and the start and end times are asked for separately (quicker on a phone than a
    date-and-time picker); ``cleaned_data`` gains ``starts_at`` and ``ends_at`` in Europe/London."""

    title = text_field(_("Name of the event"), TITLE_MAX, required_message=_("Give the event a name."))
    kind = forms.ChoiceField(
        label=_("What kind of event is it?"),
        choices=EventKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of event it is.")},
    )
    purpose = text_field(
        _("What is it for?"),
        TEXT_MAX,
        rows=3,
        help_text=_("One or two sentences: what people will do and why it is worth their time."),
        required_message=_("Say what the event is for."),
    )
    audience = forms.ChoiceField(
        label=_("Who is it for?"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the event is for.")},
    )
    day = date_field(_("Day"))
    start_time = _time(_("Starts at"), _("Enter the time it starts."))
    end_time = _time(_("Ends at"), _("Enter the time it ends."))
    place = text_field(
        _("Place"),
        SHORT_MAX,
        required=False,
        help_text=_("The address, and the room. Leave empty for an event held online."),
    )
    access_info = text_field(
        _("Getting there and access"),
        TEXT_MAX,
        required=False,
        rows=3,
        help_text=_("For example: step-free entrance, accessible toilet, the nearest bus stop, buggy space."),
    )
    online_url = forms.CharField(
        label=_("Link to join online"),
        max_length=500,
        required=False,
        validators=[validate_web_address],
        help_text=_("For an online event: the web address starting https://"),
        error_messages={"max_length": _("This must be %(limit_value)d characters or fewer.")},
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("How many people can come. Leave empty for no limit. When it is full, people join a waiting list."),
        error_messages={
            "invalid": _("Enter a whole number of places, like 20."),
            "min_value": _("Enter at least 1 place, or leave it empty for no limit."),
            "max_value": _("Enter 10000 places or fewer."),
        },
    )
    host: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisation hosting it"),
        queryset=None,
        required=False,
        empty_label=_("The partnership as a whole"),
        help_text=_("Its staff organise the event with the coordinators."),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    paid_time = forms.BooleanField(
        label=_("Parents are paid for their time at this event"),
        required=False,
        help_text=_("At the partnership's rate for paid time."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("The end time must be after the start time."))
            else:
                data["starts_at"] = local_moment(day, start)
                data["ends_at"] = local_moment(day, end)
        if "place" in data and "online_url" in data and not data["place"].strip() and not data["online_url"]:
            self.add_error("place", _("Enter a place, or a link to join online."))
        return data

    def event_fields(self) -> dict[str, Any]:
        """What the services take, from ``cleaned_data``."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "purpose": data["purpose"],
            "audience": data["audience"],
            "place": data["place"],
            "access_info": data["access_info"],
            "online_url": data["online_url"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "capacity": data["capacity"],
            "host": data["host"],
            "paid_time": data["paid_time"],
        }


def event_initial(event: Any) -> dict[str, Any]:
    """An event's values for the edit form (times shown in Europe/London)."""
    starts = timezone.localtime(event.starts_at)
    ends = timezone.localtime(event.ends_at)
    return {
        "title": event.title,
        "kind": event.kind,
        "purpose": event.purpose,
        "audience": event.audience,
        "day": starts.date(),
        "start_time": starts.time().replace(second=0, microsecond=0),
        "end_time": ends.time().replace(second=0, microsecond=0),
        "place": event.place,
        "access_info": event.access_info,
        "online_url": event.online_url,
        "capacity": event.capacity,
        "host": event.host_id,
        "paid_time": event.paid_time,
    }


class SeriesForm(EventForm):
    """An event that repeats: the first one's details, how often, and until when (or how many times)."""

    rule = forms.ChoiceField(
        label=_("How often?"),
        choices=EventSeries.Rule.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often it happens.")},
    )
    count = forms.IntegerField(
        label=_("How many times?"),
        required=False,
        min_value=2,
        max_value=MAX_SERIES,
        help_text=_("Fill in this, or the last day below."),
        error_messages={
            "invalid": _("Enter a whole number, like 6."),
            "min_value": _("A series has at least 2 events."),
            "max_value": _("A series has at most %(limit_value)s events: start another one after that."),
        },
    )
    until = date_field(_("Or: the last day it can happen"), required=False)

    field_order = ["title", "kind", "purpose", "audience", "day", "start_time", "end_time", "rule", "count", "until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].label = _("Day of the first event")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        count, until, day = data.get("count"), data.get("until"), data.get("day")
        if "count" in data and "until" in data and not count and not until:
            self.add_error("count", _("Say how many times it happens, or the last day it can happen."))
        elif count and until:
            self.add_error("until", _("Fill in how many times, or the last day, not both."))
        elif until and day:
            if until <= day:
                self.add_error("until", _("The last day must be after the first event's day."))
            elif until > day + timedelta(days=366):
                self.add_error("until", _("A series can run for a year at most: start another one after that."))
        return data


AGES_RE = re.compile(r"\d+")


class RegistrationForm(forms.Form):
    """Registration, and in the same form what would help the person come. Every question is optional: a
    person who needs nothing presses the button and has a place."""

    childcare_children = forms.IntegerField(
        label=_("How many children need childcare (a crèche) while you are there?"),
        required=False,
        min_value=0,
        max_value=MOST_CHILDREN,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Leave empty if you need none."),
        error_messages={
            "invalid": _("Enter a number of children, like 2."),
            "min_value": _("Enter a number of children, like 2."),
            "max_value": _("Enter %(limit_value)s children or fewer: tell the organiser about more."),
        },
    )
    childcare_ages = text_field(
        _("Their ages"),
        60,
        required=False,
        help_text=_("In years, for example: 2 and 6. Under 1? Enter 0."),
    )
    travel_costs = forms.BooleanField(label=_("I need my travel costs paid (bus fare, petrol)"), required=False)
    access_needs = text_field(
        _("Access needs"),
        _limit(RegistrationNeeds, "access_needs") or 1000,
        required=False,
        rows=2,
        help_text=_("For example: step-free access, a hearing loop, somewhere quiet."),
    )
    interpreter_language = text_field(
        _("An interpreter: which language?"),
        _limit(RegistrationNeeds, "interpreter_language"),
        required=False,
        help_text=_("Leave empty if you need none."),
    )
    food_needs = text_field(
        _("Food needs"),
        _limit(RegistrationNeeds, "food_needs"),
        required=False,
        rows=2,
        help_text=_("For example: halal, vegetarian, a nut allergy."),
    )

    def clean_childcare_ages(self) -> list[int]:
        raw = self.cleaned_data.get("childcare_ages", "")
        if re.search(r"[^\d\s,&]", re.sub(r"(?i)\band\b", " ", raw)):
            raise forms.ValidationError(_("Enter the ages as numbers, for example: 2 and 6."), code="invalid")
        ages = [int(age) for age in AGES_RE.findall(raw)]
        if any(age > 17 for age in ages):
            raise forms.ValidationError(_("Enter ages under 18, in years."), code="invalid")
        return ages

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        children, ages = data.get("childcare_children"), data.get("childcare_ages")
        if ages and not children and "childcare_children" not in self.errors:
            data["childcare_children"] = len(ages)
        elif ages and children and len(ages) != children:
            self.add_error(
                "childcare_ages", _("Give one age for each child (you said %(n)s children).") % {"n": children}
            )
        return data

    def needs(self) -> dict[str, Any] | None:
        """What would help the person come, or None when they asked for nothing."""
        data = self.cleaned_data
        needs = {
            "childcare_children": data.get("childcare_children") or 0,
            "childcare_ages": data.get("childcare_ages") or [],
            "travel_costs": bool(data.get("travel_costs")),
            "access_needs": data.get("access_needs", "").strip(),
            "interpreter_language": data.get("interpreter_language", "").strip(),
            "food_needs": data.get("food_needs", "").strip(),
        }
        return needs if any(needs.values()) else None


def needs_initial(needs: Any) -> dict[str, Any]:
    if needs is None:
        return {}
    ages = needs.childcare_ages or []
    return {
        "childcare_children": needs.childcare_children or None,
        "childcare_ages": " and ".join(str(a) for a in ages) if len(ages) <= 2 else ", ".join(str(a) for a in ages),
        "travel_costs": needs.travel_costs,
        "access_needs": needs.access_needs,
        "interpreter_language": needs.interpreter_language,
        "food_needs": needs.food_needs,
    }


class AttendanceForm(forms.Form):
    """One tick on the register: who, present or not (a value, never a toggle, so that sending it twice
    changes nothing), and the page's token for this tick."""

    person = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    present = forms.TypedChoiceField(
        choices=[("yes", _("Present")), ("no", _("Not here"))],
        coerce=lambda value: value == "yes",
        error_messages={"required": _("Choose Present or Not here.")},
    )
    client_token = forms.RegexField(regex=r"^[A-Za-z0-9_-]{8,64}$", widget=forms.HiddenInput)


class HoursForm(forms.Form):
    """A period for the learning-hours report."""

    since = date_field(_("From"))
    until = date_field(_("To"))
    by = forms.ChoiceField(
        label=_("Show hours by"),
        choices=[("organisation", _("Organisation")), ("member", _("Person"))],
        widget=forms.RadioSelect,
        initial="organisation",
        required=False,
    )

    def __init__(self, *args: Any, per_member: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not per_member:
            del self.fields["by"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until:
            if until < since:
                self.add_error("until", _("The end of the period must be on or after its start."))
            elif until - since > timedelta(days=3 * 366):
                self.add_error("until", _("Choose a period of three years or less."))
        data["by"] = data.get("by") or "organisation"
        return data


class CancelEventForm(forms.Form):
    reason = text_field(
        _("Why is it cancelled? (optional)"),
        SHORT_MAX,
        required=False,
        help_text=_("Everyone who registered is told, with this reason."),
    )
