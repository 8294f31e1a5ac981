"""The member's pages of What parents say: the hub for every role, the answer form (all optional but one, a
double POST and the back button saving one answer, a service she never used, free text with a phone number),
"Not now", her answers and withdrawing one (gone, and a second POST harmless), the home page section, the
navigation entry and the prompt before leaving; 404 for another partnership and for those who may not."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.urls import reverse

from coproduce.evaluation import services
from coproduce.evaluation.leaving import before_leaving
from coproduce.evaluation.models import Answer, Offer, Remark
from coproduce.partnerships.models import Membership
from tests.conftest import signed_in
from tests.evaluation.member_support import ALL_AGREE, a_subject, an_offer
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"evaluation:{name}", kwargs={"slug": partnership.slug, **kwargs})


def text_of(response: Any) -> str:
    """The page's words, without markup, spaces made single."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def answer_post(**fields: Any) -> dict[str, Any]:
    data = dict.fromkeys(ALL_AGREE, "")
    data.update({"keep": "", "change": ""})
    data.update({key: str(value) for key, value in fields.items()})
    return data


@pytest.fixture
def subject(partnership: Any) -> Any:
    return a_subject(partnership, "Riverside Job Club")


@pytest.fixture
def offer(member: Membership, subject: Any) -> Offer:
    return an_offer(member, subject)


# --- the hub -------------------------------------------------------------------------------------------


def test_the_member_sees_her_offer_the_services_she_used_and_her_answers(
    member: Membership, offer: Offer, partnership: Any
) -> None:
    page = signed_in(member.user).get(url("index", partnership))
    assert page.status_code == 200
    words = text_of(page)
    assert "Tell us about Riverside Job Club" in words
    assert f"{url('answer', partnership, subject_id=offer.subject_id)}?offer={offer.pk}" in page.content.decode()
    assert url("offer-dismiss", partnership, offer_id=offer.pk) in page.content.decode()
    assert url("mine", partnership) in page.content.decode()


def test_a_service_answered_this_month_is_marked_not_linked(member: Membership, offer: Offer, partnership: Any) -> None:
    services.answer_give(actor=member, subject_id=offer.subject_id, scores=ALL_AGREE, offer_id=offer.pk)
    page = signed_in(member.user).get(url("index", partnership))
    assert "you told us this month" in text_of(page)
    assert url("answer", partnership, subject_id=offer.subject_id) not in page.content.decode()


@pytest.mark.parametrize("role", ["observer", "worker", "coordinator", "partner_lead"])
def test_staff_and_observers_see_no_answering_on_the_hub(role: str, request: Any, partnership: Any) -> None:
    person = request.getfixturevalue(role)
    page = signed_in(person.user).get(url("index", partnership))
    assert page.status_code == 200
    assert "Tell us about a service you used" not in text_of(page)
    assert url("mine", partnership) not in page.content.decode()


def test_every_link_on_the_hub_leads_somewhere(coordinator: Membership, partnership: Any) -> None:
    client = signed_in(coordinator.user)
    page = client.get(url("index", partnership))
    prefix = url("index", partnership)
    links = [href for href in re.findall(r'href="([^"]+)"', page.content.decode()) if href.startswith(prefix)]
    for href in links:
        assert client.get(href).status_code == 200, href


def test_another_partnership_gets_404(outsider: Membership, partnership: Any, offer: Offer) -> None:
    client = signed_in(outsider.user)
    assert client.get(url("index", partnership)).status_code == 404
    assert client.get(url("answer", partnership, subject_id=offer.subject_id)).status_code == 404
    assert client.post(url("offer-dismiss", partnership, offer_id=offer.pk)).status_code == 404


# --- answering -----------------------------------------------------------------------------------------


def test_the_form_asks_six_statements_with_legends_and_rather_not_say_chosen(
    member: Membership, offer: Offer, partnership: Any
) -> None:
    page = signed_in(member.user).get(url("answer", partnership, subject_id=offer.subject_id))
    markup = page.content.decode()
    assert markup.count("<fieldset") == 6
    assert "<legend>I was listened to" in markup
    assert len(re.findall(r'type="radio" name="\w+" value=""[^>]*\bchecked\b', markup)) == 6
    assert len(re.findall(r"\bchecked\b", markup)) == 6
    words = text_of(page)
    assert "will not know it was you" in words
    assert "withdraw" in words


def test_answering_saves_one_answer_marks_the_offer_and_thanks_her(
    member: Membership, offer: Offer, partnership: Any
) -> None:
    client = signed_in(member.user)
    address = f"{url('answer', partnership, subject_id=offer.subject_id)}?offer={offer.pk}"
    response = client.post(address, answer_post(listened=5, respect=4, keep="The crèche."), follow=True)
    given = Answer.objects.get()
    assert (given.user_id, given.mode, given.listened, given.respect, given.had_say) == (
        member.user_id,
        Answer.Mode.ONLINE,
        5,
        4,
        None,
    )
    assert Remark.objects.get().text == "The crèche."
    offer.refresh_from_db()
    assert offer.answered_at is not None
    assert response.redirect_chain[-1][0] == url("index", partnership)
    assert "Thank you for telling us about Riverside Job Club" in text_of(response)
    assert "a coordinator will read it first" not in text_of(response)


