from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.dataprotection.models import (
    Arrangement,
    DataItem,
    LawfulBasis,
    RetentionPeriod,
    SpecialCondition,
)
from coproduce.dataprotection.periods import KindPeriod, describe
from coproduce.dataprotection.services import MAX_AMOUNT, PeriodChoice, field_name
from coproduce.partnerships.models import Organisation

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _text(
    label: Any,
    max_length: int,
    *,
    required: bool = True,
    rows: int = 0,
    error_messages: dict[str, Any] | None = None,
    **kwargs: Any,
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        error_messages={"max_length": _("Keep it to %(limit_value)d characters."), **(error_messages or {})},
        **kwargs,
    )


class SettingsForm(forms.Form):
    controllers = forms.ModelMultipleChoiceField(
        label=_("Which organisations are data controllers?"),
        help_text=_("A controller decides why and how people's data is used, and answers for it."),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one organisation as a data controller."),
            "invalid_choice": _("Choose organisations from the list."),
        },
    )
    arrangement = forms.ChoiceField(
        label=_("How do the controllers share the data?"),
        choices=Arrangement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the controllers share the data.")},
    )
    contact_name = _text(
        _("Data protection contact: name or team"),
        200,
        error_messages={"required": _("Enter who to contact about data protection.")},
    )
    contact_email = forms.EmailField(
        label=_("Their email address"),
        max_length=254,
        error_messages={
            "required": _("Enter the contact's email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )
    contact_address = _text(_("Their postal address"), 1000, required=False, rows=3)
    dpo_name = _text(
        _("Data protection officer (if there is one)"),
        200,
        required=False,
        help_text=_("Public authorities, such as a council, must have one."),
    )
    dpo_email = forms.EmailField(
        label=_("The data protection officer's email address"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Enter an email address like name@example.org.")},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["controllers"].queryset = organisations  # type: ignore[attr-defined]


class RetentionForm(forms.Form):
    """Two fields a kind: how many, and days or months. An empty number keeps the data until deleted by hand
    (where the kind allows it)."""

    def __init__(self, *args: Any, periods: list[KindPeriod], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = periods
        for period in periods:
            name = field_name(period.key)
            default = describe(period.kind.default_days, RetentionPeriod.Unit.DAYS)
            now = (
                _("Now: %(words)s (suggested; no coordinator has set it yet).")
                if period.is_default
                else _("Now: %(words)s.")
            ) % {"words": period.words}
            hint = (
                _("Leave it empty to keep this until it is deleted by hand. Suggested: %(default)s.")
                if period.kind.keep_allowed
                else _("Suggested: %(default)s.")
            )
            self.fields[name] = forms.IntegerField(
                label=period.kind.label,
                required=False,
                min_value=1,
                max_value=MAX_AMOUNT,
                help_text=f"{now} {hint % {'default': default}}",
                error_messages={
                    "invalid": _("Enter a whole number, like 12."),
                    "min_value": _("Enter a period of at least 1."),
                    "max_value": _("Enter a period of no more than %(limit_value)s."),
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[name + "_unit"] = forms.ChoiceField(
                label=_("In days or months"),
                choices=RetentionPeriod.Unit.choices,
                required=False,
                error_messages={"invalid_choice": _("Choose days or months.")},
            )
            self.initial.setdefault(name, period.amount)
            self.initial.setdefault(name + "_unit", period.unit)

    def choices(self) -> dict[str, PeriodChoice]:
        data = self.cleaned_data
        return {
            period.key: PeriodChoice(
                data.get(field_name(period.key)),
                data.get(field_name(period.key) + "_unit") or RetentionPeriod.Unit.MONTHS,
            )
            for period in self.periods
        }

    def pairs(self) -> list[tuple[Any, Any, KindPeriod]]:
        """Each kind's two fields, with the kind, for the template."""
        return [(self[field_name(p.key)], self[field_name(p.key) + "_unit"], p) for p in self.periods]


class AgreementForm(forms.Form):
    purposes = _text(
        _("Why is the data shared?"),
        4000,
        rows=5,
        help_text=_("The purposes, in plain words: what the partnership does with the data and why."),
        error_messages={"required": _("Say why the data is shared.")},
    )
    data_items = forms.MultipleChoiceField(
        label=_("What data is shared?"),
        choices=DataItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose what data is shared from the list.")},
    )
    data_items_other = _text(_("Anything else shared"), 4000, required=False, rows=3)
    lawful_bases = forms.MultipleChoiceField(
        label=_("Lawful bases (UK GDPR Article 6(1))"),
        choices=LawfulBasis.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one lawful basis."),
            "invalid_choice": _("Choose lawful bases from the list."),
        },
    )
    lawful_basis_explanation = _text(_("How each basis applies"), 4000, required=False, rows=4)
    special_category = forms.BooleanField(
        label=_("Special category data is shared (for example health, ethnicity or religion)"), required=False
    )
    special_condition = forms.ChoiceField(
        label=_("Condition for special category data (UK GDPR Article 9(2))"),
        choices=[("", _("None: no special category data")), *SpecialCondition.choices],
        required=False,
    )
    schedule_1_condition = _text(
        _("Condition in Schedule 1 of the Data Protection Act 2018"),
        500,
        required=False,
        help_text=_(
            'Needed for conditions (b), (g), (h), (i) and (j), for example "Part 2, paragraph 18: '
            'safeguarding of children and of individuals at risk".'
        ),
    )
    security = _text(
        _("How is the data kept secure?"),
        4000,
        rows=4,
        error_messages={"required": _("Say how the data is kept secure.")},
    )
    rights_contact = _text(
        _("How do people use their rights?"),
        4000,
        rows=3,
        help_text=_("Who answers requests to see, correct or erase data, and how to reach them."),
        error_messages={"required": _("Say how people use their rights.")},
    )
    review_date = forms.DateField(
        label=_("When will the partners review the agreement?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Enter a real date, like 31/12/2027."), "required": _("Enter a review date.")},
    )
