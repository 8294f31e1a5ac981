import pytest
from tests.browser.conftest import assert_accessible, _axe_violations

pytestmark = pytest.mark.browser


def test_smoke(new_page, live_server):
    for js in (True, False):
        page = new_page("phone", javascript=js)
        page.goto("/accessibility/")
        print(js, page.title(), len(_axe_violations(page)))
        print(page.content()[:300])
