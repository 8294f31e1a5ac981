"""What the browser tests check on every page state, and small helpers for driving the site.

``assert_accessible(page, label)`` is called on each page state a test reaches. It
* checks the HTML of every page the server has sent: no inline script, no ``on…=`` handler, no
  ``style=`` attribute and no ``javascript:`` URL (the Content Security Policy forbids them, so they
  would silently not work), and no 500;
* fails on anything the page logged as an error so far (CSP violations, JavaScript errors);
* runs axe-core with the WCAG 2.2 AA tags at the page's size and at the other size (its rules on names
  include ``button-name``, ``link-name``, ``label``, ``select-name``, ``input-button-name``,
  ``aria-command-name`` and ``summary-name``);
* at each size, asks Chromium's own accessibility tree for the name of every control a person can use
  (links, buttons, fields, drop-downs, ticks, radios, ``<summary>``, anything with a control's role) and fails
  on any whose name is empty (``unnamed_controls``).
Whatever a page logs after its last check is caught when the test ends (see conftest.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Page
from playwright.sync_api import Error as PlaywrightError

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def _is_the_page_itself(message: ConsoleMessage, page: Page) -> bool:
    return (message.location or {}).get("url", "") == page.url


def _is_the_default_favicon(message: ConsoleMessage, page: Page) -> bool:
    return urlsplit((message.location or {}).get("url", "")).path == "/favicon.ico"


# Console errors that are not faults of the page, each with the reason. Nothing else is tolerated.
HARMLESS_CONSOLE_ERRORS: list[tuple[re.Pattern[str], Callable[[ConsoleMessage, Page], bool], str]] = [
    (
        re.compile(r"^Failed to load resource: the server responded with a status of (404|410|429) "),
        _is_the_page_itself,
        "Chromium logs the status of every response of 400 or more, including the page itself when a test "
        "expects it to be 404 (not found), 410 (invitation used) or 429 (too many sign-ins); never harmless "
        "for a stylesheet, script, image or htmx request, which must succeed",
    ),
    (
        re.compile(r"^Failed to load resource: the server responded with a status of 404 "),
        _is_the_default_favicon,
        "the site has no icon yet, and Chromium asks for /favicon.ico by itself (not something a page links to)",
    ),
]


# --- Watching a page ------------------------------------------------------------------------------


@dataclass
class PageWatch:
    """A page under watch: what it logged that no check has reported yet."""

    label: str
    base_url: str
    javascript: bool
    problems: list[str] = field(default_factory=list)
    # Errors a test expects from here on (e.g. requests sent while offline), each tested on the problem's text;
    # those seen are kept apart in `expected_seen`, so a test can still check that they happened.
    expected: list[Callable[[str], bool]] = field(default_factory=list)
    expected_seen: list[str] = field(default_factory=list)


_WATCHES: dict[int, PageWatch] = {}


def watch(page: Page, label: str, base_url: str, *, javascript: bool) -> PageWatch:
    """Start collecting the page's console errors and uncaught exceptions."""
    page_watch = PageWatch(label, base_url, javascript)
    _WATCHES[id(page)] = page_watch

    def on_console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        for pattern, applies, _reason in HARMLESS_CONSOLE_ERRORS:
            if pattern.search(message.text) and applies(message, page):
                return
        where = (message.location or {}).get("url", "") or page.url
        problem = f"console error on {where}: {message.text}"
        if any(is_expected(problem) for is_expected in page_watch.expected):
            page_watch.expected_seen.append(problem)
            return
        page_watch.problems.append(problem)

    def on_page_error(error: Any) -> None:
        page_watch.problems.append(f"JavaScript error on {page.url}: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return page_watch


def unwatch(page: Page) -> list[str]:
    """Stop watching; the problems not yet reported."""
    page_watch = _WATCHES.pop(id(page), None)
    return [f"[{page_watch.label}] {problem}" for problem in page_watch.problems] if page_watch else []


def watched(page: Page) -> PageWatch:
    return _WATCHES[id(page)]


# --- Markup the CSP forbids -----------------------------------------------------------------------


class _MarkupProblems(HTMLParser):
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
            elif name in {"href", "src", "action", "formaction"} and re.match(r"\s*javascript:", value or "", re.I):
                self.problems.append(f"line {line}: <{tag}> has a javascript: URL in {name}=")
        if tag in {"script", "style"}:
            self._open = (tag, dict(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._open = None

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[0] == tag:
            self._open = None

    def handle_data(self, data: str) -> None:
        if not self._open or not data.strip():
            return
        tag, attrs = self._open
        # A JSON data block (Django's json_script, or JSON-LD describing a page's data) is data, not script: a
        # browser never runs it, so the CSP allows it.
        if tag == "script" and (attrs.get("type") or "").lower() in {"application/json", "application/ld+json"}:
            return
        self.problems.append(f"line {self.getpos()[0]}: inline <{tag}> with content {data.strip()[:60]!r}")


def markup_problems(html: str) -> list[str]:
    """Inline script or style, event-handler attributes, style attributes and javascript: URLs in ``html``."""
    parser = _MarkupProblems()
    parser.feed(html)
    parser.close()
    return parser.problems


@dataclass
class ServedPage:
    method: str
    path: str
    status: int
    html: str


class ServedPages:
    """Every HTML page the live server sends during a test, recorded as it leaves Django (see
    record_served_pages in conftest.py), so that the pages passed through on the way (redirect targets,
    each failed attempt) are checked too, not only the states a test stops to look at."""

    def __init__(self) -> None:
        self.pages: list[ServedPage] = []
        self.checked = 0

    def record(self, method: str, path: str, status: int, html: str) -> None:
        self.pages.append(ServedPage(method, path, status, html))

    def reset(self) -> None:
        self.pages.clear()
        self.checked = 0

    def problems(self) -> list[str]:
        """What is wrong with the pages served since the last call: markup the CSP forbids, or a 500."""
        new, self.checked = self.pages[self.checked :], len(self.pages)
        problems = []
        for served in new:
            where = f"{served.method} {served.path} ({served.status})"
            if served.status >= 500:
                problems.append(f"{where}: the server failed")
            problems += [f"{where}: {problem}" for problem in markup_problems(served.html)]
        return problems


SERVED_PAGES = ServedPages()


def assert_clean_markup(page: Page, context_label: str) -> None:
    """Every page the server has sent so far has no markup the CSP forbids, and none was a 500."""
    problems = SERVED_PAGES.problems()
    assert not problems, f"{context_label}: pages served with problems:\n" + "\n".join(problems)


def assert_no_console_errors(page: Page, context_label: str) -> None:
    page_watch = watched(page)
    problems = list(page_watch.problems)
    page_watch.problems.clear()
    assert not problems, f"{context_label}: the page logged errors:\n" + "\n".join(problems)


# --- axe-core -------------------------------------------------------------------------------------

# With JavaScript switched off, code run through page.evaluate still executes but timers never fire,
# and axe.run waits on them: run their callbacks as microtasks instead. Only in such pages, where no
# page script runs that could notice.
_TIMERS_AS_MICROTASKS = """() => {
    window.setTimeout = (callback, delay, ...args) => { Promise.resolve().then(() => callback(...args)); return 0; };
    window.clearTimeout = () => {};
    window.requestAnimationFrame = (callback) => {
        Promise.resolve().then(() => callback(performance.now()));
        return 0;
    };
}"""

_AXE_RUN = """async (tags) => {
    const results = await window.axe.run(document, {runOnly: {type: "tag", values: tags}});
    return results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary, html: n.html})),
    }));
}"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 AA violations on the page as it is now."""
    # page.evaluate goes through the DevTools protocol, which the page's CSP does not govern, so the
    # page keeps its real CSP (and the tests notice its faults). page.add_script_tag would add an
    # inline <script>, which the CSP rightly blocks; bypass_csp would hide CSP faults for the whole
    # context. evaluate also works with JavaScript switched off, so no-JS page states are checked as
    # they are.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        if not watched(page).javascript:
            page.evaluate(_TIMERS_AS_MICROTASKS)
        page.evaluate(AXE_SOURCE + "\n;void 0")
    return page.evaluate(_AXE_RUN, AXE_TAGS)


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}  <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(" ".join(part) if isinstance(part, list) else part for part in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:200]}")
            lines.extend(f"       {line}" for line in (node.get("summary") or "").splitlines())
    return "\n".join(lines)


def _size_name(page: Page) -> str:
    size = page.viewport_size
    return next((name for name, dims in VIEWPORTS.items() if dims == size), str(size))


def assert_accessible(page: Page, context_label: str, *, both_sizes: bool = True) -> None:
    """Check the page state now shown: markup the CSP allows, nothing logged as an error, no axe-core
    violation of WCAG 2.2 AA, every control named and no page wider than the screen, at this size and (with
    ``both_sizes``) at the other one."""
    page.wait_for_load_state("load")
    assert_clean_markup(page, context_label)
    original = page.viewport_size
    sizes = [_size_name(page)]
    if both_sizes:
        sizes += [name for name in VIEWPORTS if name != sizes[0]]
    failures = []
    try:
        for size in sizes:
            if page.viewport_size != VIEWPORTS.get(size, original):
                page.set_viewport_size(VIEWPORTS[size])  # type: ignore[arg-type]
            violations = axe_violations(page)
            if violations:
                failures.append(f"at the {size} size:\n{format_violations(violations)}")
            unnamed = unnamed_controls(page)
            if unnamed:
                failures.append(f"at the {size} size, controls with no accessible name:\n" + "\n".join(unnamed))
            # WCAG 1.4.10 (reflow): what is wider than the screen scrolls inside its own region, never the page.
            wider = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            if wider > 0:
                failures.append(f"at the {size} size: the page is {wider}px wider than the screen (WCAG 1.4.10)")
    finally:
        if original and page.viewport_size != original:
            page.set_viewport_size(original)
    assert_no_console_errors(page, context_label)
    assert not failures, f"axe-core found WCAG 2.2 AA problems on {context_label} ({page.url}):\n" + "\n".join(failures)


# --- Driving the site -----------------------------------------------------------------------------


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def sign_in_session(page: Page, user: Any) -> None:
    """Give the page's browser a session signed in as ``user`` without using the form: for tests about
    other pages (the sign-in pages themselves are driven through their forms in test_journeys.py)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="coproduce.accounts.backends.AuthenticationBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": watched(page).base_url}])


def fresh_totp(secret: str) -> str:
    """The authenticator app's code now, waiting out the last seconds of a 30-second period so that
    the code is still current when the server checks it."""
    from coproduce.methods.totp import totp_code

    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.2)
    return totp_code(secret, time.time())


# --- Accessible names -----------------------------------------------------------------------------

# The roles of controls in Chromium's accessibility tree: what a person can press, follow, type in or choose.
CONTROL_ROLES = frozenset(
    {
        "button",
        "checkbox",
        "combobox",
        "DisclosureTriangle",  # a <summary>
        "link",
        "listbox",
        "menuitem",
        "menuitemcheckbox",
        "menuitemradio",
        "option",
        "radio",
        "searchbox",
        "slider",
        "spinbutton",
        "switch",
        "tab",
        "textbox",
        "treeitem",
    }
)


def unnamed_controls(page: Page) -> list[str]:
    """The controls on the page that a screen reader would announce with no name: every node of Chromium's own
    accessibility tree (the names it gives to assistive technology) whose role is a control, that is not hidden
    from it, and whose computed accessible name is empty. Each is given with the start of its HTML."""
    session = page.context.new_cdp_session(page)
    try:
        session.send("DOM.enable")
        session.send("Accessibility.enable")
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
        found = []
        for node in nodes:
            role = (node.get("role") or {}).get("value")
            if node.get("ignored") or role not in CONTROL_ROLES:
                continue
            if str((node.get("name") or {}).get("value") or "").strip():
                continue
            where = f"a {role}"
            if "backendDOMNodeId" in node:
                html = session.send("DOM.getOuterHTML", {"backendNodeId": node["backendDOMNodeId"]})["outerHTML"]
                where += f": {' '.join(html.split())[:160]}"
            found.append(where)
        return found
    finally:
        session.detach()


def assert_controls_named(page: Page, context_label: str) -> None:
    """Every control on the page has a non-empty accessible name (see unnamed_controls)."""
    unnamed = unnamed_controls(page)
    assert not unnamed, f"{context_label} ({page.url}): controls with no accessible name:\n" + "\n".join(unnamed)


# --- The keyboard alone ---------------------------------------------------------------------------

# What makes focus visible, read from the focused element, its labels (the design system draws ticks and
# radios on the label, over an input it makes transparent) and their ::before and ::after.
_LOOK = """(el) => {
    const properties = ["outline-style", "outline-width", "outline-color", "box-shadow", "background-color",
        "color", "border-top-color", "border-bottom-color", "border-bottom-width", "text-decoration-line",
        "text-decoration-thickness"];
    const parts = [el, ...(el.labels || [])];
    const looks = [];
    for (const part of parts) {
        for (const pseudo of [null, "::before", "::after"]) {
            const style = getComputedStyle(part, pseudo);
            looks.push(properties.map((p) => style.getPropertyValue(p)).join("|"));
        }
    }
    return looks.join("\\n");
}"""

_WHERE = """(el) => {
    const visible = (node) => {
        const box = node.getBoundingClientRect();
        return node.checkVisibility({visibilityProperty: true}) && box.width > 0 && box.height > 0
            && box.bottom > 0 && box.right > 0 && box.top < window.innerHeight && box.left < window.innerWidth;
    };
    const parts = [el, ...(el.labels || [])];
    const shown = parts.find(visible);
    let covered = false;
    if (shown) {
        // WCAG 2.4.11: nothing of the page's own (a sticky header, a banner) covers the focused control.
        const box = shown.getBoundingClientRect();
        const x = Math.min(Math.max(box.left + box.width / 2, 0), window.innerWidth - 1);
        const y = Math.min(Math.max(box.top + Math.min(box.height / 2, 8), 0), window.innerHeight - 1);
        const top = document.elementFromPoint(x, y);
        covered = !!top && !parts.some((part) => part === top || part.contains(top) || top.contains(part));
    }
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || el.id || "").trim();
    return {
        shown: !!shown,
        covered,
        what: `<${el.tagName.toLowerCase()}> ${JSON.stringify(text.slice(0, 60))}`,
    };
}"""


@dataclass
class KeyboardWalk:
    """A person using the keyboard alone on ``page``: every place the focus stops is checked to be visible
    (on the screen, not covered by anything of the page) and to change how it looks when focused; the focus
    must always move on (no trap)."""

    page: Page
    label: str
    stops: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _left: Any = None  # the element the focus is on, with how it looked focused: checked when focus leaves it

    def _focused(self) -> Any:
        handle = self.page.evaluate_handle("() => document.activeElement")
        element = handle.as_element()
        if element is None or element.evaluate("el => el === document.body || el === document.documentElement"):
            return None
        return element

    def _arrive(self) -> str | None:
        """Check where the focus is now; the element it left is checked for a visible change."""
        if self._left is not None:
            element, look, what = self._left
            self._left = None
            try:
                left = element.evaluate("el => el.isConnected && el !== document.activeElement")
                if left and element.evaluate(_LOOK) == look:
                    self.problems.append(f"{what}: looks the same focused and not focused (WCAG 2.4.7)")
            except PlaywrightError:
                pass  # the page it was on has gone (a link followed, a form sent)
        element = self._focused()
        if element is None:
            self.stops.append("(the page itself)")
            return None
        where = element.evaluate(_WHERE)
        # The design system scrolls smoothly: give the page a moment to bring the control into view.
        for _ in range(20):
            if where["shown"] and not where["covered"]:
                break
            self.page.wait_for_timeout(50)
            if not element.evaluate("el => el.isConnected"):
                # The page swapped in new content around the focus (htmx, after a key sent a form): the element
                # read a moment ago is gone, and the focus is wherever the page put it. Look again.
                element = self._focused()
                if element is None:
                    self.stops.append("(the page itself)")
                    return None
            where = element.evaluate(_WHERE)
        self.stops.append(where["what"])
        if not where["shown"]:
            self.problems.append(f"{where['what']}: takes focus but is not visible on the screen")
        elif where["covered"]:
            self.problems.append(f"{where['what']}: is covered by something else when focused (WCAG 2.4.11)")
        # A target the page moves the focus to (main after the skip link, a message, an error summary), out of
        # the tab order, is not a control: it need not look focused.
        if element.evaluate("el => el.tabIndex >= 0"):
            self._left = (element, element.evaluate(_LOOK), where["what"])
        return str(where["what"])

    def press(self, key: str) -> str | None:
        """Press a key (Tab, Shift+Tab, Enter, Space, ArrowDown…); the description of the focused element."""
        self.page.keyboard.press(key)
        for _ in range(3):
            try:
                return self._arrive()
            except PlaywrightError:  # the key sent a form or followed a link: look again on the new page
                self._left = None
                self.page.wait_for_load_state()
        return self._arrive()

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def tab_to(self, target: Any, *, backwards: bool = False, max_presses: int = 120) -> None:
        """Press Tab (Shift+Tab) until ``target`` (a Locator) has the focus; fail on a trap or if never reached."""
        key = "Shift+Tab" if backwards else "Tab"
        last, same = None, 0
        for _ in range(max_presses):
            now = self.press(key)
            if target.evaluate("el => el === document.activeElement"):
                return
            same = same + 1 if now is not None and now == last else 0
            assert same < 3, f"{self.label}: the focus is stuck on {now} (a keyboard trap)"
            last = now
        raise AssertionError(f"{self.label}: {max_presses} presses of {key} never reached {target}: {self.stops[-15:]}")

    def skip_to_main(self) -> None:
        """From the top of a freshly loaded page: the first Tab reaches the skip link, Enter moves into main."""
        first = self.press("Tab")
        assert first is not None and "Skip to main content" in first, f"{self.label}: the first Tab reached {first}"
        self.page.keyboard.press("Enter")
        focused = self.page.evaluate("() => document.activeElement.id")
        assert focused == "main-content", f"{self.label}: the skip link moved the focus to {focused!r}"
        self._left = None

    def assert_fine(self) -> None:
        """Check the last stop too (by leaving it and coming back), then fail on anything found."""
        if self._left is not None and self._focused() is not None:
            self.page.keyboard.press("Tab")
            self._arrive()
            self.page.keyboard.press("Shift+Tab")
            self._arrive()
            self._left = None
        problems, self.problems = self.problems, []
        assert not problems, f"{self.label}: with the keyboard alone:\n" + "\n".join(dict.fromkeys(problems))

    def walk_whole_page(self, max_presses: int = 250) -> None:
        """Tab from the top of the page through every control until the focus leaves the page: every stop
        visible and showing focus, no trap."""
        self.page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
        last, first = None, None
        for _ in range(max_presses):
            now = self.press("Tab")
            if len(self.stops) > 1 and (now is None or now == first):
                break  # out of the page, or round to its first control again
            first = first or now
            assert now != last or now is None, f"{self.label}: the focus is stuck on {now} (a keyboard trap)"
            last = now
        else:
            raise AssertionError(f"{self.label}: {max_presses} presses of Tab never left the page")
        self.assert_fine()
