"""Improvement's commitments (``partnerships.commitments``): tests of change adopted (a decision to keep
doing it that has taken effect: owned by whoever runs the test, reviewed on the decision's review date), and
the stop-doing register (practices stopped, reviewed on their own review date). Registered in ``apps.py``."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.commitments import Commitment, CommitmentSource
from coproduce.partnerships.models import Membership

ADOPTED_KEY = "improvement.adopted"
STOPPED_KEY = "improvement.stopped"


def adopted_items(membership: Membership) -> list[Commitment]:
    """One query: the tests adopted, with their decision, owner and owner's organisation."""
    from coproduce.improvement.models import Decision, TestOfChange

    tests = (
        TestOfChange.objects.filter(
            partnership_id=membership.partnership_id,
            decision__kind=Decision.Kind.ADOPT,
            decision__effective_at__isnull=False,
        )
        .select_related("decision", "owner", "organisation")
        .only(
            "id",
            "title",
            "owner__id",
            "owner__display_name",
            "owner__email",
            "organisation__name",
            "decision__review_on",
            "decision__effective_at",
        )
        .order_by("id")
    )
    slug = membership.partnership.slug
    found = []
    for test in tests:
        if test.owner is not None:
            owner = test.owner.name
        else:
            owner = test.organisation.name if test.organisation is not None else ""
        effective_at = test.decision.effective_at or timezone.now()
        found.append(
            Commitment(
                source=ADOPTED_KEY,
                object_id=test.pk,
                what=test.title,
                owner=owner,
                due_on=None,
                review_on=test.decision.review_on,
                done=False,  # adopting means keeping on doing it: never finished, only reviewed
                url=cached_reverse("improvement:test", kwargs={"slug": slug, "test_id": test.pk}),
                made_on=timezone.localdate(effective_at),
                owner_user_id=test.owner_id,
                # A test has an organisation when a member of staff started it: then its title is staff's words.
                open_what=test.title if test.organisation is not None else "",
                open_owner=test.organisation.name if test.organisation is not None else "",
            )
        )
    return found


def stopped_items(membership: Membership) -> list[Commitment]:
    """One query: the practices listed as stopped, except those stopped by adopting a test of stopping them
    (that test is already on the board, with the same review date)."""
    from coproduce.improvement.models import Decision, StoppedPractice

    entries = (
        StoppedPractice.objects.filter(partnership_id=membership.partnership_id, status=StoppedPractice.Status.STOPPED)
        .exclude(test__decision__kind=Decision.Kind.ADOPT, test__decision__effective_at__isnull=False)
        .only("id", "what", "decided_by", "decided_on", "review_on", "proposer_is_member")
        .order_by("id")
    )
    slug = membership.partnership.slug
    found = []
    for entry in entries:
        what = _("Stop: %(what)s") % {"what": entry.what}
        found.append(
            Commitment(
                source=STOPPED_KEY,
                object_id=entry.pk,
                what=what,
                owner=entry.decided_by,
                due_on=None,
                review_on=entry.review_on,
                done=False,
                url=cached_reverse("improvement:stopped", kwargs={"slug": slug, "entry_id": entry.pk}),
                made_on=entry.decided_on,
                # "Who decided" is free text (it may name a person): never published.
                open_what=what if not entry.proposer_is_member else "",
            )
        )
    return found


ADOPTED = CommitmentSource(
    key=ADOPTED_KEY, label=gettext_lazy("Tests of change adopted"), items=adopted_items, order=30
)
STOPPED = CommitmentSource(key=STOPPED_KEY, label=gettext_lazy("Practices we stopped"), items=stopped_items, order=40)
