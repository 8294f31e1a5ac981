"""Browser tests: Playwright driving Debian's Chromium against pytest-django's ``live_server``.

Run with ``uv run pytest -m browser``. The checks made on every page state are in support.py.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest, HttpResponseBase
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.browser.support import SERVED_PAGES, VIEWPORTS, unwatch, watch

# Playwright's sync API runs an asyncio event loop in this thread; without this Django refuses ORM
# calls from the test body ("You cannot call this from an async context"). Django reads it at each call.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("COPRODUCE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    # No calls home: the CI machine's network is closed, and they only slow the start.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


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
    # The live server runs in another thread: it sees only data committed for real.
    request.getfixturevalue("transactional_db")
    # Rate limits and used authenticator codes are kept in the cache, which the live server shares:
    # each test starts with none.
    cache.clear()


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


def _call_failed(request: pytest.FixtureRequest) -> bool:
    # A test that already failed has said what went wrong; later errors of its pages would only repeat it.
    return request.node.stash.get(_CALL_FAILED, False)


@pytest.fixture(autouse=True)
def record_served_pages(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep every HTML page the live server (a thread of this process) sends, for the markup check;
    at the end of the test, check the ones no page state has checked yet."""
    get_response = BaseHandler.get_response

    def recording(handler: BaseHandler, http_request: HttpRequest) -> HttpResponseBase:
        response = get_response(handler, http_request)
        if "text/html" in response.get("Content-Type", "") and not response.streaming:
            html = response.content.decode(response.charset or "utf-8")  # type: ignore[attr-defined]
            SERVED_PAGES.record(http_request.method or "", http_request.get_full_path(), response.status_code, html)
        return response

    SERVED_PAGES.reset()
    monkeypatch.setattr(BaseHandler, "get_response", recording)
    yield
    problems = SERVED_PAGES.problems()
    if problems and not _call_failed(request):
        pytest.fail("Pages served with problems:\n" + "\n".join(problems), pytrace=False)


class PageFactory:
    """``new_page("phone")``, ``new_page("desktop")``, ``new_page("phone", javascript=False)``: a page
    in a fresh browser context (its own cookies), watched for console errors. ``locale`` is the browser's
    language, which it asks pages in (Accept-Language): ``new_page("phone", locale="ar")``."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[BrowserContext] = []
        self.pages: list[Page] = []

    def __call__(self, size: str = "phone", *, javascript: bool = True, locale: str = "en-GB") -> Page:
        context = self.browser.new_context(
            viewport=VIEWPORTS[size],  # type: ignore[arg-type]
            base_url=self.base_url,
            java_script_enabled=javascript,
            locale=locale,
            timezone_id="Europe/London",
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        watch(page, size if javascript else f"{size}, JavaScript off", self.base_url, javascript=javascript)
        self.pages.append(page)
        return page

    def close(self) -> list[str]:
        problems = [problem for page in self.pages for problem in unwatch(page)]
        for context in self.contexts:
            context.close()
        return problems


@pytest.fixture
def new_page(request: pytest.FixtureRequest, chromium: Browser, live_server: Any) -> Iterator[PageFactory]:
    factory = PageFactory(chromium, live_server.url)
    yield factory
    problems = factory.close()
    if problems and not _call_failed(request):
        pytest.fail("Pages logged errors after their last check:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture(params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, new_page: PageFactory) -> Page:
    """A page at each size in turn: the test runs once at the phone size and once at the desktop size."""
    return new_page(request.param)
