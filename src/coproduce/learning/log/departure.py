"""What leaving and erasure do to the learning log (registered in ``apps.py``; see
``partnerships.personal_data``). A parent named in an entry loses her place in it: her name and her answer
go (an entry still waiting for her goes back to draft, so its writers read it again). An author or co-author
erased or gone: the entry stays, the partnership's record of what it learned, written by "a former member"."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from coproduce.learning.models import LogConsent, LogEntry
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, Disposal, Fate


def _named(m: Membership) -> QuerySet[LogConsent]:
    return LogConsent.objects.filter(entry__partnership_id=m.partnership_id, user_id=m.user_id)


def _written(m: Membership) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(
        Q(author_id=m.user_id) | Q(co_authors=m.user_id), partnership_id=m.partnership_id
    ).distinct()


def _lines(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your name in learning log entries"),
            Fate.DELETE,
            _("Your name and your answer are taken out of the entries that named you."),
            _named(m).count(),
        ),
        Disposal(
            _("Learning log entries you wrote or co-wrote"),
            Fate.ANONYMISE,
            _("They stay as the partnership's record of what it learned, written by “a former member”."),
            _written(m).count(),
        ),
    ]


def _forget(m: Membership) -> None:
    consents = _named(m)
    LogEntry.objects.filter(pk__in=consents.values("entry_id"), status=LogEntry.Status.WAITING).update(
        status=LogEntry.Status.DRAFT
    )
    consents.delete()
    LogEntry.objects.filter(partnership_id=m.partnership_id, author_id=m.user_id).update(author=None)
    for entry in LogEntry.objects.filter(partnership_id=m.partnership_id, co_authors=m.user_id):
        entry.co_authors.remove(m.user_id)
        entry.former_co_authors += 1
        entry.save(update_fields=["former_co_authors"])


DEPARTURE = Departure(key="learning_log", erasure=_lines, erase=_forget, leaving=_lines, leave=_forget, order=75)
