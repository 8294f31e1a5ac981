"""Forms for employability outcomes: explicit fields only. The services check everything again; the forms give
the same plain-English messages early, next to the field, and keep what the person typed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from coproduce.reports.models.outcomes import MAX_HOURS, PRIORITY_GROUPS, SHORT_MAX, TEXT_MAX, Outcome, PriorityGroups

AGREED_LABEL = _("She is here with me and agrees with what I am recording")
DATE_ERRORS = {"invalid": _("Enter a real date, for example 27 3 2026."), "required": _("Enter the date it happened.")}


class JobChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(_("Job started on %(date)s") % {"date": obj.on.strftime("%-d %B %Y")})


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=Outcome.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happened.")},
    )
    on = forms.DateField(
        label=_("When"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), error_messages=DATE_ERRORS
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours a week (for a job or a move on in work)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(MAX_HOURS),
        decimal_places=1,
        error_messages={
            "min_value": _("Hours a week must be from 0 to 80."),
            "max_value": _("Hours a week must be from 0 to 80."),
            "invalid": _("Enter the hours a week as a number, for example 16."),
        },
    )
    contract = forms.ChoiceField(
        label=_("Contract (for a job or a move on in work)"),
        choices=[("", _("Choose…")), *list(Outcome.Contract.choices)],
        required=False,
    )
    hourly_pay = forms.DecimalField(
        label=_("Pay an hour, in pounds (for a job or a move on in work)"),
        help_text=_("For example 13.45. It is compared with the real Living Wage on the day."),
        required=False,
        decimal_places=2,
        min_value=Decimal(0),
        error_messages={
            "min_value": _("Pay an hour cannot be less than nothing."),
            "invalid": _("Enter the pay an hour in pounds, for example 13.45."),
        },
    )
    job = JobChoice(
        label=_("The job it follows up (for still in work at 13, 26 or 52 weeks)"),
        queryset=Outcome.objects.none(),
        required=False,
        empty_label=_("Choose…"),
    )
    description = forms.CharField(label=_("A few words (optional)"), max_length=SHORT_MAX, required=False)
    agreed_with_member = forms.BooleanField(label=AGREED_LABEL, required=False)

    def __init__(self, *args: Any, jobs: QuerySet[Outcome], is_staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = jobs  # type: ignore[attr-defined]
        if not is_staff:
            del self.fields["agreed_with_member"]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        pay = data.get("hourly_pay")
        return {
            "kind": data["kind"],
            "on": data["on"],
            "hours_per_week": data.get("hours_per_week"),
            "contract": data.get("contract") or "",
            "hourly_pay_pence": int((pay * 100).to_integral_value()) if pay is not None else None,
            "job": data.get("job"),
            "description": data.get("description") or "",
        }

    @staticmethod
    def initial_for(outcome: Outcome) -> dict[str, Any]:
        return {
            "kind": outcome.kind,
            "on": outcome.on,
            "hours_per_week": outcome.hours_per_week,
            "contract": outcome.contract,
            "hourly_pay": Decimal(outcome.hourly_pay_pence) / 100 if outcome.hourly_pay_pence is not None else None,
            "job": outcome.job_id,
            "description": outcome.description,
        }


class PriorityGroupsForm(forms.Form):
    agreed_with_member = forms.BooleanField(label=AGREED_LABEL, required=False)

    def __init__(self, *args: Any, is_staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreed = self.fields.pop("agreed_with_member")
        for key, label in PRIORITY_GROUPS:
            self.fields[key] = forms.ChoiceField(
                label=label,
                choices=list(PriorityGroups.Answer.choices),
                widget=forms.RadioSelect,
                initial=PriorityGroups.Answer.NOT_ASKED,
                error_messages={"required": _("Choose an answer, or “Prefer not to say”.")},
            )
        if is_staff:
            self.fields["agreed_with_member"] = agreed

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key, _label in PRIORITY_GROUPS}


class CorrectionAskForm(forms.Form):
    text = forms.CharField(
        label=_("What is wrong, and what should it say?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what is wrong and what it should say.")},
    )


class CorrectionAnswerForm(OutcomeForm):
    reply = forms.CharField(
        label=_("Your reply to her"),
        help_text=_("Needed when you leave it as it is: say why."),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
