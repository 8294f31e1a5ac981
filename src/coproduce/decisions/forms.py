"""Forms for decisions: explicit fields. The services check everything again; the forms give the same
plain-English messages early, next to the field, and keep what was typed.

Options, candidates and time slots are typed one a line (a page that works without JavaScript). Each method
has an answer form of its own, built for the options of the decision in front of the person."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coproduce.core.exceptions import ServiceError
from coproduce.core.form_fields import date_field, text_field
from coproduce.decisions.models import BODY_MAX, COMMENT_MAX, LABEL_MAX, REASON_MAX, TITLE_MAX, Decision
from coproduce.methods.blt import write_blt
from coproduce.methods.preflib import PreflibError, read_soi
from coproduce.partnerships import assisted

TEXT_MAX = BODY_MAX
OPTIONS_MAX = 30

KINDS: list[tuple[str, Any]] = list(Decision.Kind.choices)
NO_RULE_KINDS = {Decision.Kind.POLL.value}  # elections and polls: no partnership rule covers them

# How each method is described where a person chooses one (only when the kind has no rule of its own).
METHODS: list[tuple[str, Any]] = [
    ("consent", _("Consent: it goes ahead unless someone has a reasoned objection")),
    ("yes_no", _("Yes, no or abstain, with a threshold")),
    ("score", _("Scores: each option gets a score and the highest total wins")),
    ("dot", _("Dots: each person spreads a few dots over the options")),
    ("time_poll", _("Find a time: each person says which times suit them")),
    ("ranked_irv", _("Ranked choice, one winner (instant runoff)")),
    ("ranked_schulze", _("Ranked choice, one winner (Schulze: the option that beats each other one)")),
    ("stv", _("Ranked choice, several seats (single transferable vote, as in Scottish council elections)")),
]
METHOD_LABELS = dict(METHODS)
NEEDS_OPTIONS = {"score", "dot", "time_poll", "ranked_irv", "ranked_schulze", "stv"}
RANKED = {"ranked_irv", "ranked_schulze", "stv"}

PARTICIPANTS: list[tuple[str, Any]] = [
    ("everyone", _("Members and staff")),
    ("members", _("Members only")),
    ("staff", _("Staff only")),
]

CONSENT_POSITIONS: list[tuple[str, Any]] = [
    ("agree", _("Agree")),
    ("abstain", _("I stand aside – I will not stop it, but I will not take part in it")),
    ("disagree", _("I have a concern")),
    ("block", _("Block – I cannot live with this")),
]
YES_NO_POSITIONS: list[tuple[str, Any]] = [
    ("yes", _("Yes")),
    ("no", _("No")),
    ("abstain", _("Abstain – I do not take a side")),
]
TIME_POLL_VALUES: list[tuple[int, Any]] = [(2, _("Yes")), (1, _("If need be")), (0, _("No"))]
NEEDS_REASON = {"disagree", "block"}


def _whole(label: Any, *, low: int, high: int, required: bool = False, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=low,
        max_value=high,
        error_messages={
            "invalid": _("Enter a whole number, like 3."),
            "min_value": _("This must be %(limit_value)s or more."),
            "max_value": _("This must be %(limit_value)s or fewer."),
            "required": _("Enter a number."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


# --- Time slots typed as lines ----------------------------------------------------------------------

_SLOT = re.compile(
    r"^\s*(?P<day>\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\s+(?P<start>\d{1,2}[:.]\d{2})"
    r"(?:\s*(?:-|–|to)\s*(?P<end>\d{1,2}[:.]\d{2}))?\s*$"
)


def _clock(raw: str) -> time:
    hours, minutes = (int(part) for part in re.split(r"[:.]", raw))
    return time(hours, minutes)


def parse_slot(line: str) -> tuple[datetime, datetime]:
    """A time slot typed as ``31/12/2026 10:00 to 11:30`` (or ``2026-12-31 10:00-11:30``), in UK time. With no
    end, the slot lasts an hour. Raises ValueError with a plain message."""
    found = _SLOT.match(line)
    if found is None:
        raise ValueError(_("Write a time like 31/12/2026 10:00 to 11:30."))
    raw_day = found["day"]
    try:
        day = datetime.strptime(raw_day, "%d/%m/%Y").date() if "/" in raw_day else date.fromisoformat(raw_day)
        start = timezone.make_aware(datetime.combine(day, _clock(found["start"])))
        end = (
            timezone.make_aware(datetime.combine(day, _clock(found["end"])))
            if found["end"]
            else start + timedelta(hours=1)
        )
    except ValueError as error:
        # A day or time that does not exist (31/02, 25:00): Python's own words are not for the reader.
        raise ValueError(_("Write a time like 31/12/2026 10:00 to 11:30.")) from error
    if end <= start:
        raise ValueError(_("The end must be after the start."))
    return start, end


def option_lines(raw: str) -> list[str]:
    """The lines typed, trimmed, blank ones left out."""
    return [line.strip() for line in raw.splitlines() if line.strip()]


class OptionsMixin:
    """Checks the options box against the method: how many, no repeats, time slots readable."""

    def clean_options_for(self, method: str, raw: str) -> list[Any]:
        lines = option_lines(raw)
        if method not in NEEDS_OPTIONS:
            return []
        if len(lines) < 2:
            raise forms.ValidationError(_("Write at least two, one on each line."))
        if len(lines) > OPTIONS_MAX:
            raise forms.ValidationError(_("Write %(n)d or fewer.") % {"n": OPTIONS_MAX})
        lowered = [line.casefold() for line in lines]
        for number, line in enumerate(lowered, start=1):
            if lowered.index(line) != number - 1:
                raise forms.ValidationError(_("Line %(n)d repeats an earlier line.") % {"n": number})
        for number, line in enumerate(lines, start=1):
            if len(line) > LABEL_MAX:
                raise forms.ValidationError(
                    _("Line %(n)d is too long: keep each to %(max)d characters.") % {"n": number, "max": LABEL_MAX}
                )
        if method != "time_poll":
            return lines
        slots = []
        for number, line in enumerate(lines, start=1):
            try:
                slots.append(parse_slot(line))
            except ValueError as error:
                raise forms.ValidationError(_("Line %(n)d: %(why)s") % {"n": number, "why": error}) from error
        return slots


# --- Raising a decision ----------------------------------------------------------------------------


class KindForm(forms.Form):
    """The first step: what kind of decision it is (each kind may have its own rule)."""

    kind = forms.ChoiceField(
        label=_("What kind of decision is it?"),
        choices=KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of decision it is.")},
    )


class RaiseForm(OptionsMixin, forms.Form):
    """The proposal. ``rule`` is the kind's rule (None when the partnership has set none): where there is
    one, its method, who takes part, threshold, quorum and double majority apply and are not asked."""

    kind = forms.ChoiceField(choices=KINDS, widget=forms.HiddenInput)
    title = text_field(_("What is to be decided?"), TITLE_MAX, required_message=_("Say what is to be decided."))
    background = text_field(
        _("Background"),
        TEXT_MAX,
        rows=6,
        help_text=_("Why it matters and what you propose. You can use simple formatting: *bold*, lists, links."),
        required_message=_("Give some background, so that people know what they are deciding."),
    )
    method = forms.ChoiceField(
        label=_("How will it be decided?"),
        choices=METHODS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it will be decided.")},
    )
    options = forms.CharField(
        label=_("Options, candidates or times"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One on each line. Not needed for consent or yes/no. For times, write each like "
            "31/12/2026 10:00 to 11:30 (UK time)."
        ),
    )
    closes_on = date_field(_("Closes on"), help_text=_("The last day people can answer."))
    closes_time = forms.TimeField(
        label=_("Closes at"),
        initial=time(17, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H.%M"],
        help_text=_("UK time, like 17:00."),
        error_messages={"invalid": _("Enter a time like 17:00."), "required": _("Enter a time.")},
    )
    participants = forms.ChoiceField(
        label=_("Who takes part?"), choices=PARTICIPANTS, widget=forms.RadioSelect, initial="everyone"
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous: nobody can see who answered what"),
        required=False,
    )
    threshold_percent = _whole(
        _("Yes/no only: how many must say yes?"),
        low=50,
        high=100,
        initial=50,
        help_text=_(
            "Passes with more than this share of those who say yes or no, as a percentage. 50 means more than half."
        ),
    )
    quorum_members_percent = _whole(
        _("At least this share of members must take part (percentage)"),
        low=0,
        high=100,
        initial=0,
        help_text=_("0 for no minimum."),
    )
    quorum_staff_percent = _whole(
        _("At least this share of staff must take part (percentage)"),
        low=0,
        high=100,
        initial=0,
        help_text=_("0 for no minimum."),
    )
    double_majority = forms.BooleanField(
        label=_("Double majority: members and staff are counted separately, and both must agree"),
        required=False,
    )
    seats = _whole(_("Several seats only: how many seats?"), low=1, high=OPTIONS_MAX, initial=2)
    max_score = _whole(_("Scores only: the highest score"), low=1, high=10, initial=5)
    dots = _whole(_("Dots only: how many dots each person has"), low=1, high=100, initial=10)

    RULE_FIELDS = (
        "method",
        "participants",
        "threshold_percent",
        "quorum_members_percent",
        "quorum_staff_percent",
        "double_majority",
    )

    def __init__(self, *args: Any, rule: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule
        if rule is not None:
            # The partnership's rule decides these: they are not asked, and the service applies them.
            for name in self.RULE_FIELDS:
                del self.fields[name]
        method = rule.method if rule is not None else None
        if method is not None and method != "stv":
            del self.fields["seats"]
        if method is not None and method != "score":
            del self.fields["max_score"]
        if method is not None:
            del self.fields["dots"]
            if method not in NEEDS_OPTIONS:
                del self.fields["options"]
            elif method in RANKED:
                self.fields["options"].label = _("Candidates or options to rank")
                self.fields["options"].help_text = _("One on each line.")
            else:
                self.fields["options"].help_text = _("One on each line.")

    def chosen_method(self) -> str:
        if self.rule is not None:
            return str(self.rule.method)
        return str(self.cleaned_data.get("method") or "")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        method = self.chosen_method()
        if "options" in self.fields and not self.has_error("options"):
            try:
                data["options"] = self.clean_options_for(method, data.get("options", ""))
            except forms.ValidationError as error:
                self.add_error("options", error)
        else:
            data["options"] = []
        needed = {"yes_no": "threshold_percent", "stv": "seats", "score": "max_score", "dot": "dots"}
        for name in ("threshold_percent", "seats", "max_score", "dots"):
            if name in self.fields and needed.get(method) != name:
                data[name] = None
        wanted = needed.get(method)
        if wanted in self.fields and data.get(wanted) is None and not self.has_error(wanted):
            self.add_error(wanted, _("Enter a number."))
        seats = data.get("seats")
        written = len(option_lines(str(self.data.get(self.add_prefix("options"), ""))))
        if method == "stv" and seats and "options" in self.fields and written <= seats:
            # Said instead of "write at least two" too: with one name for two seats the seats are the problem.
            self.errors.pop("options", None)
            self.add_error("options", too_few_candidates(seats))
        closes_on, closes_time = data.get("closes_on"), data.get("closes_time")
        if closes_on is not None and closes_time is not None:
            closes_at = timezone.make_aware(datetime.combine(closes_on, closes_time))
            if closes_at <= timezone.now():
                self.add_error("closes_on", _("The closing time must be in the future."))
            data["closes_at"] = closes_at
        return data


def too_few_candidates(seats: int) -> str:
    return ngettext(
        "There must be more candidates than seats: for %(seats)d seat, write at least %(n)d names.",
        "There must be more candidates than seats: for %(seats)d seats, write at least %(n)d names.",
        seats,
    ) % {
        "seats": seats,
        "n": seats + 1,
    }


class AmendForm(OptionsMixin, forms.Form):
    title = text_field(_("What is to be decided?"), TITLE_MAX, required_message=_("Say what is to be decided."))
    background = text_field(_("Background"), TEXT_MAX, rows=6, required_message=_("Give some background."))
    options = forms.CharField(
        label=_("Options, candidates or times"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One on each line. Take a line out to withdraw that option; answers already given to it are kept."),
    )
    change_note = text_field(
        _("What did you change, and why?"),
        REASON_MAX,
        rows=3,
        help_text=_("Everyone taking part is told, and sees this with the new version."),
        required_message=_("Say what you changed and why."),
    )

    def __init__(self, *args: Any, method: str, seats: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.method = method
        self.seats = seats
        if method not in NEEDS_OPTIONS:
            del self.fields["options"]
        elif method == "time_poll":
            self.fields["options"].help_text = _(
                "One on each line, like 31/12/2026 10:00 to 11:30 (UK time). Take a line out to withdraw that time."
            )

    def clean_options(self) -> list[Any]:
        raw = self.cleaned_data.get("options", "")
        if self.method == "stv" and self.seats and len(option_lines(raw)) <= self.seats:
            raise forms.ValidationError(too_few_candidates(self.seats))
        return self.clean_options_for(self.method, raw)


# --- Answers: one form per method -------------------------------------------------------------------


class PositionForm(forms.Form):
    """Consent or yes/no/abstain: one choice, with a reason (required for a concern or a block)."""

    position = forms.ChoiceField(
        label=_("Your answer"), widget=forms.RadioSelect, error_messages={"required": _("Choose your answer.")}
    )
    reason = text_field(
        _("Your reason"),
        REASON_MAX,
        required=False,
        rows=4,
        help_text=_("Needed if you have a concern or block. Say what would make it work for you."),
    )

    def __init__(self, *args: Any, method: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = CONSENT_POSITIONS if method == "consent" else YES_NO_POSITIONS
        self.fields["position"].choices = choices  # type: ignore[attr-defined]
        if method != "consent":
            self.fields["reason"].help_text = _("If you want to, say why.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("position") in NEEDS_REASON and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                _("Say why you have a concern.") if data["position"] == "disagree" else _("Say why you block it."),
            )
        return data

    def answer(self) -> dict[str, Any]:
        return {"position": self.cleaned_data["position"], "reason": self.cleaned_data.get("reason", "").strip()}


class ValuesForm(forms.Form):
    """A value for each option, in fields named ``option_<id>``. Subclasses say what each field is."""

    def __init__(self, *args: Any, decision: Any, options: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.options = list(options)
        for option in self.options:
            self.fields[f"option_{option.pk}"] = self.field_for(option)

    def field_for(self, option: Any) -> forms.Field:
        raise NotImplementedError

    def values(self) -> dict[int, int]:
        found: dict[int, int] = {}
        for option in self.options:
            value = self.cleaned_data.get(f"option_{option.pk}")
            if value is not None and value != "":
                found[option.pk] = int(value)
        return found

    def answer(self) -> dict[str, Any]:
        return {"values": self.values()}

    def option_fields(self) -> list[tuple[Any, forms.BoundField]]:
        return [(option, self[f"option_{option.pk}"]) for option in self.options]


def _number_choices(low: int, high: int) -> list[tuple[int, str]]:
    return [(n, str(n)) for n in range(low, high + 1)]


class ScoreForm(ValuesForm):
    """0 to N for each option: radios up to 5, a select above (a long row of radios does not fit a phone)."""

    def field_for(self, option: Any) -> forms.Field:
        top = int(self.decision.max_score)
        widget: type[forms.Widget] = forms.RadioSelect if top <= 5 else forms.Select
        return forms.TypedChoiceField(
            label=option.label,
            choices=_number_choices(0, top),
            coerce=int,
            widget=widget,
            error_messages={"required": _("Give this a score from 0 to %(n)d.") % {"n": top}},
        )


class DotForm(ValuesForm):
    """N dots spread over the options; the total is checked here and again by the service."""

    def field_for(self, option: Any) -> forms.Field:
        dots = int(self.decision.dots)
        field = _whole(option.label, low=0, high=dots, initial=0)
        field.widget.attrs.update({"min": 0, "max": dots, "class": "cp-dot-input", "data-dots": dots})
        return field

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        total = sum(self.values().values())
        dots = int(self.decision.dots)
        if total > dots:
            raise forms.ValidationError(
                ngettext(
                    "You have put %(total)d dots, but you have %(dots)d. Take %(over)d off.",
                    "You have put %(total)d dots, but you have %(dots)d. Take %(over)d off.",
                    dots,
                )
                % {"total": total, "dots": dots, "over": total - dots}
            )
        if total == 0:
            raise forms.ValidationError(_("Put at least one dot on an option."))
        return data


class TimePollForm(ValuesForm):
    """Yes, if need be or no for each time."""

    def field_for(self, option: Any) -> forms.Field:
        return forms.TypedChoiceField(
            label=option.label,
            choices=TIME_POLL_VALUES,
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": _("Say whether this time suits you.")},
        )


class RankedForm(ValuesForm):
    """A rank for each candidate, chosen from a list (1 is your first choice); leave out any you would not
    choose. Ranks must not repeat; gaps are closed up (only the order counts)."""

    def field_for(self, option: Any) -> forms.Field:
        count = len(self.options)
        return forms.TypedChoiceField(
            label=option.label,
            choices=[("", _("Not ranked")), *_number_choices(1, count)],
            coerce=int,
            empty_value=None,
            required=False,
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        chosen = super().values()  # as typed, before gaps are closed up
        if not chosen:
            raise forms.ValidationError(_("Give 1 to your first choice."))
        ranks = sorted(chosen.values())
        for rank in ranks:
            if ranks.count(rank) > 1:
                raise forms.ValidationError(
                    _("You gave %(rank)d to more than one. Give each number only once.") % {"rank": rank}
                )
        return data

    def values(self) -> dict[int, int]:
        chosen = super().values()
        order = sorted(chosen, key=lambda option_id: chosen[option_id])
        return {option_id: position for position, option_id in enumerate(order, start=1)}


ANSWER_FORMS: dict[str, type[ValuesForm]] = {
    "score": ScoreForm,
    "dot": DotForm,
    "time_poll": TimePollForm,
    "ranked_irv": RankedForm,
    "ranked_schulze": RankedForm,
    "stv": RankedForm,
}


def answer_form(decision: Any, options: list[Any], data: Any = None, initial: dict[str, Any] | None = None) -> Any:
    """The answer form for the decision's method."""
    if decision.method in ("consent", "yes_no"):
        return PositionForm(data, method=decision.method, initial=initial)
    return ANSWER_FORMS[decision.method](data, decision=decision, options=options, initial=initial)


