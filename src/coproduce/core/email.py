"""Every email the platform sends is made here, in one shape: a subject, a plain-text body and the same
words as HTML, branded with the partnership it is about (or with Coproduce when it is about no one
partnership, such as a sign-in code).

Escaped once: the subject and the text are plain text, so their templates are rendered with escaping off
whatever they say themselves (a partnership called "Parents' Group" is never "Parents&#x27; Group" in a
subject); the HTML part is made from that text by one template with escaping on, so each character is
escaped exactly once there. Links in the text become links in the HTML.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import Any, TypedDict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

from coproduce.core.languages import is_offered

PLATFORM = "Coproduce"


class EmailParts(TypedDict):
    subject: str
    body: str
    html: str
    from_email: str


@dataclass(frozen=True)
class Email:
    subject: str
    body: str
    html: str
    from_email: str

    def message(self, to: list[str], headers: dict[str, str] | None = None) -> EmailMultiAlternatives:
        """The message to send now (for a composer, see ``core.outbox.composer``)."""
        message = EmailMultiAlternatives(self.subject, self.body, self.from_email, to, headers=headers)
        message.attach_alternative(self.html, "text/html")
        return message

    def parts(self) -> EmailParts:
        """The keyword arguments of ``core.outbox.queue_email``."""
        return {"subject": self.subject, "body": self.body, "html": self.html, "from_email": self.from_email}


def render_plain(template_name: str, context: dict[str, Any]) -> str:
    """A template rendered as plain text: no HTML escaping, whatever the template says."""
    template = get_template(template_name).template  # type: ignore[attr-defined]  # the Django backend's Template
    return str(template.render(Context(context, autoescape=False)))


def sender(brand: str) -> str:
    """The From header: the configured address, shown with the brand's name."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((brand, address or settings.DEFAULT_FROM_EMAIL))


def make_email(
    template_prefix: str,
    context: dict[str, Any],
    *,
    brand: str = "",
    body_suffix: str = "_body.txt",
    subject_prefix: str = "",
    language: str = "",
) -> Email:
    """Render ``<prefix>_subject.txt`` and ``<prefix><body_suffix>`` as plain text, and the HTML part from
    the text. ``brand`` is the partnership's name; Coproduce when the email is about no one partnership.
    ``language`` is the recipient's (``User.language``): the email is written in it when it is offered, else
    in the language active where it is made (the request's, or English in a background task)."""
    with translation.override(language) if is_offered(language) else nullcontext():
        return _make_email(
            template_prefix, context, brand=brand, body_suffix=body_suffix, subject_prefix=subject_prefix
        )


def _make_email(
    template_prefix: str, context: dict[str, Any], *, brand: str, body_suffix: str, subject_prefix: str
) -> Email:
    brand = brand or PLATFORM
    subject = subject_prefix + " ".join(render_plain(f"{template_prefix}_subject.txt", context).split())
    text = render_plain(f"{template_prefix}{body_suffix}", context).strip()
    site_url = settings.COPRODUCE_SITE_URL.rstrip("/")
    footer = brand if brand == PLATFORM else f"{brand}, on {PLATFORM}"
    body = f"{text}\n\n-- \n{footer}\n{site_url}\n"
    html = render_to_string(
        "core/email/message.html",
        {"subject": subject, "text": text, "brand": brand, "footer": footer, "site_url": site_url},
    )
    return Email(subject=subject, body=body, html=html, from_email=sender(brand))
