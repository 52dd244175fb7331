"""A third, independent reader of our iCalendar output: Mozilla's ical.js (the parser in
Thunderbird), run with Node.js.

The npm package is pinned in tests/calendars/js/package.json (it has no dependencies) and
installed on first use into tests/calendars/js/node_modules (git-ignored) with npm, once
per machine, under a file lock so that parallel test workers wait for one install.
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tests.environment import node_missing

JS_DIR = Path(__file__).resolve().parent / "js"
SCRIPT = JS_DIR / "instants.mjs"
INSTALLED = JS_DIR / "node_modules" / "ical.js" / "package.json"
_LOCK = Path(tempfile.gettempdir()) / "webinars-icaljs-install.lock"


def icaljs_missing() -> str | None:
    """Why ical.js cannot run here, or None once it is installed and ready."""
    problem = node_missing()
    if problem is not None:
        return problem
    with _LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if INSTALLED.is_file():
            return None
        result = subprocess.run(
            ["npm", "install", "--no-package-lock", "--no-audit", "--no-fund", "--silent"],
            cwd=JS_DIR,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0 or not INSTALLED.is_file():
            last = (result.stderr.strip().splitlines() or ["no message"])[-1]
            return f"npm could not install ical.js into {JS_DIR}: {last}"
    return None


def icaljs_instants(*bodies: bytes) -> list[dict[str, tuple[datetime, datetime]]]:
    """For each body: UID -> UTC start, end, as ical.js reads them (with the body's own
    VTIMEZONEs). One Node process for all the bodies."""
    payload = json.dumps([body.decode("utf-8") for body in bodies]).encode()
    result = subprocess.run(
        ["node", str(SCRIPT)], input=payload, capture_output=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return [
        {
            uid: (datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC))
            for uid, (start, end) in events.items()
        }
        for events in json.loads(result.stdout)
    ]
