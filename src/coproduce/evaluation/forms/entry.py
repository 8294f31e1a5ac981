"""Forms for entering answers given on paper or read out to a keyworker: first the service and how the answers
came (kept for the next form, so a pile of paper forms is entered quickly), then the answers themselves. The
service ``answer_enter`` checks everything again; the forms give the same plain-English messages early, next to
the field, and keep what was typed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.form_fields import text_field
from coproduce.evaluation.instrument import SCALE, STATEMENTS
from coproduce.evaluation.models import TEXT_MAX, Answer, Question

PAPER_REF_MAX = 40
RATHER_NOT_SAY = ""
SCALE_CHOICES = [*((str(value), label) for value, label in SCALE), (RATHER_NOT_SAY, _("I'd rather not say"))]
MODES = [
    (Answer.Mode.PAPER.value, _("On a paper form")),
    (Answer.Mode.READ_OUT.value, _("Read out: I asked the parent and entered her answers with her")),
]


def _scale_field(label: Any, help_text: Any = "") -> forms.ChoiceField:
    # Not required: a statement left blank on paper, or one she would rather not answer, is "I'd rather not say".
    return forms.ChoiceField(
        label=label,
        choices=SCALE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        initial=RATHER_NOT_SAY,
        help_text=help_text,
    )


def question_field_name(question: Question) -> str:
    return f"question_{question.pk}"


class EntryChoiceForm(forms.Form):
    """The service the answers are about, and how they came. Sent with GET, so the address keeps the choice."""

    mode = forms.ChoiceField(
        label=_("How did the answers come?"),
        choices=MODES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the answers came."),
            "invalid_choice": _("Choose how the answers came."),
        },
    )
    subject = forms.TypedChoiceField(
        label=_("Which service are the answers about?"),
        coerce=int,
        error_messages={
            "required": _("Choose the service the answers are about."),
            "invalid_choice": _("Choose the service the answers are about."),
        },
    )

    def __init__(self, *args: Any, subjects: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subjects = {subject.pk: subject for subject in subjects}
        cast(forms.ChoiceField, self.fields["subject"]).choices = [
            ("", _("Choose a service")),
            *((pk, s.name) for pk, s in self.subjects.items()),
        ]

    def clean_subject(self) -> Any:
        return self.subjects[self.cleaned_data["subject"]]


class EntryForm(forms.Form):
    """The answers from one parent: for a paper form its number; for answers read out, who she is and that she
    agreed; then the six statements, what to keep and change, and the service's own questions."""

    paper_ref = text_field(
        _("Form number"),
        PAPER_REF_MAX,
        help_text=_("From the box “Form number (office use)”, for example B-017. Write one on a form with none."),
        required_message=_("Enter the form number, so the same form is not counted twice."),
    )
    member = forms.TypedChoiceField(
        label=_("Which parent?"),
        help_text=_("Parents who have turned off keyworkers recording their views with them are not listed."),
        coerce=int,
        error_messages={
            "required": _("Choose the parent whose answers these are."),
            "invalid_choice": _("Choose the parent whose answers these are."),
        },
    )
    member_agreed = forms.BooleanField(
        label=_("She agreed to give her answers this way"),
        error_messages={"required": _("Tick to say she agreed to give her answers this way, or do not enter them.")},
    )

    def __init__(
        self,
        *args: Any,
        mode: str,
        questions: Iterable[Question] = (),
        members: Iterable[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mode = mode
        if mode == Answer.Mode.PAPER:
            del self.fields["member"]
            del self.fields["member_agreed"]
        else:
            del self.fields["paper_ref"]
            cast(forms.ChoiceField, self.fields["member"]).choices = [
                ("", _("Choose a parent")),
                *((m.pk, m.user.name) for m in members),
            ]
        for statement in STATEMENTS:
            self.fields[statement.key] = _scale_field(statement.text)
        self.fields["keep"] = text_field(_("What should they keep doing?"), TEXT_MAX, required=False, rows=3)
        self.fields["change"] = text_field(_("What should they change?"), TEXT_MAX, required=False, rows=3)
        self.questions = list(questions)
        for question in self.questions:
            name = question_field_name(question)
            if question.kind == Question.Kind.SCALE:
                self.fields[name] = _scale_field(question.text)
            else:
                self.fields[name] = text_field(question.text, TEXT_MAX, required=False, rows=3)

    @property
    def statement_fields(self) -> list[Any]:
        return [self[s.key] for s in STATEMENTS]

    @property
    def question_fields(self) -> list[Any]:
        return [self[question_field_name(q)] for q in self.questions]

    def scores(self) -> dict[str, int | None]:
        return {s.key: _score(self.cleaned_data.get(s.key)) for s in STATEMENTS}

    def question_answers(self) -> dict[int, int | str | None]:
        found: dict[int, int | str | None] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question_field_name(question))
            found[question.pk] = _score(value) if question.kind == Question.Kind.SCALE else (value or "")
        return found


def _score(value: Any) -> int | None:
    return int(value) if value not in (None, RATHER_NOT_SAY) else None
