"""The keyboard and accessible-name checks themselves (support.KeyboardWalk, support.unnamed_controls): each
must find the fault it is there for, or the journeys that use it prove nothing."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PageFactory
from tests.browser.support import KeyboardWalk, unnamed_controls

pytestmark = pytest.mark.browser

# Pages written here, on about:blank: no server, no CSP, so they may hold the faults the app's pages must not.
UNNAMED = """<!doctype html><html lang="en"><title>t</title><main>
  <button></button>
  <a href="/somewhere"><svg width="10" height="10"></svg></a>
  <input type="text">
  <details><summary></summary><p>x</p></details>
  <div role="button" tabindex="0"></div>
  <button>Named</button>
  <label for="named">Your name</label><input id="named" type="text">
  <button hidden></button>
</main></html>"""


def test_controls_with_no_name_are_found(new_page: PageFactory) -> None:
    page = new_page("phone")
    page.set_content(UNNAMED)
    found = unnamed_controls(page)
    assert len(found) == 5, found  # the named ones and the hidden one are not reported
    joined = "\n".join(found)
    for html in ("<button></button>", '<a href="/somewhere">', '<input type="text">', "<summary></summary>"):
        assert html in joined


KEYBOARD = """<!doctype html><html lang="en"><title>t</title>
<style>a:focus { outline: none; } .away { position: absolute; left: -9999px; }</style>
<main><a href="#1" id="first">Looks the same</a>
<button id="shows">Shows its focus</button>
<a href="#2" class="away">Off the screen</a>
<input id="trap" aria-label="trap"><button id="after">After</button></main>
<script>
document.getElementById("trap").addEventListener("keydown", (event) => {
  if (event.key === "Tab") { event.preventDefault(); }
});
</script></html>"""


def test_the_keyboard_walk_finds_a_hidden_focus_a_control_off_the_screen_and_a_trap(new_page: PageFactory) -> None:
    page = new_page("desktop")
    page.set_content(KEYBOARD)
    keys = KeyboardWalk(page, "test page")
    keys.tab_to(page.locator("#shows"))
    keys.tab_to(page.locator("#trap"))
    with pytest.raises(AssertionError, match="keyboard trap"):
        keys.tab_to(page.locator("#after"))
    with pytest.raises(AssertionError) as found:
        keys.assert_fine()
    assert '<a> "Looks the same": looks the same focused and not focused' in str(found.value)
    assert '<a> "Off the screen": takes focus but is not visible on the screen' in str(found.value)
    assert "Shows its focus" not in str(found.value)
