"""Assisted participation: a keyworker records a member's voice *with* her — an idea, a vote, a ballot, an
evaluation — when she is present or on the phone and has agreed, or enters what she wrote on a paper form.

What every capability shares lives here, on the foundation (docs/assisted.md):

- ``Channel``: how a member's contribution reached the platform — by herself, recorded with her keyworker, or
  from a paper form. Each capability's row that records a member's voice carries ``channel`` (``channel_field()``,
  with ``channel_check()`` as its constraint), ``recorded_by`` (the keyworker, null when she did it herself),
  ``confirmed_at`` (null until she says "This is right") and, for paper, ``paper_ref`` (unique per partnership
  when not empty) — each in its own app's migration.
- ``assistance_check``: the one rule for recording with a member, called by every capability's service.
- The registry (``register_assisted_kind``): each capability says what it holds that was recorded with a member
  and not yet confirmed, and how she confirms it; her page ``/p/<slug>/assisted/`` lists them all.
- ``ChannelCounts`` and ``channel_counts``: results and "equal voice" count members unassisted, members assisted,
  members from paper and staff apart.
- ``assisted_notice``: the notice a capability posts (through ``notifications.api``) when it records with her.
  The foundation cannot import notifications, so each capability posts it and registers the kind
  (``NOTICE_KIND``, ``NOTICE_LABEL``: registering the same pair twice is allowed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.db import models, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.models import Membership


class Channel(models.TextChoices):
    SELF = "self", gettext_lazy("by the member")
    ASSISTED = "assisted", gettext_lazy("recorded with a keyworker")
    PAPER = "paper", gettext_lazy("from a paper form")


CHANNEL_MAX = 10


def channel_field() -> models.CharField[str, str]:
    """The field every row that records a member's voice carries, named ``channel``."""
    return models.CharField(
        gettext_lazy("how it was recorded"),
        max_length=CHANNEL_MAX,
        choices=Channel.choices,
        default=Channel.SELF,
        db_default=Channel.SELF,
    )


