"""Background work: thin tasks over the domain, queued once after the commit that calls
for them.

The domain says what happened (webinars.domain.signals); each area's module here answers
with a task noted for after the commit (worker.after_commit), and the worker queues it
once the transaction commits. Nobody calls a follow-up by hand.

- worker: running tasks in the app's context, queueing after the commit, the heartbeat;
- mail: delivering the outbox;
- registration: holds, reminders, news to registrants, forgetting personal data;
- zoom: keeping each session's Zoom meeting in step, and the sweep;
- attendance: finalising the lists nobody finalised;
- certificates: issuing, rendering and mailing them;
- partners: seats reserved for academies released at their deadline.
"""

from __future__ import annotations

from flask import Flask

from webinars.jobs import attendance, certificates, mail, partners, registration, worker, zoom


def init_app(app: Flask) -> None:
    """Connect the tasks to the domain's signals and queue them after each commit."""
    worker.queue_after_commit()
    for area in (attendance, certificates, mail, partners, registration, zoom):
        area.connect()
