from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.notifications.models import Notice
from coproduce.voice import selectors, services
from coproduce.voice.models import Comment, Flag, Idea, Support
from tests.conftest import present
from tests.factories import MembershipFactory
from tests.voice.factories import ChallengeFactory, IdeaFactory


@pytest.fixture
def idea(member: Any) -> Idea:
    return services.idea_create(actor=member, title="Crèche at job fairs", body="So parents of toddlers can come.")


class TestIdeas:
    def test_member_posts_an_idea_and_follows_it(self, member: Any) -> None:
        idea = services.idea_create(actor=member, title="  Evening courses ", body="**After** bedtime", show_name=False)
        assert idea.title == "Evening courses"
        assert idea.author_kind == "member"
        assert idea.body_html == "<p><strong>After</strong> bedtime</p>\n"
        assert selectors.is_following(member, idea)

    @pytest.mark.parametrize(
        ("title", "body", "field"),
        [
            ("", "text", "title"),
            ("   ", "text", "title"),
            ("t" * 141, "text", "title"),
            ("Title", "", "body"),
            ("Title", "b" * 5001, "body"),
        ],
    )
    def test_empty_or_overlong_text_is_refused(self, member: Any, title: str, body: str, field: str) -> None:
        with pytest.raises(ServiceError) as error:
            services.idea_create(actor=member, title=title, body=body)
        assert error.value.field == field
        assert not Idea.objects.exists()

    def test_observers_read_but_do_not_post(self, observer: Any) -> None:
        with pytest.raises(NotPermitted):
            services.idea_create(actor=observer, title="T", body="B")

    def test_an_idea_cannot_answer_another_partnerships_or_a_closed_challenge(self, member: Any) -> None:
        with pytest.raises(NotPermitted):
            services.idea_create(actor=member, title="T", body="B", challenge=ChallengeFactory())
        closed = ChallengeFactory(partnership=member.partnership, closes_at=timezone.now() - timedelta(days=1))
        with pytest.raises(ServiceError) as error:
            services.idea_create(actor=member, title="T", body="B", challenge=closed)
        assert error.value.code == "closed"

    def test_author_edits_within_the_window_only(self, member: Any, idea: Idea) -> None:
        services.idea_update(actor=member, idea=idea, title="New title", body="New body", show_name=True)
        Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(hours=25))
        idea.refresh_from_db()
        with pytest.raises(ServiceError) as error:
            services.idea_update(actor=member, idea=idea, title="Later", body="Later", show_name=True)
        assert error.value.code == "edit_window_closed"

    def test_nobody_else_edits_or_withdraws(self, idea: Idea, coordinator: Any, partnership: Any) -> None:
        other = MembershipFactory(partnership=partnership)
        for actor in (other, coordinator):
            with pytest.raises(NotPermitted):
                services.idea_update(actor=actor, idea=idea, title="X", body="Y", show_name=True)
            with pytest.raises(NotPermitted):
                services.idea_withdraw(actor=actor, idea=idea)

    def test_withdrawn_idea_is_seen_by_its_author_only_and_takes_no_support(
        self, member: Any, idea: Idea, partnership: Any
    ) -> None:
        services.idea_withdraw(actor=member, idea=idea)
        other = MembershipFactory(partnership=partnership)
        with pytest.raises(NotPermitted):
            selectors.idea_for(other, idea.pk)
        assert selectors.idea_for(member, idea.pk) is not None
        with pytest.raises(ServiceError):
            services.support_toggle(actor=other, idea=idea, support=True)
        assert AuditEvent.objects.filter(action="voice.idea_withdrawn").exists()


