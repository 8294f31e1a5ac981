"""What evaluation puts in front of a coordinator on the partnership's home: parents' comments waiting to be
checked before a service reads them, and a partnership health check that is due."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from coproduce.partnerships.attention import AttentionItem, register_attention_item
from coproduce.partnerships.models import Membership


def _waiting(membership: Membership) -> int:
    from coproduce.evaluation.selectors import waiting_remarks_count

    return waiting_remarks_count(membership)


def _health_check_due(membership: Membership) -> int:
    from coproduce.evaluation.selectors.health import health_check_due_count

    return health_check_due_count(membership)


def register_remarks() -> None:
    register_attention_item(
        AttentionItem(
            "evaluation.remarks",
            count=_waiting,
            text=lambda n: (
                ngettext("%(n)d comment from parents to check", "%(n)d comments from parents to check", n) % {"n": n}
            ),
            url_name="evaluation:moderation",
            order=60,
        )
    )


def register_health_check_due() -> None:
    register_attention_item(
        AttentionItem(
            "evaluation.health_check_due",
            count=_health_check_due,
            text=lambda n: gettext("A health check is due"),
            url_name="evaluation:health",
            order=85,
        )
    )
