"""How much a page in another language costs: the same pages rendered in English, Polish and Arabic, paired.

The target (issue 24): a translated page costs no more than 10 % over the English one. The script builds a fresh
SQLite database with the production settings in a temporary folder (as ``profile_pages.py`` does), loads the demo
and renders each page with Django's test client (the whole middleware stack, no network): the landing page and
the sign-in page as someone not signed in (the language from ``Accept-Language``), and the partnership's home,
the ideas list and Aisha's support plan as Aisha, the demo member (the language she saved, which wins over the
browser's). Each round renders every page in every language, in a shuffled order, ``--batch`` times each, and
times the process's CPU (``time.process_time``, which other work on the machine disturbs less than wall time).
The table gives the median CPU milliseconds per request in each language and the median over rounds of the
paired ratio to English of the same round.

    uv run python benchmarks/translated_pages.py                    # 30 rounds of 10 requests per page and language
    uv run python benchmarks/translated_pages.py --rounds 60 --batch 20
    uv run python benchmarks/translated_pages.py --locale /tmp/locale   # with catalogues from another folder

It checks that each answer is 200 and in the language asked for (``<html lang>``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from profile_pages import MEMBER_EMAIL, demo_client

LANGUAGES = ["en-gb", "pl", "ar"]
TARGET = 1.10


def pages() -> dict[str, tuple[str, bool]]:
    """Each page's address, and whether it is asked for signed in (as Aisha)."""
    from coproduce.support.models import SupportPlan

    plan = SupportPlan.objects.filter(member__user__email=MEMBER_EMAIL).order_by("pk").first()
    found = {
        "landing": ("/", False),
        "sign-in": ("/accounts/login/", False),
        "home": ("/p/riverside/", True),
        "ideas": ("/p/riverside/ideas/", True),
    }
    if plan is not None:
        found["plan"] = (f"/p/riverside/support/plans/{plan.pk}/", True)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="paired rounds (default 30)")
    parser.add_argument("--batch", type=int, default=10, help="requests per page, language and round (default 10)")
    parser.add_argument("--locale", help="a folder of catalogues to use instead of src/coproduce/locale")
    args = parser.parse_args()

    member = demo_client()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    if args.locale:
        settings.LOCALE_PATHS = [args.locale]
    anonymous = Client(secure=True)
    user_model = get_user_model()
    person = user_model.objects.get(email=MEMBER_EMAIL)
    found = pages()

    def get(path: str, signed_in: bool, language: str) -> Any:
        if signed_in:
            return member.get(path, headers={"accept-language": "en"})
        return anonymous.get(path, headers={"accept-language": language})

    def speak(language: str) -> None:
        user_model.objects.filter(pk=person.pk).update(language=language)

    for language in LANGUAGES:  # warm-up, and a check that each page answers in the language asked for
        speak(language)
        for name, (path, signed_in) in found.items():
            for _ in range(10):
                response = get(path, signed_in, language)
            assert response.status_code == 200, (name, language, response.status_code)
            assert f'<html lang="{language}"' in response.content.decode(), (name, language)

    cpu: dict[tuple[str, str], list[float]] = {(n, lang): [] for n in found for lang in LANGUAGES}
    ratios: dict[tuple[str, str], list[float]] = {(n, lang): [] for n in found for lang in LANGUAGES[1:]}
    order = list(LANGUAGES)
    for _round in range(args.rounds):
        for name, (path, signed_in) in found.items():
            this_round: dict[str, float] = {}
            random.shuffle(order)
            for language in order:
                speak(language)
                started = time.process_time()
                for _ in range(args.batch):
                    get(path, signed_in, language)
                this_round[language] = (time.process_time() - started) * 1000 / args.batch
                cpu[(name, language)].append(this_round[language])
            for language in LANGUAGES[1:]:
                ratios[(name, language)].append(this_round[language] / this_round["en-gb"])
    speak("")

    head = f"{'page':<8} {'en-gb ms':>9} {'pl ms':>8} {'pl/en':>7} {'ar ms':>8} {'ar/en':>7}  target ≤ {TARGET:.2f}"
    print(f"{args.rounds} rounds × {args.batch} requests per page and language; median CPU ms per request")
    print(head)
    met = True
    for name in found:
        row = f"{name:<8} {statistics.median(cpu[(name, 'en-gb')]):>9.2f}"
        for language in LANGUAGES[1:]:
            ratio = statistics.median(ratios[(name, language)])
            met = met and ratio <= TARGET
            row += f" {statistics.median(cpu[(name, language)]):>8.2f} {ratio:>7.3f}"
        print(row)
    print("target met" if met else "target NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
