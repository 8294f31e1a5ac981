"""The checks themselves: a harness that cannot fail would make every other browser test meaningless."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.browser.conftest import PageFactory
from tests.browser.support import (
    SERVED_PAGES,
    assert_accessible,
    assert_no_console_errors,
    axe_violations,
    markup_problems,
)

pytestmark = pytest.mark.browser


def test_markup_check_finds_what_the_csp_forbids() -> None:
    html = """<!doctype html><html><head>
      <script src="/static/app.js"></script>
      <script id="data" type="application/json">{"a": 1}</script>
      <script type="application/ld+json">{"@type": "DataCatalog"}</script>
      <script>alert(1)</script>
      <style>p { color: red }</style>
    </head><body>
      <p style="color: red">x</p>
      <button onclick="go()">Go</button>
      <a href=" JavaScript:go()">go</a>
    </body></html>"""
    problems = "\n".join(markup_problems(html))
    assert "inline <script> with content 'alert(1)'" in problems
    assert "inline <style>" in problems
    assert "style= attribute" in problems
    assert "event-handler attribute onclick=" in problems
    assert "javascript: URL in href=" in problems
    assert len(markup_problems(html)) == 5  # the external script and the JSON data blocks are fine


ADD_IMAGE_WITHOUT_ALT = """() => {
    const image = document.createElement("img");
    image.src = "/static/vendor/sgds/images/icons/icons.stack.svg";
    document.querySelector("main").append(image);
}"""


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_axe_finds_problems(new_page: PageFactory, javascript: bool) -> None:
    page = new_page("phone", javascript=javascript)
    page.goto(reverse("core:accessibility"))
    assert axe_violations(page) == []
    page.evaluate(ADD_IMAGE_WITHOUT_ALT)
    assert "image-alt" in {violation["id"] for violation in axe_violations(page)}
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page, "the test page", both_sizes=False)


def test_csp_violations_are_caught(new_page: PageFactory) -> None:
    page = new_page("phone")
    page.goto(reverse("core:accessibility"))
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.ran = true";
                document.head.append(script);
            }"""
        )
    assert page.evaluate("() => window.ran === undefined")  # the app's CSP refused the inline script
    with pytest.raises(AssertionError, match="Content Security Policy"):
        assert_no_console_errors(page, "the test page")


def test_javascript_errors_are_caught(new_page: PageFactory) -> None:
    page = new_page("phone")
    page.goto(reverse("core:accessibility"))
    with page.expect_event("pageerror"):
        page.evaluate("() => { setTimeout(() => { throw new Error('broken on purpose'); }); }")
    with pytest.raises(AssertionError, match="broken on purpose"):
        assert_no_console_errors(page, "the test page")


def test_every_page_served_is_checked_even_when_the_test_does_not_stop_there(
    new_page: PageFactory, settings: Any
) -> None:
    settings.ROOT_URLCONF = "tests.browser.faulty_urls"
    page = new_page("phone")
    page.goto("/faulty/markup/")
    page.goto(reverse("core:privacy"))
    page.goto("/faulty/error/")
    problems = "\n".join(SERVED_PAGES.problems())
    assert "GET /faulty/markup/ (200): line 1: <h1> has an event-handler attribute onclick=" in problems
    assert "GET /faulty/error/ (500): the server failed" in problems
    assert "privacy" not in problems
    with pytest.raises(AssertionError, match="status of 500"):
        assert_no_console_errors(page, "the failing page")
