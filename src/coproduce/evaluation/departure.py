"""What leaving and erasure do to evaluation (registered in ``apps.py``; see ``partnerships.personal_data``).

Leaving: her answers still count in every figure but are no one's (``user`` emptied, so she can no longer see
or withdraw them). Of her free text, only what a coordinator already showed the service is kept, and only as it
was shown (her own words are replaced by the shown text); free text not yet checked, or kept back, is deleted,
since nobody outside the coordinators read it and she can no longer withdraw it. Her panel comments and health
check replies stay (the services responded to them; the check's figures stay whole), no longer linked to her.
Her offers and her place on the parents' panel are deleted.

Erasure: her answers (with their free text and answers to the coordinators' questions), her panel comments and
her health check replies are deleted: they leave every figure. Her offers and her panel place too.

Either way, where she acted as staff (a question added, free text checked, a response written, an answer
entered for someone, a health check opened) the record stays without her name."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from coproduce.evaluation.models import (
    Answer,
    HealthCheck,
    HealthReply,
    Offer,
    PanelComment,
    PanelMember,
    Question,
    Remark,
    Response,
)
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, Disposal, Fate


def _answers(m: Membership) -> QuerySet[Answer]:
    return Answer.objects.filter(partnership_id=m.partnership_id, user_id=m.user_id)


def _remarks(m: Membership) -> QuerySet[Remark]:
    return Remark.objects.filter(answer__partnership_id=m.partnership_id, answer__user_id=m.user_id)


def _offers(m: Membership) -> QuerySet[Offer]:
    return Offer.objects.filter(partnership_id=m.partnership_id, user_id=m.user_id)


def _panel(m: Membership) -> QuerySet[PanelMember]:
    return PanelMember.objects.filter(partnership_id=m.partnership_id, user_id=m.user_id)


def _comments(m: Membership) -> QuerySet[PanelComment]:
    return PanelComment.objects.filter(review__subject__partnership_id=m.partnership_id, user_id=m.user_id)


def _replies(m: Membership) -> QuerySet[HealthReply]:
    return HealthReply.objects.filter(health_check__partnership_id=m.partnership_id, user_id=m.user_id)


def _common_lines(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("The services you were asked to tell us about"),
            Fate.DELETE,
            _("They are deleted."),
            _offers(m).count(),
        ),
        Disposal(_("Your place on the parents' panel"), Fate.DELETE, _("It is deleted."), _panel(m).count()),
    ]


def _leaving(m: Membership) -> list[Disposal]:
    shown = _remarks(m).filter(status=Remark.Status.SHOWN).count()
    return [
        Disposal(
            _("Your answers about services"),
            Fate.ANONYMISE,
            _("They still count in the results, but no longer say they were yours: you cannot withdraw them later."),
            _answers(m).count(),
        ),
        Disposal(
            _("What you wrote that the service was shown"),
            Fate.ANONYMISE,
            _("Only the checked version the service read is kept, not linked to you."),
            shown,
        ),
        Disposal(
            _("What you wrote that was not yet checked, or was kept back"),
            Fate.DELETE,
            _("It is deleted."),
            _remarks(m).count() - shown,
        ),
        Disposal(
            _("Your comments as a member of the parents' panel, and your health check answers"),
            Fate.ANONYMISE,
            _("They stay (services responded to them; the check's figures stay whole), no longer linked to you."),
            _comments(m).count() + _replies(m).count(),
        ),
        *_common_lines(m),
    ]


def _erasure(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your answers about services, with everything you wrote in them"),
            Fate.DELETE,
            _("They are deleted and leave every result."),
            _answers(m).count(),
        ),
        Disposal(
            _("Your comments as a member of the parents' panel, and your health check answers"),
            Fate.DELETE,
            _("They are deleted."),
            _comments(m).count() + _replies(m).count(),
        ),
        *_common_lines(m),
    ]


def _unlink_staff(m: Membership) -> None:
    """Where she acted as staff, the record stays without her."""
    user_id, partnership_id = m.user_id, m.partnership_id
    Answer.objects.filter(partnership_id=partnership_id, entered_by_id=user_id).update(entered_by=None)
    Question.objects.filter(subject__partnership_id=partnership_id, created_by_id=user_id).update(created_by=None)
    Remark.objects.filter(answer__partnership_id=partnership_id, moderated_by_id=user_id).update(moderated_by=None)
    Response.objects.filter(review__subject__partnership_id=partnership_id, written_by_id=user_id).update(
        written_by=None
    )
    HealthCheck.objects.filter(partnership_id=partnership_id, created_by_id=user_id).update(created_by=None)


def _leave(m: Membership) -> None:
    _remarks(m).exclude(status=Remark.Status.SHOWN).delete()
    _remarks(m).filter(status=Remark.Status.SHOWN).update(text=F("shown_text"))
    _answers(m).update(user=None)
    _comments(m).update(user=None)
    _replies(m).update(user=None)
    _offers(m).delete()
    _panel(m).delete()
    _unlink_staff(m)


def _erase(m: Membership) -> None:
    _answers(m).delete()  # with their remarks and answers to the coordinators' questions
    _comments(m).delete()
    _replies(m).delete()  # with their ratings
    _offers(m).delete()
    _panel(m).delete()
    _unlink_staff(m)


DEPARTURE = Departure(key="evaluation", erasure=_erasure, erase=_erase, leaving=_leaving, leave=_leave, order=80)
