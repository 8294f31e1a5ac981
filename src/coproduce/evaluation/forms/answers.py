"""The member's answer form: the six statements, each a fieldset of radios on the five-point scale with "I'd
rather not say" first and chosen, the two free-text questions, and the coordinator's live questions. Every
question may be left alone (so it takes under a minute), but at least one must be answered."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.form_fields import text_field
from coproduce.evaluation.instrument import SCALE, STATEMENTS
from coproduce.evaluation.models import TEXT_MAX, Question

RATHER_NOT_SAY = ("", _("I'd rather not say"))
CHOICES = [RATHER_NOT_SAY, *((str(value), label) for value, label in SCALE)]
FREE_TEXT_ROWS = 3
NOTHING_ANSWERED = _("Choose an answer to at least one statement, or write something in one of the boxes.")


def _scale_field(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        initial="",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the answers.")},
    )


def question_field_name(question: Question) -> str:
    return f"question_{question.pk}"


class AnswerForm(forms.Form):
    """``questions`` are the subject's live questions, asked after the six in their order."""

    keep = text_field(_("What should they keep doing?"), TEXT_MAX, required=False, rows=FREE_TEXT_ROWS)
    change = text_field(_("What should they change?"), TEXT_MAX, required=False, rows=FREE_TEXT_ROWS)

    def __init__(self, *args: Any, questions: Iterable[Question] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        fields: dict[str, forms.Field] = {s.key: _scale_field(s.text) for s in STATEMENTS}
        fields["keep"] = self.fields["keep"]
        fields["change"] = self.fields["change"]
        for question in self.questions:
            if question.kind == Question.Kind.SCALE:
                fields[question_field_name(question)] = _scale_field(question.text)
            else:
                fields[question_field_name(question)] = text_field(
                    question.text, TEXT_MAX, required=False, rows=FREE_TEXT_ROWS
                )
        self.fields = fields  # type: ignore[assignment]

    def statement_fields(self) -> list[forms.BoundField]:
        return [self[s.key] for s in STATEMENTS]

    def question_fields(self) -> list[forms.BoundField]:
        return [self[question_field_name(q)] for q in self.questions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.fields:
            if isinstance(data.get(name), str):
                data[name] = data[name].strip()
        if not any(value not in (None, "") for value in data.values()):
            raise forms.ValidationError(NOTHING_ANSWERED, code="nothing_answered")
        return data

    def scores(self) -> dict[str, int | None]:
        return {s.key: self.cleaned_data.get(s.key) for s in STATEMENTS}

    def question_answers(self) -> dict[int, int | str | None]:
        answers: dict[int, int | str | None] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question_field_name(question))
            answers[question.pk] = None if value == "" else value
        return answers

    def free_texts(self) -> list[str]:
        """Everything she wrote in her own words (for telling her kindly that a coordinator checks it first)."""
        texts = [self.cleaned_data.get("keep", ""), self.cleaned_data.get("change", "")]
        texts += [v for v in self.question_answers().values() if isinstance(v, str)]
        return [t for t in texts if t]
