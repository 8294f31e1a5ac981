"""The voice pages: challenges, ideas, supports, discussion, moderation, responses and notifications.

Each view resolves what it needs through the selectors (what is out of reach raises NotPermitted, a 404),
calls one service for a write, and renders. A service's ServiceError is shown next to its field (or at the
top).

One module per thing; what they share is in ``_common``. urls.py imports from here."""

from coproduce.voice.views.challenges import challenge, challenge_edit, challenge_new, challenges
from coproduce.voice.views.comments import comment_create, comment_delete, comment_edit
from coproduce.voice.views.equal_voice import equal_voice
from coproduce.voice.views.flags import comment_flag, idea_flag
from coproduce.voice.views.ideas import (
    idea,
    idea_edit,
    idea_follow,
    idea_new,
    idea_record_with,
    idea_support,
    idea_withdraw,
    ideas,
)
from coproduce.voice.views.moderation import flag_dismiss, house_rules, moderate_comment, moderate_idea, moderation
from coproduce.voice.views.open_data import open_responses, open_responses_csv, open_responses_json
from coproduce.voice.views.responses import idea_respond, you_said_we_did

__all__ = [
    "challenge",
    "challenge_edit",
    "challenge_new",
    "challenges",
    "comment_create",
    "comment_delete",
    "comment_edit",
    "comment_flag",
    "equal_voice",
    "flag_dismiss",
    "house_rules",
    "idea",
    "idea_edit",
    "idea_flag",
    "idea_follow",
    "idea_new",
    "idea_record_with",
    "idea_respond",
    "idea_support",
    "idea_withdraw",
    "ideas",
    "moderate_comment",
    "moderate_idea",
    "moderation",
    "open_responses",
    "open_responses_csv",
    "open_responses_json",
    "you_said_we_did",
]
