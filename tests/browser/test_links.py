"""No page links where its reader cannot go: as each kind of person in the demo partnership, every link on the
home page, and every link on the pages it leads to, answers (no 404, no 403). The observer's home once
offered a conversation's vote page, which answers 404 for someone who only reads."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from coproduce.demo_data import load_demo
from tests.browser.conftest import PageFactory
from tests.browser.support import sign_in_session

pytestmark = pytest.mark.browser

PEOPLE = {
    "observer": "ruth@funder.example",
    "member": "aisha@riverside.example",
    "member and worker": "kerry@riverside.example",
    "keyworker": "jamie@riverside.example",
    "coordinator": "morag@riverside.example",
    "partner lead": "dev@riverside.example",
}
# Words a parent should not meet on any page she reaches (issue 19): the formatting syntax, the jargon of
# the methods and of data protection, "the member" said to the member, and machine dates.
NOT_FOR_A_PARENT = re.compile(
    r"Markdown|Interest declared|\(Do\)|Distance travelled|Legitimate interests|astronomical|the member to"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PARENTS = {"member", "member and worker"}
PLAN = re.compile(r"^/p/riverside/support/plans/\d+/")
TAG = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]*)', re.I)
# Links that end the session or leave the site's pages are not followed.
SKIP = re.compile(r"^/(accounts/logout|static|media)/")


def links_in(html: str, base: str) -> set[str]:
    found = set()
    for href in HREF.findall(html):
        address = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        if address.netloc == urlsplit(base).netloc and address.path and not SKIP.match(address.path):
            found.add(address.path + (f"?{address.query}" if address.query else ""))
    return found


def test_no_link_leads_where_its_reader_cannot_go_and_no_page_speaks_jargon_to_a_parent(new_page: PageFactory) -> None:
    load_demo()  # once for every person: the demo takes a while to make
    broken: list[str] = []
    words: set[str] = set()
    for who, email in PEOPLE.items():
        page = new_page("desktop")
        sign_in_session(page, get_user_model().objects.get(email=email))
        page.goto("/p/riverside/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Parents' Employability Partnership")
        base = page.url
        seen: dict[str, int] = {}
        to_follow = [(link, "/p/riverside/") for link in sorted(links_in(page.content(), base))]
        for depth in (1, 2, 3):
            following, to_follow = to_follow, []
            for link, found_on in following:
                if link in seen:
                    continue
                response = page.request.get(link, max_redirects=0)
                seen[link] = response.status
                if response.status in (403, 404):
                    broken.append(f"as the {who}: {link} ({response.status}), linked from {found_on}")
                elif who in PARENTS and response.status == 200 and "text/html" in response.headers["content-type"]:
                    text = TAG.sub(" ", response.text())
                    found_words = {m.group() for m in NOT_FOR_A_PARENT.finditer(text)}
                    if link.endswith("/import/"):  # a file's format, shown as the file has it
                        found_words = {w for w in found_words if not ISO_DATE.fullmatch(w)}
                    words.update(f"{link}: {found!r}" for found in found_words)
                if response.status == 200 and "text/html" in response.headers["content-type"] and depth < 3:
                    found_here = sorted(links_in(response.text(), urljoin(base, link)))
                    # Two steps from home for everyone; a parent's own plan pages one step further.
                    if depth == 2:
                        found_here = [found for found in found_here if who in PARENTS and PLAN.match(found)]
                    to_follow += [(found, link) for found in found_here]
        assert len(seen) > 10, f"as the {who}, the home page leads almost nowhere: {sorted(seen)}"
        page.close()
    # The demo gives the support figures page something to show: averages about five or more plans, not only "–".
    page = new_page("phone")
    sign_in_session(page, get_user_model().objects.get(email=PEOPLE["coordinator"]))
    page.goto("/p/riverside/support/figures/")
    averages = page.get_by_role("table", name="Average change in the agreed point, first to latest check-in")
    expect(averages.get_by_role("row", name=re.compile(r"^Confidence")).get_by_role("cell").last).to_have_text(
        re.compile(r"^-?\d+(\.\d)?$")
    )
    assert not words, "Words a parent should not meet:\n" + "\n".join(sorted(words))
    assert not broken, "Links that answer 'not found' or 'forbidden':\n" + "\n".join(broken)
