"""What the foundation holds about a person in a partnership (their place and roles, their account, the audit
log), and what leaving and erasure do to it. Registered in ``apps.py`` like every capability's departure."""

from __future__ import annotations

from django.utils.translation import gettext as _

from coproduce.core.audit import audit_forget
from coproduce.core.models import AuditEvent
from coproduce.partnerships.models import Membership, MyDataExport
from coproduce.partnerships.personal_data import Departure, Disposal, Fate


def _audit_count(membership: Membership) -> int:
    return AuditEvent.objects.filter(partnership_id=membership.partnership_id, actor_id=membership.user_id).count()


def leaving(membership: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your place in the partnership and your roles (%(roles)s)")
            % {"roles": ", ".join(membership.role_labels).lower()},
            Fate.DELETE,
            _("You will no longer see the partnership's pages or be told about what happens there."),
            1,
        ),
        Disposal(
            _("Your account: your name, email address and password"),
            Fate.KEEP,
            _(
                "It is yours, not the partnership's: you can still sign in, and you may be in other "
                "partnerships. A coordinator can invite you back."
            ),
            1,
        ),
        Disposal(
            _("The audit log's record of what you did"),
            Fate.KEEP,
            _("The partnership must be able to account for what was done and by whom."),
            _audit_count(membership),
        ),
    ]


def erasure(membership: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your place in the partnership and your roles"),
            Fate.KEEP,
            _("Erasure does not take you out of the partnership. You can leave it afterwards if you want to."),
            1,
        ),
        Disposal(
            _("Your account: your name, email address and password"),
            Fate.KEEP,
            _("It is yours, not the partnership's, and you may be in other partnerships."),
            1,
        ),
        Disposal(
            _("A copy of your data you prepared on the My data page"),
            Fate.DELETE,
            _("It holds what is being erased."),
            MyDataExport.objects.filter(membership=membership).count(),
        ),
        Disposal(
            _("The audit log"),
            Fate.ANONYMISE,
            _(
                "Every event stays (what happened and when), but those about what is erased, and your own "
                "requests, no longer say who they were about. The record that an erasure was confirmed stays, "
                "with no name on it."
            ),
            _audit_count(membership),
        ),
    ]


def erase(membership: Membership) -> None:
    MyDataExport.objects.filter(membership=membership).delete()
    # The person's own data-rights events (asking for this erasure) no longer name them.
    audit_forget(
        partnership_id=membership.partnership_id, objects=[], person=membership.user, action_prefix="datarights."
    )


FOUNDATION = Departure(key="partnership", erasure=erasure, erase=erase, leaving=leaving, order=0)
