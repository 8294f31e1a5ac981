from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import F
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted
from coproduce.notifications.models import SUBJECT_MAX, TEXT_MAX, Notice, NoticePreference
from coproduce.notifications.registry import notice_kind
from coproduce.partnerships.models import Membership


def notices_post(
    *,
    partnership_id: int,
    user_ids: Iterable[int],
    kind: str,
    text: str,
    url: str = "",
    subject_key: str = "",
    now: datetime | None = None,
) -> int:
    """Tell these people something, in the caller's transaction. A notice still unread about the same
    thing (``kind`` and ``subject_key``) is not repeated: its count goes up and it moves to the top with the
    newest text. Returns how many people were told."""
    registered = notice_kind(kind)  # a kind nobody registered is a programming error, found in the tests
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError("A notice links only to a page of this site.")
    if len(subject_key) > SUBJECT_MAX:
        raise ValueError("A notice's subject key is at most 120 characters.")
    users = sorted(set(user_ids))
    if not users:
        return 0
    now = now or timezone.now()
    text = text[:TEXT_MAX]
    grouped: set[int] = set()
    if subject_key:
        repeats = Notice.objects.filter(
            partnership_id=partnership_id,
            user_id__in=users,
            kind=kind,
            subject_key=subject_key,
            read_at__isnull=True,
            done_at__isnull=True,
        )
        grouped = set(repeats.values_list("user_id", flat=True))
        if grouped:
            repeats.update(count=F("count") + 1, latest_at=now, text=text, url=url)
    chosen = dict(NoticePreference.objects.filter(user_id__in=users, kind=kind).values_list("user_id", "delivery"))
    Notice.objects.bulk_create(
        [
            Notice(
                partnership_id=partnership_id,
                user_id=uid,
                kind=kind,
                subject_key=subject_key,
                text=text,
                url=url,
                created_at=now,
                latest_at=now,
                delivery=chosen.get(uid, registered.delivery),
            )
            for uid in users
            if uid not in grouped
        ]
    )
    return len(users)


def notices_done(*, partnership_id: int, subject_key: str, now: datetime | None = None) -> int:
    """The thing these notices were about is done (a check-in agreed, a referral closed): they leave every
    inbox and the header's count, and no email carries them any more. In the caller's transaction."""
    if not subject_key:
        return 0
    return Notice.objects.filter(partnership_id=partnership_id, subject_key=subject_key, done_at__isnull=True).update(
        done_at=now or timezone.now()
    )


def notice_mark_read(*, actor: Membership, notice_id: int) -> Notice:
    notice = Notice.objects.filter(
        pk=notice_id, user_id=actor.user_id, partnership_id=actor.partnership_id, done_at__isnull=True
    ).first()
    if notice is None:
        raise NotPermitted()
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notices_mark_all_read(*, actor: Membership) -> int:
    return Notice.objects.filter(
        user_id=actor.user_id, partnership_id=actor.partnership_id, read_at__isnull=True, done_at__isnull=True
    ).update(read_at=timezone.now())


def notices_remove(*, partnership_id: int, urls: Iterable[str]) -> int:
    """Notices linking to these pages go from every inbox (the thing they were about was erased)."""
    return Notice.objects.filter(partnership_id=partnership_id, url__in=list(urls)).delete()[0]


def notices_forget_user(*, partnership_id: int, user_id: int) -> int:
    """A person leaves the partnership (or is erased): their notices there go."""
    return Notice.objects.filter(partnership_id=partnership_id, user_id=user_id).delete()[0]
