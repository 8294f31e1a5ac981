"""Plain checks on words, with no database: free text that seems to hold a phone number or an email address
(so a coordinator looks at it before the service reads it), and a coordinator's question that seems to ask for
something that identifies a parent or about her health (so the coordinator is warned before it is asked).

They are deliberately cautious: a false alarm costs a coordinator a look; a miss could put a parent's phone
number in front of the service she is evaluating. Known false alarms are listed in the tests."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# A UK-looking phone number: +44 or 0 then 9 or 10 more digits, with spaces, dots, dashes or brackets between
# (07700 900123, +44 7700 900 123, (0131) 496 0000, 0044 131 496 0000, 07700900123).
_PHONE = re.compile(
    r"""(?<![\w+])                # not in the middle of a word or a longer number
        (?:\+\s?44|0044|\(?0)     # +44, 0044, or a leading 0 (maybe in brackets)
        (?:[\s().\-]*\d){9,10}    # nine or ten more digits, with separators between
        (?![\d])""",
    re.VERBOSE,
)
_EMAIL = re.compile(r"[\w.+\-]+\s*(?:@|\(at\)|\[at\])\s*[\w\-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w\-]+)+", re.IGNORECASE)


def text_flags(text: str) -> list[str]:
    """What a coordinator should look for before the service reads ``text``: "phone", "email" (in that order)."""
    flags = []
    if _PHONE.search(text or ""):
        flags.append("phone")
    if _EMAIL.search(text or ""):
        flags.append("email")
    return flags


# What a question may be asking for, and why we warn: (pattern, reason). The patterns are whole words.
_ASKS: tuple[tuple[str, str], ...] = (
    (r"(?:your|full|first|last|sur|child'?s|children'?s)\s*names?|\bname\b|what\s+(?:are\s+)?you\s+called", "name"),
    (r"address|where\s+(?:do\s+)?you\s+live|street|postcode|post\s+code|zip\s*code", "address"),
    (r"date\s+of\s+birth|d\.?o\.?b\b|birthday|born\b|how\s+old|\bage\b|\baged\b", "age"),
    (r"phone|mobile|e-?mail|contact\s+details", "contact"),
    (r"national\s+insurance|\bni\s+number|nhs\s+number|chi\s+number|passport", "number"),
    (
        r"health|ill\b|illness|condition|disab\w*|diagnos\w*|medication|medicine|prescri\w*|symptom\w*|"
        r"pregnan\w*|mental|depress\w*|anxiety|addiction|alcohol|drugs?\b|\bgp\b|doctor|hospital|"
        r"sexual|sexuality|gender\s+identity|trans\b",
        "health",
    ),
    (r"religio\w*|faith|church|mosque|ethnic\w*|\brace\b|nationality|immigra\w*|asylum|visa|refugee", "belief"),
    (r"criminal|convict\w*|police|prison|social\s+work\w*\s+involve\w*|child\s+protection", "record"),
)
_ASK_PATTERNS = tuple((re.compile(rf"\b(?:{pattern})", re.IGNORECASE), reason) for pattern, reason in _ASKS)


def _reason(key: str) -> str:
    return {
        "name": _("It may ask for someone's name, which would let the service know who answered."),
        "address": _("It may ask where someone lives (an address or postcode), which could identify her."),
        "age": _("It may ask for a date of birth or age, which could identify her."),
        "contact": _("It may ask for a phone number or email address."),
        "number": _("It may ask for an official number (National Insurance, NHS, passport)."),
        "health": _(
            "It may ask about health, a disability, an illness or condition, medication or pregnancy: "
            "special category information we do not ask for here."
        ),
        "belief": _(
            "It may ask about religion, ethnicity or immigration status: special category information we do "
            "not ask for here."
        ),
        "record": _("It may ask about offences, the police or child protection."),
    }[key]


def question_warnings(text: str) -> list[str]:
    """Plain-English reasons ``text`` (a coordinator's question) may ask for something it should not, one per
    kind of thing, in a fixed order; empty when nothing was found."""
    return [_reason(key) for key in question_warning_keys(text)]


def question_warning_keys(text: str) -> list[str]:
    """The kinds of thing ``text`` may ask for ("name", "address", "age", "contact", "number", "health",
    "belief", "record"), for tests and the audit."""
    found: list[str] = []
    for pattern, key in _ASK_PATTERNS:
        if pattern.search(text or "") and key not in found:
            found.append(key)
    return found
