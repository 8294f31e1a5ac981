"""The decision rules in plain English, once: the agreement page, the rule's form and ``governance.api`` all
say a rule the same way ("Fund rules and budgets are decided by consent of the steering group; at least half
must take part.")."""

from __future__ import annotations

from django.utils.translation import gettext as _

from coproduce.governance.models import DecisionRule


def _subject(kind: str) -> str:
    return {
        DecisionRule.Kind.AGREEMENT: _("Changes to the partnership agreement are decided"),
        DecisionRule.Kind.FUND: _("Fund rules and budgets are decided"),
        DecisionRule.Kind.SERVICE: _("Stopping or changing a service is decided"),
        DecisionRule.Kind.EVERYDAY: _("Everyday decisions are made"),
    }[DecisionRule.Kind(kind)]


def _who(rule: DecisionRule) -> str:
    if rule.participants == DecisionRule.Participants.GROUP:
        return _("of the %(group)s") % {"group": rule.group.name if rule.group else _("group")}
    return {
        DecisionRule.Participants.MEMBERS: _("of the members"),
        DecisionRule.Participants.STAFF: _("of the staff"),
        DecisionRule.Participants.EVERYONE: _("of members and staff"),
    }[DecisionRule.Participants(rule.participants)]


def _method(rule: DecisionRule) -> str:
    phrase = {
        DecisionRule.Method.CONSENT: _("by consent %(who)s"),
        DecisionRule.Method.YES_NO: _("by a yes, no or abstain vote %(who)s"),
        DecisionRule.Method.SCORE: _("by a score vote %(who)s (the option with the highest total wins)"),
        DecisionRule.Method.RANKED_IRV: _("by a ranked-choice vote %(who)s, counted by instant runoff"),
        DecisionRule.Method.RANKED_SCHULZE: _("by a ranked-choice vote %(who)s, counted by the Schulze method"),
        DecisionRule.Method.STV: _("by a single transferable vote %(who)s"),
    }[DecisionRule.Method(rule.method)]
    return phrase % {"who": _who(rule)}


def threshold_in_words(percent: int) -> str:
    if percent <= 50:
        return _("more than half of the votes must be yes")
    if percent >= 100:
        return _("everyone who votes must say yes")
    return _("at least %(percent)d%% of the votes must be yes") % {"percent": percent}


def quorum_in_words(percent: int) -> str:
    if percent <= 0:
        return _("there is no minimum number who must take part")
    if percent == 50:
        return _("at least half must take part")
    if percent >= 100:
        return _("everyone must take part")
    return _("at least %(percent)d%% of those who may take part must do so") % {"percent": percent}


def rule_in_words(rule: DecisionRule) -> str:
    """One or two plain sentences for the rule."""
    sentence = f"{_subject(rule.kind)} {_method(rule)}"
    if rule.method == DecisionRule.Method.YES_NO and rule.threshold_percent is not None:
        sentence += f": {threshold_in_words(rule.threshold_percent)}"
    sentence += f"; {quorum_in_words(rule.quorum_percent)}."
    if rule.double_majority:
        sentence += " " + _("Members and staff are counted separately, and a majority of each must agree.")
    return sentence
