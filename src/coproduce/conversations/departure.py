"""What leaving and erasure do to conversations (registered in ``apps.py``; see ``partnerships.personal_data``
and ADR 24). Votes are already anonymous on every page; leaving and erasure cut the last link, the
participant's account, so the votes still count in the opinion map but are no one's. Statements stay (others
voted on them) without their author; erasure also replaces their words."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from coproduce.conversations.models import Participant, Statement, Vote
from coproduce.core.audit import audit_forget
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, Disposal, Fate

REMOVED = "Removed at the person's request"


def _participants(m: Membership) -> QuerySet[Participant]:
    return Participant.objects.filter(conversation__partnership_id=m.partnership_id, user_id=m.user_id)


def _statements(m: Membership) -> QuerySet[Statement]:
    return Statement.objects.filter(conversation__partnership_id=m.partnership_id, author_id=m.user_id)


def _votes_line(m: Membership) -> Disposal:
    return Disposal(
        _("Your votes in conversations"),
        Fate.ANONYMISE,
        _("They still count in the opinion map, but nothing links them to you any more."),
        Vote.objects.filter(participant__in=_participants(m)).count(),
    )


def leaving(m: Membership) -> list[Disposal]:
    return [
        _votes_line(m),
        Disposal(
            _("Statements you wrote"),
            Fate.ANONYMISE,
            _("They stay, because other people voted on them, with no author."),
            _statements(m).count(),
        ),
    ]


def leave(m: Membership) -> None:
    _statements(m).update(author=None)
    _participants(m).update(user=None)


def erasure(m: Membership) -> list[Disposal]:
    return [
        _votes_line(m),
        Disposal(
            _("The words of statements you wrote"),
            Fate.ANONYMISE,
            _("They become “Removed at the person's request”; the votes on them still count."),
            _statements(m).count(),
        ),
    ]


def erase(m: Membership) -> None:
    statements = list(_statements(m).select_for_update().only("pk", "number"))
    for statement in statements:
        # Each keeps its number, so that the conversation's statements stay different from one another.
        text = f"{REMOVED} ({statement.number})"
        Statement.objects.filter(pk=statement.pk).update(text=text, text_key=text.lower(), author=None)
    _participants(m).update(user=None)
    audit_forget(partnership_id=m.partnership_id, objects=statements, person=m.user, action_prefix="conversations.")


DEPARTURE = Departure(key="conversations", erasure=erasure, erase=erase, leaving=leaving, leave=leave, order=50)
