"""Bad input in voice: the usual XSS payloads (the corpus of tests/core/test_richtext.py, 57 of them) in
every field people write, double submissions, and acting on a hidden or withdrawn idea. Each gives a clear
message or is shown as harmless text; nothing is half-saved; never a 500; no markup that could run script."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from coproduce.core.exceptions import ServiceError
from coproduce.notifications.models import Notice
from coproduce.voice import services
from coproduce.voice.models import Comment, Flag, Idea, Response, Support
from tests.browser.support import markup_problems
from tests.conftest import signed_in
from tests.core.test_richtext import XSS_PAYLOADS
from tests.factories import MembershipFactory
from tests.partnerships.test_concurrency import run_at_once


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"voice:{name}", kwargs={"slug": partnership.slug, **kwargs})


class _Addresses(HTMLParser):
    """Every address in an attribute a browser follows or loads (as parsed, not as text in the page)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.addresses += [v or "" for k, v in attrs if k in {"href", "src", "action", "formaction", "srcdoc"}]


def assert_harmless(page: str, where: str) -> None:
    """No inline script, event handler or style (the CSP forbids them), and no address with a scheme that
    runs or embeds script."""
    problems = markup_problems(page)
    assert not problems, f"{where}: {problems}"
    parser = _Addresses()
    parser.feed(page)
    for address in parser.addresses:
        assert not re.match(r"\s*(javascript|data|vbscript):", address, re.I), f"{where}: {address}"


def test_the_xss_corpus_is_large_enough() -> None:
    assert len(XSS_PAYLOADS) >= 50


def test_every_payload_in_every_field_is_shown_as_text(member: Any, coordinator: Any, partnership: Any) -> None:
    other = MembershipFactory(partnership=partnership, is_member=True)
    author, reader, moderator = signed_in(member.user), signed_in(other.user), signed_in(coordinator.user)
    for n, payload in enumerate(XSS_PAYLOADS):
        title = f"{n} {payload}"[:140]
        response = author.post(url("idea-new", partnership), {"title": title, "body": payload, "show_name": "on"})
        assert response.status_code == 302, payload
        idea = Idea.objects.get(title=title)
        assert reader.post(url("comment-create", partnership, idea_id=idea.pk), {"body": payload}).status_code == 302
        comment = Comment.objects.filter(idea=idea).get()
        moderator.post(
            url("idea-respond", partnership, idea_id=idea.pk),
            {"status": "in_progress", "text": payload, "link_url": "/p/x/1/", "link_label": payload[:200]},
        )
        assert Response.objects.filter(idea=idea).count() == 1, payload
        reader.post(url("comment-flag", partnership, comment_id=comment.pk), {"reason": payload[:500]})
        moderator.post(
            url("moderate-comment", partnership, comment_id=comment.pk), {"action": "hide", "reason": payload[:500]}
        )
        pages = {
            "idea page, reader": reader.get(url("idea", partnership, idea_id=idea.pk)),
            "idea page, commenter (sees the hidden reason)": reader.get(url("idea", partnership, idea_id=idea.pk)),
            "idea page, coordinator": moderator.get(url("idea", partnership, idea_id=idea.pk)),
            "moderate page": moderator.get(url("moderate-comment", partnership, comment_id=comment.pk)),
            "search": reader.get(url("ideas", partnership), {"q": payload}),
        }
        for where, page in pages.items():
            assert page.status_code == 200, (where, payload)
            assert_harmless(page.content.decode(), f"{where} with {payload!r}")
    assert Flag.objects.count() == len(XSS_PAYLOADS)
    for name in ("ideas", "you-said-we-did", "moderation", "challenges"):
        for client in (author, moderator) if name == "moderation" else (author, reader, moderator):
            if name == "moderation" and client is author:
                assert client.get(url(name, partnership)).status_code == 404
                continue
            for page_number in ("1", "2", "3"):
                page = client.get(url(name, partnership), {"page": page_number})
                assert page.status_code == 200
                assert_harmless(page.content.decode(), f"{name} page {page_number}")
    assert_harmless(
        author.get(reverse("partnerships:home", kwargs={"slug": partnership.slug})).content.decode(), "home"
    )


@pytest.mark.parametrize("field", ["title", "body"])
def test_control_characters_and_null_bytes_are_refused_or_harmless(member: Any, field: str) -> None:
    data = {"title": "A title", "body": "Some text", field: "bad\x00byte"}
    response = signed_in(member.user).post(url("idea-new", member.partnership), data)
    # Refused for every form in one place (core.middleware): the plain 400 page says what to do.
    assert response.status_code == 400
    assert "hidden control character" in response.content.decode()
    assert not Idea.objects.exists()


