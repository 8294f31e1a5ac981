"""Our own short instrument, the same for every service so results compare, and the partnership health
check's seven standards in our own words. The wording is the partnership's own (no licensed scale); the six
statements and their keys never change, so a year of answers stays comparable.

The seven standards are those of the National Standards for Community Engagement (Scottish Community
Development Centre, 2016): Inclusion, Support, Planning, Working Together, Methods, Communication and Impact.
The sentences rating them are ours.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Statement:
    key: str  # the Answer field and the key in figures and exports
    text: str | Promise  # as the parent reads it: "I was listened to"
    short: str | Promise  # a column heading: "Listened to"


STATEMENTS: tuple[Statement, ...] = (
    Statement("listened", _("I was listened to"), _("Listened to")),
    Statement("had_say", _("I had a say in what happened"), _("Had a say")),
    Statement("respect", _("I was treated with respect"), _("Respect")),
    Statement("fitted", _("The support fitted my life (times, childcare, travel)"), _("Fitted my life")),
    Statement("needed", _("I got the support I needed"), _("Support I needed")),
    Statement("control", _("I feel more in control"), _("More in control")),
)
STATEMENT_KEYS: tuple[str, ...] = tuple(s.key for s in STATEMENTS)
STATEMENT_BY_KEY: dict[str, Statement] = {s.key: s for s in STATEMENTS}

# The five points, 1 to 5; an empty answer is "I'd rather not say" and counts in no average.
SCALE: tuple[tuple[int, str | Promise], ...] = (
    (5, _("Strongly agree")),
    (4, _("Agree")),
    (3, _("Neither agree nor disagree")),
    (2, _("Disagree")),
    (1, _("Strongly disagree")),
)
SCALE_LABEL: dict[int, str | Promise] = dict(SCALE)


@dataclass(frozen=True)
class Standard:
    key: str
    name: str | Promise  # the standard's name: "Working Together"
    text: str | Promise  # the sentence rated, in our words


STANDARDS: tuple[Standard, ...] = (
    Standard(
        "inclusion",
        _("Inclusion"),
        _("The people most affected, parents included, are involved, and nobody is left out."),
    ),
    Standard(
        "support",
        _("Support"),
        _("People get the help they need to take part: childcare, travel, times that suit, plain words."),
    ),
    Standard(
        "planning", _("Planning"), _("We agree together what we are trying to change and how we will know it changed.")
    ),
    Standard(
        "working_together",
        _("Working Together"),
        _("Parents and organisations work together as equals and share decisions."),
    ),
    Standard("methods", _("Methods"), _("We use ways of taking part that suit the people involved.")),
    Standard(
        "communication",
        _("Communication"),
        _("We tell each other clearly what is happening and what came of what people said."),
    ),
    Standard("impact", _("Impact"), _("Taking part makes a real difference to the services and to parents' lives.")),
)
STANDARD_KEYS: tuple[str, ...] = tuple(s.key for s in STANDARDS)
STANDARD_BY_KEY: dict[str, Standard] = {s.key: s for s in STANDARDS}
