"""Demo content for voice: challenges, ideas in every status, discussion and "you said, we did"."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from coproduce.partnerships.assisted import Channel
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.voice import services
from coproduce.voice.models import Challenge, Comment, Idea

CHALLENGES = [
    (
        "How could job fairs work for parents of toddlers?",
        "The spring job fair is in the town hall on a Saturday morning. What would make it possible for you to come?",
        60,
    ),
    ("What gets in the way of starting a college course?", "Tell us what stops you, or what helped you start.", None),
]

# key, author, title, body, challenge index or None, show name, days ago
IDEAS = [
    (
        "creche",
        "aisha",
        "A crèche at the job fair",
        "If there was a crèche in the next room I could actually talk to employers instead of chasing my two-year-old.",
        0,
        False,
        40,
    ),
    (
        "school-hours",
        "danielle",
        "Interviews inside school hours",
        "Ask employers at the fair to offer interview slots between 9:30 and 2:30.",
        0,
        True,
        35,
    ),
    (
        "bus",
        "marta",
        "Bus passes for the first month of a new job",
        "The first wage comes after four or five weeks. The bus fare before then is what stops people taking the job.",
        None,
        True,
        60,
    ),
    (
        "one-form",
        "jamie",
        "One form instead of four",
        "Each partner asks the same questions at the start. Could we agree one shared form the parent fills in once, "
        "and shares with who they choose?",
        None,
        True,
        90,
    ),
    (
        "taster",
        "chloe",
        "Taster sessions before signing up for a course",
        "A free afternoon to see the college and meet the tutor would make it less scary.",
        1,
        False,
        20,
    ),
    (
        "evening",
        "gemma",
        "Evening drop-in at the hub",
        "Open the hub one evening a week so parents working daytime shifts can come.",
        None,
        True,
        12,
    ),
    (
        "lunch",
        "tom",
        "Free lunch at every session",
        "Would help people stay for the afternoon part of workshops.",
        None,
        True,
        5,
    ),
    (
        "fair-online",
        "stacey",
        "Move the job fair online only",
        "Everything online so nobody has to go anywhere.",
        0,
        True,
        30,
    ),
]

# idea key, status, text, link url, link label, days ago
RESPONSES = [
    ("creche", "considering", "Little Steps Childcare will look at staffing a crèche for the spring fair.", "", "", 33),
    (
        "creche",
        "done",
        "The spring job fair had a free crèche run by Little Steps: 14 children, 11 parents talked to employers.",
        "",
        "",
        10,
    ),
    (
        "school-hours",
        "in_progress",
        "The council team is asking the eight employers at the fair to offer school-hours interview slots.",
        "",
        "",
        25,
    ),
    (
        "bus",
        "in_progress",
        "The pooled fund round in the summer will include bus passes for the first month of work.",
        "",
        "",
        45,
    ),
    ("one-form", "considering", "On the agenda for the partners' meeting on the 14th.", "", "", 70),
    (
        "one-form",
        "done",
        "Partners agreed one shared 'about me' page, owned by the parent, that replaces the four intake forms.",
        "",
        "",
        30,
    ),
    ("taster", "considering", "The college will look at dates for taster afternoons.", "", "", 15),
    (
        "fair-online",
        "not_taken_forward",
        "Most parents told us they want to meet employers in person; the fair stays in the town hall, with a "
        "crèche. We will post the employers' details online too.",
        "",
        "",
        25,
    ),
]

COMMENTS = [
    ("creche", "hannah", "Yes! I missed the last one because of this.", None),
    ("creche", "liam", "We could do this with two staff from Little Steps if the room is next door.", None),
    ("creche", "aisha", "Thank you – that would make all the difference.", 1),
    ("bus", "priya", "This comes up in nearly every better-off calculation I do.", None),
    ("bus", "zofia", "Same for me, the first month was the hardest.", 0),
    ("one-form", "kerry", "As a parent and a mentor: please. I filled in four forms in my first week.", None),
    ("evening", "leanne", "Thursday would suit a lot of us.", None),
]

SUPPORTERS = {
    "creche": ["hannah", "danielle", "marta", "gemma", "leanne", "zofia", "liam", "jamie"],
    "school-hours": ["aisha", "chloe", "nicola", "sam"],
    "bus": ["aisha", "danielle", "zofia", "stacey", "priya", "tom"],
    "one-form": ["kerry", "aisha", "fiona", "sam", "euan"],
    "taster": ["gemma", "hannah"],
    "evening": ["leanne", "stacey", "kerry"],
    "lunch": ["tom"],
}


# Recorded by Jamie (keyworker) with Aisha, who was at the hub and agreed; left for her to confirm or change.
ASSISTED_IDEA = (
    "jamie",
    "aisha",
    "Help with forms at the hub on Fridays",
    "I find the online forms hard on my phone. A Friday morning at the hub where someone sits with you to fill them "
    "in would help me and other parents.",
)


def load(ctx: DemoContext) -> None:
    partnership = ctx.partnerships[DEMO_SLUG]
    if not Idea.objects.filter(partnership=partnership).exists():
        _load_ideas(ctx)
    _load_assisted(ctx)


def _load_assisted(ctx: DemoContext) -> None:
    """One idea a keyworker recorded with a member (if she allows it), waiting for her to confirm it."""
    partnership = ctx.partnerships[DEMO_SLUG]
    if Idea.objects.filter(partnership=partnership, channel=Channel.ASSISTED).exists():
        return
    recorder_key, member_key, title, body = ASSISTED_IDEA
    member = ctx.memberships[(DEMO_SLUG, member_key)]
    member.refresh_from_db(fields=["assistance_allowed"])
    if not member.assistance_allowed:
        return
    services.idea_record_with(
        actor=ctx.memberships[(DEMO_SLUG, recorder_key)],
        member=member,
        agreed=True,
        title=title,
        body=body,
        show_name=False,
    )
    ctx.say(f"  added voice: an idea recorded by {recorder_key} with {member_key}")


def _load_ideas(ctx: DemoContext) -> None:
    now = timezone.now()

    def member(key: str):  # type: ignore[no-untyped-def]
        return ctx.memberships[(DEMO_SLUG, key)]

    coordinator = member("morag")
    challenges = []
    for title, body, closes_in_days in CHALLENGES:
        challenge = services.challenge_create(
            actor=coordinator,
            title=title,
            body=body,
            closes_at=now + timedelta(days=closes_in_days) if closes_in_days else None,
        )
        challenges.append(challenge)
    Challenge.objects.filter(pk=challenges[0].pk).update(created_at=now - timedelta(days=45))
    ideas: dict[str, Idea] = {}
    for key, author, title, body, challenge_index, show_name, days_ago in IDEAS:
        idea = services.idea_create(
            actor=member(author),
            title=title,
            body=body,
            show_name=show_name,
            challenge=challenges[challenge_index] if challenge_index is not None else None,
        )
        when = now - timedelta(days=days_ago)
        Idea.objects.filter(pk=idea.pk).update(created_at=when, last_activity_at=when)
        idea.refresh_from_db()
        ideas[key] = idea
    for key, author, body, reply_to in COMMENTS:
        parent = None
        if reply_to is not None:
            parent = Comment.objects.filter(idea=ideas[key], parent__isnull=True).order_by("created_at", "id")[reply_to]
        services.comment_create(actor=member(author), idea=ideas[key], body=body, parent=parent)
    for key, people in SUPPORTERS.items():
        for person in people:
            services.support_toggle(actor=member(person), idea=ideas[key], support=True)
    for key, status, text, link_url, link_label, days_ago in RESPONSES:
        response = services.idea_respond(
            actor=coordinator, idea=ideas[key], status=status, text=text, link_url=link_url, link_label=link_label
        )
        when = now - timedelta(days=days_ago)
        type(response).objects.filter(pk=response.pk).update(created_at=when)
        idea = Idea.objects.get(pk=ideas[key].pk)
        if idea.first_response_at and idea.first_response_at > when:
            Idea.objects.filter(pk=idea.pk).update(first_response_at=when)
    services.flag_create(
        actor=member("nicola"), idea=ideas["lunch"], reason="I think this belongs under the fund round, not here."
    )
    ctx.say("  added voice: challenges, ideas, comments, supports and responses")
