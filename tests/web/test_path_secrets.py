"""Secrets in URL paths (feed tokens, manage links) never reach a log in full."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pytest

from webinars.domain.calendars.tokens import issue_token
from webinars.extensions import db
from webinars.models import FeedScope
from webinars.web.feed_http import mask_feed_tokens
from webinars.web.my_registration import mask_manage_tokens
from webinars.web.path_secrets import KEEP, LONG_RUN, mask_codes

# Spellings a client may send that still reach the feed: {t} is the token, {e} the token
# with its first character percent-escaped.
FEED_SPELLINGS = [
    "/calendars/academies/izhevsk/{t}.ics",
    "/calendars/academies/izhevsk//{t}.ics",  # redirected to the feed, the 308 logged
    "/calendars//academies//izhevsk/{t}.ics",
    "/calendars%2Facademies%2Fizhevsk%2F{t}.ics",
    "/calendars/academies/izhevsk/{e}.ics",
    "/%63alendars/academies/%69zhevsk/{t}.ics",
]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("spelling", FEED_SPELLINGS)
def test_every_spelling_that_reaches_a_feed_is_masked(app, client, make_academy, spelling):
    academy = make_academy(slug="izhevsk")
    with app.app_context():
        token = issue_token(FeedScope.ACADEMY, academy_id=academy.id)
        db.session.commit()
    path = spelling.format(t=token, e=f"%{ord(token[0]):02X}{token[1:]}")

    answer = client.get(path)
    masked = mask_feed_tokens(f'127.0.0.1 - - "GET {path} HTTP/1.1" {answer.status_code} -')

    assert answer.status_code in (200, 308)
    assert token[KEEP:] not in masked
    assert "…" in masked


@pytest.mark.parametrize(
    "path",
    ["/r/{t}/confirm", "/r//{t}", "//r/{t}/new-link", "/r%2F{t}", "/r/{e}/cancel", "/%72/{t}"],
)
def test_every_spelling_of_a_manage_link_is_masked(path):
    token = "AbCdEf" + "x" * 37
    line = path.format(t=token, e="%41" + token[1:])

    masked = mask_manage_tokens(f'"GET {line} HTTP/1.1" 200 -')

    assert token[KEEP:] not in masked
    assert "…" in masked


def test_paths_without_a_secret_are_left_as_they_are():
    for path in (
        "/calendars/academies/izhevsk.ics?kind=webinar",
        "/calendars/lecturers/dr-karimova.ics",
        "/calendars/all.ics",
        "/register/12",
        "/r/",
    ):
        assert mask_feed_tokens(path) == path
        assert mask_manage_tokens(path) == path


def test_a_long_run_of_slashes_is_left_as_it_is():
    line = f'"GET {"/" * 8000} HTTP/1.1" 404 -'

    assert (mask_feed_tokens(line), mask_manage_tokens(line)) == (line, line)


# What a log line may be stuffed with to make masking slow: runs of what the patterns
# start or go on with. Each is read by each of the three masks a server's line meets.
LONG_RUNS = {
    "slashes": "/",
    "escaped-slashes": "%2F",
    "secret-characters": "a",
    "paths": "/r/x",
    "code-paths": "/certificates/",
    "check-in-paths": "/manage/sessions/1/check-in/r1",
}
MASKS = {
    "feed": mask_feed_tokens,
    "manage": mask_manage_tokens,
    "long-run": lambda text: LONG_RUN.sub(r"\1…", text),
    "codes": mask_codes,
}
SHORT, LONG = 250, 4000  # 16 times as long


def _cpu_cost(mask: Callable[[str], str], text: str) -> int:
    """This thread's CPU time, in ns, to mask `text`: the least of three runs.

    CPU time of this thread, not the wall clock: whatever else the machine runs is not
    counted; and the least of three drops a run that met a cold cache or an interrupt.
    """
    costs = []
    for _ in range(3):
        started = time.thread_time_ns()
        mask(text)
        costs.append(time.thread_time_ns() - started)
    return max(min(costs), 1)


@pytest.mark.parametrize("mask", MASKS.values(), ids=MASKS.keys())
@pytest.mark.parametrize("run", LONG_RUNS.values(), ids=LONG_RUNS.keys())
def test_masking_work_grows_linearly_with_a_long_run(mask, run):
    """A 16 times longer run costs about 16 times as much to mask, never about 256 times.

    A search tried from every slash of a run (the first patterns) rescans the rest of
    the run each time: 8,000 slashes took ~7 s instead of ~2 ms. Only the ratio of two
    sizes measured in this same run counts here, so the machine's speed and load cannot
    decide the result; figures in milliseconds are for bench/path_secrets.py.
    """
    short_line, long_line = (f'"GET /{run * n} HTTP/1.1" 404 -' for n in (SHORT, LONG))

    growth = _cpu_cost(mask, long_line) / _cpu_cost(mask, short_line)

    # Linear work grows ~16 times (measured 8-17), quadratic ~256 times (measured 235-250):
    # 64 sits four times away from both.
    assert growth < 64, f"16x the input cost {growth:.0f}x the work"


def test_logs_never_hold_a_manage_link(app, caplog):
    token = "ZxCvBn" + "w" * 37
    line = f"POST /r/{token}/confirm HTTP/1.1"
    with caplog.at_level(logging.INFO):
        logging.getLogger("werkzeug").info('127.0.0.1 - - "%s" %s %s', line, 302, "-")
        logging.getLogger("gunicorn.access").info("%(r)s %(s)s", {"r": line, "s": "302"})
        app.logger.error("Unhandled error on %s %s", "POST", line.split()[1])

    assert token not in caplog.text
    assert caplog.text.count("ZxCvBn…") == 3


@pytest.mark.parametrize(
    "path",
    [
        "/calendars/personal/./{t}.ics",  # a dot segment: 404, but the token is good
        "/calendars/personel/{t}.ics",  # a typo
        "/calendars/academies/izhevsk/%2e/{t}.ics",
        "/r/./{t}",
        "/anything?feed={t}",
    ],
)
def test_server_logs_mask_a_token_in_any_path(app, caplog, path):
    token = "QwErTy" + "k" * 37
    line = path.format(t=token)
    with caplog.at_level(logging.INFO):
        logging.getLogger("werkzeug").info('127.0.0.1 - - "%s" %s %s', f"GET {line}", 404, "-")
        logging.getLogger("gunicorn.access").info("%(r)s %(s)s", {"r": line, "s": "404"})

    assert token[KEEP:] not in caplog.text
    assert caplog.text.count("QwErTy…") == 2


def test_app_messages_keep_long_ids_that_are_not_in_a_secret_path(app, caplog):
    digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    with caplog.at_level(logging.INFO):
        app.logger.warning("outbox message %s: checksum %s", 12, digest)

    assert digest in caplog.text


def test_masking_twice_reads_the_same_as_once():
    token = "AbCdEf" + "x" * 37
    line = f'"GET /calendars/academies/izhevsk/{token}.ics HTTP/1.1" 200 -'

    once = mask_feed_tokens(line)

    assert mask_feed_tokens(once) == once
    assert once.count("…") == 1
