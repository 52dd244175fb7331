"""gunicorn.conf.py: a worker that dies in a request is logged with that request.

Real gunicorn processes with the project's configuration file, serving a small WSGI app
whose pages kill their own worker (tests/deploy/crashing_wsgi.py).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn arbiter with one worker, its base URL and its log."""

    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.log = tmp_path / "gunicorn.log"
        self.base = f"http://127.0.0.1:{_free_port()}"
        environ = dict(
            os.environ,
            GUNICORN_BIND=self.base.removeprefix("http://"),
            GUNICORN_WORKERS="1",
            GUNICORN_WORKER_TMP_DIR=str(tmp_path),
            **env,
        )
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [
                    str(GUNICORN),
                    "-c",
                    str(ROOT / "gunicorn.conf.py"),
                    "--pythonpath",
                    str(Path(__file__).parent),
                    "crashing_wsgi:app",
                ],
                cwd=ROOT,
                env=environ,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def worker_pid(self) -> int:
        """The pid of the worker answering now (waits for one to boot)."""
        deadline = time.monotonic() + 30
        while True:
            try:
                return int(requests.get(self.base + "/", timeout=5).text.split()[1])
            except requests.ConnectionError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise
                time.sleep(0.1)

    def log_once(self, pattern: str, seconds: float = 30) -> re.Match[str]:
        """Wait for `pattern` in the log; fail with the log if it never comes."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            match = re.search(pattern, self.log.read_text(errors="replace"))
            if match:
                return match
            time.sleep(0.1)
        pytest.fail(f"{pattern!r} never logged:\n{self.log.read_text(errors='replace')}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    server = Server(tmp_path)
    yield server
    server.stop()


@pytest.mark.parametrize(("path", "signal_name"), [("/segfault", "SIGSEGV"), ("/kill", "SIGKILL")])
def test_worker_killed_in_request_logs_the_request(server: Server, path: str, signal_name: str):
    pid = server.worker_pid()

    with pytest.raises(requests.ConnectionError):
        requests.get(server.base + path + "?token=secret", timeout=30)

    server.log_once(rf"Worker \(pid:{pid}\) was sent {signal_name}")
    died = server.log_once(rf"worker {pid} died while serving (.*) \(started")
    assert died.group(1) == f"GET {path}"  # the query string (it may hold tokens) is left out
    assert server.worker_pid() != pid  # a new worker took its place


def test_segfault_dumps_the_python_stack(server: Server):
    pid = server.worker_pid()

    with pytest.raises(requests.ConnectionError):
        requests.get(server.base + "/segfault", timeout=30)

    server.log_once(rf"Worker \(pid:{pid}\) was sent SIGSEGV")
    dump = server.log_once(r"Fatal Python error: Segmentation fault\s+(.*)\n(.*)\n")
    assert dump.group(1) == "Current thread 0x" + dump.group(1)[17:]
    assert re.match(r'  File ".*/crashing_wsgi.py", line \d+ in app$', dump.group(2))


def test_request_that_ends_normally_is_not_reported(server: Server):
    pid = server.worker_pid()
    requests.get(server.base + "/", timeout=10)

    server.stop()

    log = server.log.read_text(errors="replace")
    assert re.findall(r"died while serving", log) == []
    assert f"Worker exiting (pid: {pid})" in log


def test_timed_out_worker_logs_the_request(tmp_path: Path):
    server = Server(tmp_path, GUNICORN_TIMEOUT="2")
    try:
        pid = server.worker_pid()
        answer = requests.get(server.base + "/hang", timeout=60)
        assert answer.status_code == 500  # gunicorn answers for the aborted worker
        timed_out = server.log_once(rf"worker {pid} timed out after 2s while serving (.*)")
        assert timed_out.group(1).strip() == "GET /hang"
    finally:
        server.stop()


def test_inflight_path_masks_secrets():
    config: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), config)  # noqa: S102 - the project's own file
    token = "A" * 43

    masked = config["_masked"](f"/calendars/personal/{token}.ics")

    assert masked == "/calendars/personal/AAAAAA….ics"
