"""Support's part of "My data" (``partnerships.personal_data``): the person's own support plan, every part of
it, who has read it, and the support notices sent to them. Staff get their own plan if they have one as a
member, never the plans of the people they support."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import PersonalDataExport
from coproduce.support.selectors.data_rights import my_data

TABLES = {
    "plan": _("Your support plan"),
    "goals": _("Goals"),
    "actions": _("Actions"),
    "team": _("Your team"),
    "check_ins": _("Check-ins"),
    "ratings": _("Outcome wheel ratings"),
    "sharing": _("Sharing choices"),
    "referrals": _("Referrals"),
    "referral_updates": _("Referral updates"),
    "who_has_looked": _("Who has read your plan"),
    "history": _("Changes to your plan"),
}


def support_export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    """The plan as ``support.selectors.my_data`` reads it (a fixed number of queries), in flat tables; and the
    person's support notices (one query)."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    plan = my_data(membership)["plan"]
    if plan is not None:
        tables["plan"] = [{"started": plan["started"], "status": plan["status"], **plan["about_me"]}]
        for name in ("goals", "actions", "team", "sharing", "who_has_looked", "history"):
            tables[name] = plan[name]
        for checkin in plan["check_ins"]:
            tables["check_ins"].append({k: v for k, v in checkin.items() if k != "ratings"})
            tables["ratings"] += [{"check_in": checkin["date"], **rating} for rating in checkin["ratings"]]
        for referral in plan["referrals"]:
            tables["referrals"].append({k: v for k, v in referral.items() if k != "updates"})
            tables["referral_updates"] += [
                {"referral_to": referral["service"], "referral_sent": referral["sent"], **update}
                for update in referral["updates"]
            ]
    return tables


EXPORT = PersonalDataExport(key="support", title=_("Support plan"), export=support_export, order=20, tables=TABLES)
