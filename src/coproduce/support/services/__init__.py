"""Every write in support: keyword-only, the acting membership first, access checked through the one
selector, one transaction with the rows locked, an audit event, nothing half-saved.

One module per thing a plan is made of (plans, goals, actions, team, sharing, check-ins, referrals), plus the
directory, erasure and the settings; what they share is in ``_common``. Callers import from here."""

from coproduce.support.services._common import STALE
from coproduce.support.services.actions import action_create, action_update
from coproduce.support.services.barriers import (
    barrier_agree,
    barrier_approve,
    barrier_ask,
    barrier_cancel,
    barrier_mark_paid,
    barrier_refuse,
)
from coproduce.support.services.checkins import checkin_agree, checkin_create
from coproduce.support.services.configuration import lawful_basis_set, outcome_area_create, outcome_area_update
from coproduce.support.services.directory import SERVICE_FIELDS, directory_import, service_save
from coproduce.support.services.erasure import data_export_record, plan_erase
from coproduce.support.services.goals import goal_create, goal_update
from coproduce.support.services.plans import ABOUT_FIELDS, about_update, plan_accept, plan_start
from coproduce.support.services.referrals import (
    RECEIVER_MOVES,
    TRANSITIONS,
    referral_create,
    referral_message,
    referral_move,
)
from coproduce.support.services.sharing import plan_read_record, sharing_set
from coproduce.support.services.team import team_agree, team_end, team_propose

__all__ = [
    "ABOUT_FIELDS",
    "RECEIVER_MOVES",
    "SERVICE_FIELDS",
    "STALE",
    "TRANSITIONS",
    "about_update",
    "action_create",
    "action_update",
    "barrier_agree",
    "barrier_approve",
    "barrier_ask",
    "barrier_cancel",
    "barrier_mark_paid",
    "barrier_refuse",
    "checkin_agree",
    "checkin_create",
    "data_export_record",
    "directory_import",
    "goal_create",
    "goal_update",
    "lawful_basis_set",
    "outcome_area_create",
    "outcome_area_update",
    "plan_accept",
    "plan_erase",
    "plan_read_record",
    "plan_start",
    "referral_create",
    "referral_message",
    "referral_move",
    "service_save",
    "sharing_set",
    "team_agree",
    "team_end",
    "team_propose",
]