class TestSupportsAndComments:
    def test_support_is_idempotent_and_counted(self, idea: Idea, partnership: Any, worker: Any) -> None:
        other = MembershipFactory(partnership=partnership)
        assert services.support_toggle(actor=other, idea=idea, support=True) is True
        assert services.support_toggle(actor=other, idea=idea, support=True) is True  # a replay
        assert services.support_toggle(actor=worker, idea=idea) is True
        idea.refresh_from_db()
        assert idea.support_count == Support.objects.filter(idea=idea).count() == 2
        assert services.support_toggle(actor=other, idea=idea) is False
        idea.refresh_from_db()
        assert idea.support_count == 1
        assert Support.objects.get(idea=idea).is_member is False

    def test_support_on_another_partnerships_idea_is_404(self, member: Any) -> None:
        with pytest.raises(NotPermitted):
            services.support_toggle(actor=member, idea=IdeaFactory(), support=True)

    def test_comment_reply_and_one_level_only(self, idea: Idea, partnership: Any, member: Any) -> None:
        other = MembershipFactory(partnership=partnership)
        top = services.comment_create(actor=other, idea=idea, body="Yes!")
        reply = services.comment_create(actor=member, idea=idea, body="Thanks", parent=top)
        reply_to_reply = services.comment_create(actor=other, idea=idea, body="More", parent=reply)
        assert reply.parent == top
        assert reply_to_reply.parent == top
        idea.refresh_from_db()
        assert idea.comment_count == 3
        # The author hears about comments by others; the commenter does not hear about their own.
        # Two comments on one idea, unread: one notice, counted twice.
        assert list(Notice.objects.filter(user=member.user, kind="voice.comment").values_list("count", flat=True)) == [
            2
        ]
        assert Notice.objects.get(user=member.user).url == f"/p/{partnership.slug}/ideas/{idea.pk}/"

    def test_deleted_comment_keeps_a_placeholder_without_the_words(self, idea: Idea, partnership: Any) -> None:
        other = MembershipFactory(partnership=partnership)
        comment = services.comment_create(actor=other, idea=idea, body="Secret words")
        services.comment_delete(actor=other, comment=comment)
        comment.refresh_from_db()
        assert comment.deleted_at is not None
        assert comment.body == ""
        idea.refresh_from_db()
        assert idea.comment_count == 0
        with pytest.raises(ServiceError):
            services.comment_update(actor=other, comment=comment, body="Back")

    def test_only_the_author_changes_a_comment(self, idea: Idea, partnership: Any, coordinator: Any) -> None:
        other = MembershipFactory(partnership=partnership)
        comment = services.comment_create(actor=other, idea=idea, body="Mine")
        with pytest.raises(NotPermitted):
            services.comment_update(actor=coordinator, comment=comment, body="Theirs")
        with pytest.raises(NotPermitted):
            services.comment_delete(actor=coordinator, comment=comment)

    def test_a_reply_to_a_comment_on_another_idea_is_refused(self, idea: Idea, member: Any) -> None:
        elsewhere = services.idea_create(actor=member, title="Other", body="B")
        parent = services.comment_create(actor=member, idea=elsewhere, body="x")
        with pytest.raises(NotPermitted):
            services.comment_create(actor=member, idea=idea, body="y", parent=parent)
        assert not Comment.objects.filter(idea=idea).exists()


