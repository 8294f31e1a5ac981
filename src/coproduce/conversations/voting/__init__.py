"""The vote's hot path, in one place (ADR 20).

* ``rule``: whether a statement takes a vote now, stated once; the Python check and every SQL condition that
  asks the same are made from it.
* ``sql``: the one helper that builds each fixed SQL text of the path (once per process and database).
* ``casting``: casting a vote, in one statement on PostgreSQL or a short transaction on SQLite.
* ``routing``: choosing the statement a person votes on next, with their progress.

``services.vote_cast`` (permission, the value, the snapshot) and ``selectors.voting_state`` are the way in; no
other module uses these. ``tests/conversations/test_views.py`` holds an htmx vote to four queries on PostgreSQL.
"""
