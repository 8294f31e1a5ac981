"""The coordinators' forms: a question of the partnership's own about one service, and the text of a parent's
comment as the service will see it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.form_fields import text_field
from coproduce.evaluation.models import QUESTION_MAX, TEXT_MAX, Question


class QuestionForm(forms.Form):
    text = text_field(
        _("The question"),
        QUESTION_MAX,
        required_message=_("Enter the question."),
        help_text=_("Asked after the six statements every service has. Keep it short and about the service."),
    )
    kind = forms.ChoiceField(
        label=_("How it is answered"),
        choices=Question.Kind.choices,
        initial=Question.Kind.SCALE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the question is answered.")},
    )
    # Shown only once the question was found to look as if it asks who someone is or about their health.
    override_warning = forms.BooleanField(required=False)

    def __init__(self, *args: Any, warnings: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.warnings = warnings or []
        if self.warnings:
            self.fields["override_warning"].label = _(
                "I have checked: this question does not ask for a name, an address, a date of birth or about "
                "anyone's health"
            )
        else:
            del self.fields["override_warning"]


class RemarkShowForm(forms.Form):
    shown_text = text_field(
        _("The text the service will see"),
        TEXT_MAX,
        rows=5,
        required_message=_("Enter the text the service will see, or choose not to show it."),
        help_text=_("Take out names, places and anything else that could tell the service who wrote it."),
    )
