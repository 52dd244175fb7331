"""The end of a run: skipped tests grouped by reason; under CI, only allowed skips pass.

A skipped test is one that did not run while the build may still say green. At the end
of every run the skips are listed by reason. Under CI (tests/environment.in_ci) a skip
whose reason is not on ALLOWED_SKIPS fails the run (exit status 1, after the list).

A pytest plugin (tests/conftest.py loads it). Under pytest-xdist only the controller,
which receives every worker's reports, keeps the list.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from tests.environment import in_ci

# Reasons a test may skip in CI, each with why that is no gap. Keep this short: anything
# that can run in CI should, and a missing tool is an error there (tests/environment).
ALLOWED_SKIPS = {
    # The check that SQLite's BEGIN IMMEDIATE holds the seat lock has nothing to look at
    # on PostgreSQL, which locks the session's row (tested by the other concurrency tests).
    "SQLite's BEGIN IMMEDIATE only",
}


def skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    """The reason given to pytest.skip, without pytest's "Skipped: " prefix."""
    longrepr: Any = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return text.removeprefix("Skipped: ")


def pytest_configure(config: pytest.Config) -> None:
    """Watch this run's reports (on the xdist controller, or the only process)."""
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(SkipReport(), "skip-report")


class SkipReport:
    """The skips of one run, by reason; the hooks that note, judge and print them."""

    def __init__(self) -> None:
        self.skips: defaultdict[str, list[str]] = defaultdict(list)
        self.refused = 0

    def _note(self, report: pytest.TestReport | pytest.CollectReport) -> None:
        if report.skipped and not hasattr(report, "wasxfail"):
            self.skips[skip_reason(report)].append(report.nodeid)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Note a test that skipped (in its setup, usually a fixture, or in its body)."""
        self._note(report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """Note a module that skipped as a whole."""
        self._note(report)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Under CI, turn a green run red when a skip is not on ALLOWED_SKIPS."""
        if not in_ci():
            return
        self.refused = sum(
            len(ids) for reason, ids in self.skips.items() if reason not in ALLOWED_SKIPS
        )
        if self.refused and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Print the skipped tests grouped by reason, and whether CI allows them."""
        if not self.skips:
            return
        ci, write = in_ci(), terminalreporter.write_line
        terminalreporter.section("skipped tests, by reason")
        for reason, ids in sorted(self.skips.items(), key=lambda item: (-len(item[1]), item[0])):
            verdict = ""
            if ci:
                verdict = " [allowed]" if reason in ALLOWED_SKIPS else " [NOT ALLOWED in CI]"
            write(f"{len(ids)} skipped{verdict}: {reason}")
            shown = sorted(ids) if ci else sorted(ids)[:3]
            for nodeid in shown:
                write(f"    {nodeid}")
            if len(shown) < len(ids):
                write(f"    ... and {len(ids) - len(shown)} more")
        if self.refused:
            write(
                f"CI: {self.refused} skipped test(s) not on the allow-list (ALLOWED_SKIPS in "
                "tests/skip_report.py): a CI run must run them, so the run fails.",
                red=True,
                bold=True,
            )
