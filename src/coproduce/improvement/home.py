"""The tests-of-change section of the partnership home page: tests running now, and decisions waiting for a
member's co-signature (for members)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import ngettext

from coproduce.partnerships.attention import AttentionItem, register_attention_item
from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership


def _context(membership: Membership) -> dict[str, Any] | None:
    from coproduce.improvement import selectors

    return {
        "running": selectors.running_test_links(membership),
        "waiting": selectors.waiting_test_links(membership) if membership.is_member else [],
    }


register_home_section(
    HomeSection(
        key="improvement",
        title="Tests of change",
        template="improvement/_partials/home_section.html",
        context=_context,
        order=40,
    )
)


def _reviews_due(membership: Membership) -> int:
    from django.utils import timezone

    from coproduce.improvement.models import Decision, StoppedPractice

    today = timezone.localdate()
    decisions = Decision.objects.filter(
        test__partnership_id=membership.partnership_id, effective_at__isnull=False, review_on__lte=today
    )
    # A practice stopped with a review date counts the same way, unless it came from one of those decisions
    # (its review date is the decision's: one thing to review, not two).
    stopped = StoppedPractice.objects.filter(
        partnership_id=membership.partnership_id, status=StoppedPractice.Status.STOPPED, review_on__lte=today
    ).exclude(test__decision__in=decisions)
    return decisions.count() + stopped.count()


register_attention_item(
    AttentionItem(
        key="reviews",
        count=_reviews_due,
        text=lambda n: (
            ngettext(
                "%(n)d decided change or stopped practice whose review date has come",
                "%(n)d decided changes or stopped practices whose review date has come",
                n,
            )
            % {"n": n}
        ),
        url_name="improvement:board",
        order=30,
    )
)
