"""The demo partnership. Each capability adds a loader to DEMO_LOADERS; every loader is idempotent
(a second run adds nothing twice), so ``coproduce demo`` can run it at every start.

The loaders make the demo through the services, and each service commits its own work (its transaction is
durable), so the load is not one transaction: a load stopped half way is finished by the next run."""

from __future__ import annotations

from importlib import import_module

from coproduce.partnerships.demo import DemoContext

DEMO_LOADERS = [
    "coproduce.partnerships.demo.load",
    "coproduce.voice.demo.load",
    "coproduce.support.demo.load",
    "coproduce.fund.demo.load",
    # money for barriers in Aisha's plan, from the fund's flexible pot set aside just above
    "coproduce.support.demo.load_money",
    "coproduce.improvement.demo.load",
    "coproduce.conversations.demo.load",
    "coproduce.dataprotection.demo.load",
    "coproduce.governance.demo.load",
    "coproduce.decisions.demo.load",
    "coproduce.commitments.demo.load",
    "coproduce.learning.demo.load",
    # after the events' own loader: claims on its paid co-design workshop
    "coproduce.learning.demo.load_pay",
    "coproduce.learning.demo.load_log",
    # after support's directory and referrals, learning's events and improvement's tests of change
    "coproduce.evaluation.demo.load",
    # employability outcomes, after support's plans (their keyworkers record with the members)
    "coproduce.reports.demo_outcomes.load",
    # an API token for one coordinator and one member (printed with the sign-in lines)
    "coproduce.api.demo.load",
]


def load_demo(*, verbose: bool = False) -> DemoContext:
    ctx = DemoContext(verbose=verbose)
    for dotted in DEMO_LOADERS:
        module_name, _, func_name = dotted.rpartition(".")
        getattr(import_module(module_name), func_name)(ctx)
    return ctx


def sign_in_lines() -> list[str]:
    from coproduce.api.demo import token_lines
    from coproduce.partnerships.demo import sign_in_lines as lines

    return lines() + token_lines()
