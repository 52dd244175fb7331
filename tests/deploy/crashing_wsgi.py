"""A WSGI app whose pages end their worker: a fatal signal, a kill, or a hang.

Served by gunicorn with the project's gunicorn.conf.py to check what the arbiter logs
when a worker dies in the middle of a request.
"""

from __future__ import annotations

import os
import signal
import time


def app(environ, start_response):
    """/segfault: SIGSEGV; /kill: SIGKILL; /hang: sleeps past any timeout; else 200."""
    path = environ["PATH_INFO"]
    if path == "/segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif path == "/kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif path == "/hang":
        time.sleep(120)
    body = f"ok {os.getpid()}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
