"""Every write in voice: keyword-only, the acting membership first, permission checked, one
transaction, an audit event where it matters. Notices go to the one inbox (``notifications.api``).

One module per thing voice is made of (challenges, ideas, comments, moderation, responses,
notifications); what they share is in ``_common``. Callers import from here."""

from coproduce.voice.services._common import LINK_MAX, RESUBMISSION_WINDOW, safe_link, search_text_refresh
from coproduce.voice.services.challenges import challenge_create, challenge_update
from coproduce.voice.services.comments import comment_create, comment_delete, comment_update
from coproduce.voice.services.ideas import (
    follow_toggle,
    idea_assisted_confirm,
    idea_create,
    idea_record_with,
    idea_update,
    idea_withdraw,
    support_toggle,
)
from coproduce.voice.services.moderation import flag_create, flag_dismiss, moderation_set_hidden
from coproduce.voice.services.responses import idea_respond, response_record

__all__ = [
    "DIGEST_PERIODS",
    "LINK_MAX",
    "RESUBMISSION_WINDOW",
    "challenge_create",
    "challenge_update",
    "comment_create",
    "comment_delete",
    "comment_update",
    "flag_create",
    "flag_dismiss",
    "follow_toggle",
    "idea_assisted_confirm",
    "idea_create",
    "idea_record_with",
    "idea_respond",
    "idea_update",
    "idea_withdraw",
    "moderation_set_hidden",
    "response_record",
    "safe_link",
    "search_text_refresh",
    "support_toggle",
]