def test_sending_twice_or_going_back_and_sending_again_saves_one_answer(
    member: Membership, offer: Offer, partnership: Any
) -> None:
    client = signed_in(member.user)
    address = url("answer", partnership, subject_id=offer.subject_id)
    first = client.post(address, answer_post(listened=5))
    again = client.post(address, answer_post(listened=2, change="Later times."))
    assert first.status_code == 302
    assert again.status_code == 200
    assert "You told us about this service this month" in text_of(again)
    assert Answer.objects.count() == 1
    assert Answer.objects.get().listened == 5
    assert not Remark.objects.exists()
    # The form itself now says so instead of asking again.
    assert "You told us about this service this month" in text_of(client.get(address))


def test_nothing_answered_is_an_error_linked_from_the_summary(
    member: Membership, offer: Offer, partnership: Any
) -> None:
    response = signed_in(member.user).post(url("answer", partnership, subject_id=offer.subject_id), answer_post())
    assert response.status_code == 200
    assert "Choose an answer to at least one statement" in text_of(response)
    assert "There is a problem" in text_of(response)
    assert not Answer.objects.exists()


@pytest.mark.parametrize("bad", ["7", "0", "agree", "-1"])
def test_a_score_off_the_scale_is_refused(bad: str, member: Membership, offer: Offer, partnership: Any) -> None:
    response = signed_in(member.user).post(
        url("answer", partnership, subject_id=offer.subject_id), answer_post(listened=bad, keep="Kind staff.")
    )
    assert response.status_code == 200
    assert 'href="#id_listened_0"' in response.content.decode()
    assert not Answer.objects.exists()


def test_free_text_too_long_is_refused_and_kept(member: Membership, offer: Offer, partnership: Any) -> None:
    long = "x" * 2001
    response = signed_in(member.user).post(
        url("answer", partnership, subject_id=offer.subject_id), answer_post(keep=long)
    )
    assert response.status_code == 200
    assert long in response.content.decode()  # nothing she typed is lost
    assert not Answer.objects.exists()


def test_a_phone_number_in_free_text_is_saved_and_she_is_told_kindly(
    member: Membership, offer: Offer, partnership: Any
) -> None:
    response = signed_in(member.user).post(
        url("answer", partnership, subject_id=offer.subject_id),
        answer_post(change="Ring me on 07700 900123 about the times."),
        follow=True,
    )
    assert "a coordinator will read it first" in text_of(response)
    assert Remark.objects.get().flags != ""


def test_a_service_she_never_used_is_explained_not_a_loop(member: Membership, partnership: Any) -> None:
    never = a_subject(partnership, "Harbour Housing Advice")
    client = signed_in(member.user)
    page = client.get(url("answer", partnership, subject_id=never.pk))
    assert page.status_code == 200
    assert "We ask only about services you have used" in text_of(page)
    posted = client.post(url("answer", partnership, subject_id=never.pk), answer_post(listened=1))
    assert posted.status_code == 200
    assert "We ask only about services you have used" in text_of(posted)
    assert not Answer.objects.exists()


def test_another_partnerships_service_is_404(member: Membership, partnership: Any) -> None:
    elsewhere = a_subject(MembershipFactory().partnership, "Elsewhere Advice")
    assert signed_in(member.user).get(url("answer", partnership, subject_id=elsewhere.pk)).status_code == 404


@pytest.mark.parametrize("role", ["observer", "worker", "coordinator"])
def test_only_members_answer(role: str, request: Any, partnership: Any, subject: Any) -> None:
    person = request.getfixturevalue(role)
    an_offer(person, subject)
    client = signed_in(person.user)
    assert client.get(url("answer", partnership, subject_id=subject.pk)).status_code == 404
    assert client.post(url("answer", partnership, subject_id=subject.pk), answer_post(listened=3)).status_code == 404
    assert not Answer.objects.exists()


# --- Not now -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("back", "to"), [("index", "evaluation:index"), ("home", "partnerships:home"), ("", "evaluation:index")]
)
def test_not_now_dismisses_and_goes_back(
    back: str, to: str, member: Membership, offer: Offer, partnership: Any
) -> None:
    client = signed_in(member.user)
    response = client.post(url("offer-dismiss", partnership, offer_id=offer.pk), {"back": back})
    assert response.status_code == 302
    assert response["Location"] == reverse(to, kwargs={"slug": partnership.slug})
    offer.refresh_from_db()
    assert offer.dismissed_at is not None
    page = client.get(response["Location"])
    assert "We won't ask about that again" in text_of(page)
    assert "Tell us about Riverside Job Club" not in text_of(page)


