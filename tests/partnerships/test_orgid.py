"""Organisation identifiers (org-id.guide): each list's own format, with a plain message when it does not fit."""

from __future__ import annotations

import pytest

from coproduce.partnerships.orgid import LISTS, SCOTTISH_COUNCILS, OrgIdError, org_id_clean


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("GB-SC-SC012345", "GB-SC-SC012345"),
        (" gb-sc-sc 012345 ", "GB-SC-SC012345"),
        ("GB-CHC-123456", "GB-CHC-123456"),
        ("GB-CHC-1123456", "GB-CHC-1123456"),
        ("GB-COH-01234567", "GB-COH-01234567"),
        ("GB-COH-SC123456", "GB-COH-SC123456"),
        ("GB-COH-so301234", "GB-COH-SO301234"),
        ("GB-LAS-GLG", "GB-LAS-GLG"),
        ("GB-LAS-zet", "GB-LAS-ZET"),
        ("GB-GOR-PB123", "GB-GOR-PB123"),
        ("GB-NHS-SA9", "GB-NHS-SA9"),
        ("GB-EDU-123456", "GB-EDU-123456"),
        ("GB-UKPRN-10001234", "GB-UKPRN-10001234"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_identifiers_in_the_right_form_are_kept_in_their_usual_form(typed: str, clean: str) -> None:
    assert org_id_clean(typed) == clean


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("GB-SC-012345", "A Scottish charity number is SC followed by 6 digits, e.g. GB-SC-SC012345."),
        ("GB-SC-SC01234", "A Scottish charity number is SC followed by 6 digits"),
        ("GB-CHC-12345", "A charity number in England and Wales is 6 to 8 digits"),
        ("GB-COH-1234567", "A company number is 8 characters"),
        ("GB-COH-S1234567", "A company number is 8 characters"),
        ("GB-LAS-XYZ", "A Scottish council is 3 letters"),
        ("GB-LAS-GLGW", "A Scottish council is 3 letters"),
        ("GB-UKPRN-20001234", "8 digits starting with 1"),
        ("GB-XYZ-123", "GB-XYZ is not a list we know. Use one of: GB-SC"),
        ("SC012345", "Enter the identifier as the list code, a hyphen and the number"),
        ("GB-SC-", "Enter the identifier as the list code"),
    ],
)
def test_a_wrong_identifier_says_what_it_should_look_like(typed: str, message: str) -> None:
    with pytest.raises(OrgIdError) as error:
        org_id_clean(typed)
    assert message in error.value.message


def test_every_example_in_the_messages_is_itself_valid() -> None:
    import re

    for org_list in LISTS.values():
        examples = re.findall(r"GB-[A-Z]+-[A-Z0-9]+", str(org_list.explain))
        assert examples, org_list.code
        for example in examples:
            assert org_id_clean(example) == example


def test_the_council_list_has_the_32_scottish_councils() -> None:
    assert len(SCOTTISH_COUNCILS) == 32
    assert all(len(code) == 3 and code.isupper() for code in SCOTTISH_COUNCILS)
