"""Forms for the commitments board: explicit fields. The service checks everything again; the form gives the
same plain-English messages early, next to the field, and keeps what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.commitments.models import TEXT_MAX, CommitmentReview
from coproduce.core.form_fields import date_field

FILTER_FIELD = "commitments/_partials/filter_field.html"


class ReviewForm(forms.Form):
    what_happened = forms.CharField(
        label=_("What happened?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Was it done? Did it help? Say it plainly: everyone in the partnership can read it."),
        error_messages={"required": _("Say what happened.")},
    )
    verdict = forms.ChoiceField(
        label=_("What do we do now?"),
        choices=CommitmentReview.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to keep it, change it or stop it.")},
    )
    reviewed_on = date_field(_("When was it reviewed?"), required=False, help_text=_("Leave it empty for today."))
    next_review_on = date_field(
        _("When should we look at it again?"),
        required=False,
        help_text=_("The next review date. You can leave it empty."),
    )


class BoardFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of commitment"), required=False)
    overdue = forms.BooleanField(label=_("Only show overdue commitments"), required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        self.fields["kind"].template_name = FILTER_FIELD  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("All kinds")), *kinds]  # type: ignore[attr-defined]