class TestModerationAndResponses:
    def test_flag_then_hide_with_a_reason_the_author_sees(
        self, idea: Idea, member: Any, coordinator: Any, partnership: Any
    ) -> None:
        other = MembershipFactory(partnership=partnership)
        flag = services.flag_create(actor=other, idea=idea, reason="Names a child")
        assert services.flag_create(actor=other, idea=idea, reason="again") == flag
        assert list(selectors.moderation_queue(coordinator)) == [flag]
        assert list(selectors.moderation_queue(member)) == []
        services.moderation_set_hidden(actor=coordinator, idea=idea, hidden=True, reason="It named a child")
        flag.refresh_from_db()
        assert flag.outcome == "hidden"
        with pytest.raises(NotPermitted):
            selectors.idea_for(other, idea.pk)
        assert selectors.idea_for(member, idea.pk).hidden_reason == "It named a child"
        assert selectors.idea_for(coordinator, idea.pk) is not None
        assert Notice.objects.filter(user=member.user, kind="voice.moderation", text__contains="named a child").exists()
        assert AuditEvent.objects.filter(action="voice.hidden", detail__reason="It named a child").exists()
        services.moderation_set_hidden(actor=coordinator, idea=idea, hidden=False, reason="Edited by the author")
        assert selectors.idea_for(other, idea.pk) is not None

    def test_only_coordinators_moderate_and_respond(self, idea: Idea, worker: Any) -> None:
        with pytest.raises(NotPermitted):
            services.moderation_set_hidden(actor=worker, idea=idea, hidden=True, reason="x")
        with pytest.raises(NotPermitted):
            services.idea_respond(actor=worker, idea=idea, status="done", text="Done")

    @pytest.mark.parametrize(
        ("status", "text", "field"),
        [
            ("not_taken_forward", "", "text"),
            ("new", "words", "status"),
            ("bogus", "words", "status"),
            ("done", "  ", "text"),
        ],
    )
    def test_a_response_needs_a_status_after_new_and_words(
        self, idea: Idea, coordinator: Any, status: str, text: str, field: str
    ) -> None:
        with pytest.raises(ServiceError) as error:
            services.idea_respond(actor=coordinator, idea=idea, status=status, text=text)
        assert error.value.field == field
        idea.refresh_from_db()
        assert idea.status == "new"

    def test_javascript_links_in_responses_are_refused(self, idea: Idea, coordinator: Any) -> None:
        with pytest.raises(ServiceError) as error:
            services.idea_respond(
                actor=coordinator, idea=idea, status="done", text="ok", link_url="javascript:alert(1)"
            )
        assert error.value.field == "link_url"

    @pytest.mark.parametrize(
        "link",
        [
            "//evil.example/phish",
            "///evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/ /evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "ftp://files.example/",
            "https:evil.example",
            "https://",
            "https:///evil.example",
            "evil.example/page",
            "mailto:someone@example.org",
            "/" + "a" * 500,
        ],
    )
    def test_unsafe_or_foreign_links_are_refused_by_every_service(
        self, idea: Idea, coordinator: Any, worker: Any, link: str
    ) -> None:
        for call in (
            lambda: services.idea_respond(actor=coordinator, idea=idea, status="done", text="ok", link_url=link),
            lambda: services.response_record(
                actor=worker, idea=idea, text="Now a test", link_url=link, link_label="x", source="improvement"
            ),
        ):
            with pytest.raises(ServiceError) as error:
                call()
            assert error.value.field == "link_url"
        idea.refresh_from_db()
        assert idea.status == "new"
        assert not idea.responses.exists()
        assert not Notice.objects.exists()

    @pytest.mark.parametrize(
        "link",
        ["/p/riverside/tests/4/", "/p/x/?a=1#b", "https://gov.scot/job-fairs", "http://example.org/", "  /padded/  "],
    )
    def test_same_site_paths_and_web_addresses_are_kept(self, idea: Idea, coordinator: Any, link: str) -> None:
        response = services.idea_respond(actor=coordinator, idea=idea, status="done", text="ok", link_url=link)
        assert response.link_url == link.strip()

    def test_respond_moves_the_idea_on_and_tells_the_author(self, idea: Idea, member: Any, coordinator: Any) -> None:
        services.idea_respond(actor=coordinator, idea=idea, status="considering", text="We will discuss it on 3 May.")
        services.idea_respond(actor=coordinator, idea=idea, status="done", text="The college ran a crèche.")
        idea.refresh_from_db()
        assert idea.status == "done"
        assert idea.first_response_at is not None
        assert [r.status for r in selectors.responses_for(idea)] == ["considering", "done"]
        assert Notice.objects.get(user=member.user, kind="voice.response").count == 2
        assert list(selectors.you_said_we_did(member)) == [idea]

    def test_other_capabilities_record_a_response_with_a_link(self, idea: Idea, worker: Any) -> None:
        response = services.response_record(
            actor=worker,
            idea=idea,
            text="This became a test of change.",
            link_url="/p/x/improvement/tests/4/",
            link_label="Test of change: crèche",
            source="improvement",
        )
        idea.refresh_from_db()
        assert idea.status == "in_progress"
        assert response.source == "improvement"
        with pytest.raises(NotPermitted):
            services.response_record(
                actor=worker, idea=IdeaFactory(), text="x", link_url="/", link_label="x", source="fund"
            )