def test_not_now_on_someone_elses_offer_changes_nothing(partnership: Any, offer: Offer) -> None:
    other = MembershipFactory(partnership=partnership, is_member=True)
    response = signed_in(other.user).post(url("offer-dismiss", partnership, offer_id=offer.pk))
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.dismissed_at is None


@pytest.mark.parametrize("role", ["observer", "worker", "coordinator"])
def test_not_now_is_for_members(role: str, request: Any, partnership: Any, offer: Offer) -> None:
    person = request.getfixturevalue(role)
    assert signed_in(person.user).post(url("offer-dismiss", partnership, offer_id=offer.pk)).status_code == 404
    offer.refresh_from_db()
    assert offer.dismissed_at is None


# --- her answers and withdrawing -----------------------------------------------------------------------


def test_her_answers_in_words_with_her_own_text_and_not_anyone_elses(
    member: Membership, offer: Offer, partnership: Any
) -> None:
    services.answer_give(actor=member, subject_id=offer.subject_id, scores=ALL_AGREE, keep="Listening to me.")
    other = MembershipFactory(partnership=partnership, is_member=True)
    services.answer_give(
        actor=other,
        subject_id=an_offer(other, offer.subject).subject_id,
        scores=ALL_AGREE,
        change="Someone else's words",
    )
    page = signed_in(member.user).get(url("mine", partnership))
    words = text_of(page)
    assert "Riverside Job Club" in words
    assert "I was listened to Strongly agree" in words
    assert "The support fitted my life (times, childcare, travel) Neither agree nor disagree" in words
    assert "Listening to me." in words
    assert "Answered online" in words
    assert "Someone else's words" not in words
    assert page.content.decode().count("Withdraw<") == 1


def test_withdrawing_asks_first_then_deletes_and_a_second_post_is_harmless(
    member: Membership, offer: Offer, partnership: Any
) -> None:
    given = services.answer_give(actor=member, subject_id=offer.subject_id, scores=ALL_AGREE, keep="Kind staff.")
    client = signed_in(member.user)
    address = url("withdraw", partnership, answer_id=given.pk)
    confirm = client.get(address)
    assert confirm.status_code == 200
    assert "Withdraw this answer?" in text_of(confirm)
    assert Answer.objects.filter(pk=given.pk).exists()
    done = client.post(address, follow=True)
    assert done.redirect_chain[-1][0] == url("mine", partnership)
    assert "Your answer is withdrawn" in text_of(done)
    assert not Answer.objects.exists()
    assert not Remark.objects.exists()
    again = client.post(address, follow=True)
    assert "not there any more" in text_of(again)
    assert client.get(address).status_code == 404


def test_nobody_else_withdraws_her_answer(
    member: Membership, offer: Offer, partnership: Any, coordinator: Membership
) -> None:
    given = services.answer_give(actor=member, subject_id=offer.subject_id, scores=ALL_AGREE)
    other = MembershipFactory(partnership=partnership, is_member=True)
    for person in (other, coordinator):
        client = signed_in(person.user)
        assert client.get(url("withdraw", partnership, answer_id=given.pk)).status_code == 404
        client.post(url("withdraw", partnership, answer_id=given.pk))
    assert Answer.objects.filter(pk=given.pk).exists()


# --- the home page, the navigation and leaving ---------------------------------------------------------


def test_the_home_page_asks_the_member_with_an_offer(member: Membership, offer: Offer, partnership: Any) -> None:
    page = signed_in(member.user).get(reverse("partnerships:home", kwargs={"slug": partnership.slug}))
    markup = page.content.decode()
    assert "Tell us about Riverside Job Club" in text_of(page)
    assert url("offer-dismiss", partnership, offer_id=offer.pk) in markup
    assert 'name="back" value="home"' in markup
    assert f'href="{url("index", partnership)}"' in markup  # the navigation entry


def test_the_home_page_asks_nothing_without_an_offer(worker: Membership, member: Membership, partnership: Any) -> None:
    for person in (worker, member):
        page = signed_in(person.user).get(reverse("partnerships:home", kwargs={"slug": partnership.slug}))
        assert "Tell us about" not in text_of(page)
        assert "What parents say" in text_of(page)  # the navigation entry, for everyone


def test_before_leaving_a_member_is_asked_staff_are_not(member: Membership, worker: Membership) -> None:
    prompt = before_leaving(member)
    assert prompt is not None
    assert "The services won't know it was you" in str(prompt.text)
    assert prompt.url == reverse("evaluation:index", kwargs={"slug": member.partnership.slug})
    assert before_leaving(worker) is None
