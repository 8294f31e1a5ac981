"""Nothing personal is ever in open data. A partnership where members with unmistakable names, email addresses
and phone numbers wrote unmistakable words in every capability reachable here (ideas, comments, statements in a
conversation, evaluation remarks, a support plan, fund proposals and an award to a person, an event's
registration) publishes open data; the page /open/<slug>/ and every distribution of every registered dataset are
fetched, with every address they point to under /open/<slug>/ and each item of a paged list, and not one of
those strings may appear.

The datasets come from the registry (``partnerships.open_data.open_datasets``), so a dataset registered later
is swept without changing this test."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.conversations.models import Conversation
from coproduce.conversations.services.conversations import conversation_create
from coproduce.conversations.services.statements import statement_add
from coproduce.evaluation import services as evaluation_services
from coproduce.fund.models import Award, Contribution, Spending
from coproduce.fund.services.proposals import proposal_create
from coproduce.learning.services.registrations import NeedsData, registration_make
from coproduce.partnerships.models import Membership, Partnership
from coproduce.partnerships.open_data import open_datasets
from coproduce.support import services as support_services
from coproduce.support.models import Service
from coproduce.voice import services as voice_services
from tests.evaluation.conftest import scores
from tests.evaluation.member_support import a_subject, an_offer
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, staff_membership
from tests.fund.helpers import make_round
from tests.learning.conftest import make_event
from tests.reports.access_open import publish

pytestmark = pytest.mark.django_db

NAMES = ["Zebedee Quillfeather", "Philippa Marchbanks"]
EMAILS = ["zebedee.quillfeather@example.org", "pmarchbanks77@example.net"]
PHONE = "07700 900461"
# Free text members wrote, one marker a capability; each text also carries a phone number and an email.
WRITTEN = {
    "idea title": "Xylophone lessons at the library",
    "idea body": "Quokkafrog mornings would suit us",
    "comment": "Brindleworth bus times are wrong",
    "statement": "Plumtastic childcare should be free",
    "remark keep": "Keep the Snorkelwick welcome",
    "remark change": "Change the Gobbledyhook forms",
    "plan goal": "A job at Fizzlebottom bakery",
    "proposal title": "Wibbleton football club kit",
    "proposal description": "Kit for the Wibbleton under-tens",
    "proposal beneficiaries": "Thirty Grumbleweed families",
    "registration": "Dorrinbright needs a step-free room",
}
NEEDLES = [*NAMES, *EMAILS, PHONE, *WRITTEN.values()]


def _with_contacts(text: str) -> str:
    return f"{text}, call {PHONE} or write to {EMAILS[0]}"


@pytest.fixture
def world() -> dict[str, Any]:
    partnership = Partnership.objects.create(name="Riverside", slug="riverside")
    zebedee = MembershipFactory(
        partnership=partnership, is_member=True, user=UserFactory(display_name=NAMES[0], email=EMAILS[0])
    )
    philippa = MembershipFactory(
        partnership=partnership, is_member=True, user=UserFactory(display_name=NAMES[1], email=EMAILS[1])
    )
    coordinator = staff_membership(partnership, role="coordinator")
    worker = staff_membership(partnership, role="worker")

    # voice: an idea and a comment by members, and a staff response
    idea = voice_services.idea_create(
        actor=zebedee, title=WRITTEN["idea title"], body=_with_contacts(WRITTEN["idea body"])
    )
    voice_services.comment_create(actor=philippa, idea=idea, body=_with_contacts(WRITTEN["comment"]))
    voice_services.idea_respond(actor=coordinator, idea=idea, status="in_progress", text="We are looking at this.")

    # conversations: a statement a member added
    conversation = conversation_create(
        actor=coordinator, topic="Childcare in Riverside", moderation=Conversation.Moderation.AFTER
    )
    statement_add(actor=zebedee, conversation=conversation, text=WRITTEN["statement"])

    # evaluation: a member's remarks about a service she used
    subject = a_subject(partnership)
    offer = an_offer(philippa, subject)
    evaluation_services.answer_give(
        actor=philippa,
        subject_id=subject.pk,
        scores=scores(4),
        keep=_with_contacts(WRITTEN["remark keep"]),
        change=WRITTEN["remark change"],
        offer_id=offer.pk,
    )

    # support: a member's own plan
    plan = support_services.plan_start(actor=zebedee)
    support_services.goal_create(actor=zebedee, plan=plan, text=WRITTEN["plan goal"])

    # fund: money in, a member's proposal awarded to her (a person, not an organisation), a participation payment
    council = OrganisationFactory(partnership=partnership, name="Riverside Council")
    Contribution.objects.create(
        partnership=partnership,
        organisation=council,
        kind="money",
        description="Core grant for the year",
        value_pence=5_000_000,
        received_at=timezone.now(),
    )
    round_ = make_round(partnership, phase="proposals", title="Spring round")
    long_ago = timezone.now() - timedelta(days=70)
    for n in range(5):  # five awards to people in one past month: published, in aggregate
        proposal = proposal_create(
            actor=zebedee,
            round_=round_,
            title=f"{WRITTEN['proposal title']} {n}",
            description=_with_contacts(WRITTEN["proposal description"]),
            beneficiaries=WRITTEN["proposal beneficiaries"],
            cost_pence=10_000,
            has_conflict=False,
        )
        Award.objects.create(
            partnership=partnership,
            round=round_,
            proposal=proposal,
            amount_pence=10_000,
            holder=zebedee.user,
            awarded_at=long_ago,
        )
    for n in range(5):
        Spending.objects.create(
            partnership=partnership,
            category="participation",
            amount_pence=2_000,
            description=f"Paid time for {NAMES[1]}",
            source_key=f"claim-{n}",
            paid_at=long_ago,
        )

    # learning: a member's registration with what would help her come
    event = make_event(worker)
    registration_make(actor=philippa, event=event, needs=NeedsData(access_needs=WRITTEN["registration"]))

    # the directory: a service (staff wrote it) for the open API to list
    Service.objects.create(
        partnership=partnership,
        organisation=council,
        name="Money advice",
        description="Help with benefits and debt.",
        contact_name=NAMES[1],
    )
    publish(partnership)
    return {"partnership": partnership, "member": zebedee}


def _same_site_open_links(text: str, slug: str) -> set[str]:
    found = set()
    for url in re.findall(r"https?://testserver/open/[^\s\"'<>\\]+", text):
        path = urlsplit(url).path
        if path.startswith(f"/open/{slug}/"):
            found.add(path)
    return found


def sweep(slug: str) -> dict[str, str]:
    """Every open answer of the partnership: the page, each distribution, every /open/<slug>/ address they
    point to, and each item of a paged list ("contents" with ids, at the list's address + "/" + id)."""
    client = Client()
    start = [reverse("reports:open", kwargs={"slug": slug})]
    for dataset in open_datasets():
        start += [reverse(d.url_name, kwargs={"slug": slug, **d.url_kwargs}) for d in dataset.distributions]
    seen: dict[str, str] = {}
    queue = list(dict.fromkeys(start))
    while queue and len(seen) < 300:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        text = response.content.decode()
        seen[path] = text
        queue += sorted(_same_site_open_links(text, slug) - set(seen))
        if response["Content-Type"].startswith("application/json"):
            data = json.loads(text)
            if isinstance(data, dict) and isinstance(data.get("contents"), list):
                queue += [
                    f"{path}/{item['id']}" for item in data["contents"] if isinstance(item, dict) and "id" in item
                ]
    return seen


def test_no_name_email_phone_or_member_written_text_is_in_any_open_answer(world: dict[str, Any]) -> None:
    answers = sweep(world["partnership"].slug)
    # The sweep reached the data: the page, the fund's file and a service of the directory, at least.
    fund = next(text for path, text in answers.items() if path.endswith("360giving.json"))
    assert "Core grant for the year" in fund and "Individual Recipients" in fund
    assert any("Money advice" in text for path, text in answers.items() if "/oruk/services/" in path)
    leaks = [
        f"{needle!r} in {path}"
        for path, text in answers.items()
        for needle in NEEDLES
        if needle.lower() in text.lower() or json.dumps(needle)[1:-1].lower() in text.lower()
    ]
    assert not leaks, "\n".join(leaks)


def test_the_written_words_are_really_in_the_database(world: dict[str, Any]) -> None:
    """The sweep would pass trivially if the world held none of the strings: check a few are stored."""
    from coproduce.evaluation.models import Remark
    from coproduce.voice.models import Comment, Idea

    assert Idea.objects.filter(title=WRITTEN["idea title"]).exists()
    assert Comment.objects.filter(body__contains=WRITTEN["comment"]).exists()
    assert Remark.objects.filter(text__contains="Snorkelwick").exists()
    assert Membership.objects.filter(user__email=EMAILS[0]).exists()
