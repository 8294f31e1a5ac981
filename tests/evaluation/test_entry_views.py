"""The paper form and the keyworker's entry pages, for every role, with good and bad input: a batch of paper forms
keeps the service and the way between forms; a form number entered twice, a missing number, a read-out answer
without her agreement, and a service out of reach each get a clear message and save nothing."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.evaluation.instrument import STATEMENTS
from coproduce.evaluation.models import Answer, Question, Subject
from coproduce.partnerships.models import Membership, Partnership
from tests.conftest import signed_in
from tests.factories import MembershipFactory, PartnershipFactory

ROLES_OUT = ["member", "observer", "partner_lead", "outsider"]


@pytest.fixture
def subject(partnership: Partnership) -> Subject:
    return Subject.objects.create(
        partnership=partnership, kind=Subject.Kind.SERVICE, source_key="support.service:1", name="Job club"
    )


def url(partnership: Partnership, name: str, **kwargs: Any) -> str:
    return reverse(f"evaluation:{name}", kwargs={"slug": partnership.slug, **kwargs})


def answers(**overrides: str) -> dict[str, str]:
    data = {s.key: "4" for s in STATEMENTS}
    data.update({"keep": "The crèche.", "change": ""})
    data.update(overrides)
    return data


def enter_url(partnership: Partnership, subject: Subject, mode: str) -> str:
    return f"{url(partnership, 'enter')}?subject={subject.pk}&mode={mode}"


# --- the paper form ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["worker", "coordinator"])
def test_keyworkers_choose_a_service_and_see_its_printable_form(
    role: str, request: pytest.FixtureRequest, partnership: Partnership, subject: Subject
) -> None:
    client = signed_in(request.getfixturevalue(role).user)
    Question.objects.create(subject=subject, text="Was the room easy to find?", kind="scale", position=1)
    Question.objects.create(
        subject=subject, text="An old question", kind="scale", position=2, retired_at="2026-01-01T00:00Z"
    )
    choose = client.get(url(partnership, "paper")).content.decode()
    assert url(partnership, "paper-form", subject_id=subject.pk) in choose
    page = html.unescape(client.get(url(partnership, "paper-form", subject_id=subject.pk)).content.decode())
    for statement in STATEMENTS:
        assert str(statement.text) in page
    assert "Was the room easy to find?" in page
    assert "An old question" not in page
    assert "Form number (office use)" in page
    assert "The service won't know it was you" in page
    assert "evaluation/paper.css" in page and "evaluation/print.js" in page
    assert "use your browser's print" in page
    # 6 boxes (five points and "rather not say") for each of the six statements and the one live question.
    assert page.count('class="cp-paper__box"') == 6 * 7


@pytest.mark.parametrize("role", ROLES_OUT)
def test_nobody_else_reaches_the_paper_or_entry_pages(
    role: str, request: pytest.FixtureRequest, partnership: Partnership, subject: Subject
) -> None:
    client = signed_in(request.getfixturevalue(role).user)
    for address in (
        url(partnership, "paper"),
        url(partnership, "paper-form", subject_id=subject.pk),
        url(partnership, "enter"),
        enter_url(partnership, subject, "paper"),
    ):
        assert client.get(address).status_code == 404
    assert (
        client.post(
            enter_url(partnership, subject, "paper"),
            {**answers(paper_ref="B-1"), "subject": subject.pk, "mode": "paper"},
        ).status_code
        == 404
    )
    assert not Answer.objects.exists()


def test_another_partnerships_service_has_no_paper_form(worker: Membership, partnership: Partnership) -> None:
    elsewhere = Subject.objects.create(
        partnership=PartnershipFactory(), kind=Subject.Kind.SERVICE, source_key="support.service:9", name="Far away"
    )
    assert signed_in(worker.user).get(url(partnership, "paper-form", subject_id=elsewhere.pk)).status_code == 404


# --- entering a batch of paper forms -------------------------------------------------------------------------


def post_paper(client: Client, partnership: Partnership, subject: Subject, **overrides: str) -> Any:
    data = {"subject": str(subject.pk), "mode": "paper", **answers(**overrides)}
    return client.post(enter_url(partnership, subject, "paper"), data)


def test_a_keyworker_enters_a_pile_of_paper_forms_keeping_the_service_and_the_way(
    worker: Membership, partnership: Partnership, subject: Subject
) -> None:
    client = signed_in(worker.user)
    first = client.get(url(partnership, "enter"))
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]
    assert 'name="mode"' in first.content.decode()
    chosen = client.get(enter_url(partnership, subject, "paper"))
    assert 'name="paper_ref"' in chosen.content.decode()
    assert 'name="member"' not in chosen.content.decode()
    response = post_paper(client, partnership, subject, paper_ref="b-017")
    assert response.status_code == 302
    assert response["Location"] == enter_url(partnership, subject, "paper")
    again = client.get(response["Location"])
    page = again.content.decode()
    assert "Saved: form B-017 about Job club. Enter another." in page
    assert 'name="paper_ref"' in page and 'value="B-017"' not in page  # an empty form for the next one
    assert post_paper(client, partnership, subject, paper_ref="B-018").status_code == 302
    assert sorted(Answer.objects.values_list("paper_ref", "mode", "user_id")) == [
        ("B-017", "paper", None),
        ("B-018", "paper", None),
    ]


def test_the_same_form_again_is_refused_next_to_the_number_and_what_was_typed_is_kept(
    worker: Membership, partnership: Partnership, subject: Subject
) -> None:
    client = signed_in(worker.user)
    post_paper(client, partnership, subject, paper_ref="B-017")
    response = post_paper(client, partnership, subject, paper_ref="B-017", change="Later starts")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Form B-017 was entered on" in page and "it is counted already" in page
    assert 'href="#id_paper_ref"' in page  # the error summary links to the field
    assert "Later starts" in page
    assert Answer.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"paper_ref": ""}, "Enter the form number"),
        ({"paper_ref": "B-1", "listened": "7"}, "Select a valid choice"),
        ({"paper_ref": "B-1", "keep": "x" * 2001}, "2000 characters or fewer"),
    ],
)
def test_bad_paper_input_gets_a_clear_message_and_saves_nothing(
    overrides: dict[str, str], message: str, worker: Membership, partnership: Partnership, subject: Subject
) -> None:
    response = post_paper(signed_in(worker.user), partnership, subject, **overrides)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert not Answer.objects.exists()


def test_choosing_nothing_or_a_service_out_of_reach_is_asked_again(
    coordinator: Membership, partnership: Partnership, subject: Subject
) -> None:
    client = signed_in(coordinator.user)
    elsewhere = Subject.objects.create(
        partnership=PartnershipFactory(), kind=Subject.Kind.SERVICE, source_key="support.service:9", name="Far away"
    )
    for query in (
        "?mode=paper",
        f"?subject={subject.pk}",
        f"?subject={elsewhere.pk}&mode=paper",
        "?subject=x&mode=online",
    ):
        response = client.get(url(partnership, "enter") + query)
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
        assert 'name="paper_ref"' not in response.content.decode()
    # A post with a service out of reach saves nothing either.
    data = {"subject": str(elsewhere.pk), "mode": "paper", **answers(paper_ref="B-1")}
    assert client.post(url(partnership, "enter"), data).status_code == 200
    assert not Answer.objects.exists()


# --- read out ------------------------------------------------------------------------------------------------


def test_a_read_out_answer_needs_the_tick_and_is_saved_as_hers(
    worker: Membership, member: Membership, partnership: Partnership, subject: Subject
) -> None:
    client = signed_in(worker.user)
    member.user.display_name = "Aisha"
    member.user.save()
    page = client.get(enter_url(partnership, subject, "read_out")).content.decode()
    assert "Aisha" in page and member.user.email not in page
    data = {"subject": str(subject.pk), "mode": "read_out", "member": str(member.pk), **answers()}
    refused = client.post(enter_url(partnership, subject, "read_out"), data)
    assert refused.status_code == 200
    assert "Tick to say she agreed" in refused.content.decode()
    assert not Answer.objects.exists()
    saved = client.post(enter_url(partnership, subject, "read_out"), {**data, "member_agreed": "on"})
    assert saved.status_code == 302
    answer = Answer.objects.get()
    assert (answer.mode, answer.user_id, answer.entered_by_id) == ("read_out", member.user_id, worker.user_id)
    again = client.post(enter_url(partnership, subject, "read_out"), {**data, "member_agreed": "on"})
    assert again.status_code == 200
    assert "There is a problem" in again.content.decode()
    assert Answer.objects.count() == 1


def test_only_members_of_the_partnership_are_offered_for_read_out(
    worker: Membership, partnership: Partnership, subject: Subject, outsider: Membership
) -> None:
    client = signed_in(worker.user)
    here = MembershipFactory(partnership=partnership, is_member=True)
    page = client.get(enter_url(partnership, subject, "read_out")).content.decode()
    options = re.findall(r'<option value="(\d+)"', page)
    assert options == [str(here.pk)]
    assert str(outsider.pk) not in options and str(worker.pk) not in options
    data = {"subject": str(subject.pk), "mode": "read_out", "member": str(outsider.pk), "member_agreed": "on"}
    response = client.post(enter_url(partnership, subject, "read_out"), {**data, **answers()})
    assert response.status_code == 200
    assert "Choose the parent" in response.content.decode()
    assert not Answer.objects.exists()
