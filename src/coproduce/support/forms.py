"""Forms for the support pages: explicit fields only. The services check everything again; the forms give
the same plain-English messages early, next to the field, and keep what the person typed."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from coproduce.core.links import validate_web_address
from coproduce.core.money import format_pence, parse_pounds
from coproduce.partnerships.models import Membership, Organisation
from coproduce.support.models import (
    SHORT_MAX,
    TEXT_MAX,
    Action,
    Basis,
    Goal,
    NeedTag,
    OutcomeArea,
    Part,
    Purpose,
    Referral,
    Service,
    TeamMember,
)

RATING_CHOICES = [("", _("Not rated"))] + [(str(n), str(n)) for n in range(1, 11)]
RATING_ERRORS = {
    "invalid_choice": _("Give a number from 1 to 10."),
    "required": _("Choose the point you agree on, from 1 to 10."),
}
DATE_ERRORS = {"invalid": _("Enter a real date, for example 27 3 2026.")}


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


WITH_MEMBER_LABEL = _("The member is here with me and agrees with what I am recording")


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    with_member = forms.BooleanField(label=WITH_MEMBER_LABEL, required=False)

    def __init__(self, *args: Any, is_staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_staff:
            del self.fields["with_member"]


class PlanStartForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Which member is this plan for?"),
        queryset=Membership.objects.none(),
        error_messages={"required": _("Choose a member."), "invalid_choice": _("Choose a member from the list.")},
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]
        self.fields["member"].label_from_instance = lambda m: m.user.display_name or m.user.email  # type: ignore[attr-defined]


class AboutForm(VersionedForm):
    what_matters = forms.CharField(
        label=_("What matters to me"), required=False, max_length=TEXT_MAX, widget=_textarea()
    )
    strengths = forms.CharField(
        label=_("My strengths and what I bring"), required=False, max_length=TEXT_MAX, widget=_textarea()
    )
    wants = forms.CharField(label=_("What I want"), required=False, max_length=TEXT_MAX, widget=_textarea())
    barriers = forms.CharField(
        label=_("What gets in the way"),
        help_text=_("For example childcare, travel, money, health, confidence, skills or housing."),
        required=False,
        max_length=TEXT_MAX,
        widget=_textarea(),
    )


class GoalForm(VersionedForm):
    text = forms.CharField(
        label=_("My goal"),
        help_text=_("In your own words."),
        max_length=SHORT_MAX,
        error_messages={"required": _("Write the goal in your own words.")},
    )
    why = forms.CharField(label=_("Why it matters to me"), required=False, max_length=TEXT_MAX, widget=_textarea(3))
    target_date = forms.DateField(
        label=_("When by (optional)"), required=False, widget=_date_widget(), error_messages=DATE_ERRORS
    )
    achieved = forms.BooleanField(label=_("I have reached this goal"), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["achieved"]
            self.fields["version"].required = False


class ActionForm(VersionedForm):
    text = forms.CharField(
        label=_("What will be done"), max_length=SHORT_MAX, error_messages={"required": _("Say what will be done.")}
    )
    owner = forms.ChoiceField(
        label=_("Who will do it"), choices=Action.Owner.choices, widget=forms.RadioSelect, initial="member"
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Which partner organisation (if a partner will do it)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    goal = forms.ModelChoiceField(
        label=_("Which goal is it for (optional)"), queryset=Goal.objects.none(), required=False
    )
    due = forms.DateField(
        label=_("By when (optional)"), required=False, widget=_date_widget(), error_messages=DATE_ERRORS
    )
    done = forms.BooleanField(label=_("Done"), required=False)

    def __init__(self, *args: Any, organisations: Any, goals: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        if not editing:
            del self.fields["done"]
            self.fields["version"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner") == "organisation" and not data.get("owner_organisation"):
            self.add_error("owner_organisation", _("Choose the partner organisation that will do it."))
        return data


class TeamForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Who"),
        queryset=Membership.objects.none(),
        error_messages={"required": _("Choose a person."), "invalid_choice": _("Choose a person from the list.")},
    )
    role = forms.ChoiceField(
        label=_("As"), choices=TeamMember.Role.choices, widget=forms.RadioSelect, initial="keyworker"
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["person"].label_from_instance = lambda m: f"{m.user.display_name} ({m.organisation.name})"  # type: ignore[attr-defined]


class SharingForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    parts = forms.MultipleChoiceField(
        label=_("Parts they can see"), choices=Part.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    with_member = forms.BooleanField(label=WITH_MEMBER_LABEL, required=False)

    def __init__(self, *args: Any, is_staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_staff:
            del self.fields["with_member"]


def _for_area(message: Any, area: OutcomeArea) -> str:
    """``message`` naming the area, safe to hand to Django (which %-formats error messages with params)."""
    return str(message) % {"area": area.name.replace("%", "%%")}


def _rating_choices(area: OutcomeArea) -> list[tuple[str, str]]:
    """1 to 10, each with the name of its stage on the area's ladder, so no key is needed to choose."""
    return [("", str(_("Not rated")))] + [
        (str(n), f"{n} – {area.stage_for(n)}" if area.stages else str(n)) for n in range(1, 11)
    ]