# --- Discussion, closing, outcome, import -------------------------------------------------------------


class CommentForm(forms.Form):
    body = text_field(_("Your comment"), COMMENT_MAX, rows=4, required_message=_("Write your comment."))


class OutcomeForm(forms.Form):
    statement = text_field(
        _("What was decided, and what will happen"),
        TEXT_MAX,
        rows=5,
        required_message=_("Say what was decided and what will happen."),
    )
    owner = forms.TypedChoiceField(
        label=_("Who makes it happen?"),
        coerce=int,
        error_messages={"required": _("Choose who makes it happen.")},
    )
    due_on = date_field(_("To be done by"))
    review_on = date_field(_("Look back at it on"), help_text=_("The day the partnership checks whether it worked."))

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Choose a person")), *people]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        due_on, review_on = data.get("due_on"), data.get("review_on")
        if due_on and review_on and review_on < due_on:
            self.add_error("review_on", _("Look back at it on or after the day it is to be done by."))
        return data


IMPORT_MAX_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("The ballots file"),
        help_text=_("A BLT file (.blt) or a PrefLib file (.soi), 5 MB at most."),
        error_messages={"required": _("Choose a file."), "empty": _("The file is empty.")},
    )
    kind = forms.ChoiceField(
        label=_("What kind of decision is it?"),
        choices=KINDS,
        widget=forms.RadioSelect,
        initial="poll",
        error_messages={"required": _("Choose what kind of decision it is.")},
    )
    method = forms.ChoiceField(
        label=_("How will it be counted?"),
        choices=[(value, label) for value, label in METHODS if value in RANKED],
        widget=forms.RadioSelect,
        initial="stv",
        error_messages={"required": _("Choose how it will be counted.")},
    )
    title = text_field(
        _("Title"),
        TITLE_MAX,
        required=False,
        help_text=_("Leave it empty to use the title in the file."),
    )
    seats = _whole(
        _("Several seats only: how many seats?"),
        low=1,
        high=OPTIONS_MAX,
        help_text=_("Leave it empty to use the number in the file."),
    )
    closes_on = date_field(
        _("Closes on"),
        help_text=_(
            "Until then, people in the partnership can rank the candidates too. To count only the file, close "
            "the decision as soon as it is raised."
        ),
    )
    closes_time = forms.TimeField(
        label=_("Closes at"),
        initial=time(17, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H.%M"],
        help_text=_("UK time, like 17:00."),
        error_messages={"invalid": _("Enter a time like 17:00."), "required": _("Enter a time.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".blt", ".soi", ".txt")):
            raise forms.ValidationError(_("Choose a .blt or .soi file."))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is bigger than 5 MB."))
        return upload

    def blt_bytes(self) -> bytes:
        """The ballots as BLT, which the import reads: a .soi file is read here (a fault in it is one line naming
        the line, shown next to the file) and written as BLT. Call after ``is_valid()``."""
        upload = self.cleaned_data["file"]
        upload.seek(0)
        data: bytes = upload.read()
        if not upload.name.lower().endswith(".soi"):
            return data
        try:
            election = read_soi(data.decode("utf-8-sig"), name=upload.name, seats=self.cleaned_data.get("seats"))
        except UnicodeDecodeError:
            raise ServiceError(str(_("The file is not plain text (UTF-8).")), field="file") from None
        except PreflibError as error:
            raise ServiceError(str(error), field="file") from None
        return write_blt(election).encode("utf-8")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        closes_on, closes_time = data.get("closes_on"), data.get("closes_time")
        if closes_on is not None and closes_time is not None:
            data["closes_at"] = timezone.make_aware(datetime.combine(closes_on, closes_time))
            if data["closes_at"] <= timezone.now():
                self.add_error("closes_on", _("The closing time must be in the future."))
        return data


# --- Answers recorded with a member, or from her paper form ---------------------------------------------


def add_record_with_fields(form: forms.Form, *, members: Any, paper: bool) -> forms.Form:
    """An answer form turned into the one a worker or coordinator fills in with a member, or from her paper
    form (partnerships/assisted.py). The answer's own labels speak of her rather than "you"."""
    if "position" in form.fields:
        form.fields["position"].label = _("Her answer")
        form.fields["position"].error_messages["required"] = _("Choose her answer.")
        form.fields["reason"].label = _("Her reason")
    return assisted.add_record_with_fields(
        form,
        members=members,
        paper=paper,
        words=assisted.RecordWithWords(
            member_required=_("Choose the member whose answer this is."),
            member_not_listed=_(
                "Choose a member from the list: it has the members who take part in this decision and allow "
                "recording with a keyworker."
            ),
            paper_example=_("Printed at the top of the paper form, for example D12-0003."),
            agreed_with=_("The member is here or on the phone, and agreed that I record her answer with her"),
        ),
    )
