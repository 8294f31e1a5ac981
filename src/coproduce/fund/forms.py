"""Forms for the fund pages: explicit fields only. The services check everything again; the forms give
the same plain-English messages early, next to the field, and keep what the person typed."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coproduce.core.money import format_pence, parse_pounds
from coproduce.fund.models import REASON_MAX, TEXT_MAX, TITLE_MAX, Contribution, Round

YES_NO = [("no", _("No")), ("yes", _("Yes"))]
MAX_UPLOAD_BYTES = 40 * 1024 * 1024


class PoundsField(forms.CharField):
    """An amount typed in pounds ("2500", "2,500.50", "£2500"); cleaned to integer pence."""

    def __init__(self, *, allow_zero: bool = False, **kwargs: Any) -> None:
        self.allow_zero = allow_zero
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return format_pence(value, symbol=False).replace(",", "")
        return value

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in (None, ""):
            return None
        pence = parse_pounds(text)
        if pence is None or (pence == 0 and not self.allow_zero):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return pence


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ContributionForm(forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,  # type: ignore[arg-type]
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the partnership's organisations.")},
    )
    kind = forms.ChoiceField(
        label=_("What kind of contribution is it?"),
        choices=Contribution.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose money or in kind.")},
    )
    description = forms.CharField(
        label=_("What it is"),
        help_text=_("For example: “Flexible fund 2026/27” or “40 hours of tutor time”."),
        max_length=TITLE_MAX,
        error_messages={"required": _("Say what the contribution is.")},
    )
    value = PoundsField(
        label=_("Value in pounds"),
        help_text=_("For help in kind, what it would cost to buy. For example: 2500 or 2500.50."),
        error_messages={
            "required": _("Enter the value in pounds."),
            "invalid": _("Enter a value of more than £0, like 2500 or 2500.50."),
        },
    )
    received = forms.BooleanField(
        label=_("Already received"), help_text=_("Leave unticked if it is promised but not yet given."), required=False
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


def _day(label: Any, hint: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=hint,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": _("Enter a date."), "invalid": _("Enter a real date, like 31/12/2026.")},
    )


def start_of(day: date) -> datetime:
    """A phase starts at the beginning of its first day, in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def day_of(moment: datetime) -> date:
    return timezone.localtime(moment).date()


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, error_messages={"required": _("Enter a title.")})
    description = forms.CharField(
        label=_("What the round is for"), max_length=TEXT_MAX, required=False, widget=_textarea()
    )
    budget = PoundsField(
        label=_("Budget in pounds"),
        help_text=_("No more than the money the fund has available."),
        error_messages={"required": _("Enter the budget."), "invalid": _("Enter a budget of more than £0.")},
    )
    ballot_kind = forms.ChoiceField(label=_("Kind of ballot"), choices=Round.Kind.choices, widget=forms.RadioSelect)
    min_choices = forms.IntegerField(
        label=_("Fewest projects a voter must tick"),
        min_value=1,
        max_value=100,
        initial=1,
        help_text=_("Approval ballots only."),
    )
    max_choices = forms.IntegerField(
        label=_("Most projects a voter may tick"),
        min_value=1,
        max_value=100,
        initial=5,
        help_text=_("Approval ballots only."),
    )
    within_budget = forms.BooleanField(
        label=_("The projects a voter ticks must fit within the budget together"), required=False
    )
    points = forms.IntegerField(
        label=_("Points each voter shares out"),
        min_value=1,
        max_value=1000,
        initial=10,
        help_text=_("Points ballots only."),
    )
    voters = forms.ChoiceField(label=_("Who votes"), choices=Round.Voters.choices, widget=forms.RadioSelect)
    completion = forms.ChoiceField(
        label=_("Spending what equal shares leave over"), choices=Round.Completion.choices, widget=forms.RadioSelect
    )
    proposals_from = _day(_("Proposals open on"), _("Anyone in the partnership can propose a project from this day."))
    review_from = _day(_("Review starts on"), _("Proposals close at the start of this day; staff review them."))
    voting_from = _day(_("Voting opens on"), _("Review closes and proposals can no longer change."))
    results_from = _day(
        _("Voting closes on"), _("Voting closes at the start of this day and the results are worked out.")
    )
    delivery_from = _day(_("Delivery starts on"), _("Funded projects get under way."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field in ("proposals_from", "review_from", "voting_from", "results_from", "delivery_from"):
            if isinstance(data.get(field), date):
                data[field] = start_of(data[field])
        return data

    @classmethod
    def initial_for(cls, round_: Round) -> dict[str, Any]:
        return {
            "title": round_.title,
            "description": round_.description,
            "budget": round_.budget_pence,
            "ballot_kind": round_.ballot_kind,
            "min_choices": round_.min_choices,
            "max_choices": round_.max_choices,
            "within_budget": round_.within_budget,
            "points": round_.points,
            "voters": round_.voters,
            "completion": round_.completion,
            **{
                field: day_of(getattr(round_, field))
                for field in ("proposals_from", "review_from", "voting_from", "results_from", "delivery_from")
            },
        }


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Project title"), max_length=TITLE_MAX, error_messages={"required": _("Enter a title for the project.")}
    )
    description = forms.CharField(
        label=_("What the project would do"),
        max_length=TEXT_MAX,
        widget=_textarea(6),
        error_messages={"required": _("Describe the project.")},
    )
    beneficiaries = forms.CharField(
        label=_("Who would benefit"),
        help_text=_("For example: parents of children under 3 looking for work."),
        max_length=500,
        error_messages={"required": _("Say who would benefit.")},
    )
    cost = PoundsField(
        label=_("Cost in pounds"),
        error_messages={"required": _("Enter the cost."), "invalid": _("Enter a cost of more than £0, like 1200.")},
    )
    delivered_by: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Which organisation would run it"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label=_("Not decided, or not a partner"),
    )
    has_conflict = forms.ChoiceField(
        label=_("Would you, your family or your organisation gain from this project?"),
        help_text=_("For example: you would be paid to run it. Saying so does not stop the proposal."),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you have a conflict of interest.")},
    )
    conflict_details = forms.CharField(
        label=_("If yes, how"), max_length=REASON_MAX, required=False, widget=_textarea(3)
    )
    idea: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Does it grow out of an idea on the ideas page?"),
        help_text=_("The idea will show a link to your proposal, so whoever had it sees what became of it."),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label=_("No"),
        error_messages={"invalid_choice": _("Choose an idea from the list.")},
    )

    def __init__(self, *args: Any, organisations: Any, ideas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivered_by"].queryset = organisations  # type: ignore[attr-defined]
        if ideas is None:
            del self.fields["idea"]
        else:
            self.fields["idea"].queryset = ideas  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("has_conflict") == "yes" and not (data.get("conflict_details") or "").strip():
            self.add_error("conflict_details", _("Say what the conflict of interest is."))
        return data


class ReviewForm(forms.Form):
    feasible = forms.ChoiceField(
        label=_("Can this project be done for the cost below?"),
        choices=[("yes", _("Yes: put it on the ballot")), ("no", _("No: it is not feasible"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the project is feasible.")},
    )
    cost = PoundsField(
        label=_("Agreed cost in pounds"),
        error_messages={"required": _("Enter the cost."), "invalid": _("Enter a cost of more than £0.")},
    )
    reason = forms.CharField(
        label=_("Your reasons"),
        help_text=_("Everyone in the partnership will read this, including the person who proposed it."),
        max_length=REASON_MAX,
        widget=_textarea(4),
        error_messages={"required": _("Give the reason for your review: people will read it.")},
    )


class ApprovalBallotForm(forms.Form):
    choices = forms.MultipleChoiceField(
        label=_("Projects you back"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one project.")},
    )

    def __init__(self, *args: Any, proposals: list[Any], round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["choices"]
        field.choices = [(str(p.pk), f"{p.title} ({format_pence(p.cost_pence)})") for p in proposals]  # type: ignore[attr-defined]
        if round_.min_choices == round_.max_choices:
            hint = ngettext("Tick %(n)d project.", "Tick %(n)d projects.", round_.max_choices) % {
                "n": round_.max_choices
            }
        else:
            hint = _("Tick between %(min)d and %(max)d projects.") % {
                "min": min(round_.min_choices, len(proposals)),
                "max": round_.max_choices,
            }
        if round_.within_budget:
            hint += " " + str(_("Together they must cost no more than %(budget)s.")) % {
                "budget": format_pence(round_.budget_pence)
            }
        field.help_text = hint
        field.error_messages["invalid_choice"] = _("Choose only projects that are on this ballot.")

    def ballot(self) -> dict[int, int]:
        return {int(pid): 1 for pid in self.cleaned_data.get("choices", [])}


class CumulativeBallotForm(forms.Form):
    def __init__(self, *args: Any, proposals: list[Any], round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for p in proposals:
            self.fields[f"points_{p.pk}"] = forms.IntegerField(
                label=f"{p.title} ({format_pence(p.cost_pence)})",
                min_value=0,
                max_value=round_.points,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "invalid": _("Enter a whole number of points."),
                    "min_value": _("Points cannot be below 0."),
                    "max_value": ngettext(
                        "You have %(points)d point in all.", "You have %(points)d points in all.", round_.points
                    )
                    % {"points": round_.points},
                },
            )

    def ballot(self) -> dict[int, int]:
        return {
            int(name.removeprefix("points_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("points_") and value
        }


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        help_text=_("Ten letters and numbers, like ABCDE-23456."),
        max_length=20,
        error_messages={"required": _("Enter your receipt code.")},
    )


class PaymentForm(forms.Form):
    amount = PoundsField(
        label=_("Amount paid in pounds"),
        error_messages={"required": _("Enter the amount paid."), "invalid": _("Enter an amount of more than £0.")},
    )


class SpendForm(forms.Form):
    spent = PoundsField(
        label=_("Spent so far, in pounds"),
        allow_zero=True,
        error_messages={
            "required": _("Enter the amount spent so far."),
            "invalid": _("Enter the amount spent so far, like 120 or 120.50."),
        },
    )
    note = forms.CharField(
        label=_("What it was spent on, and how the project is going"),
        max_length=REASON_MAX,
        widget=_textarea(4),
        error_messages={"required": _("Say what the money has been spent on.")},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Pabulib file (.pb)"),
        help_text=_(
            "An approval or points (cumulative) election in the Pabulib format: up to 40 MB and 30,000 ballots."
        ),
        error_messages={"required": _("Choose a .pb file."), "empty": _("The file is empty.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 40 MB."))
        if not upload.name.lower().endswith(".pb"):
            raise forms.ValidationError(_("Choose a file whose name ends in .pb."))
        return upload


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.name)


def add_record_with_fields(form: forms.Form, *, members: Any, paper: bool) -> forms.Form:
    """Turn a ballot form into the one a worker or coordinator fills in with a member (``paper=False``) or
    from her paper form: whose ballot it is and, for paper, the form's number go first; the tick that she
    agreed goes last."""
    first: dict[str, forms.Field] = {
        "member": MemberChoiceField(
            label=_("Member"),
            queryset=members,
            empty_label=_("Choose the member"),
            error_messages={
                "required": _("Choose the member whose ballot this is."),
                "invalid_choice": _(
                    "Choose a member from the list: members who turned off recording with a keyworker are not in it."
                ),
            },
        )
    }
    if paper:
        first["paper_ref"] = forms.CharField(
            label=_("Form number"),
            help_text=_("Printed at the top of the paper form, for example B12-0003."),
            max_length=40,
            error_messages={"required": _("Enter the form number printed on the paper form.")},
        )
    if "choices" in form.fields:
        form.fields["choices"].label = _("Projects she backs")
    last = {
        "agreed": forms.BooleanField(
            label=(
                _("This is the member's own paper form, and she agreed that it is entered for her")
                if paper
                else _("The member is here or on the phone, and agreed that I record her ballot with her")
            ),
            required=False,
        )
    }
    form.fields = {**first, **form.fields, **last}
    return form


class PaperFormsForm(forms.Form):
    """How many blank forms to print, and the first form number."""

    start = forms.IntegerField(
        label=_("First form number"),
        min_value=1,
        max_value=9999,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Enter a whole number from 1 to 9999.")},
    )
    copies = forms.IntegerField(
        label=_("How many forms"),
        min_value=1,
        max_value=200,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Enter a whole number from 1 to 200.")},
    )


# --- The flexible pot ---------------------------------------------------------------------------------


def _limit(label: Any, hint: Any, required: Any) -> PoundsField:
    return PoundsField(
        label=label,
        help_text=hint,
        error_messages={"required": required, "invalid": _("Enter an amount of more than £0, like 150 or 150.50.")},
    )


class PotForm(forms.Form):
    starts_on = _day(_("The year starts on"), _("Usually 1 April."))
    ends_on = _day(_("The year ends on"), _("Usually 31 March."))
    set_aside = _limit(
        _("Money set aside for barrier payments, in pounds"),
        _("Held out of the fund's available money for the year. For example: 5000."),
        _("Enter how much to set aside."),
    )
    keyworker_limit = _limit(
        _("A keyworker may agree up to, in pounds"),
        _("With the parent, at once. For example: 150."),
        _("Enter a keyworker's limit."),
    )
    coordinator_limit = _limit(
        _("A coordinator may agree up to, in pounds"),
        _("Above this, two different coordinators must agree. For example: 500."),
        _("Enter a coordinator's limit."),
    )
    yearly_cap = _limit(
        _("Most one parent may receive in the year, in pounds"),
        _("Shown to the parent and her keyworker. For example: 1000."),
        _("Enter the yearly cap per parent."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("The year must end after it starts."))
        keyworker, coordinator = data.get("keyworker_limit"), data.get("coordinator_limit")
        if keyworker and coordinator and keyworker > coordinator:
            self.add_error("keyworker_limit", _("A keyworker's limit cannot be more than a coordinator's."))
        return data


class BarrierCategoryForm(forms.Form):
    name = forms.CharField(
        label=_("What it pays for"),
        help_text=_("A short name, like “Travel” or “Childcare”."),
        max_length=80,
        error_messages={"required": _("Give the category a name.")},
    )
    examples = forms.CharField(
        label=_("Examples in plain words"),
        help_text=_("For example: “Bus pass for the first month of a new job”."),
        max_length=300,
        required=False,
        widget=_textarea(3),
    )


class BarrierCategoryEditForm(BarrierCategoryForm):
    active = forms.BooleanField(
        label=_("Open for new requests"),
        help_text=_("Untick to retire it: payments already made keep it."),
        required=False,
    )


class InterestForm(forms.Form):
    supplier = forms.CharField(
        label=_("Supplier you have an interest in"),
        help_text=_("A shop, business or person you, your family or a close friend own, run or work for."),
        max_length=140,
        error_messages={"required": _("Name the supplier you have an interest in.")},
    )
