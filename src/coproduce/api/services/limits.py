"""Rate limits: requests counted per bucket and minute, in the database, so every web process counts alike.

* a token: ``READS_PER_MINUTE`` GET requests and ``WRITES_PER_MINUTE`` others;
* a client address without a valid token (none, unknown, expired, revoked): ``ANONYMOUS_PER_MINUTE``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F

from coproduce.api.models import RequestCount

# An operator may change them with these environment variables (the API benchmark raises them).
READS_PER_MINUTE = int(os.environ.get("COPRODUCE_API_READS_PER_MINUTE", "300"))
WRITES_PER_MINUTE = int(os.environ.get("COPRODUCE_API_WRITES_PER_MINUTE", "60"))
ANONYMOUS_PER_MINUTE = int(os.environ.get("COPRODUCE_API_ANONYMOUS_PER_MINUTE", "60"))


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the next minute starts (when refused)


def count_request(bucket: str, allowed: int, *, now: float | None = None) -> Verdict:
    """Count one request in ``bucket`` for the current minute; refused once more than ``allowed`` are counted."""
    moment = time.time() if now is None else now
    window = int(moment // 60)
    with transaction.atomic():
        updated = RequestCount.objects.filter(bucket=bucket, window=window).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RequestCount.objects.create(bucket=bucket, window=window, count=1)
            except IntegrityError:  # another process made this minute's row first
                RequestCount.objects.filter(bucket=bucket, window=window).update(count=F("count") + 1)
            else:
                # A new minute: the bucket's earlier minutes count for nothing any more.
                RequestCount.objects.filter(bucket=bucket, window__lt=window).delete()
        count = RequestCount.objects.filter(bucket=bucket, window=window).values_list("count", flat=True).get()
    return Verdict(allowed=count <= allowed, retry_after=max(1, 60 - int(moment % 60)))
