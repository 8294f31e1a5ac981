"""What leaving and erasure do to decisions (registered in ``apps.py``; see ``partnerships.personal_data``).

An answer always still counts: erasure takes the person off it and deletes any reason she wrote; leaving
takes the person off it too (her reasons stay, as part of the discussion). Comments lose their author.
Proposals she raised and outcomes she owns are the partnership's record and stay, no longer naming her on
erasure."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_forget
from coproduce.decisions.models import Decision, DecisionComment, Outcome, Participation
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, Disposal, Fate


def _answers(m: Membership) -> QuerySet[Participation]:
    return Participation.objects.filter(decision__partnership_id=m.partnership_id, user_id=m.user_id)


def _comments(m: Membership) -> QuerySet[DecisionComment]:
    return DecisionComment.objects.filter(decision__partnership_id=m.partnership_id, author_id=m.user_id)


def _proposals(m: Membership) -> QuerySet[Decision]:
    return Decision.objects.filter(partnership_id=m.partnership_id, proposer_id=m.user_id)


def _outcomes(m: Membership) -> QuerySet[Outcome]:
    return Outcome.objects.filter(decision__partnership_id=m.partnership_id, owner_id=m.pk)


def _record_line(m: Membership, why: str) -> Disposal:
    return Disposal(
        _("Proposals you raised and decision outcomes you own"),
        Fate.KEEP,
        why,
        _proposals(m).count() + _outcomes(m).count(),
    )


def leaving(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your answers to decisions"),
            Fate.ANONYMISE,
            _("They still count, but no longer say they were yours."),
            _answers(m).count(),
        ),
        Disposal(
            _("Your comments on decisions"),
            Fate.ANONYMISE,
            _("They stay in the discussion so that replies make sense, without your name."),
            _comments(m).count(),
        ),
        _record_line(m, _("They are the partnership's record of what it decided.")),
    ]


def leave(m: Membership) -> None:
    _answers(m).update(user=None)
    _comments(m).update(author=None)


def erasure(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your answers to decisions"),
            Fate.ANONYMISE,
            _("They still count, no longer tied to you; any reason you gave is deleted."),
            _answers(m).count(),
        ),
        Disposal(
            _("Your comments on decisions"),
            Fate.ANONYMISE,
            _("They stay in the discussion so that replies make sense, without your name."),
            _comments(m).count(),
        ),
        _record_line(m, _("They are the partnership's record of what it decided; your name is taken off them.")),
    ]


def erase(m: Membership) -> None:
    answers = _answers(m)
    answers.exclude(reason="").update(reason="", reason_erased=True)
    answers.update(user=None)
    _comments(m).update(author=None)
    _proposals(m).update(proposer=None, proposer_name="")
    _outcomes(m).update(owner=None, owner_name="")
    # The events of her answers (which, for a named decision, say how she answered) no longer name her.
    audit_forget(partnership_id=m.partnership_id, objects=[], person=m.user, action_prefix="decisions.answered")


DEPARTURE = Departure(key="decisions", erasure=erasure, erase=erase, leaving=leaving, leave=leave, order=45)
