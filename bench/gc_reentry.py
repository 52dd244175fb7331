"""Issue 9: a GC inside CPython 3.11's attribute store frees an object's values twice.

    PYTHONMALLOC=debug python3.11 bench/gc_reentry.py 200   # segfault (3.11.2, 3.11.7)
    PYTHONMALLOC=debug python3.11 bench/gc_reentry.py 200 --safe-points  # survives (the cure)
    PYTHONMALLOC=debug python3.12 bench/gc_reentry.py 200   # survives: 3.12 and 3.13

Without PYTHONMALLOC=debug the double free is silent at first; the process usually dies
later (often at exit), as the gunicorn workers did.

Pure Python, no extension module. Mirrors SQLAlchemy's InstanceState at session close:
  Session.close -> _detach_states: state._strong_obj = None   (a key the class's shared
  keys cannot take -> CPython builds a dict from the inline values; allocating that dict
  can run the GC), and the GC frees the mapped object (kept only by a reference cycle),
  whose weakref callback InstanceState._cleanup runs on the SAME state:
  del self._instance_dict; self._strong_obj = None.
"""

import gc
import sys
import weakref
from pathlib import Path


class State:
    __slots__ = ("__dict__", "__weakref__", "ref")


# Fill State's shared keys to capacity with other names, so that `strong` never fits.
filler = State()
for i in range(40):
    setattr(filler, f"k{i}", i)


def one_round():
    o = State()
    for i in range(8):
        setattr(o, f"k{i}", i)

    class Thing:
        pass

    thing = Thing()
    thing.cycle = thing  # freed only by the GC

    def cleanup(_ref, o=o):  # as InstanceState._cleanup
        del o.k0
        o.strong = None

    o.ref = weakref.ref(thing, cleanup)
    del thing
    keep = [{} for _ in range(200)]  # empty the dict free list: the next dict is GC-allocated
    gc.set_threshold(1, 1, 1)
    o.strong = None  # outer store: the dict allocation inside it runs the GC
    gc.set_threshold(700, 10, 10)
    o.after = 1
    del keep


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 100
    safe_points = "--safe-points" in sys.argv
    if safe_points:  # as the app does on 3.11: no automatic collection, one between rounds
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from webinars.gc_safety import collect_due

        gc.disable()
    for _ in range(n):
        one_round()
        if safe_points:
            collect_due()
    print("survived", n, "rounds" + (" (collections between rounds only)" if safe_points else ""))


if __name__ == "__main__":
    main()
