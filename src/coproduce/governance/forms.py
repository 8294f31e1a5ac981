"""Forms for the partnership agreement: explicit fields. The services check everything again; the forms give
the same plain-English messages early, next to the field, and keep what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.form_fields import date_field, text_field
from coproduce.governance.models import (
    INTEREST_MAX,
    NAME_MAX,
    NOTE_MAX,
    PURPOSE_MAX,
    TERMS_MAX,
    WITH_MAX,
    DecisionRule,
    Seat,
)


def _person(membership: Any) -> str:
    return str(membership.user.display_name or membership.user.email)


class TermsForm(forms.Form):
    text = text_field(
        _("Terms of reference"),
        TERMS_MAX,
        rows=18,
        required_message=_("Write the terms of reference."),
        help_text=_("The whole text, as it will read. Use a blank line between paragraphs; # for a heading."),
    )
    change_note = text_field(
        _("What changed?"),
        NOTE_MAX,
        required_message=_("Say in a few words what changed."),
        help_text=_("For example: two seats for parents instead of one."),
    )


class GroupForm(forms.Form):
    name = text_field(
        _("Name of the group"),
        NAME_MAX,
        required_message=_("Give the group a name."),
        help_text=_("For example: Steering group."),
    )
    purpose = text_field(_("What the group does"), PURPOSE_MAX, rows=4, required=False)


class SeatForm(forms.Form):
    title = text_field(
        _("Title of the seat"),
        NAME_MAX,
        required_message=_("Give the seat a title."),
        help_text=_("For example: Parent representative, or Chair."),
    )
    kind = forms.ChoiceField(
        label=_("Who is the seat for?"),
        choices=[
            (Seat.Kind.MEMBER, _("A member (a parent)")),
            (Seat.Kind.ORGANISATION, _("Staff of one partner organisation")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the seat is for a member or for an organisation.")},
    )
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Which organisation (for an organisation's seat)"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label=_("Choose an organisation"),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("kind") == Seat.Kind.ORGANISATION
            and not data.get("organisation")
            and "organisation" not in self.errors
        ):
            self.add_error("organisation", _("Choose the organisation the seat is for."))
        return data


class AppointForm(forms.Form):
    membership: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Who holds the seat?"),
        queryset=None,  # type: ignore[arg-type]
        empty_label=_("Choose someone"),
        error_messages={
            "required": _("Choose who holds the seat."),
            "invalid_choice": _("Choose someone from the list."),
        },
    )
    term_starts_on = date_field(_("The term starts"), required_message=_("Enter the day the term starts."))
    term_ends_on = date_field(
        _("The term ends"), required=False, help_text=_("Leave it empty if the term has no set end.")
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = people  # type: ignore[attr-defined]
        self.fields["membership"].label_from_instance = _person  # type: ignore[attr-defined]


class HoldingEndForm(forms.Form):
    ended_on = date_field(_("The day the term ended"), required=False, help_text=_("Leave it empty for today."))


class ConfirmForm(forms.Form):
    """A confirmation with nothing to fill in: the button is the answer."""


class RuleForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How is it decided?"),
        choices=DecisionRule.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the decision is made.")},
    )
    threshold_percent = forms.IntegerField(
        label=_("For a yes, no or abstain vote: the share of votes that must be yes (%)"),
        help_text=_("Between 50 and 100. 50 means more than half."),
        required=False,
        min_value=50,
        max_value=100,
        # The messages with a range are %-formatted by Django, hence the doubled %%.
        error_messages={
            "invalid": _("Enter a whole number, like 67."),
            "min_value": _("The threshold must be between 50 and 100%%."),
            "max_value": _("The threshold must be between 50 and 100%%."),
        },
    )
    participants = forms.ChoiceField(
        label=_("Who takes part?"),
        choices=DecisionRule.Participants.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who takes part.")},
    )
    group: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Which group (when a group decides)"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label=_("Choose a group"),
        error_messages={"invalid_choice": _("Choose a group from the list.")},
    )
    quorum_percent = forms.IntegerField(
        label=_("Quorum: the share of those who may take part who must do so (%)"),
        help_text=_("Between 0 and 100. 0 means no minimum."),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("Enter the quorum, from 0 to 100."),
            "invalid": _("Enter a whole number, like 50."),
            "min_value": _("The quorum must be between 0 and 100%%."),
            "max_value": _("The quorum must be between 0 and 100%%."),
        },
    )
    double_majority = forms.BooleanField(
        label=_("Count members and staff separately: a majority of each must agree (a double majority)"),
        required=False,
    )

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        no_threshold = data.get("threshold_percent") is None and "threshold_percent" not in self.errors
        if data.get("method") == DecisionRule.Method.YES_NO and no_threshold:
            self.add_error("threshold_percent", _("Enter the share of votes that must be yes."))
        no_group = not data.get("group") and "group" not in self.errors
        if data.get("participants") == DecisionRule.Participants.GROUP and no_group:
            self.add_error("group", _("Choose the group that decides."))
        return data


class InterestForm(forms.Form):
    membership: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Whose interest is it?"),
        queryset=None,  # type: ignore[arg-type]
        error_messages={
            "required": _("Choose whose interest it is."),
            "invalid_choice": _("Choose someone from the list."),
        },
    )
    what = text_field(
        _("The interest"),
        INTEREST_MAX,
        required_message=_("Say what the interest is."),
        help_text=_("For example: I volunteer at the family centre; my sister runs the childcare provider."),
    )
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("With which partner organisation, if any"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label=_("None of them"),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    with_whom = text_field(_("Or with which other organisation or person"), WITH_MAX, required=False)
    starts_on = date_field(_("Since when?"), required_message=_("Enter the date the interest started."))
    ends_on = date_field(_("Ended on"), required=False, help_text=_("Leave it empty while the interest continues."))

    def __init__(self, *args: Any, organisations: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if people is None:
            del self.fields["membership"]
        else:
            self.fields["membership"].queryset = people  # type: ignore[attr-defined]
            self.fields["membership"].label_from_instance = _person  # type: ignore[attr-defined]
