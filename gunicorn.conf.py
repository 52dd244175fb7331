"""gunicorn's settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be changed from the environment (GUNICORN_<NAME>, or gunicorn's own
command-line flags, which win over this file). Why each one is what it is:

- sync workers: the app is CPU- and database-bound and short-lived per request; a few
  processes per core, each with its own database pool, keep a crash or a leak in one.
- `max_requests` with jitter: a worker is replaced after a few thousand requests, so a slow
  leak (in the app or a library) cannot grow for ever, and the workers do not all restart
  at the same moment.
- timeouts: a request that has run for `timeout` seconds is stuck (every page answers in
  well under a second); the worker is killed and replaced, and the request is logged.
- In-flight requests are written to a small file per worker (in `worker_tmp_dir`) when
  they start and cleared when they end, so that when a worker dies in the middle of one
  (killed, out of memory, a crash in a C extension) the arbiter logs the method and path
  that died with it: "worker 1234 died (SIGSEGV) while serving GET /calendars/all.ics".
"""

from __future__ import annotations

import faulthandler
import os
import time

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "500"))
# Heartbeat files on a memory file system where there is one (Docker's /tmp may be disk).
worker_tmp_dir = os.environ.get(
    "GUNICORN_WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else None
)
# JSON logs (production's default, as the app's): the app writes one line per request
# with its id, route, status, duration and user id, so gunicorn's access log (client
# addresses, raw paths) is off unless asked for; gunicorn's own lines are JSON too.
_json_logs = (
    os.environ.get(
        "LOG_FORMAT", "json" if os.environ.get("WEBINARS_ENV") == "production" else "text"
    )
    == "json"
)
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "" if _json_logs else "-") or None
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
if _json_logs:
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        # The app puts its own JSON handler on the root logger (webinars.observability).
        "root": {"level": "INFO", "handlers": []},
        "loggers": {
            "gunicorn.error": {
                "handlers": ["stderr"],
                "level": loglevel.upper(),
                "propagate": False,
            },
            # gunicorn writes access lines whenever a logging dict is given: keep them
            # only when an access log is asked for.
            "gunicorn.access": {
                "handlers": ["stderr"] if accesslog else [],
                "level": "INFO" if accesslog else "CRITICAL",
                "propagate": False,
            },
        },
    }
# gunicorn's control socket (gunicornc) is one path per user by default, which two services
# (or a test run beside production) would share: off unless given a path of its own.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or "unused"
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
# The proxy in front (nginx) sets these; the app trusts them only with TRUST_PROXY_HEADERS.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

_INFLIGHT_SIZE = 512  # bytes per worker: "<epoch seconds> <method> <path>", padded


def _inflight_path(worker_tmp: str | None, pid: int) -> str:
    directory = worker_tmp or "/tmp"  # noqa: S108 - per-pid file, created by the worker
    return os.path.join(directory, f"webinars-inflight-{pid}")


def post_fork(server, worker) -> None:
    """Dump Python's stacks if this worker dies of a fatal signal; open its in-flight file."""
    faulthandler.enable(all_threads=True)
    path = _inflight_path(server.cfg.worker_tmp_dir, os.getpid())
    worker.webinars_inflight = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)


def pre_request(worker, req) -> None:
    """Note the request this worker is about to serve (no query string: it may hold tokens)."""
    fd = getattr(worker, "webinars_inflight", None)
    if fd is None:
        return
    line = f"{time.time():.3f} {req.method} {_masked(req.path)}".encode(errors="replace")
    os.pwrite(fd, line[:_INFLIGHT_SIZE].ljust(_INFLIGHT_SIZE, b" "), 0)


def post_request(worker, req, environ, resp) -> None:
    """The request ended normally: nothing is in flight."""
    fd = getattr(worker, "webinars_inflight", None)
    if fd is not None:
        os.pwrite(fd, b" " * _INFLIGHT_SIZE, 0)


def child_exit(server, worker) -> None:
    """In the arbiter, after a worker exited: log the request it died in, if any, and
    drop its live metrics (prometheus_client's multiprocess files)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
    path = _inflight_path(server.cfg.worker_tmp_dir, worker.pid)
    try:
        with open(path, "rb") as handle:
            line = handle.read(_INFLIGHT_SIZE).decode(errors="replace").strip()
        os.unlink(path)
    except FileNotFoundError:
        return
    if not line:
        return
    started, _, request_line = line.partition(" ")
    try:
        age = f"{time.time() - float(started):.1f} s"
    except ValueError:
        age = "?"
    server.log.error(
        "worker %s died while serving %s (started %s before)", worker.pid, request_line, age
    )


def worker_abort(worker) -> None:
    """SIGABRT from the arbiter's timeout: log the request that ran too long, then go."""
    fd = getattr(worker, "webinars_inflight", None)
    line = os.pread(fd, _INFLIGHT_SIZE, 0).decode(errors="replace").strip() if fd else ""
    request_line = line.partition(" ")[2] or "no request"
    worker.log.error(
        "worker %s timed out after %ss while serving %s", worker.pid, timeout, request_line
    )


def _masked(path: str) -> str:
    """The path with its codes and any run of secret characters cut, as the access log's
    filter does."""
    try:
        from webinars.web.path_secrets import mask_server_line
    except ImportError:  # the app is not importable here: keep only the path's shape
        return path.rsplit("/", 1)[0] + "/…"
    return mask_server_line(path)
