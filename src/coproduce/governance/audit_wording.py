"""What governance's audit events say in the audit log (``partnerships.audit_wording``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    "governance.group_created": gettext_lazy("%(who)s set up the group “%(what)s”."),
    "governance.group_changed": gettext_lazy("%(who)s changed the group “%(what)s”."),
    "governance.seat_created": gettext_lazy("%(who)s added the seat “%(what)s”."),
    "governance.seat_retired": gettext_lazy("%(who)s took away the seat “%(what)s”."),
    "governance.seat_appointed": gettext_lazy("%(who)s appointed someone to the seat “%(seat)s”."),
    "governance.holding_ended": gettext_lazy("%(who)s ended someone's time in the seat “%(seat)s”."),
    "governance.interest_declared": gettext_lazy("%(who)s recorded an interest: “%(what)s”."),
    "governance.rule_set": gettext_lazy("%(who)s set how decisions are made: %(what)s."),
    "governance.terms_published": gettext_lazy("%(who)s published the %(what)s."),
}
