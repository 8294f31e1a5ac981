"""The decisions pages, posted as plain forms (without JavaScript): the list, raising a decision under the
kind's rule, each method's answer form, discussion, versions, amending, closing, the outcome, the results
side by side with the count's stages in words, the ballot files, and bad input shown on the page (never a
500). Every POST as every role that can reach it; another partnership's decision is a 404."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coproduce.core.audit import AuditEvent
from coproduce.decisions import services
from coproduce.decisions.models import Decision, DecisionComment, DecisionOption, Outcome, Participation
from coproduce.governance.models import DecisionRule
from coproduce.partnerships.audit_wording import audit_entries
from tests.conftest import signed_in
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership

pytestmark = pytest.mark.django_db

TAKING_PART = ["member", "worker", "partner_lead", "coordinator"]


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"decisions:{name}", kwargs={"slug": partnership.slug, **kwargs})


def page_of(name: str, decision: Decision, **kwargs: Any) -> str:
    return url(name, decision.partnership, decision_id=decision.pk, **kwargs)


def raised(actor: Any, method: str = "consent", **overrides: Any) -> Decision:
    values: dict[str, Any] = {
        "kind": "everyday",
        "method": method,
        "title": f"A {method} proposal",
        "background": "Why it matters.",
        "options": [],
        "closes_at": timezone.now() + timedelta(days=7),
        "participants": "everyone",
        "anonymous": False,
    }
    if method in ("score", "dot", "ranked_irv", "ranked_schulze", "stv"):
        values["options"] = ["Aisha", "Bea", "Cal"]
    if method == "time_poll":
        start = timezone.now().replace(microsecond=0) + timedelta(days=3)
        values["options"] = [
            (start, start + timedelta(hours=1)),
            (start + timedelta(days=1), start + timedelta(days=1, hours=1)),
        ]
    extra = {"yes_no": {"threshold_percent": 50}, "score": {"max_score": 5}, "dot": {"dots": 10}, "stv": {"seats": 2}}
    values.update(extra.get(method, {}))
    values.update(overrides)
    return services.decision_raise(actor=actor, **values)


def audit_sentences(decision: Decision) -> str:
    """The decision's audit events as the partnership's history page words them."""
    events = AuditEvent.objects.filter(target_id=str(decision.pk), action__startswith="decisions.")
    return " ".join(entry.sentence for entry in audit_entries(events, partnership_id=decision.partnership_id))


def counted(decision: Decision, closer: Any) -> Decision:
    services.decision_close(actor=closer, decision=decision)
    return services.decision_count(decision.pk)


@pytest.fixture
def people(member: Any, worker: Any, partner_lead: Any, coordinator: Any, observer: Any) -> dict[str, Any]:
    return {
        "member": member,
        "worker": worker,
        "partner_lead": partner_lead,
        "coordinator": coordinator,
        "observer": observer,
    }


# --- The list ------------------------------------------------------------------------------------------


def test_the_list_marks_what_is_waiting_for_an_answer_in_a_fixed_number_of_queries(
    partnership: Any, member: Any, worker: Any, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(member.user)
    list_url = url("list", partnership)
    client.get(list_url)  # warm the session and caches
    with django_assert_max_num_queries(12) as few:
        client.get(list_url)
    decisions = [raised(worker, title=f"Proposal {i}") for i in range(8)]
    services.answer_give(actor=member, decision=decisions[0], position="agree")
    closed = raised(worker, title="Closed one")
    counted(closed, worker)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(list_url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "8 open decisions" in page
    assert "1 closed decision" in page
    assert page.count("You have not answered yet") == 7
    assert page.count("You have answered") == 1
    assert "Closed one" in page


def test_an_observer_sees_the_list_with_nothing_to_answer(partnership: Any, worker: Any, observer: Any) -> None:
    raised(worker)
    page = signed_in(observer.user).get(url("list", partnership)).content.decode()
    assert "A consent proposal" in page
    assert "You have not answered yet" not in page
    assert "Raise a decision" not in page


# --- Raising ---------------------------------------------------------------------------------------------


def test_raising_starts_by_asking_the_kind_and_shows_each_kinds_rule(partnership: Any, member: Any) -> None:
    DecisionRule.objects.create(partnership=partnership, kind="fund", method="consent", participants="everyone")
    page = signed_in(member.user).get(url("new", partnership)).content.decode()
    assert "What kind of decision is it?" in page
    assert "No rule agreed yet" in page
    assert page.count('type="radio"') == 5
    assert "Elections and polls" in page


@pytest.mark.parametrize("role", TAKING_PART)
def test_each_person_taking_part_raises_a_consent_decision(role: str, partnership: Any, people: dict[str, Any]) -> None:
    client = signed_in(people[role].user)
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        url("new", partnership) + "?kind=everyday",
        {
            "kind": "everyday",
            "title": "Open on Saturdays",
            "background": "Parents who work weekdays asked.",
            "method": "consent",
            "closes_on": day,
            "closes_time": "17:00",
            "participants": "everyone",
            "quorum_members_percent": "30",
            "quorum_staff_percent": "0",
        },
    )
    decision = Decision.objects.get(title="Open on Saturdays")
    assert response.status_code == 302
    assert response["Location"] == page_of("decision", decision)
    assert decision.method == "consent"
    assert decision.quorum_members_percent == 30
    assert decision.proposer_id == people[role].user_id
    page = client.get(response["Location"]).content.decode()
    assert "At least 30 % of parents (members) must take part." in page


def test_an_observer_cannot_raise_a_decision(partnership: Any, observer: Any) -> None:
    client = signed_in(observer.user)
    assert client.get(url("new", partnership)).status_code == 404
    assert client.post(url("new", partnership) + "?kind=everyday", {"title": "x"}).status_code == 404
    assert not Decision.objects.exists()


def test_the_kinds_rule_is_shown_in_words_and_applied_and_the_method_is_not_asked(
    partnership: Any, member: Any
) -> None:
    DecisionRule.objects.create(
        partnership=partnership,
        kind="agreement",
        method="yes_no",
        threshold_percent=66,
        quorum_percent=25,
        participants="everyone",
        double_majority=True,
    )
    client = signed_in(member.user)
    form_url = url("new", partnership) + "?kind=agreement"
    page = client.get(form_url).content.decode()
    assert "How this kind of decision is made here:" in page
    assert 'name="method"' not in page
    assert 'name="threshold_percent"' not in page
    assert 'name="double_majority"' not in page
    response = client.post(
        form_url,
        {
            "kind": "agreement",
            "title": "Add a parents' seat",
            "background": "One more seat for parents.",
            "closes_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "closes_time": "12:00",
            # A request to weaken the rule is not even read: the fields are not the form's.
            "method": "consent",
            "threshold_percent": "50",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.method, decision.threshold_percent, decision.double_majority) == ("yes_no", 66, True)
    assert (decision.quorum_members_percent, decision.quorum_staff_percent) == (25, 25)


def test_a_time_poll_is_raised_from_lines_with_uk_times(partnership: Any, worker: Any) -> None:
    day = timezone.localdate() + timedelta(days=10)
    response = signed_in(worker.user).post(
        url("new", partnership) + "?kind=everyday",
        {
            "kind": "everyday",
            "title": "When shall we meet?",
            "background": "The next partnership meeting.",
            "method": "time_poll",
            "options": f"{day:%d/%m/%Y} 10:00 to 11:30\n\n{day.isoformat()} 18:00",
            "closes_on": (day - timedelta(days=2)).isoformat(),
            "closes_time": "17:00",
            "participants": "everyone",
        },
    )
    assert response.status_code == 302
    first, second = DecisionOption.objects.order_by("position")
    assert timezone.localtime(first.starts_at).strftime("%H:%M") == "10:00"
    assert timezone.localtime(first.ends_at).strftime("%H:%M") == "11:30"
    assert second.ends_at is not None and second.starts_at is not None
    assert second.ends_at - second.starts_at == timedelta(hours=1)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"method": "time_poll", "options": "tomorrow at ten\n20/12/2030 10:00"}, "Line 1: Write a time like"),
        ({"method": "time_poll", "options": "20/12/2030 10:00\n31/02/2030 10:00"}, "Line 2: Write a time like"),
        ({"method": "time_poll", "options": "20/12/2030 10:00\n20/12/2030 25:00"}, "Line 2: Write a time like"),
        ({"method": "score", "options": "Only one"}, "Write at least two, one on each line."),
        ({"method": "dot", "options": "A\nB\na"}, "Line 3 repeats an earlier line."),
        ({"method": "stv", "options": "A\nB", "seats": "2"}, "for 2 seats, write at least 3 names."),
        ({"method": "stv", "options": "Aisha", "seats": "2"}, "There must be more candidates than seats"),
        ({"method": "consent", "closes_on": "2001-01-01"}, "The closing time must be in the future."),
        ({"method": "consent", "title": ""}, "Say what is to be decided."),
    ],
)
def test_a_bad_proposal_is_shown_next_to_its_field_and_nothing_is_saved(
    fields: dict[str, str], message: str, partnership: Any, member: Any
) -> None:
    data = {
        "kind": "everyday",
        "title": "A proposal",
        "background": "Why.",
        "closes_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "closes_time": "17:00",
        "participants": "everyone",
        "max_score": "5",
        "dots": "10",
        "seats": "2",
        **fields,
    }
    response = signed_in(member.user).post(url("new", partnership) + "?kind=everyday", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert not Decision.objects.exists()


# --- The decision page and its answer forms -----------------------------------------------------------


def test_the_consent_page_explains_the_four_answers_and_the_amendment_round(worker: Any, member: Any) -> None:
    decision = raised(worker)
    page = signed_in(member.user).get(page_of("decision", decision)).content.decode()
    for words in ("Agree", "I have a concern", "Block – I cannot live with this", "I stand aside"):
        assert words in page
    assert "A concern or a block does not end the proposal." in page
    assert page.count('name="position"') == 4
    assert 'name="reason"' in page


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("yes_no", ['name="position" value="yes"', "It passes if more than 50 %"]),
        ("score", ["from 0 (not at all) to 5", 'type="radio"']),
        ("dot", ["You have 10 dots to spread", 'type="number"', "Dots used:"]),
        ("time_poll", ["If need be", "UK time"]),
        ("ranked_irv", ["One option wins.", "Not ranked", "<select"]),
        ("stv", ["This fills 2 seats.", "Not ranked", "<select"]),
    ],
)
def test_each_method_has_its_own_answer_form(method: str, expected: list[str], worker: Any, member: Any) -> None:
    decision = raised(worker, method)
    page = signed_in(member.user).get(page_of("decision", decision)).content.decode()
    for text in expected:
        assert text in page, text


def test_a_time_polls_slots_are_dates_in_words(worker: Any, member: Any) -> None:
    decision = raised(worker, "time_poll")
    slot = decision.options.order_by("position").first()
    assert slot is not None
    page = signed_in(member.user).get(page_of("decision", decision)).content.decode()
    assert slot.label in page
    assert re.search(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)", slot.label)


@pytest.mark.parametrize("role", TAKING_PART)
def test_each_person_taking_part_answers_and_can_change_the_answer(
    role: str, worker: Any, people: dict[str, Any]
) -> None:
    decision = raised(worker)
    client = signed_in(people[role].user)
    response = client.post(page_of("answer", decision), {"position": "agree"})
    assert response.status_code == 302
    response = client.post(page_of("answer", decision), {"position": "disagree", "reason": "Too far for us."})
    assert response.status_code == 302
    answer = Participation.objects.get(decision=decision)
    assert (answer.position, answer.reason) == ("disagree", "Too far for us.")
    page = client.get(response["Location"]).content.decode()
    assert "objection" in page
    assert "Your answer:" in page and "I have a concern" in page


def test_an_observer_cannot_answer(worker: Any, observer: Any) -> None:
    decision = raised(worker)
    client = signed_in(observer.user)
    assert client.post(page_of("answer", decision), {"position": "agree"}).status_code == 404
    page = client.get(page_of("decision", decision)).content.decode()
    assert 'name="position"' not in page
    assert not Participation.objects.exists()


def test_a_block_without_a_reason_is_refused_next_to_the_reason(worker: Any, member: Any) -> None:
    decision = raised(worker)
    response = signed_in(member.user).post(page_of("answer", decision), {"position": "block", "reason": "  "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say why you block it." in page
    assert 'href="#id_reason"' in page
    assert not Participation.objects.exists()


def test_a_score_is_saved_for_each_option(worker: Any, member: Any) -> None:
    decision = raised(worker, "score")
    options = list(decision.options.order_by("position"))
    data = {f"option_{o.pk}": str(score) for o, score in zip(options, (5, 0, 3), strict=True)}
    response = signed_in(member.user).post(page_of("answer", decision), data)
    assert response.status_code == 302
    answer = Participation.objects.get()
    # A score of 0 adds nothing to a total: only the others are kept.
    assert {v.option_id: v.value for v in answer.values.all()} == {options[0].pk: 5, options[2].pk: 3}


def test_dots_over_the_total_are_refused_and_what_was_typed_is_kept(worker: Any, member: Any) -> None:
    decision = raised(worker, "dot")
    options = list(decision.options.order_by("position"))
    data = {f"option_{o.pk}": str(n) for o, n in zip(options, (6, 5, 1), strict=True)}
    response = signed_in(member.user).post(page_of("answer", decision), data)
    page = response.content.decode()
    assert "You have put 12 dots, but you have 10. Take 2 off." in page
    assert f'name="option_{options[0].pk}" value="6"' in page
    assert not Participation.objects.exists()
    data[f"option_{options[1].pk}"] = "3"
    assert signed_in(member.user).post(page_of("answer", decision), data).status_code == 302
    assert sum(v.value for v in Participation.objects.get().values.all()) == 10


def test_a_time_poll_answer_is_yes_if_need_be_or_no_for_each_time(worker: Any, member: Any) -> None:
    decision = raised(worker, "time_poll")
    first, second = decision.options.order_by("position")
    response = signed_in(member.user).post(
        page_of("answer", decision), {f"option_{first.pk}": "1", f"option_{second.pk}": "2"}
    )
    assert response.status_code == 302
    assert {v.option_id: v.value for v in Participation.objects.get().values.all()} == {first.pk: 1, second.pk: 2}


def test_ranks_must_not_repeat_and_gaps_are_closed_up(worker: Any, member: Any) -> None:
    decision = raised(worker, "stv")
    a, b, c = decision.options.order_by("position")
    client = signed_in(member.user)
    response = client.post(page_of("answer", decision), {f"option_{a.pk}": "1", f"option_{b.pk}": "1"})
    assert "You gave 1 to more than one. Give each number only once." in response.content.decode()
    assert not Participation.objects.exists()
    response = client.post(page_of("answer", decision), {f"option_{c.pk}": "1", f"option_{a.pk}": "3"})
    assert response.status_code == 302
    assert {v.option_id: v.value for v in Participation.objects.get().values.all()} == {c.pk: 1, a.pk: 2}


def test_answering_after_closing_is_refused_with_a_message(worker: Any, member: Any) -> None:
    decision = raised(worker)
    services.decision_close(actor=worker, decision=decision)
    client = signed_in(member.user)
    response = client.post(page_of("answer", decision), {"position": "agree"}, follow=True)
    assert "This decision has closed" in response.content.decode()
    assert not Participation.objects.exists()


def test_someone_outside_a_members_only_decision_is_told_so(worker: Any, member: Any) -> None:
    decision = raised(worker, participants="members")
    page = signed_in(worker.user).get(page_of("decision", decision)).content.decode()
    assert "You are not one of the people taking part in this decision." in page
    assert signed_in(worker.user).post(page_of("answer", decision), {"position": "agree"}).status_code == 404


# --- Discussion ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", TAKING_PART)
def test_each_person_taking_part_comments(role: str, worker: Any, people: dict[str, Any]) -> None:
    decision = raised(worker)
    client = signed_in(people[role].user)
    response = client.post(page_of("comment", decision), {"body": "Could we try it for a month?"})
    assert response.status_code == 302
    said = DecisionComment.objects.get()
    assert said.author_id == people[role].user_id
    page = client.get(page_of("decision", decision)).content.decode()
    assert "Could we try it for a month?" in page
    assert f'id="comment-{said.pk}">{people[role].user.name} <' in page  # the author is named above it


def test_an_empty_comment_is_refused_and_an_observer_cannot_comment(worker: Any, member: Any, observer: Any) -> None:
    decision = raised(worker)
    response = signed_in(member.user).post(page_of("comment", decision), {"body": ""})
    assert "Write your comment." in response.content.decode()
    assert signed_in(observer.user).post(page_of("comment", decision), {"body": "Hello"}).status_code == 404
    assert not DecisionComment.objects.exists()


def test_a_coordinator_hides_a_comment_and_everyone_else_reads_that_it_was_hidden(
    worker: Any, member: Any, coordinator: Any, observer: Any
) -> None:
    decision = raised(worker)
    said = services.comment_add(actor=member, decision=decision, body="Something unkind about Bea.")
    hide = page_of("comment-hide", decision, comment_id=said.pk)
    client = signed_in(coordinator.user)
    assert hide in client.get(page_of("decision", decision)).content.decode()  # the button beside the comment
    response = client.post(hide, follow=True)
    assert "The comment is hidden." in response.content.decode()
    said.refresh_from_db()
    assert (said.hidden_by_id, said.hidden_at is not None) == (coordinator.user_id, True)
    for person in (member, worker, observer):
        page = signed_in(person.user).get(page_of("decision", decision)).content.decode()
        assert "This comment was hidden by a coordinator." in page
        assert "Something unkind about Bea." not in page
        assert hide not in page
    page = client.get(page_of("decision", decision)).content.decode()
    assert "This comment was hidden by a coordinator." in page
    assert "Something unkind about Bea." in page  # coordinators keep the record
    assert hide not in page  # it cannot be hidden twice
    assert "hid a comment on" in audit_sentences(decision)


@pytest.mark.parametrize("role", ["member", "worker", "partner_lead", "observer"])
def test_nobody_but_a_coordinator_hides_a_comment_or_sees_the_button(
    role: str, worker: Any, member: Any, people: dict[str, Any]
) -> None:
    decision = raised(worker)
    said = services.comment_add(actor=member, decision=decision, body="Tuesdays suit me.")
    hide = page_of("comment-hide", decision, comment_id=said.pk)
    client = signed_in(people[role].user)
    assert hide not in client.get(page_of("decision", decision)).content.decode()
    assert client.post(hide).status_code == 404
    said.refresh_from_db()
    assert said.hidden_at is None


def test_hiding_a_hidden_comment_says_so_and_changes_nothing(worker: Any, member: Any, coordinator: Any) -> None:
    decision = raised(worker)
    said = services.comment_add(actor=member, decision=decision, body="Tuesdays suit me.")
    first = services.comment_hide(actor=coordinator, comment=said)
    response = signed_in(coordinator.user).post(page_of("comment-hide", decision, comment_id=said.pk), follow=True)
    assert "This comment is already hidden." in response.content.decode()
    said.refresh_from_db()
    assert said.hidden_at == first.hidden_at


def test_a_comment_is_hidden_only_through_its_own_decision(worker: Any, member: Any, coordinator: Any) -> None:
    decision, other = raised(worker), raised(worker, title="Another one")
    said = services.comment_add(actor=member, decision=decision, body="Tuesdays suit me.")
    client = signed_in(coordinator.user)
    assert client.post(page_of("comment-hide", other, comment_id=said.pk)).status_code == 404
    elsewhere = staff_membership(PartnershipFactory(), role="coordinator")
    assert signed_in(elsewhere.user).post(page_of("comment-hide", decision, comment_id=said.pk)).status_code == 404
    said.refresh_from_db()
    assert said.hidden_at is None


# --- Amending, versions, closing, outcome -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["worker", "coordinator"])
def test_the_proposer_or_a_coordinator_amends_and_the_versions_say_what_changed(
    role: str, worker: Any, member: Any, people: dict[str, Any]
) -> None:
    decision = raised(worker, "score")
    services.answer_give(actor=member, decision=decision, values={o.pk: 1 for o in decision.options.all()})
    client = signed_in(people[role].user)
    assert client.get(page_of("amend", decision)).status_code == 200
    response = client.post(
        page_of("amend", decision),
        {
            "title": "A better proposal",
            "background": "Why it matters.",
            "options": "Aisha\nCal\nDanielle",
            "change_note": "Bea stood down; Danielle stood.",
        },
    )
    assert response.status_code == 302
    page = client.get(page_of("versions", decision)).content.decode()
    assert "Version 2" in page and "Version 1" in page
    assert "Bea stood down; Danielle stood." in page
    assert "The title changed from “A score proposal” to “A better proposal”." in page
    assert "Added: Danielle." in page and "Withdrawn: Bea." in page
    assert page.index("Version 2") < page.index("Version 1")  # the newest first
    decision_page = signed_in(member.user).get(page_of("decision", decision)).content.decode()
    assert "You answered version 1; the proposal has changed since." in decision_page
    assert "What changed in version 2:" in decision_page


@pytest.mark.parametrize("role", ["member", "partner_lead", "observer"])
def test_others_cannot_amend_close_or_write_the_outcome(role: str, worker: Any, people: dict[str, Any]) -> None:
    decision = raised(worker)
    client = signed_in(people[role].user)
    for name in ("amend", "close"):
        assert client.get(page_of(name, decision)).status_code == 404
        assert client.post(page_of(name, decision), {}).status_code == 404
    counted(decision, worker)
    assert client.post(page_of("outcome", decision), {}).status_code == 404
    decision.refresh_from_db()
    assert decision.version == 1
    assert not Outcome.objects.exists()


def test_an_amendment_without_a_note_is_refused(worker: Any) -> None:
    decision = raised(worker)
    response = signed_in(worker.user).post(
        page_of("amend", decision), {"title": "New", "background": "New.", "change_note": ""}
    )
    assert "Say what you changed and why." in response.content.decode()
    decision.refresh_from_db()
    assert decision.version == 1


@pytest.mark.parametrize("role", ["worker", "coordinator"])
def test_closing_counts_in_the_background_and_the_outcome_is_written(
    role: str, worker: Any, member: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    decision = raised(worker)
    services.answer_give(actor=member, decision=decision, position="agree")
    client = signed_in(people[role].user)
    assert "Close the decision now?" in client.get(page_of("close", decision)).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(page_of("close", decision))
    assert response["Location"] == page_of("results", decision)
    page = client.get(response["Location"]).content.decode()
    assert "Being counted – this page will show the result when it is ready." in page
    services.decision_count(decision.pk)
    page = client.get(page_of("results", decision)).content.decode()
    assert "It passed." in page
    response = client.post(
        page_of("outcome", decision),
        {
            "statement": "We open on Saturdays from March.",
            "owner": str(member.pk),
            "due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "review_on": (timezone.localdate() + timedelta(days=120)).isoformat(),
        },
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.owner_id, outcome.statement) == (member.pk, "We open on Saturdays from March.")
    assert "We open on Saturdays from March." in client.get(page_of("decision", decision)).content.decode()


def test_closing_twice_and_amending_after_closing_are_refused_with_a_message_and_nothing_saved(
    worker: Any, coordinator: Any
) -> None:
    decision = raised(worker, method="stv")
    counted(decision, worker)
    decision.refresh_from_db()
    before = (decision.closed_at, decision.closed_by_id, decision.result, decision.version, decision.title)
    for person in (worker, coordinator):
        client = signed_in(person.user)
        page = client.post(page_of("close", decision), follow=True).content.decode()
        assert "This decision has already closed." in page
        page = client.get(page_of("amend", decision), follow=True).content.decode()
        assert "This decision has closed, so it can no longer be changed." in page
        amended = {"title": "Three parents", "background": "More.", "options": "A\nB\nC\nD", "change_note": "Why"}
        page = client.post(page_of("amend", decision), amended, follow=True).content.decode()
        assert "This decision has closed, so it can no longer be changed." in page
    decision.refresh_from_db()
    assert (decision.closed_at, decision.closed_by_id, decision.result, decision.version, decision.title) == before
    assert decision.versions.count() == 1
    assert DecisionOption.objects.filter(decision=decision).count() == 3
    assert AuditEvent.objects.filter(action="decisions.closed", target_id=str(decision.pk)).count() == 1


def test_an_election_cannot_be_amended_to_fewer_candidates_than_seats(worker: Any) -> None:
    decision = raised(worker, method="stv")  # two seats, three candidates
    amended = {"title": decision.title, "background": "", "options": "Aisha", "change_note": "Two withdrew."}
    response = signed_in(worker.user).post(page_of("amend", decision), amended)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "There must be more candidates than seats: for 2 seats, write at least 3 names." in page
    decision.refresh_from_db()
    assert (decision.version, decision.versions.count()) == (1, 1)
    assert sorted(decision.options.filter(withdrawn_at__isnull=True).values_list("label", flat=True)) == [
        "Aisha",
        "Bea",
        "Cal",
    ]


def test_an_election_left_with_fewer_candidates_than_seats_is_not_closed(worker: Any) -> None:
    """Only a change outside the pages could leave too few candidates standing; closing then says why and
    leaves the decision open, uncounted, with nothing recorded."""
    decision = raised(worker, method="stv")
    decision.options.filter(label__in=["Bea", "Cal"]).update(withdrawn_at=timezone.now())
    page = signed_in(worker.user).post(page_of("close", decision), follow=True).content.decode()
    assert "There are fewer candidates (1) than seats (2): it cannot be counted." in page
    decision.refresh_from_db()
    assert (decision.status, decision.closed_at, decision.result_status) == ("open", None, "none")
    assert not AuditEvent.objects.filter(action="decisions.closed").exists()


def test_an_outcome_reviewed_before_it_is_due_is_refused(worker: Any, member: Any) -> None:
    decision = raised(worker)
    counted(decision, worker)
    response = signed_in(worker.user).post(
        page_of("outcome", decision),
        {
            "statement": "Done.",
            "owner": str(member.pk),
            "due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "review_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    assert "Look back at it on or after the day it is to be done by." in response.content.decode()
    assert not Outcome.objects.exists()


# --- Results --------------------------------------------------------------------------------------------


def test_the_results_show_members_and_staff_side_by_side_with_the_quorum_in_words(
    partnership: Any, worker: Any, member: Any, coordinator: Any
) -> None:
    others = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(3)]
    decision = raised(worker, "yes_no", quorum_members_percent=50, double_majority=True)
    services.answer_give(actor=member, decision=decision, position="no")
    services.answer_give(actor=others[0], decision=decision, position="no")
    services.answer_give(actor=worker, decision=decision, position="yes")
    services.answer_give(actor=coordinator, decision=decision, position="yes")
    counted(decision, worker)
    page = signed_in(member.user).get(page_of("results", decision)).content.decode()
    assert "It did not pass." in page
    assert "At least 50 % of parents (members) had to take part: 2 of 4 did, so the minimum was met." in page
    assert "Members: did not pass." in page
    assert "Staff: passed." in page
    assert 'data-smallscreen="boxes"' in page
    row = re.search(r"<th scope=\"row\"[^>]*>Yes</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>", page)
    assert row is not None and row.groups() == ("0", "2")


def test_an_stv_result_shows_the_stages_in_words(partnership: Any, worker: Any) -> None:
    decision = raised(worker, "stv")
    a, b, c = decision.options.order_by("position")
    voters = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(9)]
    for i, voter in enumerate(voters):
        ranking = {a.pk: 1, b.pk: 2} if i < 6 else {c.pk: 1, b.pk: 2}
        services.answer_give(actor=voter, decision=decision, values=ranking)
    counted(decision, worker)
    page = signed_in(worker.user).get(page_of("results", decision)).content.decode()
    assert "Elected, in order:" in page
    assert "Stage 1: first preferences counted" in page
    assert "Stage 2: Aisha&#x27;s surplus of" in page
    assert "To be elected, a candidate needed 4 votes" in page


def test_an_open_decision_has_no_result_yet(worker: Any, member: Any) -> None:
    decision = raised(worker)
    page = signed_in(member.user).get(page_of("results", decision)).content.decode()
    assert "The result shows here when it closes." in page


# --- Ballot files ---------------------------------------------------------------------------------------

BLT = '3 2\n1 1 2 0\n1 1 3 0\n2 2 0\n1 3 1 0\n0\n"Aisha"\n"Bea"\n"Cal"\n"Board election"\n'


def test_a_closed_ranked_decision_downloads_as_blt_and_soi(partnership: Any, worker: Any, member: Any) -> None:
    decision = raised(worker, "stv")
    a, b, _c = decision.options.order_by("position")
    services.answer_give(actor=member, decision=decision, values={a.pk: 1, b.pk: 2})
    client = signed_in(member.user)
    assert client.get(page_of("export-blt", decision)).status_code == 404  # not while it is open
    counted(decision, worker)
    blt = client.get(page_of("export-blt", decision))
    assert blt["Content-Disposition"].startswith("attachment;")
    assert blt.content.decode().splitlines()[:2] == ["3 2", "1 1 2 0"]
    soi = client.get(page_of("export-soi", decision))
    assert soi["Content-Disposition"].endswith('.soi"')
    assert "# ALTERNATIVE NAME 1: Aisha" in soi.content.decode()


def test_a_coordinator_counts_a_blt_file_as_a_new_decision(partnership: Any, coordinator: Any) -> None:
    response = signed_in(coordinator.user).post(
        url("import", partnership),
        {
            "file": SimpleUploadedFile("board.blt", BLT.encode()),
            "kind": "everyday",
            "method": "stv",
            "closes_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "closes_time": "17:00",
        },
    )
    decision = Decision.objects.get()
    assert response["Location"] == page_of("decision", decision)
    assert (decision.title, decision.seats, decision.imported) == ("Board election", 2, True)
    assert list(decision.options.order_by("position").values_list("label", flat=True)) == ["Aisha", "Bea", "Cal"]
    assert decision.participations.count() == 5


def test_a_soi_file_is_counted_like_a_blt_file(partnership: Any, coordinator: Any) -> None:
    soi = (
        "# FILE NAME: board.soi\n# TITLE: Board\n# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 3\n"
        "# ALTERNATIVE NAME 1: Aisha\n# ALTERNATIVE NAME 2: Bea\n# ALTERNATIVE NAME 3: Cal\n"
        "# NUMBER VOTERS: 3\n# NUMBER UNIQUE ORDERS: 2\n2: 1,2\n1: 3\n"
    )
    response = signed_in(coordinator.user).post(
        url("import", partnership),
        {
            "file": SimpleUploadedFile("board.soi", soi.encode()),
            "kind": "everyday",
            "method": "ranked_irv",
            "closes_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "closes_time": "17:00",
        },
    )
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get()
    assert decision.participations.count() == 3


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.blt", '3 2\n1 1 9 0\n0\n"A"\n"B"\n"C"\n"T"\n', "line 2"),
        ("bad.blt", '3 2\nx 1 2 0\n0\n"A"\n"B"\n"C"\n"T"\n', "line 2"),
        ("bad.soi", "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n2: 1,7\n", "line 4"),
        ("notes.doc", "hello", "Choose a .blt or .soi file."),
    ],
)
def test_a_bad_ballot_file_is_one_line_naming_the_line_and_nothing_is_saved(
    name: str, text: str, message: str, partnership: Any, coordinator: Any
) -> None:
    response = signed_in(coordinator.user).post(
        url("import", partnership),
        {
            "file": SimpleUploadedFile(name, text.encode()),
            "kind": "everyday",
            "method": "stv",
            "closes_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "closes_time": "17:00",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page.lower() if message.islower() else message in page
    assert "Traceback" not in page
    assert not Decision.objects.exists()


@pytest.mark.parametrize("role", ["member", "worker", "partner_lead", "observer"])
def test_only_coordinators_count_a_ballot_file(role: str, partnership: Any, people: dict[str, Any]) -> None:
    response = signed_in(people[role].user).post(
        url("import", partnership), {"file": SimpleUploadedFile("a.blt", BLT.encode()), "method": "stv"}
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()


# --- Reach and the home page ----------------------------------------------------------------------------


def test_another_partnerships_decision_is_a_404_on_every_page(worker: Any, member: Any) -> None:
    decision = raised(worker)
    counted(decision, worker)
    elsewhere = MembershipFactory(partnership=PartnershipFactory(), is_member=True)
    client = signed_in(elsewhere.user)
    for name in ("decision", "results", "versions", "amend", "close", "outcome", "export-blt"):
        address = reverse(f"decisions:{name}", kwargs={"slug": elsewhere.partnership.slug, "decision_id": decision.pk})
        assert client.get(address).status_code == 404, name
    for name in ("answer", "comment"):
        address = reverse(f"decisions:{name}", kwargs={"slug": elsewhere.partnership.slug, "decision_id": decision.pk})
        assert client.post(address, {"position": "agree", "body": "Hi"}).status_code == 404, name
    assert not Participation.objects.exists()
    assert not DecisionComment.objects.exists()


def test_the_home_page_says_a_decision_is_waiting_for_an_answer(partnership: Any, worker: Any, member: Any) -> None:
    decision = raised(worker, title="Saturday opening")
    client = signed_in(member.user)
    home = reverse("partnerships:home", kwargs={"slug": partnership.slug})
    page = client.get(home).content.decode()
    assert "A decision is waiting for your answer:" in page
    assert "Saturday opening" in page
    services.answer_give(actor=member, decision=decision, position="agree")
    page = client.get(home).content.decode()
    assert "A decision is waiting for your answer" not in page
    assert "You have answered everything asked of you." in page


def test_the_navigation_has_decisions(partnership: Any, member: Any) -> None:
    page = signed_in(member.user).get(url("list", partnership)).content.decode()
    assert re.search(r'<a[^>]+href="/p/[^/]+/decisions/"[^>]*aria-current="page"', page)


def test_every_page_of_the_demo_decisions_shows_its_story(django_capture_on_commit_callbacks: Any) -> None:
    from coproduce.decisions import demo as decisions_demo
    from coproduce.governance import demo as governance_demo
    from coproduce.partnerships import demo as partnership_demo
    from coproduce.partnerships.demo import DemoContext

    with django_capture_on_commit_callbacks(execute=True):
        ctx = DemoContext()
        partnership_demo.load(ctx)
        governance_demo.load(ctx)
        decisions_demo.load(ctx)
    for (_slug, _name), membership in ctx.memberships.items():
        client = signed_in(membership.user)
        for decision in Decision.objects.filter(partnership_id=membership.partnership_id):
            for name in ("decision", "results", "versions"):
                response = client.get(page_of(name, decision))
                assert response.status_code == 200, (name, decision.title, membership)
    election = Decision.objects.get(title=decisions_demo.ELECTION)
    page = client.get(page_of("results", election)).content.decode()
    assert "Stage 1: first preferences counted" in page
    assert "Stage 2: " in page
    double = Decision.objects.get(title=decisions_demo.DOUBLE)
    page = client.get(page_of("results", double)).content.decode()
    assert "Members: did not pass." in page and "Staff: passed." in page


def test_the_answers_are_named_unless_the_decision_is_anonymous(worker: Any, member: Any, coordinator: Any) -> None:
    named = raised(worker, title="Named one")
    hidden = raised(worker, title="Secret one", anonymous=True)
    for decision in (named, hidden):
        services.answer_give(actor=member, decision=decision, position="block", reason="The bus does not run.")
    client = signed_in(coordinator.user)
    page = client.get(page_of("decision", named)).content.decode()
    assert member.user.display_name in page
    assert "1 of 1 members and 0 of 2 staff have answered." in page
    page = client.get(page_of("decision", hidden)).content.decode()
    assert member.user.display_name not in page
    assert "The bus does not run." in page
    assert "Answers are anonymous: nobody is named." in page
