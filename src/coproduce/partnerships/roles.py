"""The roles a person may hold in a partnership (one person may hold several)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    WORKER = "worker", _("Worker")
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER_LEAD = "partner_lead", _("Partner lead")
    OBSERVER = "observer", _("Observer")


ROLE_DESCRIPTIONS = {
    Role.MEMBER: _("Uses the services; takes part everywhere with an equal voice and owns their support plan."),
    Role.WORKER: _("Frontline staff of a partner organisation; keyworks members' plans with their consent."),
    Role.COORDINATOR: _("Runs the partnership: invites people, manages roles, moderates, sees aggregate reports."),
    Role.PARTNER_LEAD: _("Represents a partner organisation: its contributions, services and staff."),
    Role.OBSERVER: _("A funder or evaluator: reads published results and aggregates."),
}

# Staff roles need an organisation: staff belong to a partner.
# A tuple, not a set: its order must be fixed, or the constraints built from it change between runs.
STAFF_ROLES = (Role.WORKER, Role.COORDINATOR, Role.PARTNER_LEAD)
ALL_ROLES = tuple(Role)
# The field on Membership and Invitation that holds each role.
ROLE_FIELDS = {
    Role.MEMBER: "is_member",
    Role.WORKER: "is_worker",
    Role.COORDINATOR: "is_coordinator",
    Role.PARTNER_LEAD: "is_partner_lead",
    Role.OBSERVER: "is_observer",
}


def staff_q(prefix: str = "") -> Q:
    """A filter for memberships holding any staff role; ``prefix`` reaches them through a relation
    (e.g. ``"memberships__"``)."""
    q = Q()
    for role in STAFF_ROLES:
        q |= Q(**{f"{prefix}{ROLE_FIELDS[role]}": True})
    return q
