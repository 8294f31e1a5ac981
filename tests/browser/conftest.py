"""Browser tests: Playwright driving Debian's Chromium against pytest-django's ``live_server``.

Every page state a test reaches goes through ``assert_accessible``, which
* checks the HTML the server sent: no inline script, no ``on…=`` handler, no ``style=`` attribute
  (the Content Security Policy forbids them, so they would silently not work);
* runs axe-core with the WCAG 2.2 AA tags, at the phone and at the desktop size;
* fails on anything the page logged as an error so far (CSP violations, JavaScript errors).
Whatever a page logs after its last check is caught when the test ends.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; without this Django refuses ORM
# calls from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.core.cache import cache
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright

CHROMIUM = os.environ.get("COPRODUCE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")

# Console errors that are not faults of the page. Chromium logs the status of every response of
# 400 or more as a console error, including the page itself when a test expects a 404, 410 or 429;
# that is only harmless for a page (never for a stylesheet, script or image, which must exist).
HARMLESS_CONSOLE_ERRORS: list[tuple[re.Pattern[str], Callable[[ConsoleMessage], bool]]] = [
    (
        re.compile(r"^Failed to load resource: the server responded with a status of (404|410|429) "),
        lambda message: not urlsplit(message.location.get("url", "")).path.startswith("/static/"),
    ),
]


# --- Playwright and Chromium ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright_driver: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _browser_test_environment(request: pytest.FixtureRequest) -> None:
    # live_server needs a database committed for real (the server runs in another thread).
    request.getfixturevalue("transactional_db")
    # Rate limits and used TOTP codes live in the cache, shared with the live server's thread:
    # start each test with none.
    cache.clear()


# --- Pages ----------------------------------------------------------------------------------------


@dataclass
class PageWatch:
    """What one page logged and which document it shows."""

    label: str
    base_url: str
    problems: list[str] = field(default_factory=list)
    document: Any = None  # the last main-frame document response
    checked_documents: set[int] = field(default_factory=set)


_WATCHES: dict[int, PageWatch] = {}


def _watch(page: Page, label: str, base_url: str) -> PageWatch:
    watch = PageWatch(label, base_url)
    _WATCHES[id(page)] = watch

    def on_console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        for pattern, harmless in HARMLESS_CONSOLE_ERRORS:
            if pattern.search(message.text) and harmless(message):
                return
        where = message.location.get("url", "") if message.location else ""
        watch.problems.append(f"console error on {where or page.url}: {message.text}")

    def on_page_error(error: Any) -> None:
        watch.problems.append(f"JavaScript error on {page.url}: {error}")

    def on_response(response: Any) -> None:
        if response.request.resource_type == "document" and response.frame == page.main_frame:
            watch.document = response

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)
    return watch


class PageFactory:
    """``new_page("phone")`` or ``new_page("desktop", javascript=False)``: a fresh browser context
    (its own cookies) with one page, watched for console errors."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[BrowserContext] = []
        self.pages: list[Page] = []

    def __call__(self, size: str = "phone", *, javascript: bool = True) -> Page:
        context = self.browser.new_context(
            viewport=VIEWPORTS[size],  # type: ignore[arg-type]
            base_url=self.base_url,
            java_script_enabled=javascript,
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        _watch(page, f"{size}{'' if javascript else ', JavaScript off'}", self.base_url)
        self.pages.append(page)
        return page

    def close(self) -> list[str]:
        problems = []
        for page in self.pages:
            watch = _WATCHES.pop(id(page), None)
            if watch:
                problems += [f"[{watch.label}] {problem}" for problem in watch.problems]
        for context in self.contexts:
            context.close()
        return problems


@pytest.fixture
def new_page(chromium: Browser, live_server: Any) -> Iterator[PageFactory]:
    factory = PageFactory(chromium, live_server.url)
    yield factory
    problems = factory.close()
    if problems:
        pytest.fail("Pages logged errors:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture(params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, new_page: PageFactory) -> Page:
    """A page at each size in turn (the test runs once at the phone size, once at the desktop size)."""
    return new_page(request.param)


# --- Checks ---------------------------------------------------------------------------------------


class _MarkupProblems(HTMLParser):
    """Finds what the CSP forbids or blocks: inline script, event-handler attributes, inline style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._open: tuple[str, dict[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if re.fullmatch(r"on[a-z]+", name):
                self.problems.append(f"line {line}: <{tag}> has an event-handler attribute {name}=")
            elif name == "style":
                self.problems.append(f"line {line}: <{tag}> has a style= attribute ({value!r})")
            elif name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"line {line}: <{tag}> has a javascript: URL in {name}=")
        if tag in {"script", "style"}:
            self._open = (tag, dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[0] == tag:
            self._open = None

    def handle_data(self, data: str) -> None:
        if not self._open or not data.strip():
            return
        tag, attrs = self._open
        # A JSON data block (Django's json_script) is data, not script: the CSP allows it.
        if tag == "script" and (attrs.get("type") or "").lower() == "application/json":
            return
        self.problems.append(f"line {self.getpos()[0]}: inline <{tag}> with content: {data.strip()[:60]!r}")


def markup_problems(html: str) -> list[str]:
    parser = _MarkupProblems()
    parser.feed(html)
    parser.close()
    return parser.problems


def assert_clean_markup(page: Page, context_label: str) -> None:
    """The HTML the server sent for the page now shown has no inline script, handler or style."""
    watch = _WATCHES[id(page)]
    response = watch.document
    assert response is not None, f"{context_label}: no document was loaded"
    if id(response) in watch.checked_documents:
        return
    problems = markup_problems(response.text())
    watch.checked_documents.add(id(response))
    assert not problems, f"{context_label} ({response.url}) has markup the CSP forbids:\n" + "\n".join(problems)


def assert_no_console_errors(page: Page, context_label: str) -> None:
    watch = _WATCHES[id(page)]
    problems, watch.problems[:] = list(watch.problems), []
    assert not problems, f"{context_label}: the page logged errors:\n" + "\n".join(problems)


def _axe_violations(page: Page) -> list[dict[str, Any]]:
    # page.evaluate runs in the page through the DevTools protocol, which the page's CSP does not
    # govern (page.add_script_tag would add an inline <script>, which the CSP rightly blocks). It
    # also works in a context with JavaScript switched off, so the no-JS pages are checked too.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE + "\n;void 0")
    return page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary, html: n.html})),
            }));
        }""",
        AXE_TAGS,
    )


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(" ".join(part) if isinstance(part, list) else part for part in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:160]}")
            for summary_line in (node.get("summary") or "").splitlines():
                lines.append(f"       {summary_line}")
    return "\n".join(lines)


