"""The one rule for links made from data: pages of this site and http(s) web addresses, nothing else."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from coproduce.core.links import link_target, validate_web_address


@pytest.mark.parametrize(
    "value",
    [
        "https://college.example/maths",
        "http://college.example",
        "HTTPS://College.Example/?q=1#top",
        "/p/riverside/tests/4/",
        "  https://college.example/  ",
    ],
)
def test_pages_of_this_site_and_web_addresses_are_links(value: str) -> None:
    assert link_target(value) == value.strip()


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://files.example/",
        "mailto:someone@example.org",
        "//evil.example/",
        "/\\evil.example/",
        "https:/\\evil.example",
        "https:///evil.example",
        "https://@evil.example",
        "https://",
        "https://college.example/a b",
        "https://college.example/\x00",
        "college.example",
        "",
        None,
    ],
)
def test_anything_else_is_not(value: str | None) -> None:
    assert link_target(value) == ""


def test_a_web_address_may_be_required_without_pages_of_this_site() -> None:
    assert link_target("/p/riverside/", same_site=False) == ""
    assert link_target("https://college.example", same_site=False) == "https://college.example"
    validate_web_address("https://college.example")
    validate_web_address("")
    for bad in ("/p/riverside/", "javascript:alert(1)", "ftp://files.example/"):
        with pytest.raises(ValidationError):
            validate_web_address(bad)


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        ("javascript:alert(1)", "[]"),
        ("https://college.example/?a=1&b=2", "[https://college.example/?a=1&amp;b=2]"),
        ('https://college.example/"onmouseover="x', "[https://college.example/&quot;onmouseover=&quot;x]"),
    ],
)
def test_the_template_filter_gives_the_target_or_nothing_escaped(value: str, rendered: str) -> None:
    template = Template("{% load links %}[{{ value|safe_href }}]")
    assert template.render(Context({"value": value})) == rendered
