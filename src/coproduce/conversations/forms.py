"""Forms for the conversation pages: explicit fields only. The services check everything again; the
forms give the same plain-English messages early, next to the field, and keep what the person typed."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from coproduce.conversations.models import DESCRIPTION_MAX, STATEMENT_MAX, TOPIC_MAX, Conversation, Statement
from coproduce.partnerships.assisted import RecordWithForm

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _date_field(label: Any, help_text: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Enter a real date, like 31/12/2026.")},
    )


def start_of(day: date | None) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time(0, 0))) if day else None


def end_of(day: date | None) -> datetime | None:
    """A conversation closes at the end of its last day, in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59))) if day else None


def day_of(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


class ConversationForm(forms.Form):
    topic = forms.CharField(
        label=_("Topic"),
        help_text=_("The question people are talking about, for example: What would make job fairs work for parents?"),
        max_length=TOPIC_MAX,
        error_messages={
            "required": _("Enter the topic of the conversation."),
            "max_length": _("The topic must be %(limit_value)d characters or fewer."),
        },
    )
    description = forms.CharField(
        label=_("More about it"),
        help_text=_("What the partnership will do with the results. To make a list, start each line with a dash (-)."),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("The description must be %(limit_value)d characters or fewer.")},
    )
    seeds = forms.CharField(
        label=_("Statements to start with"),
        # Filled in when the page is drawn, in the reader's language (a lazy text formatted here would not be).
        help_text=lazy(
            lambda: (
                _(
                    "One statement a line, each %(max)d characters or fewer. "
                    "People vote agree, disagree or pass on each."
                )
                % {"max": STATEMENT_MAX}
            ),
            str,
        )(),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    participants_may_add = forms.BooleanField(
        label=_("People taking part may add their own statements"), required=False, initial=True
    )
    moderation = forms.ChoiceField(
        label=_("When are new statements checked?"),
        choices=Conversation.Moderation.choices,
        widget=forms.RadioSelect,
        initial=Conversation.Moderation.AFTER,
        error_messages={
            "required": _("Choose when new statements are checked."),
            "invalid_choice": _("Choose when new statements are checked."),
        },
    )
    opens_on = _date_field(_("Opens on"), _("Leave it empty to open it now."))
    closes_on = _date_field(_("Last day for votes"), _("Leave it empty to keep it open until you close it."))

    def __init__(self, *args: Any, with_seeds: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_seeds:
            del self.fields["seeds"]


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        help_text=lazy(
            lambda: (
                _(
                    "One short point others can agree or disagree with, %(max)d characters or fewer. "
                    "For example: Job fairs should start after the school drop-off."
                )
                % {"max": STATEMENT_MAX}
            ),
            str,
        )(),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write the statement."),
            "max_length": _("A statement must be %(limit_value)d characters or fewer (this one has %(show_value)d)."),
        },
    )


class SeedFromIdeaForm(forms.Form):
    idea = forms.TypedChoiceField(
        label=_("Idea"),
        coerce=int,
        error_messages={"required": _("Choose an idea."), "invalid_choice": _("Choose an idea from the list.")},
    )
    text = forms.CharField(
        label=_("The statement"),
        help_text=_("The idea put as one short statement people can agree or disagree with."),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write the statement."),
            "max_length": _("A statement must be %(limit_value)d characters or fewer (this one has %(show_value)d)."),
        },
    )

    def __init__(self, *args: Any, ideas: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "idea_%s")
        super().__init__(*args, **kwargs)
        self.fields["idea"].choices = [("", _("Choose an idea")), *((idea.pk, idea.title) for idea in ideas)]  # type: ignore[attr-defined]


class ModerateForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("take_out", _("Take out"))],
        error_messages={
            "required": _("Choose publish or take out."),
            "invalid_choice": _("Choose publish or take out."),
        },
    )
    reason = forms.CharField(
        label=_("Reason (shown to its author)"),
        max_length=500,
        required=False,
        error_messages={"max_length": _("The reason must be %(limit_value)d characters or fewer.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): cleans each and gives a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data] if data else single(None, initial)
        return [single(data, initial)]


class ImportForm(forms.Form):
    topic = forms.CharField(
        label=_("Topic"),
        help_text=_("Leave it empty to use the topic in the export's summary.csv, if it has one."),
        max_length=TOPIC_MAX,
        required=False,
        error_messages={"max_length": _("The topic must be %(limit_value)d characters or fewer.")},
    )
    upload = MultipleFileField(
        label=_("Pol.is export files"),
        help_text=_(
            "Choose comments.csv and votes.csv (or participants-votes.csv) from a Pol.is export, "
            "or one .zip file of the export folder. At most 20 MB."
        ),
        error_messages={
            "required": _("Choose the export's files."),
            "invalid": _("Choose the export's files."),
            "empty": _("One of the files is empty."),
        },
    )

    def clean_upload(self) -> list[Any]:
        files = self.cleaned_data["upload"]
        if not files:
            raise forms.ValidationError(_("Choose the export's files."))
        if sum(f.size for f in files) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The files are larger than 20 MB together."))
        for upload in files:
            if not upload.name.lower().endswith((".csv", ".zip")):
                raise forms.ValidationError(_("“%(name)s” is not a .csv or .zip file.") % {"name": upload.name})
        return list(files)


class VotesRecordWithForm(RecordWithForm):
    """A keyworker goes through the statements with a member (partnerships/assisted.py): who, her answer to
    each statement she gave one, and that she agreed. One field per published statement, ``statement_<id>``."""

    def __init__(self, *args: Any, statements: list[Statement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreed = self.fields.pop("agreed")
        self.statement_fields: dict[int, str] = {}
        for statement in statements:
            name = f"statement_{statement.pk}"
            self.fields[name] = forms.ChoiceField(
                label=statement.text,
                choices=[
                    ("", _("Not asked or no answer")),
                    ("agree", _("Agree")),
                    ("disagree", _("Disagree")),
                    ("pass", _("Pass / unsure")),
                ],
                widget=forms.RadioSelect,
                required=False,
                initial="",
                error_messages={"invalid_choice": _("Choose agree, disagree or pass.")},
            )
            self.statement_fields[statement.pk] = name
        self.fields["agreed"] = agreed

    def votes(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name) or "" for pk, name in self.statement_fields.items()}
