"""The kinds of notice: each capability registers its own in its ``AppConfig.ready()`` through ``api``."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

SITE = "site"
EMAIL = "email"
DIGEST = "digest"
SMS = "sms"
DELIVERIES = (SITE, EMAIL, DIGEST)

# The kinds a person may choose to get by text message: only what cannot wait (texts cost money, and a phone
# that buzzes for everything is soon ignored). Named here, in one place, rather than by the apps that post them.
SMS_KINDS = frozenset(
    {
        "learning.event_reminder",  # an event you have a place at, tomorrow
        "support.referral_update",  # a referral accepted (or other news of it)
        "decisions.closing",  # a decision closes within a day and you have not answered
    }
)


def sms_allowed(key: str) -> bool:
    return key in SMS_KINDS


@dataclass(frozen=True)
class NoticeKind:
    """``key`` is "<app>.<what>" (``support.checkin``); ``label`` is what the person reads when choosing how
    to hear about it; ``delivery`` is what they get until they choose: on the site only, an email straight
    away, or a line in the daily digest."""

    key: str
    label: str | Promise
    delivery: str = SITE
    staff_only: bool = False  # a kind only staff ever get: not offered to a parent when choosing

    def __post_init__(self) -> None:
        if "." not in self.key or len(self.key) > 60:
            raise ValueError(f"A notice kind is '<app>.<what>', at most 60 characters: {self.key!r}")
        if self.delivery not in DELIVERIES:
            raise ValueError(f"{self.key}: delivery must be one of {DELIVERIES}")


_KINDS: dict[str, NoticeKind] = {}


def register_notice_kind(kind: NoticeKind) -> None:
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"Notice kind {kind.key!r} is registered twice, differently.")
    _KINDS[kind.key] = kind


def notice_kind(key: str) -> NoticeKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"Notice kind {key!r} is not registered.") from None


def notice_kinds() -> list[NoticeKind]:
    return sorted(_KINDS.values(), key=lambda k: k.key)
