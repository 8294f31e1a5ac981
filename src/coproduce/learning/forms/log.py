"""The learning log's forms: explicit fields. The services check everything again; the forms give the same
plain-English messages early, next to the field, and keep what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.form_fields import text_field
from coproduce.learning.models import LOG_TEXT_MAX, LOG_TITLE_MAX, EventKind
from coproduce.learning.services.log import LogFields

FILTER_FIELD = "learning/log/_filter_field.html"
MARKDOWN_HELP = _("For bold, put two stars on each side: **like this**. For a list, start each line with a dash.")


def _ticks(label: Any, help_text: Any) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label,
        help_text=help_text,
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the list.")},
    )


class LogEntryForm(forms.Form):
    title = text_field(_("Title"), LOG_TITLE_MAX, required_message=_("Give the entry a title."))
    event = forms.TypedChoiceField(label=_("The session it comes from"), required=False, coerce=int, empty_value=None)
    what_we_tried = text_field(
        _("What we tried"), LOG_TEXT_MAX, required_message=_("Say what you tried."), rows=4, help_text=MARKDOWN_HELP
    )
    what_we_learned = text_field(
        _("What we learned"), LOG_TEXT_MAX, required_message=_("Say what you learned."), rows=4
    )
    what_next = text_field(
        _("What we will do next"), LOG_TEXT_MAX, required_message=_("Say what you will do next."), rows=3
    )
    co_authors = _ticks(_("Co-authors"), _("People who took part and write this with you."))
    named_parents = _ticks(
        _("Parents named in it"),
        _("Each parent you name is asked to agree. It is published only when every one of them agrees."),
    )
    ideas = _ticks(_("Ideas it touches"), "")
    tests = _ticks(_("Tests of change it touches"), "")
    decision = forms.TypedChoiceField(label=_("A decision it touches"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, choices: dict[str, list[tuple[int, str]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", _("None")), *choices["events"]]  # type: ignore[attr-defined]
        self.fields["decision"].choices = [("", _("None")), *choices["decisions"]]  # type: ignore[attr-defined]
        for name in ("co_authors", "named_parents", "ideas", "tests"):
            self.fields[name].choices = choices[name]  # type: ignore[attr-defined]
        for name in ("ideas", "tests"):
            if not choices[name]:
                del self.fields[name]
        if not choices["decisions"]:
            del self.fields["decision"]

    def fields_for_service(self) -> LogFields:
        data = self.cleaned_data
        return LogFields(
            title=data["title"],
            what_we_tried=data["what_we_tried"],
            what_we_learned=data["what_we_learned"],
            what_next=data["what_next"],
            event_id=data.get("event"),
            co_author_ids=list(data.get("co_authors") or []),
            named_parent_ids=list(data.get("named_parents") or []),
            idea_ids=list(data.get("ideas") or []),
            test_ids=list(data.get("tests") or []),
            decision_id=data.get("decision"),
        )


class SearchInput(forms.TextInput):
    input_type = "search"


class LogSearchForm(forms.Form):
    q = forms.CharField(label=_("Words to look for"), required=False, max_length=100, widget=SearchInput)
    kind = forms.ChoiceField(label=_("Kind of session"), required=False)
    year = forms.ChoiceField(label=_("Year"), required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "search_%s")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = FILTER_FIELD  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("Any kind")), *EventKind.choices]  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", _("Any year")), *[(str(y), str(y)) for y in years]]  # type: ignore[attr-defined]


class ConsentForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("agree", _("I agree: it can be published to the partnership")), ("no", _("No, not like this"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you agree.")},
    )
    named_outside = forms.BooleanField(
        label=_("My name may appear on the case study shared outside the partnership"),
        required=False,
        help_text=_("Leave this unticked and the case study does not name you."),
    )
