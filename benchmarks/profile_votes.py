"""Profile votes in one process: Python function calls and CPU time per vote.

Function-call counts do not depend on other work on the machine, unlike timings, so they show whether a change
made voting cheaper even on a busy machine (``conversation_votes.py`` measures votes over HTTP on PostgreSQL).
The script builds a fresh SQLite database with the production settings in a temporary folder (as
``profile_pages.py`` does), loads the demo, signs in the demo member Aisha with Django's test client and votes
on the demo conversation's published statements in turn (each vote after the first changes an earlier vote, so
every htmx answer renders a statement card).

    uv run python benchmarks/profile_votes.py                 # htmx and plain: calls and CPU per vote
    uv run python benchmarks/profile_votes.py --mode htmx --top 30
    uv run python benchmarks/profile_votes.py --statements 400   # a conversation as large as conversation_votes.py's
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from profile_pages import MEMBER_EMAIL, demo_client, measure

if TYPE_CHECKING:
    from coproduce.conversations.models import Conversation

CHOICES = ("agree", "disagree", "pass")


def _large_conversation(demo: Conversation, statements: int) -> Conversation:
    """A conversation beside the demo's, seeded by the demo's coordinator, with ``statements`` statements, every
    demo person's vote on some of them and a snapshot computed from those votes (so the next statement is
    chosen by routing priority, as it is once a conversation has a map)."""
    import rules

    from coproduce.conversations import services
    from coproduce.conversations.snapshots import snapshot_compute
    from coproduce.partnerships.models import Membership

    people = list(Membership.objects.filter(partnership__slug="riverside").order_by("pk"))
    coordinator = next(m for m in people if m.is_coordinator)
    texts = [f"Statement number {n} for the profile." for n in range(statements)]
    conversation = services.conversation_create(actor=coordinator, topic="Profile conversation", seeds=texts[:200])
    for text in texts[200:]:
        services.statement_seed(actor=coordinator, conversation=conversation, text=text)
    ids = list(conversation.statements.order_by("number").values_list("pk", flat=True))
    for n, person in enumerate(people):
        if person.user.email == MEMBER_EMAIL:
            continue  # the profiled person starts with no votes
        if not rules.test_rule("conversations.vote", person):
            continue  # an observer, say
        for i, statement in enumerate(ids[n % 7 :: 3]):
            services.vote_cast(actor=person, statement_id=statement, vote=CHOICES[(n + i) % 3])
    snapshot_compute(conversation.pk)
    return conversation


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--votes", type=int, default=300, help="measured votes per mode (default 300)")
    parser.add_argument("--mode", choices=["htmx", "plain", "both"], default="both")
    parser.add_argument("--top", type=int, default=0, help="print the N most expensive functions per mode")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key for --top (default cumulative)")
    parser.add_argument(
        "--statements",
        type=int,
        default=0,
        help="vote in a new conversation of this many statements, with a stored snapshot, instead of the demo's",
    )
    args = parser.parse_args()

    client = demo_client()
    from coproduce.conversations.models import Conversation, Statement

    conversation = Conversation.objects.filter(partnership__slug="riverside").order_by("pk").first()
    assert conversation is not None, "the demo has no conversation"
    if args.statements:
        conversation = _large_conversation(conversation, args.statements)
    statements = list(
        Statement.objects.filter(conversation=conversation, status=Statement.Status.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
    url = f"/p/riverside/conversations/{conversation.pk}/vote/"

    def vote(n: int, headers: dict[str, str]) -> None:
        for i in range(n):
            data = {"statement": statements[i % len(statements)], "vote": CHOICES[i % 3]}
            response = client.post(url, data, headers=headers)
            assert response.status_code in (200, 302), response.status_code
            # A browser shows "Your vote is recorded." on the page it is sent to, which uses the message up;
            # this client does not follow the redirect, so drop it, or messages would pile up in the cookie.
            client.cookies.pop("messages", None)

    print(f"{'mode':<6} {'calls/vote':>11} {'CPU ms/vote':>12}")
    modes = ["htmx", "plain"] if args.mode == "both" else [args.mode]
    for mode in modes:
        headers = {"HX-Request": "true"} if mode == "htmx" else {}
        vote(30, headers)  # warm-up: templates compiled, connections open
        calls, cpu_ms, listing = measure(partial(vote, headers=headers), args.votes, top=args.top, sort=args.sort)
        print(f"{mode:<6} {calls:>11,.0f} {cpu_ms:>12.2f}")
        if listing:
            print(listing)
    return 0


if __name__ == "__main__":
    sys.exit(main())
