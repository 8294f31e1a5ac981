"""What leaving and erasure do to learning together (registered in ``apps.py``; see ``partnerships.personal_data``
and ADR 24), in three departures whose keys match the My data exports: ``learning``, ``learning_pay`` and
``learning_log``. ``DEPARTURES`` lists them for ``apps.py``.

Events: places at events still to come are given up (the first on each waiting list gets the place and is told),
and what she said would help her come is deleted. Past registrations and attendance still count (how many came,
the hours of learning time of her organisation or of "Parents"), no longer linked to her.

Calendars and paid time: a person's claims are money records — public money paid to her — so leaving keeps them
as they are (a claim still waiting can still be paid) and erasure keeps the amounts without her (the fund's
ledger never named her). Her private calendar link is deleted either way.

The learning log: a parent named in an entry loses her place in it: her name and her answer go (an entry still
waiting for her goes back to draft, so its writers read it again). An author or co-author erased or gone: the
entry stays, the partnership's record of what it learned, written by "a former member"."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_forget
from coproduce.learning.models import (
    Attendance,
    CalendarFeed,
    Claim,
    Event,
    LogConsent,
    LogEntry,
    Registration,
    RegistrationNeeds,
)
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, Disposal, Fate

# --- Events ----------------------------------------------------------------------------------------------


def _registrations(m: Membership) -> QuerySet[Registration]:
    return Registration.objects.filter(user_id=m.user_id, event__partnership_id=m.partnership_id)


def _upcoming(m: Membership) -> QuerySet[Registration]:
    return _registrations(m).filter(event__starts_at__gt=timezone.now()).exclude(status=Registration.Status.CANCELLED)


def _needs(m: Membership) -> QuerySet[RegistrationNeeds]:
    return RegistrationNeeds.objects.filter(
        registration__user_id=m.user_id, registration__event__partnership_id=m.partnership_id
    )


def _attendance(m: Membership) -> QuerySet[Attendance]:
    return Attendance.objects.filter(user_id=m.user_id, event__partnership_id=m.partnership_id)


def _lines(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your places at events still to come, and on waiting lists"),
            Fate.DELETE,
            _("They are given up, so the next person on the waiting list gets the place."),
            _upcoming(m).count(),
        ),
        Disposal(
            _("What you said would help you come (childcare, travel, access, interpreter, food)"),
            Fate.DELETE,
            _("It is deleted."),
            _needs(m).count(),
        ),
        Disposal(
            _("Your past registrations and the sessions you were marked at"),
            Fate.ANONYMISE,
            _(
                "They still count in how many people came and in the hours of learning time, but no longer say they "
                "were yours."
            ),
            _registrations(m).count() - _upcoming(m).count() + _attendance(m).count(),
        ),
    ]


def _go(m: Membership) -> None:
    from coproduce.learning.services import places_fill

    now = timezone.now()
    _needs(m).delete()
    upcoming = list(_upcoming(m).values_list("pk", "event_id", "status"))
    for event in Event.objects.select_for_update().filter(pk__in={event_id for _pk, event_id, _s in upcoming}):
        Registration.objects.filter(pk__in=[pk for pk, event_id, _s in upcoming if event_id == event.pk]).update(
            status=Registration.Status.CANCELLED, cancelled_at=now
        )
        if not event.is_cancelled:
            places_fill(event, now=now)
    _registrations(m).update(user=None)
    _attendance(m).update(user=None)


DEPARTURE = Departure(key="learning", erasure=_lines, erase=_go, leaving=_lines, leave=_go, order=45)


# --- Calendars and paid time -----------------------------------------------------------------------------


def _claims(m: Membership) -> QuerySet[Claim]:
    return Claim.objects.filter(partnership_id=m.partnership_id, user_id=m.user_id)


def _feeds(m: Membership) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(partnership_id=m.partnership_id, user_id=m.user_id)


def _pay_feed_line(m: Membership) -> Disposal:
    return Disposal(_("Your private calendar link"), Fate.DELETE, _("It stops working at once."), _feeds(m).count())


def _pay_leaving(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your claims for paid time and expenses"),
            Fate.KEEP,
            _("Money records: the partnership must account for public money. A claim still waiting can still be paid."),
            _claims(m).count(),
        ),
        _pay_feed_line(m),
    ]


def _pay_leave(m: Membership) -> None:
    _feeds(m).delete()


def _pay_erasure(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your claims for paid time and expenses"),
            Fate.ANONYMISE,
            _("The amounts stay in the fund's accounts, which never named you; nothing links them to you any more."),
            _claims(m).count(),
        ),
        _pay_feed_line(m),
    ]


def _pay_erase(m: Membership) -> None:
    claims = list(_claims(m).select_for_update())
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(user=None, receipt_reference="")
    _feeds(m).delete()
    audit_forget(partnership_id=m.partnership_id, objects=claims, person=m.user, action_prefix="learning.claim")


PAY_DEPARTURE = Departure(
    key="learning_pay", erasure=_pay_erasure, erase=_pay_erase, leaving=_pay_leaving, leave=_pay_leave, order=71
)


# --- The learning log ------------------------------------------------------------------------------------


def _named(m: Membership) -> QuerySet[LogConsent]:
    return LogConsent.objects.filter(entry__partnership_id=m.partnership_id, user_id=m.user_id)


def _written(m: Membership) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(
        Q(author_id=m.user_id) | Q(co_authors=m.user_id), partnership_id=m.partnership_id
    ).distinct()


def _log_lines(m: Membership) -> list[Disposal]:
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


def _log_forget(m: Membership) -> None:
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


LOG_DEPARTURE = Departure(
    key="learning_log", erasure=_log_lines, erase=_log_forget, leaving=_log_lines, leave=_log_forget, order=75
)


DEPARTURES = (DEPARTURE, PAY_DEPARTURE, LOG_DEPARTURE)
