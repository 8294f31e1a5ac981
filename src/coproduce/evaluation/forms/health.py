"""The health check's forms: opening one (coordinators), and giving one's view on the seven standards."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.form_fields import date_field, text_field
from coproduce.evaluation.instrument import SCALE, STANDARDS
from coproduce.evaluation.models import TITLE_MAX

RATHER_NOT_SAY = "none"
DEFAULT_TITLE = _("Partnership health check, spring 2027")
OPEN_FOR = timedelta(days=14)


class HealthCheckForm(forms.Form):
    title = text_field(_("Name"), TITLE_MAX, required_message=_("Give the health check a name."))
    opens_on = date_field(_("Opens on"), required_message=_("Enter the day the health check opens."))
    closes_on = date_field(
        _("Closes on"),
        help_text=_("Two weeks is usually enough. Results are shown once it has closed."),
        required_message=_("Enter the day the health check closes."),
    )

    @classmethod
    def initial_for(cls, today: date) -> dict[str, Any]:
        return {"title": DEFAULT_TITLE, "opens_on": today, "closes_on": today + OPEN_FOR}


class HealthAnswerForm(forms.Form):
    """One radio group per standard: its name as the legend, our sentence as the hint."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(value), label) for value, label in SCALE] + [(RATHER_NOT_SAY, _("I’d rather not say"))]
        for standard in STANDARDS:
            self.fields[standard.key] = forms.ChoiceField(
                label=str(standard.name),
                help_text=str(standard.text),
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer, or “I’d rather not say”.")},
            )

    def scores(self) -> dict[str, int | None]:
        return {
            standard.key: None
            if self.cleaned_data[standard.key] == RATHER_NOT_SAY
            else int(self.cleaned_data[standard.key])
            for standard in STANDARDS
        }
