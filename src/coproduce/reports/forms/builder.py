"""The report builder's form: a title, the period (a quarter, a year — financial or calendar — or dates of
your choice), what it covers (the partnership, one organisation, one service) and whether to save it (and build
it again after each quarter ends). Works without JavaScript: every question is shown; only the answers the
chosen period and scope need are read."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.form_fields import date_field, text_field
from coproduce.reports.models.definitions import TITLE_MAX, PeriodKind, ScopeKind
from coproduce.reports.periods import (
    Period,
    quarter_label,
    quarter_of,
    recent_quarters,
    recent_years,
    year_label,
    year_of,
)

END_BEFORE_START = _("The end date must be on or after the start date.")


class ReportForm(forms.Form):
    title = text_field(_("Title"), TITLE_MAX, required_message=_("Give the report a title."))
    period_kind = forms.ChoiceField(
        label=_("Period"),
        choices=PeriodKind.choices,
        widget=forms.RadioSelect,
        initial=PeriodKind.QUARTER,
        error_messages={"required": _("Choose a period.")},
    )
    quarter = forms.ChoiceField(label=_("Quarter"), required=False, help_text=_("For a quarter."))
    year = forms.ChoiceField(label=_("Year"), required=False, help_text=_("For a year."))
    start = date_field(_("Start date"), required=False, help_text=_("For dates of your choice: the first day."))
    end = date_field(_("End date"), required=False, help_text=_("For dates of your choice: the last day, included."))
    scope = forms.ChoiceField(
        label=_("What it covers"),
        choices=ScopeKind.choices,
        widget=forms.RadioSelect,
        initial=ScopeKind.PARTNERSHIP,
        error_messages={"required": _("Choose what the report covers.")},
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None, help_text=_("For one organisation.")
    )
    service = forms.TypedChoiceField(
        label=_("Service"), required=False, coerce=int, empty_value=None, help_text=_("For one service.")
    )
    save = forms.BooleanField(label=_("Save this report to build it again"), required=False)
    repeat_quarterly = forms.BooleanField(
        label=_("Build it again after each quarter ends, and tell me when it is ready"),
        required=False,
        help_text=_("For a saved quarter or year: the latest quarter, or the year up to it."),
    )

    def __init__(
        self,
        *args: Any,
        today: date,
        organisations: list[tuple[int, str]],
        services: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        quarters = recent_quarters(today)
        self.fields["quarter"].choices = [(q.isoformat(), quarter_label(q)) for q in quarters]  # type: ignore[attr-defined]
        self.fields["quarter"].initial = quarters[1].isoformat()
        years = [
            (f"{basis}:{year}", year_label(year, basis))
            for year in recent_years(today)
            for basis in ("financial", "calendar")
        ]
        self.fields["year"].choices = years  # type: ignore[attr-defined]
        none = [("", _("Choose one"))]
        self.fields["organisation"].choices = none + organisations  # type: ignore[attr-defined]
        self.fields["service"].choices = none + services  # type: ignore[attr-defined]
        self.period: Period | None = None
        self.year_basis = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("period_kind")
        if kind == PeriodKind.QUARTER:
            if not data.get("quarter"):
                self.add_error("quarter", _("Choose a quarter."))
            else:
                self.period = quarter_of(date.fromisoformat(data["quarter"]))
        elif kind == PeriodKind.YEAR:
            if not data.get("year"):
                self.add_error("year", _("Choose a year."))
            else:
                basis, first = data["year"].split(":")
                self.year_basis = basis
                self.period = year_of(int(first), basis)
        elif kind == PeriodKind.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if start is None and "start" not in self.errors:
                self.add_error("start", _("Enter the first day."))
            if end is None and "end" not in self.errors:
                self.add_error("end", _("Enter the last day."))
            if start is not None and end is not None:
                if end < start:
                    self.add_error("end", END_BEFORE_START)
                else:
                    self.period = Period(start, end)
        scope = data.get("scope")
        if scope == ScopeKind.ORGANISATION and data.get("organisation") is None:
            self.add_error("organisation", _("Choose an organisation."))
        if scope == ScopeKind.SERVICE and data.get("service") is None:
            self.add_error("service", _("Choose a service."))
        if data.get("repeat_quarterly") and not data.get("save"):
            self.add_error("repeat_quarterly", _("Save the report to build it again after each quarter."))
        if data.get("repeat_quarterly") and kind == PeriodKind.CUSTOM:
            self.add_error(
                "repeat_quarterly", _("Dates of your choice stay the same: only a quarter or a year can repeat.")
            )
        return data
