"""The voice pages as people use them: posting, supporting (with and without htmx), discussing,
moderating and responding, what each person may see, and queries per page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.voice import services
from coproduce.voice.models import Challenge, Comment, Flag, Idea, Support
from tests.conftest import signed_in
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory, staff_membership
from tests.voice.factories import CommentFactory, IdeaFactory

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"voice:{name}", kwargs={"slug": partnership.slug, **kwargs})


def html(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def other_member(partnership: Any) -> Any:
    return MembershipFactory(partnership=partnership, is_member=True)


@pytest.fixture
def idea(member: Any) -> Idea:
    return services.idea_create(actor=member, title="Crèche at job fairs", body="So parents of **toddlers** can come.")


class TestPostingAnIdea:
    def test_a_member_posts_an_idea_and_finds_it_in_the_list(self, member: Any) -> None:
        client = signed_in(member.user)
        form = client.get(url("idea-new", member.partnership))
        assert form.status_code == 200
        assert 'for="id_title"' in html(form)
        assert "Show my name to others" in html(form)
        assert "a member of staff" in html(form)  # the checkbox explains what others see otherwise
        response = client.post(
            url("idea-new", member.partnership),
            {"title": "Evening job fair", "body": "After **bedtime**, please.", "show_name": "on"},
        )
        idea = Idea.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("idea", member.partnership, idea_id=idea.pk)
        page = client.get(response["Location"])
        assert "Your idea is posted" in html(page)
        assert "<strong>bedtime</strong>" in html(page)
        assert idea.show_name is True
        assert idea.author_id == member.user_id
        listing = html(client.get(url("ideas", member.partnership)))
        assert "Evening job fair" in listing
        assert "1 idea" in listing

    def test_empty_fields_show_messages_at_the_top_and_by_the_fields(self, member: Any) -> None:
        response = signed_in(member.user).post(url("idea-new", member.partnership), {"title": " ", "body": ""})
        page = html(response)
        assert response.status_code == 200
        assert "<title>Error:" in page
        assert "There is a problem" in page
        assert page.count("Enter a title for your idea.") == 2  # summary and field
        assert page.count("Describe your idea.") == 2
        assert 'href="#id_title"' in page
        assert not Idea.objects.exists()

    def test_over_long_text_is_refused_and_what_was_typed_is_kept(self, member: Any) -> None:
        title = "T" * 141
        body = "Keep-this-sentence. " + "b" * 5000
        response = signed_in(member.user).post(url("idea-new", member.partnership), {"title": title, "body": body})
        page = html(response)
        assert "The title must be 140 characters or fewer." in page
        assert "Your idea must be 5000 characters or fewer." in page
        assert f'value="{title}"' in page
        assert "Keep-this-sentence." in page
        assert not Idea.objects.exists()

    def test_a_challenge_in_the_address_is_chosen_and_only_open_ones_are_offered(self, member: Any) -> None:
        open_one = services.challenge_create(actor=member, title="How could job fairs suit parents?")
        closed = services.challenge_create(actor=member, title="An old question")
        Challenge.objects.filter(pk=closed.pk).update(closes_at=timezone.now() - timedelta(days=1))
        page = html(signed_in(member.user).get(url("idea-new", member.partnership) + f"?challenge={open_one.pk}"))
        assert f'<option value="{open_one.pk}" selected>' in page
        assert "An old question" not in page

    def test_script_in_markdown_never_reaches_the_page(self, member: Any) -> None:
        client = signed_in(member.user)
        client.post(
            url("idea-new", member.partnership),
            {"title": "<script>alert(1)</script>", "body": '<img src=x onerror="alert(2)"> [x](javascript:alert(3))'},
        )
        page = html(client.get(url("idea", member.partnership, idea_id=Idea.objects.get().pk)))
        assert "<script>alert" not in page
        assert "<img" not in page
        assert "&lt;img" in page  # shown as text, not run
        assert 'href="javascript:' not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


class TestSupport:
    def test_without_htmx_it_redirects_back_and_a_replay_changes_nothing(self, idea: Idea, other_member: Any) -> None:
        client = signed_in(other_member.user)
        back = url("ideas", idea.partnership) + "?sort=supported"
        for _ in range(2):
            response = client.post(
                url("idea-support", idea.partnership, idea_id=idea.pk), {"support": "1", "next": back}
            )
            assert response.status_code == 302
            assert response["Location"] == back
            idea.refresh_from_db()
            assert idea.support_count == 1
        assert Support.objects.filter(idea=idea).count() == 1
        page = html(client.get(back))
        assert 'aria-pressed="true"' in page
        assert "1 support, including yours" in page
        client.post(url("idea-support", idea.partnership, idea_id=idea.pk), {"support": "0"})
        idea.refresh_from_db()
        assert idea.support_count == 0

    def test_with_htmx_it_answers_with_the_button_alone(self, idea: Idea, other_member: Any) -> None:
        client = signed_in(other_member.user)
        address = url("idea-support", idea.partnership, idea_id=idea.pk)
        for _ in range(2):
            response = client.post(address, {"support": "1", "next": "/elsewhere/"}, **HTMX)
            page = html(response)
            assert response.status_code == 200
            assert "<html" not in page
            assert page.lstrip().startswith("<form")
            assert f'hx-post="{address}"' in page
            assert 'hx-target="this"' in page
            assert 'hx-swap="outerHTML"' in page
            assert 'aria-pressed="true"' in page
            assert 'name="support" value="0"' in page  # pressing again takes the support back
            assert "1 support, including yours" in page
        idea.refresh_from_db()
        assert idea.support_count == 1
        page = html(client.post(address, {"support": "0"}, **HTMX))
        assert 'aria-pressed="false"' in page
        assert "0 supports" in page

    def test_an_unsafe_next_goes_to_the_idea_instead(self, idea: Idea, other_member: Any) -> None:
        response = signed_in(other_member.user).post(
            url("idea-support", idea.partnership, idea_id=idea.pk),
            {"support": "1", "next": "https://evil.example/"},
        )
        assert response["Location"] == url("idea", idea.partnership, idea_id=idea.pk)

    def test_a_missing_value_is_a_bad_request(self, idea: Idea, other_member: Any) -> None:
        response = signed_in(other_member.user).post(url("idea-support", idea.partnership, idea_id=idea.pk), {})
        assert response.status_code == 400
        assert not Support.objects.exists()

    def test_observers_cannot_support(self, idea: Idea, observer: Any) -> None:
        client = signed_in(observer.user)
        response = client.post(url("idea-support", idea.partnership, idea_id=idea.pk), {"support": "1"})
        assert response.status_code == 404
        assert 'name="support"' not in html(client.get(url("idea", idea.partnership, idea_id=idea.pk)))

    def test_a_hidden_idea_takes_no_support_and_says_why(self, idea: Idea, coordinator: Any) -> None:
        services.moderation_set_hidden(actor=coordinator, hidden=True, reason="Names a child", idea=idea)
        response = signed_in(coordinator.user).post(
            url("idea-support", idea.partnership, idea_id=idea.pk), {"support": "1"}, **HTMX
        )
        assert "hidden by a coordinator" in html(response)
        assert not Support.objects.exists()

    def test_follow_toggles_with_and_without_htmx(self, idea: Idea, other_member: Any) -> None:
        client = signed_in(other_member.user)
        address = url("idea-follow", idea.partnership, idea_id=idea.pk)
        page = html(client.post(address, {"follow": "1"}, **HTMX))
        assert ">Stop following</button>" in page
        assert "<html" not in page
        response = client.post(address, {"follow": "0"})
        assert response.status_code == 302
        assert ">Follow this idea</button>" in html(client.get(response["Location"]))


class TestWhoSeesWhat:
    def test_a_member_cannot_see_another_members_withdrawn_idea(
        self, idea: Idea, member: Any, other_member: Any
    ) -> None:
        author = signed_in(member.user)
        assert "Yes, withdraw my idea" in html(author.get(url("idea-withdraw", idea.partnership, idea_id=idea.pk)))
        response = author.post(url("idea-withdraw", idea.partnership, idea_id=idea.pk))
        assert response["Location"] == url("ideas", idea.partnership)
        assert "You withdrew this idea" in html(author.get(url("idea", idea.partnership, idea_id=idea.pk)))
        other = signed_in(other_member.user)
        assert other.get(url("idea", idea.partnership, idea_id=idea.pk)).status_code == 404
        assert "Crèche at job fairs" not in html(other.get(url("ideas", idea.partnership)))

    def test_a_member_cannot_edit_another_members_idea(self, idea: Idea, other_member: Any) -> None:
        client = signed_in(other_member.user)
        address = url("idea-edit", idea.partnership, idea_id=idea.pk)
        assert client.get(address).status_code == 404
        assert client.post(address, {"title": "Taken over", "body": "Mine now"}).status_code == 404
        assert client.post(url("idea-withdraw", idea.partnership, idea_id=idea.pk)).status_code == 404
        idea.refresh_from_db()
        assert idea.title == "Crèche at job fairs"
        assert idea.withdrawn_at is None
        assert "Change your idea" not in html(client.get(url("idea", idea.partnership, idea_id=idea.pk)))

    def test_the_author_edits_and_is_told_when_the_window_has_closed(self, idea: Idea, member: Any) -> None:
        client = signed_in(member.user)
        address = url("idea-edit", idea.partnership, idea_id=idea.pk)
        assert 'value="Crèche at job fairs"' in html(client.get(address))
        response = client.post(address, {"title": "Crèche at every job fair", "body": "Changed."})
        assert response.status_code == 302
        idea.refresh_from_db()
        assert idea.title == "Crèche at every job fair"
        assert idea.show_name is False  # an unticked box is "no"
        Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(hours=25))
        response = client.get(address, follow=True)
        assert "can be changed for 24 hours" in html(response)

    def test_an_anonymous_authors_name_reaches_coordinators_only(
        self, partnership: Any, other_member: Any, coordinator: Any
    ) -> None:
        author = MembershipFactory(partnership=partnership, user=UserFactory(display_name="Zebediah"))
        idea = services.idea_create(actor=author, title="Quiet room", body="For calls.", show_name=False)
        own = services.comment_create(actor=author, idea=idea, body="To add: a phone charger.")
        other_comment = services.comment_create(actor=other_member, idea=idea, body="Good idea")
        services.comment_create(actor=author, idea=idea, body="Thank you", parent=other_comment)
        services.comment_update(actor=author, comment=own, body="To add: a phone charger, please.")
        services.flag_create(actor=other_member, comment=own, reason="Checking")
        challenge = services.challenge_create(actor=coordinator, title="Where should we meet?")
        services.idea_create(actor=author, title="The library", body="Free.", challenge=challenge, show_name=False)
        pages = [
            url("idea", partnership, idea_id=idea.pk),
            url("ideas", partnership),
            url("challenge", partnership, challenge_id=challenge.pk),
            reverse("partnerships:home", kwargs={"slug": partnership.slug}),
        ]
        member_client = signed_in(other_member.user)
        for page in pages:
            content = html(member_client.get(page))
            assert "Zebediah" not in content, page
        idea_page = html(member_client.get(pages[0]))
        assert "a parent" in idea_page
        assert "a parent, who shared the idea" in idea_page
        assert idea_page.count("a parent, who shared the idea") == 2  # the comment and the reply
        assert "Good idea" in idea_page
        assert "Zebediah" not in html(member_client.get(pages[0] + f"?reply_to={other_comment.pk}"))
        assert "Zebediah" not in html(member_client.get(url("comment-flag", partnership, comment_id=own.pk)))
        coordinator_client = signed_in(coordinator.user)
        coordinator_page = html(coordinator_client.get(pages[0]))
        assert "Zebediah" in coordinator_page
        assert "shown only to coordinators" in coordinator_page
        # Coordinators can still moderate: the queue and the moderation page name the author to them.
        assert "Zebediah" in html(coordinator_client.get(url("moderate-comment", partnership, comment_id=own.pk)))

    def test_another_partnerships_idea_is_missing(self, idea: Idea, outsider: Any) -> None:
        other_partnership_address = url("idea", outsider.partnership, idea_id=idea.pk)
        assert signed_in(outsider.user).get(other_partnership_address).status_code == 404


class TestDiscussion:
    def test_comment_and_reply_without_javascript(self, idea: Idea, other_member: Any, member: Any) -> None:
        client = signed_in(other_member.user)
        address = url("comment-create", idea.partnership, idea_id=idea.pk)
        response = client.post(address, {"body": "Yes, with a **crèche**."})
        comment = Comment.objects.get()
        assert response["Location"] == url("idea", idea.partnership, idea_id=idea.pk) + f"#comment-{comment.pk}"
        author = signed_in(member.user)
        page = html(author.get(url("idea", idea.partnership, idea_id=idea.pk) + f"?reply_to={comment.pk}"))
        assert 'id="reply"' in page
        assert f'name="parent" value="{comment.pk}"' in page
        author.post(address, {"body": "Thank you!", "parent": str(comment.pk)})
        reply = Comment.objects.exclude(pk=comment.pk).get()
        assert reply.parent_id == comment.pk
        page = html(author.get(url("idea", idea.partnership, idea_id=idea.pk)))
        assert "cp-comments--replies" in page
        assert "Thank you!" in page
        assert "Discussion: 2 comments" in page

    def test_an_empty_comment_shows_the_idea_page_with_the_error(self, idea: Idea, other_member: Any) -> None:
        response = signed_in(other_member.user).post(
            url("comment-create", idea.partnership, idea_id=idea.pk), {"body": "   "}
        )
        page = html(response)
        assert response.status_code == 200
        assert "<title>Error:" in page
        assert page.count("Write your comment.") == 2
        assert "Crèche at job fairs" in page
        assert not Comment.objects.exists()

    def test_an_over_long_reply_keeps_what_was_typed_under_its_comment(self, idea: Idea, other_member: Any) -> None:
        comment = services.comment_create(actor=other_member, idea=idea, body="First")
        text = "Long-reply " + "r" * 2000
        response = signed_in(other_member.user).post(
            url("comment-create", idea.partnership, idea_id=idea.pk), {"body": text, "parent": str(comment.pk)}
        )
        page = html(response)
        assert "Your comment must be 2000 characters or fewer." in page
        assert 'id="reply"' in page
        assert "Long-reply" in page
        assert Comment.objects.count() == 1

    def test_a_deleted_comment_leaves_a_note(self, idea: Idea, other_member: Any, member: Any) -> None:
        comment = services.comment_create(actor=other_member, idea=idea, body="A secret-ish remark")
        client = signed_in(other_member.user)
        address = url("comment-delete", idea.partnership, comment_id=comment.pk)
        assert "A secret-ish remark" in html(client.get(address))
        assert signed_in(member.user).post(address).status_code == 404  # only its author
        response = client.post(address)
        assert response.status_code == 302
        page = html(signed_in(member.user).get(url("idea", idea.partnership, idea_id=idea.pk)))
        assert "Removed by its author" in page
        assert "A secret-ish remark" not in page
        assert client.post(address).status_code == 302  # a replay changes nothing

    def test_comment_edit_by_its_author(self, idea: Idea, other_member: Any, member: Any) -> None:
        comment = services.comment_create(actor=other_member, idea=idea, body="Frist")
        address = url("comment-edit", idea.partnership, comment_id=comment.pk)
        assert signed_in(member.user).get(address).status_code == 404
        client = signed_in(other_member.user)
        assert "Frist" in html(client.get(address))
        assert "Write your comment." in html(client.post(address, {"body": ""}))
        client.post(address, {"body": "First"})
        comment.refresh_from_db()
        assert comment.body == "First"

    def test_a_hidden_comment_shows_its_reason_to_its_author_only(
        self, idea: Idea, other_member: Any, member: Any, coordinator: Any
    ) -> None:
        comment = services.comment_create(actor=other_member, idea=idea, body="Call Jo on 07700 900000")
        response = signed_in(coordinator.user).post(
            url("moderate-comment", idea.partnership, comment_id=comment.pk),
            {"action": "hide", "reason": "It gives a phone number"},
        )
        assert response.status_code == 302
        idea_address = url("idea", idea.partnership, idea_id=idea.pk)
        others = html(signed_in(member.user).get(idea_address))
        assert "Hidden by a coordinator" in others
        assert "07700" not in others
        assert "It gives a phone number" not in others
        own = html(signed_in(other_member.user).get(idea_address))
        assert "It gives a phone number" in own


class TestModerationAndResponses:
    def test_a_flag_reaches_the_queue_and_the_author_sees_why_the_idea_was_hidden(
        self, idea: Idea, member: Any, other_member: Any, coordinator: Any
    ) -> None:
        flagger = signed_in(other_member.user)
        empty = flagger.post(url("idea-flag", idea.partnership, idea_id=idea.pk), {"reason": ""})
        assert "Say why, so the coordinator knows what to look at." in html(empty)
        response = flagger.post(url("idea-flag", idea.partnership, idea_id=idea.pk), {"reason": "It is an advert"})
        assert response.status_code == 302
        moderator = signed_in(coordinator.user)
        queue = html(moderator.get(url("moderation", idea.partnership)))
        assert "It is an advert" in queue
        assert "1 open report" in queue
        no_reason = moderator.post(url("moderate-idea", idea.partnership, idea_id=idea.pk), {"action": "hide"})
        assert "Give a reason. The author will see it." in html(no_reason)
        moderator.post(
            url("moderate-idea", idea.partnership, idea_id=idea.pk),
            {"action": "hide", "reason": "Adverts break rule 3"},
        )
        assert Flag.objects.get().resolved_at is not None
        author_page = html(signed_in(member.user).get(url("idea", idea.partnership, idea_id=idea.pk)))
        assert "A coordinator has hidden this idea." in author_page
        assert "Adverts break rule 3" in author_page
        assert flagger.get(url("idea", idea.partnership, idea_id=idea.pk)).status_code == 404
        assert "Adverts break rule 3" in html(moderator.get(url("moderation", idea.partnership)))  # hidden now

    def test_dismissing_a_flag_keeps_the_idea(self, idea: Idea, other_member: Any, coordinator: Any) -> None:
        flag = services.flag_create(actor=other_member, idea=idea, reason="Not sure")
        client = signed_in(coordinator.user)
        for _ in range(2):  # a replay is harmless
            assert client.post(url("flag-dismiss", idea.partnership, flag_id=flag.pk)).status_code == 302
        flag.refresh_from_db()
        assert flag.outcome == "kept"
        idea.refresh_from_db()
        assert idea.hidden_at is None

    def test_moderating_another_partnerships_flag_idea_or_comment_is_a_404(
        self, idea: Idea, other_member: Any, coordinator: Any
    ) -> None:
        flag = services.flag_create(actor=other_member, idea=idea, reason="Not sure")
        comment = services.comment_create(actor=other_member, idea=idea, body="A comment to moderate.")
        elsewhere = staff_membership(PartnershipFactory(), role="coordinator")
        client = signed_in(elsewhere.user)
        own = elsewhere.partnership  # their own partnership's address, another partnership's object
        assert client.post(url("flag-dismiss", own, flag_id=flag.pk)).status_code == 404
        assert client.post(url("flag-dismiss", own, flag_id=flag.pk + 1000)).status_code == 404
        hide = {"action": "hide", "reason": "Not here"}
        assert client.post(url("moderate-idea", own, idea_id=idea.pk), hide).status_code == 404
        assert client.post(url("moderate-comment", own, comment_id=comment.pk), hide).status_code == 404
        flag.refresh_from_db()
        idea.refresh_from_db()
        comment.refresh_from_db()
        assert flag.resolved_at is None and idea.hidden_at is None and comment.hidden_at is None
        # In its own partnership, a flag already dealt with is still a plain message, not an error.
        mine = signed_in(coordinator.user)
        assert mine.post(url("flag-dismiss", idea.partnership, flag_id=flag.pk)).status_code == 302
        again = mine.post(url("flag-dismiss", idea.partnership, flag_id=flag.pk), follow=True)
        assert "That flag has already been dealt with." in html(again)

    def test_not_taken_forward_needs_a_reason_and_unsafe_links_are_refused(self, idea: Idea, coordinator: Any) -> None:
        client = signed_in(coordinator.user)
        address = url("idea-respond", idea.partnership, idea_id=idea.pk)
        assert 'value="new"' not in html(client.get(address))
        page = html(client.post(address, {"status": "not_taken_forward", "text": " "}))
        assert "Give the reason it is not being taken forward." in page
        page = html(
            client.post(address, {"status": "in_progress", "text": "Trying it", "link_url": "javascript:alert(1)"})
        )
        assert "A link must be a page on this site starting with a single /" in page
        assert "Trying it" in page  # kept
        page = html(client.post(address, {"status": "in_progress", "text": "Trying it", "link_url": "//evil.example"}))
        assert "A link must be a page on this site starting with a single /" in page
        assert 'value="//evil.example"' in page  # kept, to correct
        idea.refresh_from_db()
        assert idea.status == "new"

    def test_a_response_appears_on_the_idea_and_in_you_said_we_did(
        self, idea: Idea, coordinator: Any, member: Any
    ) -> None:
        response = signed_in(coordinator.user).post(
            url("idea-respond", idea.partnership, idea_id=idea.pk),
            {
                "status": "in_progress",
                "text": "A crèche at the **May** fair.",
                "link_url": "/p/x/tests/1/",
                "link_label": "The test of change",
            },
        )
        assert response.status_code == 302
        client = signed_in(member.user)
        page = html(client.get(url("idea", idea.partnership, idea_id=idea.pk)))
        assert "<strong>May</strong>" in page
        assert '<a href="/p/x/tests/1/">The test of change</a>' in page
        listing = html(client.get(url("you-said-we-did", idea.partnership)))
        assert "Crèche at job fairs" in listing
        assert "<strong>May</strong>" in listing
        assert "In progress" in listing
        assert re.search(r'<span class="ds_tag">1</span>', page)  # the author was told, in the header

    def test_a_stored_link_that_is_not_a_page_or_an_http_address_is_never_a_link(
        self, idea: Idea, coordinator: Any, member: Any
    ) -> None:
        from coproduce.voice.models import Response

        signed_in(coordinator.user).post(
            url("idea-respond", idea.partnership, idea_id=idea.pk),
            {"status": "in_progress", "text": "Trying it", "link_url": "/p/x/tests/1/", "link_label": "The test"},
        )
        Response.objects.update(link_url="javascript:alert(1)")  # as data saved before the rule might hold
        client = signed_in(member.user)
        for page in (
            html(client.get(url("idea", idea.partnership, idea_id=idea.pk))),
            html(client.get(url("you-said-we-did", idea.partnership))),
        ):
            assert "Trying it" in page and "javascript:" not in page and ">The test</a>" not in page


class TestChallengesNotificationsAndEqualVoice:
    def test_a_challenge_with_a_closing_date_and_its_ideas(self, member: Any) -> None:
        client = signed_in(member.user)
        past = (timezone.localdate() - timedelta(days=1)).isoformat()
        page = html(client.post(url("challenge-new", member.partnership), {"title": "Job fairs?", "closes_at": past}))
        assert "The closing date must be in the future." in page
        assert 'type="date"' in page
        assert not Challenge.objects.exists()
        future = (timezone.localdate() + timedelta(days=10)).isoformat()
        response = client.post(url("challenge-new", member.partnership), {"title": "Job fairs?", "closes_at": future})
        challenge = Challenge.objects.get()
        assert response["Location"] == url("challenge", member.partnership, challenge_id=challenge.pk)
        assert timezone.localtime(challenge.closes_at).date().isoformat() == future
        page = html(client.get(response["Location"]))
        assert "Add an idea to this challenge" in page
        assert f"?challenge={challenge.pk}" in page
        edit = html(client.get(url("challenge-edit", member.partnership, challenge_id=challenge.pk)))
        assert f'value="{future}"' in edit
        assert "Job fairs?" in html(client.get(url("challenges", member.partnership)))

    def test_notifications_count_list_and_mark_read(self, idea: Idea, member: Any, other_member: Any) -> None:
        services.comment_create(actor=other_member, idea=idea, body="Count me in")
        client = signed_in(member.user)
        inbox = f"/p/{idea.partnership.slug}/notifications/"
        page = html(client.get(inbox))
        assert '<span class="ds_tag">1</span>' in page
        assert "New comment on" in page
        client.post(inbox)
        page = html(client.get(inbox))
        assert '<span class="ds_tag">1</span>' not in page
        assert "Mark all as read" not in page

    def test_equal_voice_shows_shares_and_waits_without_inline_styles(
        self, idea: Idea, worker: Any, coordinator: Any
    ) -> None:
        services.idea_create(actor=worker, title="Staff idea", body="From staff")
        services.idea_respond(actor=coordinator, idea=idea, status="considering", text="Looking")
        page = html(signed_in(worker.user).get(url("equal-voice", idea.partnership)))
        assert "1 (50%)" in page
        assert "cp-w-50" in page
        assert "less than an hour" in page
        assert "style=" not in page


def test_filters_search_and_pagination_keep_each_other(member: Any) -> None:
    for n in range(23):
        IdeaFactory(partnership=member.partnership, author=member.user, title=f"Childcare idea {n}")
    IdeaFactory(partnership=member.partnership, author=member.user, title="Bus fares", status="done")
    client = signed_in(member.user)
    first = html(client.get(url("ideas", member.partnership) + "?q=childcare"))
    assert "23 ideas match" in first
    assert "?q=childcare&amp;page=2" in first
    second = html(client.get(url("ideas", member.partnership) + "?q=childcare&page=2"))
    assert "Page 2 of 2" in second
    done = html(client.get(url("ideas", member.partnership) + "?status=done&sort=nonsense&challenge=x"))
    assert "1 idea matches" in done
    assert "Bus fares" in done
    assert html(client.get(url("ideas", member.partnership) + "?q=zzzz")).count("No ideas match") == 1


@pytest.mark.parametrize(
    "name",
    ["ideas", "idea", "idea-new", "challenges", "house-rules", "you-said-we-did", "equal-voice"],
)
def test_pages_have_one_h1_no_inline_style_or_script(name: str, idea: Idea, coordinator: Any) -> None:
    kwargs = {"idea_id": idea.pk} if name == "idea" else {}
    page = html(signed_in(coordinator.user).get(url(name, idea.partnership, **kwargs)))
    assert page.count("<h1") == 1
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\son[a-z]+=", page)
    assert 'aria-current="page">Ideas</a>' in page


class TestQueryCounts:
    def test_the_idea_list_uses_a_constant_number_of_queries(
        self, member: Any, other_member: Any, django_assert_max_num_queries: Any
    ) -> None:
        client = signed_in(member.user)
        address = url("ideas", member.partnership)
        for sort in ("newest", "supported", "active"):
            client.get(f"{address}?sort={sort}")  # warm caches (content types, sessions)
        IdeaFactory(partnership=member.partnership)
        with django_assert_max_num_queries(15) as few:
            client.get(address)
        for n in range(30):
            idea = IdeaFactory(partnership=member.partnership, author=UserFactory(), show_name=n % 2 == 0)
            CommentFactory(idea=idea)
            Support.objects.create(idea=idea, user=member.user)
            Support.objects.create(idea=idea, user=other_member.user)
        for sort in ("newest", "supported", "active"):
            with django_assert_max_num_queries(len(few.captured_queries)):
                response = client.get(f"{address}?sort={sort}&q=idea")
            assert response.status_code == 200

    def test_an_idea_page_with_50_comments_uses_a_constant_number_of_queries(
        self, idea: Idea, member: Any, coordinator: Any, django_assert_max_num_queries: Any
    ) -> None:
        client = signed_in(coordinator.user)
        address = url("idea", idea.partnership, idea_id=idea.pk)
        client.get(address)
        top = CommentFactory(idea=idea, author=member.user)
        with django_assert_max_num_queries(16) as few:
            client.get(address)
        for n in range(25):
            parent = CommentFactory(idea=idea, author=UserFactory())
            CommentFactory(idea=idea, parent=parent if n % 2 else top, author=UserFactory())
        assert Comment.objects.filter(idea=idea).count() == 51
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(address)
        assert html(page).count('class="cp-comment"') == 51


def test_anonymous_visitors_are_sent_to_sign_in(idea: Idea) -> None:
    response = Client().post(url("idea-support", idea.partnership, idea_id=idea.pk), {"support": "1"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Support.objects.exists()


def test_commenting_on_an_idea_hidden_meanwhile_says_why(idea: Idea, coordinator: Any) -> None:
    services.moderation_set_hidden(actor=coordinator, hidden=True, reason="Checking", idea=idea)
    client = signed_in(coordinator.user)
    response = client.post(url("comment-create", idea.partnership, idea_id=idea.pk), {"body": "Hello"}, follow=True)
    assert "This idea has been hidden by a coordinator." in html(response)
    assert not Comment.objects.exists()


def test_odd_numbers_in_the_address_are_ignored_not_a_500(idea: Idea, member: Any) -> None:
    client = signed_in(member.user)
    for query in ("?challenge=²", "?challenge=99999999999999999999", "?page=²", "?status=<b>"):
        assert client.get(url("ideas", idea.partnership) + query).status_code == 200
    assert client.get(url("idea", idea.partnership, idea_id=idea.pk) + "?reply_to=²").status_code == 200
    assert client.get(url("idea-new", idea.partnership) + "?challenge=²").status_code == 200
    assert client.get(url("idea-new", idea.partnership) + "?challenge=99999999999999999999").status_code == 200
    assert client.get(url("idea", idea.partnership, idea_id=99999999999999999999)).status_code == 404
    too_big = url("idea-support", idea.partnership, idea_id=99999999999999999999)
    assert client.post(too_big, {"support": "1"}).status_code == 404


class TestPinnedQueryCounts:
    """The number of queries each busy page makes, pinned: a change that adds one fails here first (the
    benchmark in benchmarks/voice_pages.py prints the same counts on PostgreSQL)."""

    LIST_QUERIES = 10  # session, user, membership, challenges, count, ids, ideas, supports, unread, navigation
    IDEA_QUERIES = 11  # … idea, comments, replies, responses, supported, following, unread count, navigation

    @pytest.fixture
    def busy(self, member: Any, other_member: Any, coordinator: Any) -> Idea:
        challenge = services.challenge_create(actor=member, title="How could job fairs suit parents?")
        for n in range(25):
            idea = IdeaFactory(
                partnership=member.partnership, author=UserFactory(), show_name=n % 2 == 0, challenge=challenge
            )
            Support.objects.create(idea=idea, user=member.user)
        big = IdeaFactory(partnership=member.partnership, author=other_member.user, show_name=False)
        tops = [CommentFactory(idea=big, author=UserFactory()) for _ in range(100)]
        for n, top in enumerate(tops):
            CommentFactory(idea=big, parent=top, author=other_member.user if n % 3 == 0 else UserFactory())
        services.idea_respond(
            actor=coordinator,
            idea=big,
            status="considering",
            text="Looking at it",
        )
        return big

    @pytest.mark.parametrize(
        "query", ["", "?sort=supported", "?sort=active", "?q=idea", "?q=idea&sort=active&status=new", "?page=2"]
    )
    def test_the_idea_list(self, busy: Idea, member: Any, query: str, django_assert_max_num_queries: Any) -> None:
        client = signed_in(member.user)
        address = url("ideas", member.partnership) + query
        client.get(address)
        with django_assert_max_num_queries(self.LIST_QUERIES):
            response = client.get(address)
        assert response.status_code == 200
        assert html(response).count('class="ds_search-result"') == (6 if "page=2" in query else 20)

    def test_an_idea_page_with_200_comments(self, busy: Idea, member: Any, django_assert_max_num_queries: Any) -> None:
        client = signed_in(member.user)
        address = url("idea", member.partnership, idea_id=busy.pk)
        client.get(address)
        with django_assert_max_num_queries(self.IDEA_QUERIES):
            page = html(client.get(address))
        assert page.count('class="cp-comment"') == 200
        assert "a parent, who shared the idea" in page


def test_a_search_matching_very_many_ideas_stops_counting(member: Any, monkeypatch: Any) -> None:
    from coproduce.voice.views import _common

    monkeypatch.setattr(_common, "SEARCH_COUNT_CAP", 25)
    for n in range(30):
        IdeaFactory(partnership=member.partnership, author=member.user, title=f"Childcare idea {n}")
    client = signed_in(member.user)
    page = html(client.get(url("ideas", member.partnership) + "?q=childcare"))
    assert "More than 25 ideas match" in page
    assert "Page 1 of 2" in page
    assert html(client.get(url("ideas", member.partnership))).count("30 ideas") == 1  # no search: counted
    second = html(client.get(url("ideas", member.partnership) + "?q=childcare&page=2"))
    assert second.count('class="ds_search-result"') == 6  # pages end at the 26th match counted


def test_a_support_toggle_with_htmx_makes_nine_queries(
    idea: Idea, other_member: Any, django_assert_max_num_queries: Any
) -> None:
    """Session, user, membership, the idea; the toggle's lock, read, write and counter; the fresh count: 9,
    and here 2 more, the savepoint and its release that the toggle's transaction becomes inside the test's
    own. The unread count is not made for a partial that does not show it."""
    client = signed_in(other_member.user)
    address = url("idea-support", idea.partnership, idea_id=idea.pk)
    client.post(address, {"support": "0"}, **HTMX)
    for wanted in ("1", "0"):
        with django_assert_max_num_queries(11):
            response = client.post(address, {"support": wanted}, **HTMX)
        assert f'aria-pressed="{"true" if wanted == "1" else "false"}"' in html(response)
