"""Moderating free text: a coordinator shows it to the service (names and details taken out) or keeps it back."""

from __future__ import annotations

from coproduce.partnerships.models import Membership


def remark_show(*, actor: Membership, remark_id: int, shown_text: str) -> None:
    raise NotImplementedError


def remark_hide(*, actor: Membership, remark_id: int) -> None:
    raise NotImplementedError
