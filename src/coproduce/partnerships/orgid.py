"""Organisation identifiers in the org-id scheme (https://org-id.guide): ``<list code>-<identifier>``, e.g.
``GB-SC-SC012345`` for a Scottish charity. Each list the organisations of a Scottish partnership are found in
is checked with the format of its own identifiers, so that a typing slip is caught where it is made, with a
plain message saying what the number looks like.

Pure: no database, no Django models (only the translation of the messages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The 32 Scottish councils, by the second part of their ISO 3166-2:GB code (org-id.guide, list GB-LAS).
SCOTTISH_COUNCILS = {
    "ABD": "Aberdeenshire",
    "ABE": "Aberdeen City",
    "AGB": "Argyll and Bute",
    "ANS": "Angus",
    "CLK": "Clackmannanshire",
    "DGY": "Dumfries and Galloway",
    "DND": "Dundee City",
    "EAY": "East Ayrshire",
    "EDH": "City of Edinburgh",
    "EDU": "East Dunbartonshire",
    "ELN": "East Lothian",
    "ELS": "Na h-Eileanan Siar",
    "ERW": "East Renfrewshire",
    "FAL": "Falkirk",
    "FIF": "Fife",
    "GLG": "Glasgow City",
    "HLD": "Highland",
    "IVC": "Inverclyde",
    "MLN": "Midlothian",
    "MRY": "Moray",
    "NAY": "North Ayrshire",
    "NLK": "North Lanarkshire",
    "ORK": "Orkney Islands",
    "PKN": "Perth and Kinross",
    "RFW": "Renfrewshire",
    "SAY": "South Ayrshire",
    "SCB": "Scottish Borders",
    "SLK": "South Lanarkshire",
    "STG": "Stirling",
    "WDU": "West Dunbartonshire",
    "WLN": "West Lothian",
    "ZET": "Shetland Islands",
}


@dataclass(frozen=True)
class OrgList:
    code: str
    name: Promise
    pattern: re.Pattern[str]
    explain: Promise  # what an identifier in this list looks like, with an example


LISTS: dict[str, OrgList] = {
    item.code: item
    for item in (
        OrgList(
            "GB-SC",
            _("Scottish Charity Register"),
            re.compile(r"SC\d{6}"),
            _("A Scottish charity number is SC followed by 6 digits, e.g. GB-SC-SC012345."),
        ),
        OrgList(
            "GB-CHC",
            _("Charity Commission for England and Wales"),
            re.compile(r"\d{6,8}"),
            _("A charity number in England and Wales is 6 to 8 digits, e.g. GB-CHC-1123456."),
        ),
        OrgList(
            "GB-COH",
            _("Companies House"),
            # 8 digits (England and Wales), or 2 letters for the register (SC Scotland, NI Northern Ireland,
            # OC a partnership, SO a Scottish partnership, …) and 6 digits.
            re.compile(r"\d{8}|[A-Z]{2}\d{6}"),
            _(
                "A company number is 8 characters: 8 digits, or 2 letters such as SC followed by 6 digits, "
                "e.g. GB-COH-SC123456 or GB-COH-01234567."
            ),
        ),
        OrgList(
            "GB-LAS",
            _("Scottish local authorities"),
            re.compile("|".join(sorted(SCOTTISH_COUNCILS))),
            _("A Scottish council is 3 letters from its ISO code, e.g. GB-LAS-GLG for Glasgow or GB-LAS-FIF for Fife."),
        ),
        OrgList(
            "GB-GOR",
            _("Government Organisation Register"),
            re.compile(r"[A-Z]{1,3}\d{1,5}"),
            _("A government organisation is 1 to 3 letters and a number, e.g. GB-GOR-PB123."),
        ),
        OrgList(
            "GB-NHS",
            _("NHS organisation codes (ODS)"),
            re.compile(r"[A-Z0-9]{3,6}"),
            _("An NHS organisation code is 3 to 6 letters and digits, e.g. GB-NHS-SA9."),
        ),
        OrgList(
            "GB-EDU",
            _("Schools in England and Wales (Get Information about Schools)"),
            re.compile(r"\d{6}"),
            _("A school's unique reference number is 6 digits, e.g. GB-EDU-123456."),
        ),
        OrgList(
            "GB-UKPRN",
            _("UK Register of Learning Providers"),
            re.compile(r"1\d{7}"),
            _("A UK provider reference number is 8 digits starting with 1, e.g. GB-UKPRN-10001234."),
        ),
    )
}


class OrgIdError(ValueError):
    """The identifier is not in the right form; the message says what is wanted."""

    def __init__(self, message: Promise | str) -> None:
        super().__init__(str(message))
        self.message = str(message)


def known_lists() -> str:
    return ", ".join(LISTS)


def org_id_clean(text: str) -> str:
    """The identifier in its usual form (capitals, no spaces), or "" for none. Raises ``OrgIdError``
    with a plain message when it does not fit its list."""
    value = "".join((text or "").split()).upper()
    if not value:
        return ""
    match = re.fullmatch(r"([A-Z]{2}-[A-Z]+)-(.+)", value)
    if match is None:
        raise OrgIdError(
            _(
                "Enter the identifier as the list code, a hyphen and the number, e.g. GB-SC-SC012345 for a "
                "Scottish charity."
            )
        )
    code, identifier = match.groups()
    org_list = LISTS.get(code)
    if org_list is None:
        raise OrgIdError(
            _("%(code)s is not a list we know. Use one of: %(lists)s.") % {"code": code, "lists": known_lists()}
        )
    if not org_list.pattern.fullmatch(identifier):
        raise OrgIdError(org_list.explain)
    return f"{code}-{identifier}"
