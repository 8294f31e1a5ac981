"""Forms for the voice pages: explicit fields only. The services check everything again; the forms give
the same plain-English messages early, next to the field, and keep what the person typed."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.assisted import RecordWithForm
from coproduce.voice.models import BODY_MAX, COMMENT_MAX, REASON_MAX, TITLE_MAX, Challenge, Idea
from coproduce.voice.services import safe_link

# Offers the formatting without its syntax: a list is the one a parent is likely to want.
MARKDOWN_HINT = _("Write as you would in a message. To make a list, start each line with a dash (-).")


def _textarea(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        help_text=_("A few words that say what your idea is."),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Enter a title for your idea."),
            "max_length": _("The title must be %(limit_value)d characters or fewer."),
        },
    )
    body = forms.CharField(
        label=_("Your idea"),
        help_text=MARKDOWN_HINT,
        max_length=BODY_MAX,
        widget=_textarea(8),
        error_messages={
            "required": _("Describe your idea."),
            "max_length": _("Your idea must be %(limit_value)d characters or fewer."),
        },
    )
    challenge = forms.ModelChoiceField(
        label=_("Does it answer a challenge?"),
        queryset=Challenge.objects.none(),
        required=False,
        empty_label=_("No, it stands on its own"),
        error_messages={"invalid_choice": _("Choose an open challenge from the list.")},
    )
    show_name = forms.BooleanField(
        label=_("Show my name to others"),
        help_text=_(
            "Untick it if you would rather others see “a parent” or “a member of staff” instead of your name. "
            "Coordinators can still see who wrote it, so that they can look after the discussion."
        ),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, challenges: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if challenges is None:
            del self.fields["challenge"]
        else:
            self.fields["challenge"].queryset = challenges  # type: ignore[attr-defined]


class IdeaRecordWithForm(RecordWithForm):
    """A keyworker records an idea with a member (partnerships/assisted.py): who, the idea, and that she agreed."""

    title = IdeaForm.base_fields["title"]
    body = forms.CharField(
        label=_("The member's idea"),
        help_text=_("In the member's words, as far as you can. Read it back to them before you save it."),
        max_length=BODY_MAX,
        widget=_textarea(8),
        error_messages=IdeaForm.base_fields["body"].error_messages,
    )
    challenge = IdeaForm.base_fields["challenge"]
    show_name = forms.BooleanField(
        label=_("Show the member's name to others"),
        help_text=_("Untick it if the member would rather others see “a parent” instead of their name."),
        required=False,
        initial=True,
    )
    field_order = ["member", "title", "body", "challenge", "show_name", "agreed"]

    def __init__(self, *args: Any, challenges: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = challenges  # type: ignore[attr-defined]


class ChallengeForm(forms.Form):
    title = forms.CharField(
        label=_("The question"),
        help_text=_("For example: How could job fairs work for parents of toddlers?"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Enter the question."),
            "max_length": _("The question must be %(limit_value)d characters or fewer."),
        },
    )
    body = forms.CharField(
        label=_("More about it"),
        help_text=MARKDOWN_HINT,
        max_length=BODY_MAX,
        required=False,
        widget=_textarea(6),
        error_messages={"max_length": _("The description must be %(limit_value)d characters or fewer.")},
    )
    closes_at = forms.DateField(
        label=_("Last day for ideas"),
        help_text=_("Leave it empty to keep the challenge open until you close it."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Enter a real date, like 31/12/2026.")},
    )

    @staticmethod
    def closing_datetime(day: date | None) -> datetime | None:
        """A challenge closes at the end of its last day, in the site's time zone."""
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))

    @staticmethod
    def closing_date(moment: datetime | None) -> date | None:
        return timezone.localtime(moment).date() if moment is not None else None


def _comment_body(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=MARKDOWN_HINT,
        max_length=COMMENT_MAX,
        widget=_textarea(4),
        error_messages={
            "required": _("Write your comment."),
            "max_length": _("Your comment must be %(limit_value)d characters or fewer."),
        },
    )