def channel_check(name: str, *, field: str = "channel") -> models.CheckConstraint:
    """The check constraint for a ``channel`` field; ``name`` must be unique in the database
    (``"<app>_<model>_channel_valid"``)."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": Channel.values}), name=name)


# --- The rule ---------------------------------------------------------------------------------------------------

# Who may record with a member: a worker or coordinator of her partnership (a partner lead or an observer may not).
RECORDER_ROLES = ("is_worker", "is_coordinator")


def may_record_with(recorder: Membership | None) -> bool:
    """Whether this person may record with members at all: for showing the "Record with a member" link."""
    return recorder is not None and any(getattr(recorder, flag) for flag in RECORDER_ROLES)


def assistance_check(*, recorder: Membership, member_membership: Membership, agreed: bool) -> None:
    """Refuse to record with a member unless every rule holds. Raises ``NotPermitted`` (a 404) when the recorder
    is not a worker or coordinator, or the member is not a member of the same partnership; ``ServiceError``
    (shown on the form) when it is the recorder herself, the member turned assisted participation off, or the
    "the member agreed" box is not ticked."""
    if not may_record_with(recorder):
        raise NotPermitted()
    if member_membership.partnership_id != recorder.partnership_id or not member_membership.is_member:
        raise NotPermitted()
    if member_membership.pk == recorder.pk or member_membership.user_id == recorder.user_id:
        raise ServiceError(
            _("You cannot record with yourself: take part in your own name instead."),
            field="member",
            code="assist_self",
        )
    if not member_membership.assistance_allowed:
        raise ServiceError(
            _("%(name)s has turned off keyworkers recording their views with them, so this cannot be recorded.")
            % {"name": member_membership.user.name},
            field="member",
            code="assistance_off",
        )
    if not agreed:
        raise ServiceError(
            _("Tick the box to confirm the member agreed to you recording this with them."),
            field="agreed",
            code="not_agreed",
        )


def assistable_members(recorder: Membership) -> QuerySet[Membership]:
    """The members this person may record with: members of the partnership who allow it, not herself."""
    if not may_record_with(recorder):
        return Membership.objects.none()
    return (
        Membership.objects.filter(partnership_id=recorder.partnership_id, is_member=True, assistance_allowed=True)
        .exclude(pk=recorder.pk)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )


def assisted_member_for(recorder: Membership, membership_id: int | str | None) -> Membership:
    """The member (by membership id) a recorder names, in her partnership; ``NotPermitted`` when out of reach.
    Whether she allows it is left to ``assistance_check``, which says so in words."""
    if not may_record_with(recorder):
        raise NotPermitted()
    try:
        pk = int(membership_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotPermitted() from None
    found = (
        Membership.objects.filter(pk=pk, partnership_id=recorder.partnership_id, is_member=True)
        .select_related("user", "partnership")
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    # The recorder's partnership's other members: a choice among them that is no longer offered (she turned
    # assisted participation off after the form was shown) is refused in words, not as "not in the list".
    reachable: QuerySet[Membership] | None = None

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.name)

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            if error.code != "invalid_choice" or self.reachable is None:
                raise
            try:
                found = self.reachable.filter(pk=int(value), assistance_allowed=False).first()
            except (TypeError, ValueError):
                raise error from None
            if found is None:
                raise
            raise forms.ValidationError(
                _("%(name)s has turned off keyworkers recording their views with them, so this cannot be recorded.")
                % {"name": found.user.name},
                code="assistance_off",
            ) from None


class RecordWithForm(forms.Form):
    """The two questions every "Record with a member" form starts with. A capability's form adds its own fields
    (subclass it). ``member`` offers only members who allow it; the service checks everything again."""

    member = MemberChoiceField(
        queryset=Membership.objects.none(),
        label=gettext_lazy("The member you are recording this with"),
        empty_label=gettext_lazy("Choose a member"),
        error_messages={
            "required": gettext_lazy("Choose the member you are recording this with."),
            "invalid_choice": gettext_lazy("Choose a member from the list."),
        },
    )
    agreed = forms.BooleanField(
        label=gettext_lazy("The member is with me (or on the phone) and agreed to me recording this with them"),
        required=False,
    )

    def __init__(self, *args: Any, recorder: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        member.queryset = assistable_members(recorder)  # type: ignore[attr-defined]
        if may_record_with(recorder):
            member.reachable = (  # type: ignore[attr-defined]
                Membership.objects.filter(partnership_id=recorder.partnership_id, is_member=True)
                .exclude(pk=recorder.pk)
                .select_related("user")
            )


# --- Paper forms, and the "record with a member" forms of votes and answers -----------------------------------


def paper_ref_checked(value: str | None, *, max_length: int) -> str:
    """A paper form's number as printed on it, tidied (spaces dropped, upper case); required."""
    ref = "".join((value or "").split()).upper()
    if not ref:
        raise ServiceError(_("Enter the form number printed on the paper form."), field="paper_ref", code="paper_ref")
    if len(ref) > max_length:
        raise ServiceError(
            _("A form number is at most %(n)d characters.") % {"n": max_length}, field="paper_ref", code="paper_ref"
        )
    return ref


@dataclass(frozen=True)
class RecordWithWords:
    """What a capability's form for recording with a member says in its own words ("ballot", "answer")."""

    # Each may be translated lazily (a form built at import time) or at once.
    member_required: Any  # "Choose the member whose ballot this is."
    member_not_listed: Any  # who the list leaves out, and why
    paper_example: Any  # "Printed at the top of the paper form, for example B12-0003."
    agreed_with: Any  # the tick when recorded with her: "…agreed that I record her ballot with her"