class _CheckInBase(forms.Form):
    """What both check-in forms share: the date, checked here as the service checks it, so that every
    mistake is listed at once rather than one per try."""

    date = forms.DateField(
        label=_("Date of the check-in"),
        widget=_date_widget(),
        error_messages={**DATE_ERRORS, "required": _("Enter the date of the check-in.")},
    )

    def __init__(self, *args: Any, areas: list[OutcomeArea], started: datetime.date | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.areas = areas
        self.started = started
        self.fields["date"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date = data.get("date")
        if date and date > timezone.localdate():
            self.add_error("date", _("The date of a check-in cannot be in the future."))
        elif date and self.started and date < self.started:
            self.add_error("date", _("The date must be after the plan was started."))
        return data


class CheckInForm(_CheckInBase):
    """A worker's check-in: for each area the member's own rating, the worker's and the point they agree."""

    notes = forms.CharField(label=_("Notes"), required=False, max_length=TEXT_MAX, widget=_textarea())
    with_member = forms.BooleanField(label=WITH_MEMBER_LABEL, required=False)
    for_member = False

    def __init__(self, *args: Any, areas: list[OutcomeArea], is_staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, areas=areas, **kwargs)
        if not is_staff:
            del self.fields["with_member"]
        for area in areas:
            errors = {"invalid_choice": _for_area(_("Give a number from 1 to 10 for %(area)s."), area)}
            self.fields[f"member_{area.pk}"] = forms.ChoiceField(
                label=_("The member's own rating"), choices=RATING_CHOICES, required=False, error_messages=errors
            )
            self.fields[f"worker_{area.pk}"] = forms.ChoiceField(
                label=_("The worker's rating"), choices=RATING_CHOICES, required=False, error_messages=errors
            )
            self.fields[f"agreed_{area.pk}"] = forms.ChoiceField(
                label=_("The point we agree"),
                help_text=_("Needed for each area you rate."),
                choices=RATING_CHOICES,
                required=False,
                error_messages=errors,
            )

    def area_groups(self) -> list[tuple[OutcomeArea, list[Any]]]:
        return [(a, [self[f"member_{a.pk}"], self[f"worker_{a.pk}"], self[f"agreed_{a.pk}"]]) for a in self.areas]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rated = False
        for area in self.areas:
            names = [f"member_{area.pk}", f"worker_{area.pk}", f"agreed_{area.pk}"]
            if any(name in self.errors for name in names):
                rated = True
                continue
            values = [data.get(name) for name in names]
            if any(values):
                rated = True
                if not values[2]:
                    self.add_error(
                        names[2], _for_area(_("Choose the point you agree on for %(area)s, from 1 to 10."), area)
                    )
        if not rated and self.areas:
            self.add_error(f"agreed_{self.areas[0].pk}", _("Rate at least one area."))
        return data

    def ratings(self) -> dict[int, tuple[Any, Any, Any]]:
        data = self.cleaned_data
        result = {}
        for area in self.areas:
            values = (data.get(f"member_{area.pk}"), data.get(f"worker_{area.pk}"), data.get(f"agreed_{area.pk}"))
            if any(values):
                result[area.pk] = values
        return result


class MemberCheckInForm(_CheckInBase):
    """A member's own check-in: one rating of her own per area, nothing else. The worker's rating and an
    agreed point are given at a check-in the worker records with her."""

    notes = forms.CharField(
        label=_("Anything you want to add"), required=False, max_length=TEXT_MAX, widget=_textarea(3)
    )
    for_member = True

    def __init__(self, *args: Any, areas: list[OutcomeArea], **kwargs: Any) -> None:
        super().__init__(*args, areas=areas, **kwargs)
        for area in areas:
            self.fields[f"member_{area.pk}"] = forms.ChoiceField(
                label=area.name,
                # Help text is rendered as markup; the question is written by the coordinator.
                help_text=escape(area.question),
                choices=_rating_choices(area),
                required=False,
                error_messages={"invalid_choice": _for_area(_("Choose a number from 1 to 10 for %(area)s."), area)},
            )

    def rating_fields(self) -> list[Any]:
        return [self[f"member_{a.pk}"] for a in self.areas]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        names = [f"member_{a.pk}" for a in self.areas]
        if names and not any(data.get(n) for n in names) and not any(n in self.errors for n in names):
            self.add_error(names[0], _("Choose a number for at least one area."))
        return data

    def ratings(self) -> dict[int, tuple[Any, Any, Any]]:
        data = self.cleaned_data
        return {a.pk: (data[f"member_{a.pk}"], None, None) for a in self.areas if data.get(f"member_{a.pk}")}


class CheckInAgreeForm(forms.Form):
    def __init__(self, *args: Any, ratings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rating_rows = ratings
        for rating in ratings:
            self.fields[f"agreed_{rating.area_id}"] = forms.ChoiceField(
                label=_("Agreed point for %(area)s") % {"area": rating.area.name},
                choices=RATING_CHOICES[1:],
                initial=str(rating.agreed),
                error_messages=RATING_ERRORS,
            )

    def agreed(self) -> dict[int, Any]:
        return {r.area_id: self.cleaned_data.get(f"agreed_{r.area_id}") for r in self.rating_rows}


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.none(),
        error_messages={
            "required": _("Choose a service."),
            "invalid_choice": _("Choose a service from this partnership's directory."),
        },
    )
    parts = forms.MultipleChoiceField(
        label=_("What the service may see of the plan"),
        choices=Part.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only these parts, and only while the member agrees."),
    )
    note = forms.CharField(label=_("A note for the service"), required=False, max_length=TEXT_MAX, widget=_textarea(3))
    member_agrees = forms.BooleanField(
        label=_("The member agrees to this referral and to sharing the parts ticked above"), required=False
    )

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["service"].label_from_instance = lambda s: f"{s.name} ({s.organisation.name})"  # type: ignore[attr-defined]


class ReferralMoveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What happens now"),
        choices=(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what happens now."),
            "invalid_choice": _("Choose one of the steps shown."),
        },
    )
    reason = forms.CharField(label=_("If you decline, why"), required=False, max_length=TEXT_MAX, widget=_textarea(2))
    message = forms.CharField(
        label=_("A message to the member and the referrer (optional)"),
        required=False,
        max_length=TEXT_MAX,
        widget=_textarea(3),
    )

    def __init__(self, *args: Any, steps: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Referral.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in steps]  # type: ignore[attr-defined]


class ReferralMessageForm(forms.Form):
    # Shown on the same page as ReferralMoveForm, which has a "message" box too: its own ids keep each label
    # tied to its own box.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_send_%s")
        super().__init__(*args, **kwargs)

    message = forms.CharField(
        label=_("Message"), max_length=TEXT_MAX, widget=_textarea(3), error_messages={"required": _("Write a message.")}
    )


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=_date_widget(), error_messages=DATE_ERRORS)
    end = forms.DateField(label=_("To"), required=False, widget=_date_widget(), error_messages=DATE_ERRORS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date must be the same as or after the start date."))
        return data


class LawfulBasisForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    basis = forms.ChoiceField(label=_("Lawful basis"), choices=Basis.choices)
    explanation = forms.CharField(
        label=_("Why (shown to members)"), required=False, max_length=TEXT_MAX, widget=_textarea(2)
    )


class ServiceForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Choose the organisation.")},
    )
    name = forms.CharField(
        label=_("Name of the service"),
        max_length=SHORT_MAX,
        error_messages={"required": _("Enter the service's name.")},
    )
    description = forms.CharField(
        label=_("What it is"),
        max_length=TEXT_MAX,
        widget=_textarea(),
        error_messages={"required": _("Say what the service is.")},
    )
    who_for = forms.CharField(label=_("Who it is for"), required=False, max_length=TEXT_MAX, widget=_textarea(2))
    how_to_get = forms.CharField(label=_("How to get it"), required=False, max_length=TEXT_MAX, widget=_textarea(2))
    is_free = forms.BooleanField(label=_("It is free"), required=False, initial=True)
    cost = forms.CharField(label=_("Cost, or what is free"), required=False, max_length=SHORT_MAX)
    languages = forms.CharField(
        label=_("Languages"),
        help_text=_("Separated by commas, for example: English, Polish"),
        required=False,
        max_length=SHORT_MAX,
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("Needs it helps with"),
        queryset=NeedTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_name = forms.CharField(label=_("Contact"), required=False, max_length=SHORT_MAX)
    email = forms.EmailField(
        label=_("Email"), required=False, error_messages={"invalid": _("Enter an email address like name@example.org.")}
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    url = forms.URLField(
        assume_scheme="https",
        label=_("Website"),
        required=False,
        validators=[validate_web_address],  # http(s) only: the URL field alone also takes ftp://
        error_messages={"invalid": _("Enter a web address starting https://")},
    )
    location_name = forms.CharField(label=_("Where (place name)"), required=False, max_length=SHORT_MAX)
    location_address = forms.CharField(label=_("Address"), required=False, max_length=SHORT_MAX)
    location_postcode = forms.CharField(label=_("Postcode"), required=False, max_length=12)
    opening_times = forms.CharField(
        label=_("Opening times"),
        help_text=_("For example: Tue and Thu 9.30–2.30"),
        required=False,
        max_length=SHORT_MAX,
    )

    def __init__(self, *args: Any, organisations: Any, tags: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["needs"].queryset = tags  # type: ignore[attr-defined]


class OutcomeAreaForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the area"), max_length=80, error_messages={"required": _("Enter the area's name.")}
    )
    question = forms.CharField(label=_("The question it asks"), required=False, max_length=SHORT_MAX)
    stage_1 = forms.CharField(
        label=_("Stage for 1–2"), max_length=80, error_messages={"required": _("Name this stage.")}
    )
    stage_2 = forms.CharField(
        label=_("Stage for 3–4"), max_length=80, error_messages={"required": _("Name this stage.")}
    )
    stage_3 = forms.CharField(
        label=_("Stage for 5–6"), max_length=80, error_messages={"required": _("Name this stage.")}
    )
    stage_4 = forms.CharField(
        label=_("Stage for 7–8"), max_length=80, error_messages={"required": _("Name this stage.")}
    )
    stage_5 = forms.CharField(
        label=_("Stage for 9–10"), max_length=80, error_messages={"required": _("Name this stage.")}
    )
    active = forms.BooleanField(label=_("In use at check-ins"), required=False)


# --- Money for barriers -----------------------------------------------------------------------------------


class AmountField(forms.CharField):
    """An amount in pounds ("84", "84.50", "£84"), cleaned to integer pence; a minus sign is kept so the service
    can say plainly why an amount below £0 is refused."""

    default_error_messages = {"invalid": _("Enter an amount in pounds and pence, like 84.50.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return format_pence(value, symbol=False)
        return value

    def clean(self, value: Any) -> Any:
        text = (super().clean(value) or "").strip()
        negative = text.startswith("-")
        pence = parse_pounds(text[1:] if negative else text)
        if pence is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return -pence if negative else pence


class BarrierAskForm(forms.Form):
    action = forms.ModelChoiceField(
        label=_("Which action in the plan is it for"),
        queryset=Action.objects.none(),
        error_messages={
            "required": _("Choose the action the money helps with."),
            "invalid_choice": _("Choose one of the actions in this plan."),
        },
    )
    goal = forms.ModelChoiceField(
        label=_("Which goal does it serve (optional: the action's own goal if left empty)"),
        queryset=Goal.objects.none(),
        required=False,
    )
    category = forms.ChoiceField(
        label=_("What kind of cost"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what kind of cost it is."),
            "invalid_choice": _("Choose one of the kinds of cost the partnership pays for."),
        },
    )
    what_for = forms.CharField(
        label=_("What the money is for"),
        help_text=_("For example: a bus pass for the first month of the new job."),
        max_length=SHORT_MAX,
        error_messages={"required": _("Say what the money is for.")},
    )
    amount = AmountField(label=_("How much, in pounds"), error_messages={"required": _("Enter how much is needed.")})
    supplier = forms.CharField(
        label=_("Who it is paid to (optional)"),
        help_text=_("The shop, nursery or company, if it is paid to them."),
        max_length=SHORT_MAX,
        required=False,
    )

    def __init__(self, *args: Any, actions: Any, goals: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions  # type: ignore[attr-defined]
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            (c.slug, f"{c.name} ({c.examples})" if c.examples else c.name) for c in categories
        ]


class BarrierRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is refused"),
        help_text=_("The member reads this. Say what she could do instead, if anything."),
        max_length=TEXT_MAX,
        widget=_textarea(3),
        error_messages={"required": _("Say why, in words the member will read.")},
    )


class BarrierPaidForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How it was paid"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it was paid.")},
    )
    paid_on = forms.DateField(label=_("Date paid"), widget=_date_widget(), error_messages=DATE_ERRORS)
    reference = forms.CharField(
        label=_("Receipt number or reference"),
        max_length=SHORT_MAX,
        error_messages={"required": _("Enter the receipt number or a reference.")},
    )

    def __init__(self, *args: Any, methods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = list(methods)  # type: ignore[attr-defined]
        self.fields["paid_on"].initial = timezone.localdate()
