"""Business rules: plain functions over models. Nothing here reads the request.

One sub-package per area, depending on each other one way: sessions at the bottom, zoom
and calendars on sessions, registration on those three. The general modules (the outbox
in mail/, accounts/, the worker heartbeats in operations/, signals) depend on no area.
What happened is said with the named signals of signals.py, the one module at this root:
the vocabulary every area shares. The background work that follows is queued by
webinars.jobs after the commit.
"""