def add_record_with_fields(form: forms.Form, *, members: Any, paper: bool, words: RecordWithWords) -> forms.Form:
    """Turn a capability's own form (a ballot, an answer) into the one a worker or coordinator fills in with a
    member (``paper=False``) or from her paper form: whose it is and, for paper, the form's number go first;
    the tick that she agreed goes last."""
    first: dict[str, forms.Field] = {
        "member": MemberChoiceField(
            label=_("Member"),
            queryset=members,
            empty_label=_("Choose the member"),
            error_messages={"required": words.member_required, "invalid_choice": words.member_not_listed},
        )
    }
    if paper:
        first["paper_ref"] = forms.CharField(
            label=_("Form number"),
            help_text=words.paper_example,
            max_length=40,
            error_messages={"required": _("Enter the form number printed on the paper form.")},
        )
    last = {
        "agreed": forms.BooleanField(
            label=(
                _("This is the member's own paper form, and she agreed that it is entered for her")
                if paper
                else words.agreed_with
            ),
            required=False,
        )
    }
    form.fields = {**first, **form.fields, **last}
    return form


class PaperFormsForm(forms.Form):
    """How many blank paper forms to print, and the first form number."""

    start = forms.IntegerField(
        label=gettext_lazy("First form number"),
        min_value=1,
        max_value=9999,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": gettext_lazy("Enter a whole number from 1 to 9999.")},
    )
    copies = forms.IntegerField(
        label=gettext_lazy("How many forms"),
        min_value=1,
        max_value=200,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": gettext_lazy("Enter a whole number from 1 to 200.")},
    )

    def numbers(self, prefix: str) -> list[str]:
        """The form numbers to print: ``<prefix>-0001``, … (one form when the choice is missing or wrong)."""
        start, copies = 1, 1
        if self.is_bound and self.is_valid():
            start, copies = self.cleaned_data["start"], self.cleaned_data["copies"]
        return [f"{prefix}-{n:04d}" for n in range(start, min(start + copies, 10000))]


# --- What waits for her to confirm ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssistedItem:
    kind: str  # the AssistedKind's key
    item_id: int
    summary: str  # what was recorded, in a line: "Your idea "More evening classes""
    recorded_by_name: str
    recorded_at: datetime
    change_url: str  # the normal page, where her own answer replaces this one
    channel: str = Channel.ASSISTED


@dataclass(frozen=True)
class AssistedKind:
    key: str  # "<app>.<what>": "voice.idea"
    label: Any  # a lazily translated string: "Ideas"
    # What was recorded with this member and she has not confirmed yet, newest first.
    pending: Callable[[Membership], list[AssistedItem]]
    # She says "This is right": sets confirmed_at (NotPermitted when the item is not hers or not pending).
    confirm: Callable[..., None]
    order: int = 100


_KINDS: dict[str, AssistedKind] = {}


def register_assisted_kind(kind: AssistedKind) -> None:
    if "." not in kind.key:
        raise ValueError(f"An assisted kind is '<app>.<what>': {kind.key!r}")
    _KINDS[kind.key] = kind


def assisted_kinds() -> list[AssistedKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.key))


def assisted_kind(key: str) -> AssistedKind:
    """The kind named in a form; ``NotPermitted`` for one nobody registered."""
    try:
        return _KINDS[key]
    except KeyError:
        raise NotPermitted() from None


def assisted_pending(membership: Membership) -> list[AssistedItem]:
    """Everything recorded with this member, in every capability, waiting for her to confirm; newest first."""
    if not membership.is_member:
        return []
    items = [item for kind in assisted_kinds() for item in kind.pending(membership)]
    return sorted(items, key=lambda item: item.recorded_at, reverse=True)


def assisted_confirm(*, member: Membership, kind: str, item_id: int) -> None:
    """She says "This is right" about one item (the kind's service checks it is hers, audits and saves)."""
    if not member.is_member:
        raise NotPermitted()
    assisted_kind(kind).confirm(member=member, item_id=item_id)


