"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file): evaluation, the
member's pages.

In the world below the member was offered two services: she answered about the first (so it is in her answers
to withdraw, and its form tells her she answered this month) and not yet about the second."""

from __future__ import annotations

from typing import Any

from tests.test_url_access import PARTNERSHIP_PAGE, only

MEMBERS = only("member")

ROWS: dict[str, dict[str, int]] = {
    # Everyone in the partnership: a hub showing what each may do.
    "evaluation:index": PARTNERSHIP_PAGE,
    # Members answer (whether she used the service is the form's business: it says why not, with a 200).
    "evaluation:answer": MEMBERS,
    # POST only, for the member offered: her GET is refused with 405, everyone else learns nothing.
    "evaluation:offer-dismiss": {**MEMBERS, "member": 405},
    "evaluation:mine": MEMBERS,
    "evaluation:withdraw": MEMBERS,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from coproduce.evaluation import services
    from tests.evaluation.member_support import ALL_AGREE, a_subject, an_offer

    member = world["people"]["member"]
    answered = a_subject(world["partnership"], "Riverside Job Club")
    waiting = a_subject(world["partnership"], "Family Learning Cafe")
    first = an_offer(member, answered)
    offer = an_offer(member, waiting)
    given = services.answer_give(actor=member, subject_id=answered.pk, scores=ALL_AGREE, offer_id=first.pk)
    return {
        "evaluation:answer": {"subject_id": waiting.pk},
        "evaluation:offer-dismiss": {"offer_id": offer.pk},
        "evaluation:withdraw": {"answer_id": given.pk},
    }
