"""Demo content for conversations: one open conversation among the demo partnership's members and staff,
with enough votes for groups of opinion and a visible difference between members and staff, and its
first opinion map computed here (synchronously). Idempotent: a second run adds nothing twice.

The votes are made deterministically: each person leans one of three ways (a seeded random number
generator adds a little noise and a few passes), so every run makes the same map."""

from __future__ import annotations

import random

from coproduce.conversations import services, snapshots
from coproduce.conversations.models import Conversation, Statement
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.voice.api import idea_titled

TOPIC = "What would make the spring job fair work for parents?"
DESCRIPTION = (
    "The partnership is planning the spring job fair. Say whether you agree with each statement, and add your "
    "own. The coordinators will bring the results, and where members and staff see things differently, to the "
    "partners' meeting."
)

# Each statement and how each way of leaning votes on it: +1 agree, -1 disagree, 0 pass.
#                         (practical parents, staff who run things now, flexible middle)
STATEMENTS: list[tuple[str, tuple[int, int, int]]] = [
    ("The job fair should be inside school hours.", (1, -1, 1)),
    ("A free crèche at the fair matters more than anything else.", (1, -1, 0)),
    ("Saturday mornings are the best time for a job fair.", (-1, 1, -1)),
    ("Employers at the fair should offer interviews inside school hours.", (1, 0, 1)),
    ("Parents should be asked before the fair what jobs they are looking for.", (1, 1, 1)),
    ("The fair should be in the town hall, as it always has been.", (-1, 1, 0)),
    ("Keyworkers should come with the parents they support.", (-1, 1, 1)),
    ("Travel costs to the fair should be paid on the day.", (1, -1, 1)),
    ("An online fair would suit parents better than one in a hall.", (-1, -1, 1)),
    ("Most employers at the fair do not understand what single parents need.", (1, -1, 0)),
    ("The fair should have a quiet room to talk about benefits and better-off calculations.", (1, 1, 1)),
    ("Fewer employers with real part-time jobs beat many employers with full-time ones.", (1, -1, 1)),
]
FROM_IDEA = ("bus", "Bus passes for the first month of a new job would help more parents take a job.", (1, 0, 1))

# Who leans which way (members, staff and the peer mentor Kerry), chosen so that members and staff differ.
LEANING = {
    "aisha": 0,
    "danielle": 0,
    "marta": 0,
    "chloe": 0,
    "gemma": 0,
    "hannah": 0,
    "stacey": 0,
    "leanne": 2,
    "zofia": 2,
    "nicola": 2,
    "tom": 2,
    "kerry": 2,
    "morag": 1,
    "jamie": 2,
    "dev": 1,
    "fiona": 1,
    "sam": 1,
    "priya": 1,
    "liam": 2,
    "euan": 1,
}

# Members whose votes Jamie (keyworker) recorded with them at the hub, after they agreed: Hannah has since
# confirmed hers; Tom's wait for him to confirm or change them. They count as "members, assisted" in the results.
ASSISTED_VOTERS = {"hannah": ("jamie", True), "tom": ("jamie", False)}
WORDS = {1: "agree", -1: "disagree", 0: "pass"}


def load(ctx: DemoContext) -> None:
    partnership = ctx.partnerships[DEMO_SLUG]
    if Conversation.objects.filter(partnership=partnership, topic=TOPIC).exists():
        return

    def person(key: str):  # type: ignore[no-untyped-def]
        return ctx.memberships[(DEMO_SLUG, key)]

    coordinator = person("morag")
    conversation = services.conversation_create(
        actor=coordinator,
        topic=TOPIC,
        description=DESCRIPTION,
        participants_may_add=True,
        moderation="after",
        seeds=[text for text, _leans in STATEMENTS],
    )
    leanings = [leans for _text, leans in STATEMENTS]
    _idea_key, idea_statement, idea_leans = FROM_IDEA
    idea = idea_titled(partnership_id=partnership.pk, title="Bus passes for the first month of a new job")
    if idea is not None:
        services.statement_seed(
            actor=coordinator,
            conversation=conversation,
            text=idea_statement,
            idea=idea,
            statement_url=f"/p/{DEMO_SLUG}/conversations/{conversation.pk}/",
        )
        leanings.append(idea_leans)
    statements = list(Statement.objects.filter(conversation=conversation).order_by("number"))
    rng = random.Random(20261126)  # noqa: S311  (deterministic demo votes, not security)
    assisted: dict[str, dict[int, str]] = {key: {} for key in ASSISTED_VOTERS}
    for key, way in LEANING.items():
        voter = person(key)
        for statement, leans in zip(statements, leanings, strict=True):
            if rng.random() < 0.12:
                continue  # not everyone votes on everything
            value = leans[way]
            roll = rng.random()
            if roll < 0.1:
                value = 0  # unsure
            elif roll < 0.18:
                value = -value if value else rng.choice((1, -1))  # people are not all alike
            if key in assisted:
                assisted[key][statement.pk] = WORDS[value]
            else:
                services.vote_cast(actor=voter, statement_id=statement.pk, vote=value)
    for key, votes in assisted.items():
        recorder_key, confirmed = ASSISTED_VOTERS[key]
        member = person(key)
        member.refresh_from_db(fields=["assistance_allowed"])
        if not member.assistance_allowed:
            continue
        services.votes_record_with(
            actor=person(recorder_key), member=member, agreed=True, conversation=conversation, votes=votes
        )
        if confirmed:
            services.votes_assisted_confirm(member=member, item_id=conversation.pk)
    snapshots.snapshot_compute(conversation.pk)
    ctx.say(f"Conversation: {TOPIC} ({len(statements)} statements, {len(LEANING)} people voted)")
