"""Background work for partnerships: thin tasks that take ids."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from coproduce.partnerships.models import Invitation
from coproduce.partnerships.tokens import invitation_token


@task()
def send_invitation_email(invitation_id: int) -> bool:
    """Email the invitation link. Returns False (and sends nothing) if it is no longer open."""
    invitation = (
        Invitation.objects.select_related("partnership", "organisation", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.status != "open":
        return False
    path = reverse("partnerships:invitation-accept", kwargs={"token": invitation_token(invitation)})
    context = {
        "invitation": invitation,
        "link": settings.COPRODUCE_SITE_URL.rstrip("/") + path,
        "roles": ", ".join(invitation.role_labels),
    }
    subject = render_to_string("partnerships/email/invitation_subject.txt", context).strip()
    body = render_to_string("partnerships/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
    return True