class TestAnonymity:
    def test_anonymous_author_is_shown_as_a_parent_except_to_themselves_and_coordinators(
        self, member: Any, coordinator: Any, partnership: Any
    ) -> None:
        idea = services.idea_create(actor=member, title="T", body="B", show_name=False)
        other = MembershipFactory(partnership=partnership)
        assert selectors.author_label(other, idea) == "a parent"
        assert selectors.author_label(member, idea) == "you"
        assert member.user.name in selectors.author_label(coordinator, idea)

    def test_an_unnamed_author_commenting_on_their_own_idea_stays_unnamed(
        self, member: Any, coordinator: Any, partnership: Any
    ) -> None:
        idea = services.idea_create(actor=member, title="T", body="B", show_name=False)
        own = services.comment_create(actor=member, idea=idea, body="To add: evenings.")
        other = MembershipFactory(partnership=partnership, is_member=True)
        theirs = services.comment_create(actor=other, idea=idea, body="Yes")
        reply = services.comment_create(actor=member, idea=idea, body="Thanks", parent=theirs)
        # However the comment was loaded: through the thread, on its own, or from the database afresh.
        loaded = [
            *[c for top in selectors.comments_for(other, idea) for c in [top, *top.thread]],  # type: ignore[attr-defined]  # set by the selector
            selectors.comment_for(other, own.pk),
            Comment.objects.get(pk=reply.pk),
        ]
        mine = [c for c in loaded if c.author_id == member.user_id]
        assert len(mine) == 4
        for comment in mine:
            label = selectors.author_label(other, comment)
            assert label == "a parent, who shared the idea"
            assert member.user.name not in label
            assert selectors.author_label(member, comment) == "you"
            for_coordinator = selectors.author_label(coordinator, comment)
            assert member.user.name in for_coordinator
            assert "shown only to coordinators" in for_coordinator
        assert selectors.author_label(member, theirs) == other.user.name  # other people are named as usual
        # On an idea whose author shows their name, their comments are named too.
        named = services.idea_create(actor=member, title="Named", body="B")
        comment = services.comment_create(actor=member, idea=named, body="More")
        assert selectors.author_label(other, comment) == member.user.name

    def test_staff_ideas_are_labelled_as_staff(self, worker: Any, member: Any) -> None:
        idea = services.idea_create(actor=worker, title="T", body="B", show_name=False)
        assert selectors.author_label(member, idea) == "a member of staff"


class TestSearchAndSort:
    def test_search_finds_titles_bodies_and_comments(self, member: Any, partnership: Any) -> None:
        a = services.idea_create(actor=member, title="Crèche", body="at the fair")
        b = services.idea_create(actor=member, title="Bus passes", body="for interviews")
        services.comment_create(actor=member, idea=b, body="Also for the crèche run")
        c = services.idea_create(actor=member, title="Evening classes", body="after bedtime")
        assert set(selectors.ideas_visible_to(member, query="crèche")) == {a, b}
        assert set(selectors.ideas_visible_to(member, query="BEDTIME")) == {c}
        assert set(selectors.ideas_visible_to(member, query="bus   interviews")) == {b}  # every word, anywhere
        assert set(selectors.ideas_visible_to(member, query="bedtime crèche")) == set()
        assert set(selectors.ideas_visible_to(member, query="Bus")) == {b}
        for odd in ("!!!", "'", "crèche & |", ":*", "a\\b", "%", "_"):
            list(selectors.ideas_visible_to(member, query=odd))  # no error, whatever is typed

    def test_what_search_reads_follows_comments_and_changes(
        self, member: Any, partnership: Any, coordinator: Any
    ) -> None:
        idea = services.idea_create(actor=member, title="Bus passes", body="for interviews")
        other = MembershipFactory(partnership=partnership, is_member=True)
        comment = services.comment_create(actor=other, idea=idea, body="Trams too")

        def found(query: str) -> bool:
            return idea in selectors.ideas_visible_to(member, query=query)

        assert found("trams")
        services.comment_update(actor=other, comment=comment, body="Ferries too")
        assert not found("trams")
        assert found("ferries")
        services.moderation_set_hidden(actor=coordinator, hidden=True, reason="Off topic", comment=comment)
        assert not found("ferries")  # a hidden comment's words find nothing
        services.moderation_set_hidden(actor=coordinator, hidden=False, reason="Fine after all", comment=comment)
        assert found("ferries")
        services.comment_delete(actor=other, comment=comment)
        assert not found("ferries")
        services.idea_update(actor=member, idea=idea, title="Cheaper buses", body="for interviews", show_name=True)
        assert found("cheaper")
        assert not found("passes")
        idea.refresh_from_db()
        assert idea.search_text == "Cheaper buses\nfor interviews"

    def test_sorts(self, member: Any, partnership: Any) -> None:
        first = services.idea_create(actor=member, title="First", body="x")
        second = services.idea_create(actor=member, title="Second", body="x")
        services.support_toggle(actor=MembershipFactory(partnership=partnership), idea=first, support=True)
        assert next(iter(selectors.ideas_visible_to(member, sort="newest"))) == second
        assert next(iter(selectors.ideas_visible_to(member, sort="supported"))) == first
        services.comment_create(actor=member, idea=first, body="bump")
        assert next(iter(selectors.ideas_visible_to(member, sort="active"))) == first


