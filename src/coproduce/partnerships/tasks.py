"""Background work for partnerships: the invitation email, made when it is sent (``core.outbox``), and the
person's "My data" download."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from coproduce.core.background import reliable_task
from coproduce.core.email import make_email
from coproduce.core.outbox import composer
from coproduce.partnerships.models import Invitation
from coproduce.partnerships.tokens import invitation_token


@composer
def invitation_email(invitation_id: int) -> EmailMessage | None:
    """The email with the invitation link, made at the moment it is sent so that the link is never stored
    (ADR 2); None (nothing to send) if the invitation is no longer open."""
    invitation = (
        Invitation.objects.select_related("partnership", "organisation", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.status != "open":
        return None
    path = reverse("partnerships:invitation-accept", kwargs={"token": invitation_token(invitation)})
    context = {
        "invitation": invitation,
        "link": settings.COPRODUCE_SITE_URL.rstrip("/") + path,
        "roles": ", ".join(invitation.role_labels),
    }
    email = make_email("partnerships/email/invitation", context, brand=invitation.partnership.name)
    return email.message([invitation.email])


def _my_data_failed(export_id: int) -> None:
    from coproduce.partnerships.services import my_data_export_failed

    my_data_export_failed(export_id)


@reliable_task(on_failure=_my_data_failed)
def build_my_data(export_id: int) -> str:
    """Prepare the person's "My data" download (``services.my_data_export_build``). Safe to run again."""
    from coproduce.partnerships.services import my_data_export_build

    return my_data_export_build(export_id=export_id)


@reliable_task()
def purge_expired_my_data() -> int:
    """Delete every prepared "My data" download past its day; how many went. Safe to run again."""
    from coproduce.partnerships.services import my_data_exports_purge

    return my_data_exports_purge()