def confirm_recorded(found: QuerySet[Any], *, then: Callable[[Any], object]) -> None:
    """She says "This is right" about one item recorded with her: ``found`` is narrowed to her item (none:
    ``NotPermitted``). In one transaction its row is locked, ``confirmed_at`` set and ``then(item)`` run (the
    capability's audit and notices). Confirming an item already confirmed changes nothing."""
    with transaction.atomic(durable=True):
        item = found.select_for_update().first()
        if item is None:
            raise NotPermitted()
        if item.confirmed_at is not None:
            return
        item.confirmed_at = timezone.now()
        item.save(update_fields=["confirmed_at"])
        then(item)


# --- The notice to her ------------------------------------------------------------------------------------------

NOTICE_KIND = "partnerships.assisted"
NOTICE_LABEL = gettext_lazy("Your keyworker recorded something with you")


def assisted_url(slug: str) -> str:
    return cached_reverse("partnerships:assisted", kwargs={"slug": slug})


def assisted_notice(
    *, member_membership: Membership, recorder: Membership, what: str, subject_key: str
) -> dict[str, Any]:
    """The arguments for ``notifications.api.notify`` telling her what was recorded with her. A capability
    registers ``NoticeKind(NOTICE_KIND, NOTICE_LABEL)`` in its ready() and calls
    ``notify(**assisted_notice(...))`` in its service's transaction. ``what`` is a short phrase ("an idea")."""
    text = _("%(name)s recorded %(what)s with you. Check it is right, or change it.") % {
        "name": recorder.user.name,
        "what": what,
    }
    return {
        "partnership_id": member_membership.partnership_id,
        "user_ids": [member_membership.user_id],
        "kind": NOTICE_KIND,
        "text": text,
        "url": assisted_url(member_membership.partnership.slug),
        "subject_key": subject_key,
    }


# --- Counting apart ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelCounts:
    """Contributions (or people) counted apart: members by themselves, members with a keyworker, members from
    paper, and staff. Results show paper with assisted ("members with help") unless a page says otherwise."""

    members_self: int = 0
    members_assisted: int = 0
    members_paper: int = 0
    staff: int = 0

    @property
    def members(self) -> int:
        return self.members_self + self.members_assisted + self.members_paper

    @property
    def members_helped(self) -> int:
        """Members assisted, counting paper forms with them."""
        return self.members_assisted + self.members_paper

    @property
    def total(self) -> int:
        return self.members + self.staff

    def __add__(self, other: ChannelCounts) -> ChannelCounts:
        return ChannelCounts(
            self.members_self + other.members_self,
            self.members_assisted + other.members_assisted,
            self.members_paper + other.members_paper,
            self.staff + other.staff,
        )

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, bool]]) -> ChannelCounts:
        """Count ``(channel, from_staff)`` pairs in Python (for figures already read)."""
        counts = {"self": 0, "assisted": 0, "paper": 0, "staff": 0}
        for channel, from_staff in pairs:
            counts["staff" if from_staff else channel if channel in counts else "self"] += 1
        return cls(counts["self"], counts["assisted"], counts["paper"], counts["staff"])


def channel_counts(
    queryset: QuerySet[Any],
    *,
    staff: Q,
    member: Q | None = None,
    channel_field: str = "channel",
    count: str = "pk",
) -> ChannelCounts:
    """Count the rows of ``queryset`` apart, in one query. ``staff`` says which rows came from staff;
    ``member`` which came from members (everything else by default). ``count`` counts distinct values of a
    field (a voter's id to count people rather than votes). A staff row is counted as staff whatever its
    channel."""
    member = member if member is not None else ~staff
    distinct = count != "pk"

    def of(condition: Q) -> Count:
        return Count(count, filter=condition, distinct=distinct)

    figures = queryset.aggregate(
        members_self=of(member & Q(**{channel_field: Channel.SELF})),
        members_assisted=of(member & Q(**{channel_field: Channel.ASSISTED})),
        members_paper=of(member & Q(**{channel_field: Channel.PAPER})),
        staff=of(staff),
    )
    return ChannelCounts(**{key: int(value or 0) for key, value in figures.items()})
