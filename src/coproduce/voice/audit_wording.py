"""What voice's audit events say in the audit log (``partnerships.audit_wording``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    "voice.challenge_created": gettext_lazy("%(who)s asked the question “%(what)s”."),
    "voice.challenge_changed": gettext_lazy("%(who)s changed the question “%(what)s”."),
    "voice.responded": gettext_lazy("%(who)s answered the idea “%(what)s”."),
    "voice.idea_recorded_with": gettext_lazy("%(who)s recorded the idea “%(what)s” with %(member)s."),
    "voice.assisted_idea_confirmed": gettext_lazy("%(who)s confirmed the idea “%(what)s” recorded with them."),
    "voice.assisted_idea_changed": gettext_lazy("%(who)s changed the idea “%(what)s” recorded with them."),
    "voice.idea_withdrawn": gettext_lazy("%(who)s withdrew their idea “%(what)s”."),
    "voice.flagged": gettext_lazy("%(who)s reported “%(what)s” to the moderators."),
    "voice.flag_dismissed": gettext_lazy("%(who)s looked at a report about “%(what)s” and left it up."),
    "voice.hidden": gettext_lazy("%(who)s hid “%(what)s”."),
}
