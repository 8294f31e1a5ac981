"""What leaving and erasure do to tests of change (registered in ``apps.py``; see ``partnerships.personal_data``
and ADR 24). A person who leaves is taken off the teams of tests of change (the membership goes, and with it
their place); their "Did this help you?" answers still count, no longer linked to them. Decisions they made or
co-signed, and tests they own, are the partnership's record and stay."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from coproduce.improvement.models import Decision, MemberCheck, TestOfChange
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, Disposal, Fate


def _checks(m: Membership) -> QuerySet[MemberCheck]:
    return MemberCheck.objects.filter(test__partnership_id=m.partnership_id, member_id=m.user_id)


def _record(m: Membership) -> int:
    return (
        TestOfChange.objects.filter(partnership_id=m.partnership_id, owner_id=m.user_id).count()
        + Decision.objects.filter(test__partnership_id=m.partnership_id)
        .filter(Q(decided_by_id=m.user_id) | Q(cosigned_by_id=m.user_id))
        .count()
    )


def _record_line(m: Membership) -> Disposal:
    return Disposal(
        _("Tests of change you own, and decisions you made or co-signed"),
        Fate.KEEP,
        _("They are the partnership's record of what it tried and decided, and who was accountable."),
        _record(m),
    )


def leaving(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your places on the teams of tests of change"),
            Fate.DELETE,
            _("You are taken off their teams."),
            TestOfChange.people.through.objects.filter(membership_id=m.pk).count(),
        ),
        Disposal(
            _("Your answers to “Did this help you?”"),
            Fate.ANONYMISE,
            _("They still count in the test's results, but no longer say they were yours."),
            _checks(m).count(),
        ),
        _record_line(m),
    ]


def leave(m: Membership) -> None:
    _checks(m).update(member=None)


def erasure(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your answers to “Did this help you?”"),
            Fate.ANONYMISE,
            _("The answers still count; anything you added in your own words is deleted."),
            _checks(m).count(),
        ),
        _record_line(m),
    ]


def erase(m: Membership) -> None:
    _checks(m).update(member=None, words="")


DEPARTURE = Departure(key="improvement", erasure=erasure, erase=erase, leaving=leaving, leave=leave, order=40)