class TestDoubleSubmission:
    def test_an_idea_form_sent_twice_posts_one_idea(self, member: Any) -> None:
        client = signed_in(member.user)
        data = {"title": "Evening job fair", "body": "After bedtime.", "show_name": "on"}
        first = client.post(url("idea-new", member.partnership), data)
        second = client.post(url("idea-new", member.partnership), data)
        assert Idea.objects.count() == 1
        assert first["Location"] == second["Location"] == url("idea", member.partnership, idea_id=Idea.objects.get().pk)
        client.post(url("idea-new", member.partnership), {**data, "body": "After bedtime, please."})
        assert Idea.objects.count() == 2  # different words are a different idea

    def test_a_comment_sent_twice_is_posted_once(self, member: Any, partnership: Any) -> None:
        idea = services.idea_create(actor=member, title="T", body="B")
        other = MembershipFactory(partnership=partnership, is_member=True)
        client = signed_in(other.user)
        for _ in range(2):
            assert client.post(url("comment-create", partnership, idea_id=idea.pk), {"body": "Yes!"}).status_code == 302
        idea.refresh_from_db()
        assert Comment.objects.filter(idea=idea).count() == 1
        assert idea.comment_count == 1
        assert Notice.objects.get(user=member.user).count == 1  # told once

    @pytest.mark.django_db(transaction=True)
    @pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
    def test_the_same_idea_sent_at_the_same_moment_is_posted_once(self) -> None:
        from coproduce.partnerships.models import Membership
        from tests.factories import PartnershipFactory

        person = MembershipFactory(partnership=PartnershipFactory(), is_member=True)

        def post() -> int:
            actor = Membership.objects.select_related("user").get(pk=person.pk)
            return services.idea_create(actor=actor, title="Crèche", body="Please").pk

        results = run_at_once([post] * 5)
        assert len(set(results)) == 1
        assert Idea.objects.count() == 1


class TestActingOnHiddenOrWithdrawnIdeas:
    @pytest.fixture
    def idea(self, member: Any) -> Idea:
        return services.idea_create(actor=member, title="Crèche at job fairs", body="Please")

    @pytest.mark.parametrize("state", ["hidden", "withdrawn"])
    def test_nothing_can_be_added_and_each_service_says_why(
        self, idea: Idea, member: Any, coordinator: Any, worker: Any, state: str
    ) -> None:
        if state == "hidden":
            services.moderation_set_hidden(actor=coordinator, hidden=True, reason="Checking", idea=idea)
            message = "hidden by a coordinator"
        else:
            services.idea_withdraw(actor=member, idea=idea)
            message = "withdrawn by its author"
        attempts = [
            lambda: services.support_toggle(actor=worker, idea=idea, support=True),
            lambda: services.comment_create(actor=coordinator, idea=idea, body="Hello"),
            lambda: services.idea_respond(actor=coordinator, idea=idea, status="considering", text="Looking"),
            lambda: services.response_record(
                actor=worker, idea=idea, text="A test", link_url="/p/x/", link_label="x", source="improvement"
            ),
        ]
        for attempt in attempts:
            with pytest.raises(ServiceError) as error:
                attempt()
            assert message in error.value.message
        idea.refresh_from_db()
        assert idea.status == "new"
        assert idea.support_count == idea.comment_count == 0
        assert not Support.objects.exists() and not Comment.objects.exists() and not Response.objects.exists()

    def test_pages_of_a_withdrawn_idea_answer_404_to_others_not_500(
        self, idea: Idea, member: Any, coordinator: Any, partnership: Any
    ) -> None:
        services.idea_withdraw(actor=member, idea=idea)
        client = signed_in(coordinator.user)
        for name, method in (
            ("idea", "get"),
            ("idea-support", "post"),
            ("idea-follow", "post"),
            ("comment-create", "post"),
            ("idea-flag", "get"),
            ("idea-respond", "get"),
            ("moderate-idea", "get"),
        ):
            response = getattr(client, method)(url(name, partnership, idea_id=idea.pk), {"support": "1", "follow": "1"})
            assert response.status_code == 404, name

    def test_responding_to_an_idea_hidden_meanwhile_keeps_the_form_and_says_why(
        self, idea: Idea, coordinator: Any, partnership: Any
    ) -> None:
        client = signed_in(coordinator.user)
        assert client.get(url("idea-respond", partnership, idea_id=idea.pk)).status_code == 200
        services.moderation_set_hidden(actor=coordinator, hidden=True, reason="Checking", idea=idea)
        page = client.post(
            url("idea-respond", partnership, idea_id=idea.pk), {"status": "considering", "text": "Kept words"}
        ).content.decode()
        assert "This idea has been hidden by a coordinator." in page
        assert "Kept words" in page
        assert not Response.objects.exists()
