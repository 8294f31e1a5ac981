"""Offers to evaluate a service, made after a use: at most one a fortnight per person; dismissable."""

from __future__ import annotations

import datetime as dt

from coproduce.partnerships.models import Membership


def offer_dismiss(*, actor: Membership, offer_id: int) -> None:
    raise NotImplementedError


def offers_make(*, now: dt.datetime | None = None) -> int:
    raise NotImplementedError