def _size_name(page: Page) -> str:
    size = page.viewport_size or VIEWPORTS["phone"]
    return next((name for name, dims in VIEWPORTS.items() if dims == size), f"{size['width']}×{size['height']}")


def assert_accessible(page: Page, context_label: str, *, both_sizes: bool = True) -> None:
    """Check the page state now shown: clean markup, no logged errors, and no axe-core violations
    of WCAG 2.2 AA at this size and (with ``both_sizes``) at the other size too."""
    page.wait_for_load_state("load")
    assert_clean_markup(page, context_label)
    original = page.viewport_size
    sizes = [_size_name(page)]
    if both_sizes:
        sizes += [name for name in VIEWPORTS if name != sizes[0]]
    failures = []
    try:
        for size in sizes:
            if VIEWPORTS.get(size) != page.viewport_size:
                page.set_viewport_size(VIEWPORTS[size])  # type: ignore[arg-type]
            violations = _axe_violations(page)
            if violations:
                failures.append(f"at the {size} size:\n{format_violations(violations)}")
    finally:
        if original and page.viewport_size != original:
            page.set_viewport_size(original)
    assert_no_console_errors(page, context_label)
    assert not failures, f"axe-core found WCAG 2.2 AA problems on {context_label} ({page.url}):\n" + "\n".join(failures)


# --- Signing in -----------------------------------------------------------------------------------


def sign_in_session(page: Page, user: Any) -> None:
    """Give the page's browser a signed-in session without going through the form (for tests about
    other pages; the sign-in pages themselves are driven through the form in test_journeys)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": _WATCHES[id(page)].base_url}]
    )


def fresh_totp(secret: str) -> str:
    """The authenticator code now, waiting out the last seconds of a 30-second period so the code is
    still current when the server checks it."""
    from coproduce.methods.totp import totp_code

    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.2)
    return totp_code(secret, time.time())
