from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from coproduce.core.exceptions import NotPermitted
from coproduce.core.sms import send_text
from coproduce.notifications.models import SUBJECT_MAX, TEXT_MAX, Delivery, Notice, NoticePreference
from coproduce.notifications.registry import notice_kind, sms_allowed
from coproduce.partnerships.models import Membership, Partnership


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
    made = Notice.objects.bulk_create(
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
    if sms_allowed(kind):
        texts_queue([notice for notice in made if notice.delivery == Delivery.SMS])
    return len(users)


def texts_queue(notices: list[Notice]) -> None:
    """Text each notice to its person, in their language, with a link to it; in the caller's transaction
    (the text outbox sends in the background). Someone with no confirmed number, or who stopped texts, is
    skipped: the notice is in their inbox. Over the outbox's limits, the text is dropped the same way."""
    if not notices:
        return
    people = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in={n.user_id for n in notices}, phone_verified=True, texts_stopped=False)
        .exclude(phone="")
    }
    partnership = Partnership.objects.get(pk=notices[0].partnership_id)
    site_url = settings.COPRODUCE_SITE_URL.rstrip("/")
    for notice in notices:
        person = people.get(notice.user_id)
        if person is None or notice.pk is None:
            continue
        link = f"{site_url}{notice.url or reverse('notifications:inbox', kwargs={'slug': partnership.slug})}"
        with translation.override(person.language or None):
            body = gettext("%(partnership)s: %(text)s %(link)s") % {
                "partnership": partnership.name,
                "text": notice.text,
                "link": link,
            }
        send_text(
            to=person.phone,
            body=body,
            kind="notifications.notice",
            reference=f"notice:{notice.pk}",
            partnership_id=partnership.pk,
        )


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
