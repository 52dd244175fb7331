"""A stand-in Zoom server over real HTTP on loopback, with switchable faults.

    server = ZoomServer().start()
    client = ZoomClient(server.account_id, server.client_id, server.client_secret,
                        oauth_url=server.oauth_url, api_base_url=server.api_base_url)
    server.fail_next(2, status=503)        # the next two API calls fail
    server.set_fault_rate(0.3, seed=7)     # about 30% of API calls fail in mixed ways
    server.requests                        # every request, for assertions
    server.stop()

The account's rules (OAuth, users, meetings, validation, limits) live in
``zoom_account`` and ``zoom_meetings``; this module adds the wire, the faults and the
request log. Faults apply to ``/v2/*`` calls only, never to the token endpoint.
"""

from __future__ import annotations

import json
import random
import select
import socket
import sys
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.zoom_account import FakeZoomAccount, route_of
from tests.fakes.zoom_meetings import ZOOM_TIME, Reply
from tests.fakes.zoom_webhooks import WebhookSender

__all__ = ["FAULT_KINDS", "RecordedRequest", "WebhookSender", "ZoomServer"]

# "drop": Zoom does the work, then the connection closes without a reply.
# "slow": Zoom does the work and replies after ``slow_seconds`` (past the client's timeout);
# a client that hangs up before then gets nothing, however late it looks for the reply.
FAULT_KINDS = ("500", "502", "503", "429", "429-retry-after", "slow", "drop")
# "stall" (asked for by fail_next only): Zoom does nothing and answers 503 after
# ``slow_seconds``: a caller killed while it waits has made nothing.
QUEUED_ONLY_KINDS = ("stall",)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the stand-in saw it."""

    method: str
    path: str
    route: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    body: bytes
    fault: str | None


class ZoomServer:
    """The stand-in Zoom: token endpoint and ``/v2`` API on ``http://127.0.0.1:<port>``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, seed: int = 0) -> None:
        self.account = FakeZoomAccount(seed=seed)
        self._httpd = _QuietServer((host, port), _Handler)
        self._httpd.zoom = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None
        self._lock = threading.Condition()  # notified whenever a request is recorded
        self.reset()

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> ZoomServer:
        """Serve in a background thread; returns self."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def reset(self) -> None:
        """Forget meetings, tokens, faults and the request log; restore default limits."""
        with self._lock:
            self.account.reset()
            self.requests: list[RecordedRequest] = []
            self.calls: Counter[str] = Counter()
            self._queued: deque[str] = deque()
            self.fault_rate = 0.0
            self.fault_kinds: tuple[str, ...] = FAULT_KINDS
            self._fault_rng = random.Random(0)
            self.slow_seconds = 1.5  # longer than the test clients' 1 s timeout

    # -- addresses and credentials --------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def oauth_url(self) -> str:
        """The token endpoint (Zoom's ``https://zoom.us/oauth/token``)."""
        return f"{self.base_url}/oauth/token"

    @property
    def api_base_url(self) -> str:
        """The API base (Zoom's ``https://api.zoom.us/v2``)."""
        return f"{self.base_url}/v2"

    @property
    def account_id(self) -> str:
        """The account id the token endpoint accepts."""
        return self.account.account_id

    @property
    def client_id(self) -> str:
        """The client id the token endpoint accepts."""
        return self.account.client_id

    @property
    def client_secret(self) -> str:
        """The client secret the token endpoint accepts."""
        return self.account.client_secret

    # -- switches -------------------------------------------------------------------------

    def fail_next(self, n: int = 1, status: int = 500, *, fault: str | None = None) -> None:
        """Make the next ``n`` API calls fail with ``status`` (500, 502, 503 or 429), or with
        a fault kind from ``FAULT_KINDS`` such as ``"drop"`` or ``"slow"``."""
        kind = fault or str(status)
        if kind not in FAULT_KINDS + QUEUED_ONLY_KINDS:
            raise ValueError(f"unknown fault {kind!r}; choose from {FAULT_KINDS}")
        with self._lock:
            self._queued.extend([kind] * n)

    def set_fault_rate(
        self, probability: float, *, seed: int = 0, kinds: Sequence[str] = FAULT_KINDS
    ) -> None:
        """Fail about ``probability`` of API calls, each with a kind drawn from ``kinds``.

        The draws come from a generator seeded with ``seed``, so a run can be repeated.
        """
        unknown = set(kinds) - set(FAULT_KINDS)
        if unknown or not 0 <= probability <= 1:
            raise ValueError(f"bad fault settings: {probability!r}, {sorted(unknown)}")
        with self._lock:
            self.fault_rate = probability
            self.fault_kinds = tuple(kinds)
            self._fault_rng = random.Random(seed)

    def expire_all_tokens(self) -> None:
        """Expire every token issued so far: the next API call gets 401 code 124."""
        self.account.expire_all_tokens()

    # -- what happened --------------------------------------------------------------------

    def api_requests(
        self, method: str | None = None, route: str | None = None
    ) -> list[RecordedRequest]:
        """The recorded ``/v2`` requests, optionally only one method and/or route template."""
        with self._lock:
            return [
                r
                for r in self.requests
                if r.path.startswith("/v2/")
                and (method is None or r.method == method)
                and (route is None or r.route == route)
            ]

    def wait_for_api_requests(self, count: int, timeout: float = 10.0) -> list[RecordedRequest]:
        """The recorded ``/v2`` requests once there are at least ``count`` of them.

        A client that timed out may be ahead of the stand-in, which can still be reading
        the request on a busy machine; raises AssertionError after ``timeout`` seconds.
        """
        with self._lock:
            if not self._lock.wait_for(lambda: len(self._api_log()) >= count, timeout):
                raise AssertionError(f"the stand-in saw {len(self._api_log())} of {count} calls")
            return self._api_log()

    def _api_log(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.startswith("/v2/")]

    @property
    def token_requests(self) -> int:
        """How many times the token endpoint was asked for a token."""
        return self.account.token_requests

    def meetings(self) -> list[dict[str, Any]]:
        """A copy of every meeting that exists now, in creation order."""
        with self.account.lock:
            return [json.loads(json.dumps(m)) for m in self.account.book.meetings.values()]

    def meeting(self, meeting_id: int) -> dict[str, Any] | None:
        """A copy of one meeting, or None."""
        with self.account.lock:
            found = self.account.book.meetings.get(meeting_id)
            return json.loads(json.dumps(found)) if found else None

    def set_meeting_status(self, meeting_id: int, status: str) -> None:
        """Mark a meeting ``started`` or ``waiting`` (a live one cannot be deleted)."""
        with self.account.lock:
            self.account.book.meetings[meeting_id]["status"] = status

    # -- serving --------------------------------------------------------------------------

    def _draw_fault(self, path: str) -> str | None:
        """The fault for the next request (the caller holds the lock)."""
        if not path.startswith("/v2/"):
            return None
        if self._queued:
            return self._queued.popleft()
        if self.fault_rate and self._fault_rng.random() < self.fault_rate:
            return self._fault_rng.choice(self.fault_kinds)
        return None

    def serve(self, method: str, target: str, headers: dict[str, str], body: bytes) -> _Outcome:
        """Record the request, apply any fault and let the account answer.

        The request is recorded before the work, so a client that gave up waiting still
        finds it in the log (``wait_for_api_requests``).
        """
        split = urlsplit(target)
        query = dict(parse_qsl(split.query))
        try:
            parsed = json.loads(body) if body else None
        except (ValueError, UnicodeDecodeError):
            parsed = None
        route = route_of(split.path)
        with self._lock:
            fault = self._draw_fault(split.path)
            record = RecordedRequest(method, split.path, route, query, headers, parsed, body, fault)
            self.requests.append(record)
            self.calls[f"{method} {route}"] += 1
            self._lock.notify_all()
        reply = _fault_reply(fault, self.account.clock)
        if reply is None:
            reply = self.account.handle(method, split.path, query, headers, body)
        delay = self.slow_seconds if fault in ("slow", "stall") else 0.0
        return _Outcome(reply, drop=fault == "drop", delay=delay)


@dataclass(frozen=True)
class _Outcome:
    reply: Reply
    drop: bool
    delay: float


def _fault_reply(fault: str | None, clock: Any) -> Reply | None:
    """The reply a fault puts in place of Zoom's, or None when Zoom should do the work."""
    if fault in ("500", "503", "stall"):
        if fault == "stall":
            return Reply(503, {"code": 503, "message": "Service Unavailable."})
        return Reply(int(fault), {"code": int(fault), "message": "Internal Error."})
    if fault == "502":  # a gateway answers, in HTML
        return Reply(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>")
    if fault in ("429", "429-retry-after"):
        headers = {"X-RateLimit-Category": "Light", "X-RateLimit-Type": "QPS"}
        if fault == "429-retry-after":
            headers["Retry-After"] = (clock() + timedelta(seconds=2)).strftime(ZOOM_TIME)
        message = "You have reached the maximum per-second rate limit for this API."
        return Reply(429, {"code": 429, "message": message}, headers)
    return None


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    # The default listen backlog of 5 drops bursts of concurrent connections; the client
    # then waits a whole SYN retransmit (1 s) and times out. Zoom's edge has no such limit.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (timeouts, dropped replies) are normal here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Send headers and body in one segment: two small writes meet the client's delayed ACK
    # and cost 40 ms a reply.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        zoom: ZoomServer = self.server.zoom  # type: ignore[attr-defined]
        try:
            outcome = zoom.serve(self.command, self.path, headers, body)
        except Exception:  # a bug in the stand-in: show it, answer like Zoom's own 500
            traceback.print_exc()
            self._write(Reply(500, {"code": 500, "message": "The stand-in Zoom failed."}))
            return
        if outcome.drop:
            self.close_connection = True  # close without a word: the reply is lost
            return
        if outcome.delay and self._client_hangs_up_within(outcome.delay):
            self.close_connection = True  # the slowed reply never reaches the client
            return
        self._write(outcome.reply)

    def _client_hangs_up_within(self, seconds: float) -> bool:
        """Wait `seconds` for the reply's time; True as soon as the client hangs up.

        A slowed reply is then never written, so a client that gave up cannot read it
        late (a loaded runner may look at its socket only after its timeout has passed).
        """
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            readable, _, _ = select.select([self.connection], [], [], left)
            if not readable:
                continue
            try:
                if self.connection.recv(1, socket.MSG_PEEK) == b"":
                    return True
            except ConnectionError:
                return True
            time.sleep(left)  # it sent more (pipelining), never an end: wait out the delay
        return False

    def _write(self, reply: Reply) -> None:
        if isinstance(reply.body, bytes):
            payload, kind = reply.body, "text/html"
        elif reply.body is None:
            payload, kind = b"", ""
        else:
            payload, kind = json.dumps(reply.body).encode("utf-8"), "application/json"
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if kind:
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up waiting (slow replies)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _dispatch

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Stay quiet: tests read ``ZoomServer.requests`` instead."""
