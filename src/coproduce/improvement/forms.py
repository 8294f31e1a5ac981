"""Forms for tests of change and the stop-doing register: explicit fields. The services check everything
again; the forms give the same plain-English messages early, next to the field, and keep what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.form_fields import date_field, text_field
from coproduce.improvement.models import (
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Decision,
    ImprovementSettings,
    Measure,
    MemberCheck,
    TestOfChange,
)


class TestForm(forms.Form):
    __test__ = False

    title = text_field(_("Name of the test"), TITLE_MAX, required_message=_("Give the test a name."))
    aim_what = text_field(
        _("What do we want to improve?"), TEXT_MAX, rows=3, required_message=_("Say what you want to improve.")
    )
    aim_how_much = text_field(
        _("By how much?"),
        SHORT_MAX,
        help_text=_("For example: from 4 in 10 parents to 7 in 10."),
        required_message=_("Say by how much."),
    )
    aim_by_when = date_field(_("By when?"))
    change_kind = forms.ChoiceField(
        label=_("The change"),
        choices=TestOfChange.ChangeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you will try something new or stop something.")},
    )
    change = text_field(
        _("What will we try, or stop?"), TEXT_MAX, rows=4, required_message=_("Say what you will try or stop.")
    )
    predictions = text_field(
        _("What do we predict will happen?"),
        TEXT_MAX,
        rows=4,
        help_text=_("Write it down now, so that you can compare what happens with it."),
        required_message=_("Say what you predict will happen: it is what you will compare the results with."),
    )
    starts_on = date_field(_("Starts on"))
    ends_on = date_field(_("Ends on"))
    people: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Who else is involved?"),
        help_text=_("Members and staff running the test with you."),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    idea: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Did it come from an idea?"),
        queryset=None,
        required=False,
        empty_label=_("No"),
        help_text=_("The idea's author will see that it is being tested."),
        error_messages={"invalid_choice": _("Choose an idea from the list.")},
    )

    def __init__(self, *args: Any, people: Any, ideas: Any = None, **kwargs: Any) -> None:
        """Without ``ideas`` (changing the plan of a test already set up) the form has no idea field."""
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people  # type: ignore[attr-defined]
        self.fields["people"].label_from_instance = lambda m: m.user.display_name  # type: ignore[attr-defined]
        if ideas is None:
            del self.fields["idea"]
        else:
            self.fields["idea"].queryset = ideas  # type: ignore[attr-defined]


class StageForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[c for c in TestOfChange.Stage.choices if c[0] != TestOfChange.Stage.ACT],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose plan, do or study.")},
    )


class StudyForm(forms.Form):
    notes = text_field(
        _("What happened, against the predictions?"),
        TEXT_MAX,
        rows=6,
        required_message=_("Write what happened, against the predictions."),
    )


class MeasureForm(forms.Form):
    name = text_field(_("Name"), TITLE_MAX, required_message=_("Name the measure."))
    kind = forms.ChoiceField(
        label=_("Kind of measure"),
        choices=Measure.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose outcome, process or balancing.")},
    )
    unit = text_field(
        _("Unit"), 60, help_text=_("For example: parents, days, %."), required_message=_("Give the unit.")
    )
    better = forms.ChoiceField(
        label=_("Which direction is better?"),
        choices=Measure.Better.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which direction is better.")},
    )
    source = text_field(
        _("Where do the figures come from?"), SHORT_MAX, required_message=_("Say where the figures come from.")
    )
    baseline_points = forms.IntegerField(
        label=_("Baseline: how many of the first observations set the median?"),
        help_text=_("Leave it empty to use them all. Use the observations from before the change."),
        required=False,
        min_value=1,
        max_value=1000,
        error_messages={
            "invalid": _("Enter a whole number, like 10."),
            "min_value": _("The baseline must be at least 1 observation."),
            "max_value": _("The baseline must be 1000 observations or fewer."),
        },
    )


class ObservationForm(forms.Form):
    observed_on = date_field(_("Date"))
    # A text field, so that the service can say plainly why a value is not a number.
    value = text_field(_("Value"), 40, required_message=_("Enter a value."))
    value.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
    note = text_field(_("Note"), SHORT_MAX, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("A header row “date,value” (and optionally “note”), then one row per date, in date order."),
        error_messages={"required": _("Choose a CSV file."), "empty": _("The file is empty.")},
    )


class CheckForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Did this help you?"),
        choices=MemberCheck.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes, a bit or no.")},
    )
    words = text_field(_("Anything you want to add?"), 500, required=False, rows=3)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you decide?"),
        choices=Decision.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose adopt, adapt or abandon.")},
    )
    reasons = text_field(_("Reasons"), TEXT_MAX, rows=5, required_message=_("Give the reasons for the decision."))
    review_on = date_field(_("Review date"), help_text=_("When should we look at this again?"))


class StoppedForm(forms.Form):
    what = text_field(_("What was stopped?"), TITLE_MAX, required_message=_("Say what was stopped."))
    why = text_field(_("Why?"), TEXT_MAX, rows=4, required_message=_("Say why it was stopped."))
    evidence = text_field(_("The evidence"), TEXT_MAX, rows=4, required=False)
    decided_by = text_field(
        _("Who decided?"), SHORT_MAX, required=False, help_text=_("Leave it empty to put your name.")
    )
    decided_on = date_field(_("When?"), required=False, help_text=_("Leave it empty for today."))
    replaced_by = text_field(_("What replaced it?"), SHORT_MAX, required=False)
    review_on = date_field(
        _("When should we look at this again?"),
        required=False,
        help_text=_(
            "A review date: the day the partnership checks that stopping it was right. You can leave it empty."
        ),
    )


class SettingsForm(forms.Form):
    decisions_need_member = forms.BooleanField(
        label=_("A member must co-sign each decision on a test of change"), required=False
    )
    stop_rule = forms.ChoiceField(
        label=_("Stopping a practice"),
        choices=ImprovementSettings.StopRule.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how stopping a practice works.")},
    )


FILTER_FIELD = "improvement/_partials/filter_field.html"


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search what we stopped"), required=False, max_length=100, widget=SearchInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "search_%s")
        super().__init__(*args, **kwargs)
        self.fields["q"].template_name = FILTER_FIELD  # type: ignore[attr-defined]


class BoardFilterForm(forms.Form):
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    measure = forms.ChoiceField(label=_("Measure"), required=False)

    def __init__(self, *args: Any, choices: dict[str, list[tuple[Any, str]]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = FILTER_FIELD  # type: ignore[attr-defined]
        self.fields["owner"].choices = [("", _("Anyone")), *[(str(k), v) for k, v in choices["owners"]]]  # type: ignore[attr-defined]
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("Any organisation")),
            *[(str(k), v) for k, v in choices["organisations"]],
        ]
        self.fields["measure"].choices = [("", _("Any measure")), *choices["measures"]]  # type: ignore[attr-defined]