class TestEqualVoice:
    def test_shares_and_waits(self, member: Any, worker: Any, coordinator: Any) -> None:
        m_idea = services.idea_create(actor=member, title="M", body="x")
        s_idea = services.idea_create(actor=worker, title="S", body="x")
        Idea.objects.filter(pk=m_idea.pk).update(created_at=timezone.now() - timedelta(days=10))
        Idea.objects.filter(pk=s_idea.pk).update(created_at=timezone.now() - timedelta(days=2))
        services.idea_respond(actor=coordinator, idea=m_idea, status="considering", text="On the agenda")
        services.idea_respond(actor=coordinator, idea=s_idea, status="considering", text="On the agenda")
        services.support_toggle(actor=member, idea=s_idea, support=True)
        result = selectors.equal_voice(member)
        assert result.ideas.from_members == 1
        assert result.ideas.from_staff == 1
        assert result.ideas.member_percent == 50
        assert result.supports.from_members == 1
        assert present(result.member_median_wait) > timedelta(days=9)
        assert timedelta(days=1) < present(result.staff_median_wait) < timedelta(days=3)


def test_flag_needs_a_reason(idea: Idea, partnership: Any) -> None:
    with pytest.raises(ServiceError) as error:
        services.flag_create(actor=MembershipFactory(partnership=partnership), idea=idea, reason=" ")
    assert error.value.field == "reason"
    assert not Flag.objects.exists()


def test_the_home_pages_recent_ideas_are_the_idea_lists_first_three_for_everyone(partnership: Any) -> None:
    from coproduce.partnerships.models import Membership
    from tests.factories import staff_membership

    member = MembershipFactory(partnership=partnership)
    coordinator = staff_membership(partnership, role="coordinator")
    now = timezone.now()
    ideas = [IdeaFactory(partnership=partnership, last_activity_at=now - timedelta(hours=hours)) for hours in range(6)]
    # The most recent is hidden by a coordinator but its author still sees it; the next is withdrawn.
    Idea.objects.filter(pk=ideas[0].pk).update(hidden_at=now, author=member.user)
    Idea.objects.filter(pk=ideas[1].pk).update(withdrawn_at=now)
    IdeaFactory(last_activity_at=now)  # another partnership's
    someone_else = MembershipFactory(partnership=partnership)
    for person in (member, coordinator, someone_else):
        person = Membership.objects.get(pk=person.pk)
        expected = [i.pk for i in selectors.ideas_visible_to(person, sort="active")[:3]]
        assert [i.pk for i in selectors.recently_active_ideas(person)] == expected
    assert [i.pk for i in selectors.recently_active_ideas(someone_else)] == [ideas[2].pk, ideas[3].pk, ideas[4].pk]
    assert selectors.recently_active_ideas(member)[0].pk == ideas[0].pk
