"""Forms for the parents' panel: a comment on a review, and the service's response (text, and optionally what
it will do and by when)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.form_fields import date_field, text_field
from coproduce.evaluation.models import SHORT_MAX, TEXT_MAX


class PanelCommentForm(forms.Form):
    text = text_field(
        _("Your comment"),
        TEXT_MAX,
        rows=5,
        required_message=_("Write your comment."),
        help_text=_(
            "What stands out to you in these results, and what you would like the service to think about. "
            "The service sees it without your name."
        ),
    )


class ResponseForm(forms.Form):
    text = text_field(
        _("What the service says"),
        TEXT_MAX,
        rows=6,
        required_message=_("Say what the service makes of these results."),
        help_text=_("What you take from these results and the panel's comments. Parents in the partnership read it."),
    )
    promise = text_field(
        _("What the service will do (optional)"),
        SHORT_MAX,
        required=False,
        help_text=_("One thing you will change, in a line. It goes on the commitments board."),
    )
    promise_due = date_field(
        _("By when (optional)"),
        required=False,
        help_text=_("Needed if you say what you will do. For example, 31/12/2026."),
    )
