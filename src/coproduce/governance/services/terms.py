"""The terms of reference: published as new versions, never changed in place."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.guards import text_checked
from coproduce.core.permissions import require_rule
from coproduce.core.richtext import render_markdown
from coproduce.governance.models import NOTE_MAX, TERMS_MAX, TermsVersion
from coproduce.governance.services._common import _audit
from coproduce.partnerships.models import Membership
from coproduce.partnerships.services import partnership_lock


def terms_publish(*, actor: Membership, text: str, change_note: str) -> TermsVersion:
    """Publish a new version of the terms of reference; the earlier ones stay, each with its date."""
    require_rule("governance.change", actor)
    text = text_checked(text, field="text", max_length=TERMS_MAX, required=_("Write the terms of reference."))
    change_note = text_checked(
        change_note, field="change_note", max_length=NOTE_MAX, required=_("Say in a few words what changed.")
    )
    with transaction.atomic(durable=True):
        # The version numbers follow one another without gaps, also when two coordinators publish at once.
        partnership_lock(actor.partnership_id)
        latest = TermsVersion.objects.filter(partnership_id=actor.partnership_id).aggregate(n=Max("number"))["n"]
        version = TermsVersion.objects.create(
            partnership_id=actor.partnership_id,
            number=(latest or 0) + 1,
            text=text,
            text_html=render_markdown(text),
            change_note=change_note,
            published_by=actor.user,
            published_at=timezone.now(),
        )
        _audit(actor, "terms_published", version, number=version.number, change_note=change_note)
    return version
