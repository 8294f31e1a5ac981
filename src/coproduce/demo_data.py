"""The demo partnership. Each capability adds a loader to DEMO_LOADERS; every loader is idempotent
(a second run adds nothing twice), so ``coproduce demo`` can run it at every start."""

from __future__ import annotations

from importlib import import_module

from django.db import transaction

from coproduce.partnerships.demo import DemoContext

DEMO_LOADERS = [
    "coproduce.partnerships.demo.load",
    "coproduce.voice.demo.load",
    "coproduce.support.demo.load",
    "coproduce.fund.demo.load",
    "coproduce.improvement.demo.load",
    "coproduce.conversations.demo.load",
]


def load_demo(*, verbose: bool = False) -> DemoContext:
    ctx = DemoContext(verbose=verbose)
    with transaction.atomic():
        for dotted in DEMO_LOADERS:
            module_name, _, func_name = dotted.rpartition(".")
            getattr(import_module(module_name), func_name)(ctx)
    return ctx


def sign_in_lines() -> list[str]:
    from coproduce.partnerships.demo import sign_in_lines as lines

    return lines()
