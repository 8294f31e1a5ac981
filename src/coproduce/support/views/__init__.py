"""The support pages. Each view resolves the plan (or goal, action, check-in, referral) through a selector,
which answers 404 (``NotPermitted``) for anything out of reach, calls one service for a write, and renders.
Every page that shows plan contents to someone other than its member records that read.

One module per part of the section; urls.py names the views through this package."""

from coproduce.support.views.actions import action_edit, action_new
from coproduce.support.views.barriers import barrier, barrier_outcomes, barrier_queue, plan_money
from coproduce.support.views.checkins import checkin, checkin_new, progress
from coproduce.support.views.configuration import outcome_area_edit, outcome_area_new, settings
from coproduce.support.views.directory import directory, directory_export, service, service_edit, service_new
from coproduce.support.views.erasure import my_data, my_data_json
from coproduce.support.views.goals import goal_edit, goal_new
from coproduce.support.views.home import figures, home
from coproduce.support.views.plans import about_edit, history, plan, plan_accept, plan_print, plan_start, reads
from coproduce.support.views.referrals import referral, referral_new
from coproduce.support.views.sharing import sharing
from coproduce.support.views.team import team

__all__ = [
    "about_edit",
    "action_edit",
    "action_new",
    "barrier",
    "barrier_outcomes",
    "barrier_queue",
    "checkin",
    "checkin_new",
    "directory",
    "directory_export",
    "figures",
    "goal_edit",
    "goal_new",
    "history",
    "home",
    "my_data",
    "my_data_json",
    "outcome_area_edit",
    "outcome_area_new",
    "plan",
    "plan_accept",
    "plan_money",
    "plan_print",
    "plan_start",
    "progress",
    "reads",
    "referral",
    "referral_new",
    "service",
    "service_edit",
    "service_new",
    "settings",
    "sharing",
    "team",
]
