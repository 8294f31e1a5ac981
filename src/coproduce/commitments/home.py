"""The commitments board's item on a coordinator's list of what needs attention: commitments overdue."""

from __future__ import annotations

from django.utils.translation import ngettext

from coproduce.partnerships.attention import AttentionItem, register_attention_item
from coproduce.partnerships.models import Membership


def _overdue(membership: Membership) -> int:
    from coproduce.commitments import selectors

    return selectors.overdue_count(membership)


register_attention_item(
    AttentionItem(
        key="commitments.overdue",
        count=_overdue,
        text=lambda n: ngettext("%(n)d commitment overdue", "%(n)d commitments overdue", n) % {"n": n},
        url_name="commitments:board",
        order=35,
    )
)
