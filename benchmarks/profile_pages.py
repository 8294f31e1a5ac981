"""Profile partnership pages in one process: SQL queries, Python function calls and CPU time per request.

Function-call counts do not depend on other work on the machine, unlike timings, so they show whether a change
made a page cheaper even on a busy machine. The script builds a fresh SQLite database with the production
settings in a temporary folder (as ``http_pages.py`` does), loads the demo, signs in the demo member Aisha with
Django's test client and requests each page ``--requests`` times after a warm-up.

    uv run python benchmarks/profile_pages.py                  # table of queries, calls and CPU per request
    uv run python benchmarks/profile_pages.py --top 25         # and the 25 most expensive functions per page
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PAGES = {
    "home": "/p/riverside/",
    "people": "/p/riverside/people/",
    "ideas": "/p/riverside/ideas/",
    "leave": "/p/riverside/leave/",  # a near-empty page: the cost every partnership page pays
}
MEMBER_EMAIL = "aisha@riverside.example"


def demo_client() -> Any:
    """Django set up with the production settings on a fresh SQLite database in a temporary folder, the demo
    loaded, and a test client signed in as the demo member Aisha (for this script and ``profile_votes.py``)."""
    folder = Path(tempfile.mkdtemp(prefix="coproduce-profile-"))
    os.environ.pop("COPRODUCE_DEMO", None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "coproduce.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "COPRODUCE_DATA_DIR": str(folder),
            "COPRODUCE_SSL_REDIRECT": "0",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from coproduce.demo_data import load_demo

    static_storage = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static_storage}  # no manifest needed here
    call_command("migrate", verbosity=0)
    load_demo()
    client = Client(secure=True)
    client.force_login(get_user_model().objects.get(email=MEMBER_EMAIL))
    return client


def measure(
    run: Callable[[int], None], times: int, *, top: int = 0, sort: str = "cumulative"
) -> tuple[float, float, str]:
    """Python calls and CPU milliseconds per repetition of ``run(times)`` (for this script and
    ``profile_votes.py``): calls counted under cProfile, CPU timed in a second pass without it; and, with
    ``top``, a listing of the most expensive functions ("" without)."""
    profile = cProfile.Profile()
    profile.enable()
    run(times)
    profile.disable()
    calls = pstats.Stats(profile).total_calls / times  # type: ignore[attr-defined]
    started = time.process_time()
    run(times)
    cpu_ms = (time.process_time() - started) * 1000 / times
    out = io.StringIO()
    if top:
        pstats.Stats(profile, stream=out).sort_stats(sort).print_stats(top)
    return calls, cpu_ms, out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page (default 200)")
    parser.add_argument("--top", type=int, default=0, help="print the N most expensive functions per page")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key for --top (default cumulative)")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=list(PAGES))
    args = parser.parse_args()

    client = demo_client()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"{'page':<8} {'queries':>7} {'calls/request':>14} {'CPU ms/request':>15}")
    for name in args.pages:
        path = PAGES[name]
        for _ in range(20):  # warm-up: templates compiled, connections open
            assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        # Read now: the log is cleared when the next request starts.
        query_count = len(queries.captured_queries)
        if args.top:
            for query in queries.captured_queries:
                print("   ", query["sql"][:160])

        def get(times: int, path: str = path) -> None:
            for _ in range(times):
                client.get(path)

        calls, cpu_ms, listing = measure(get, args.requests, top=args.top, sort=args.sort)
        print(f"{name:<8} {query_count:>7} {calls:>14,.0f} {cpu_ms:>15.2f}")
        if listing:
            print(listing)
    return 0


if __name__ == "__main__":
    sys.exit(main())
