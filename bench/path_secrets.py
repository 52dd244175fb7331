"""Benchmark masking secrets in log lines: long hostile runs against an ordinary line.

    .venv/bin/python bench/path_secrets.py            # --sizes 1000 8000 64000 --repeat 5

Every request line a server logs goes through the masks of web/path_secrets (feed
tokens, manage links, and any long run of secret characters), so a line stuffed with
thousands of slashes must cost work in proportion to its length. For each hostile run
(slashes, %2F, secret characters, short path segments) and each size it prints the
milliseconds to mask the line (the least of --repeat runs, this thread's CPU time), the
multiple of an ordinary feed request line masked in the same run (the baseline), and
how much the cost grew from the size before (linear: as much as the size grew).

Not a test: it prints figures and never fails on them. The tests keep the property that
cannot depend on the machine (tests/web/test_path_secrets.py: growth, not speed).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webinars.web.feed_http import mask_feed_tokens  # noqa: E402
from webinars.web.my_registration import mask_manage_tokens  # noqa: E402
from webinars.web.path_secrets import LONG_RUN  # noqa: E402

RUNS = {"slashes": "/", "%2F": "%2F", "secret chars": "a", "segments": "/r/x"}
ORDINARY = (
    '127.0.0.1 - - [06/Dec/2026:10:00:00 +0000] "GET /calendars/academies/izhevsk/'
    'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE.ics?kind=webinar HTTP/1.1" 200 5120'
)


def mask_server_line(text: str) -> str:
    """What a server logger's line goes through: both path masks, then the long-run mask."""
    return LONG_RUN.sub(r"\1…", mask_manage_tokens(mask_feed_tokens(text)))


def cpu_ms(mask: Callable[[str], str], text: str, repeat: int) -> float:
    """Milliseconds of this thread's CPU time to mask `text`, the least of `repeat` runs."""
    best = float("inf")
    for _ in range(repeat):
        started = time.thread_time_ns()
        mask(text)
        best = min(best, time.thread_time_ns() - started)
    return best / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 8000, 64000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    baseline = cpu_ms(mask_server_line, ORDINARY, args.repeat * 20)
    print(
        f"baseline: an ordinary feed request line ({len(ORDINARY)} characters) "
        f"{baseline * 1000:.1f} µs"
    )
    print(f"{'run':<14}{'length':>9}{'ms':>10}{'x baseline':>12}{'growth':>9}{'size grew':>11}")
    for name, unit in RUNS.items():
        before: tuple[int, float] | None = None
        for size in args.sizes:
            line = f'"GET /{unit * size} HTTP/1.1" 404 -'
            ms = cpu_ms(mask_server_line, line, args.repeat)
            growth = f"{ms / before[1]:.1f}x" if before else "-"
            grew = f"{size / before[0]:.1f}x" if before else "-"
            print(f"{name:<14}{len(line):>9}{ms:>10.2f}{ms / baseline:>12.0f}{growth:>9}{grew:>11}")
            before = (size, ms)


if __name__ == "__main__":
    main()