class CommentForm(forms.Form):
    body = _comment_body(_("Add a comment"))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReplyForm(CommentForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reply_%s")
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Your reply")


class CommentEditForm(forms.Form):
    body = _comment_body(_("Your comment"))


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("What is the problem?"),
        help_text=_(
            "For example: it gives someone's personal details, it is unkind, or it is an advert. "
            "Only coordinators see this."
        ),
        max_length=REASON_MAX,
        widget=_textarea(3),
        error_messages={
            "required": _("Say why, so the coordinator knows what to look at."),
            "max_length": _("The reason must be %(limit_value)d characters or fewer."),
        },
    )


def _response_status_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Idea.Status.choices if value != Idea.Status.NEW]


class RespondForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What is happening with the idea?"),
        choices=_response_status_choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what is happening with the idea."),
            "invalid_choice": _("Choose what is happening with the idea."),
        },
    )
    text = forms.CharField(
        label=_("Response"),
        help_text=_(
            "What the partnership is doing about it, or why it is not being taken forward. Everyone in the "
            "partnership sees this, and the idea's author and followers are told."
        ),
        max_length=BODY_MAX,
        widget=_textarea(6),
        error_messages={
            "required": _("Write the response people will see."),
            "max_length": _("The response must be %(limit_value)d characters or fewer."),
        },
    )
    link_url = forms.CharField(
        label=_("Link to what it became"),
        help_text=_("A web address starting with https:// or a page on this site starting with /."),
        max_length=500,
        required=False,
        error_messages={"max_length": _("The link must be %(limit_value)d characters or fewer.")},
    )
    link_label = forms.CharField(
        label=_("Words for the link"),
        help_text=_("For example: The test of change for evening job fairs."),
        max_length=200,
        required=False,
        error_messages={"max_length": _("The words for the link must be %(limit_value)d characters or fewer.")},
    )

    def clean_link_url(self) -> str:
        # The one rule, which the service applies again (other capabilities call it without this form).
        try:
            return safe_link(self.cleaned_data["link_url"])
        except ServiceError as error:
            raise forms.ValidationError(error.message) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Idea.Status.NOT_TAKEN_FORWARD and self.has_error("text", "required"):
            self.errors["text"] = self.error_class([str(_("Give the reason it is not being taken forward."))])
        return data


MODERATION_CHOICES = [("hide", _("Hide it from everyone but its author")), ("restore", _("Show it again"))]


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What do you want to do?"),
        choices=MODERATION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether to hide it or show it again."),
            "invalid_choice": _("It was hidden or shown again since you opened this page. Look again, then decide."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The author sees this. Say which house rule it is about, in plain words."),
        max_length=REASON_MAX,
        widget=_textarea(3),
        error_messages={
            "required": _("Give a reason. The author will see it."),
            "max_length": _("The reason must be %(limit_value)d characters or fewer."),
        },
    )

    def __init__(self, *args: Any, hidden: bool, **kwargs: Any) -> None:
        """Offer only what applies: to hide what is shown, or to show again what is hidden."""
        super().__init__(*args, **kwargs)
        wanted = "restore" if hidden else "hide"
        self.fields["action"].choices = [choice for choice in MODERATION_CHOICES if choice[0] == wanted]  # type: ignore[attr-defined]
        self.initial.setdefault("action", wanted)


SORT_CHOICES = [
    ("newest", _("Newest first")),
    ("supported", _("Most supported")),
    ("active", _("Recently active")),
]


FILTER_FIELD = "voice/_partials/filter_field.html"


class SearchInput(forms.TextInput):
    input_type = "search"


class IdeaFilterForm(forms.Form):
    """The idea list's search, filters and sort (a GET form). The view reads the query string leniently
    and builds this unbound, so an odd value in a link never shows an error."""

    q = forms.CharField(label=_("Search ideas and comments"), required=False, max_length=100, widget=SearchInput)
    challenge = forms.ChoiceField(label=_("Challenge"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, challenges: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = FILTER_FIELD  # type: ignore[attr-defined]
        self.fields["challenge"].choices = [("", _("All challenges")), *((str(c.pk), c.title) for c in challenges)]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("Any status")), *Idea.Status.choices]  # type: ignore[attr-defined]
