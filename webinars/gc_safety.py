"""Python 3.11's cyclic garbage collector, run only between requests and tasks (issue 9).

CPython 3.11 can free an object's attribute values twice (a use-after-free, then a
segmentation fault) when a garbage collection starts inside an attribute store: storing a
new attribute that the class's shared keys cannot take makes the interpreter build the
object's __dict__ from its inline values; allocating that dict may start a collection;
the collection frees an object kept only by a reference cycle, and that object's weakref
callback changes the SAME object's attributes while the outer store is half done.
SQLAlchemy meets exactly this: InstanceState (__slots__ with "__dict__") at Session.close
sets `state._strong_obj = None` while a mapped instance in a cycle is collected, and its
weakref callback InstanceState._cleanup deletes `_instance_dict` and sets `_strong_obj` on
that state. Web workers died with SIGSEGV at the end of requests that loaded thousands of
rows (bench/soak.py --debug-malloc shows it; bench/gc_reentry.py is the bug in plain
Python: it crashes 3.11.2 and 3.11.7 and not 3.12 or 3.13).

The cure on 3.11: no collection may start inside arbitrary code. Automatic collection is
switched off, and collect_due() runs the collection the interpreter would have run, with
its own thresholds, at points where no attribute store is under way: when a request's or
a task's application context ends (after the database session is closed). Between those
points cyclic garbage waits; a request's own garbage is bounded by the request.
Python 3.12 and later do not have the bug; there, nothing changes.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

from flask import Flask

AFFECTED = sys.version_info < (3, 12)


# A full collection (generation 2) walks every object the process keeps. CPython runs one
# only when the objects that survived since the last one reach a quarter of the others, a
# count Python code cannot read; collecting generation 2 whenever its own count passed
# its threshold cost the heavy pages 10-12% more CPU (the schedule and registrants pages
# at 20,000 sessions, interleaved A/B). Generation 2 is collected when its count has
# passed FULL_EVERY times its threshold: as rarely as that rule, still bounded.
FULL_EVERY = 10


def collect_due() -> int:
    """Collect the oldest generation whose allocation count has passed its threshold, as
    the automatic collector would (generation 2 at FULL_EVERY times its threshold);
    returns the generation collected, or -1 if none was due."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    limits = (thresholds[0], thresholds[1], thresholds[2] * FULL_EVERY)
    due = -1
    for generation in range(3):
        if counts[generation] > limits[generation]:
            due = generation
        else:
            break
    if due >= 0:
        gc.collect(due)
    return due


def init_app(app: Flask) -> None:
    """With GC_AT_SAFE_POINTS (default: on for Python 3.11, off from 3.12): no automatic
    collection in this process; collect_due() whenever an application context ends."""
    if not app.config.get("GC_AT_SAFE_POINTS", AFFECTED):
        return
    gc.disable()

    @app.teardown_appcontext
    def _collect_between_units(_error: BaseException | None = None) -> Any:
        collect_due()
