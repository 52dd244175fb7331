"""The suite's own rules for CI: nothing skips quietly, and what is missing is named.

Each test runs pytest in a subprocess on a small test file, with the plugins of
tests/environment and tests/skip_report and the environment it chooses (CI on or off,
a Chromium path that does not exist, no TEST_DATABASE_URL).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.skip_report import ALLOWED_SKIPS

ROOT = Path(__file__).resolve().parents[1]
NO_CHROMIUM = "/nonexistent/chromium"
CHROMIUM_REASON = (
    f"browser tests need Chromium at {NO_CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"
)
(ALLOWED,) = ALLOWED_SKIPS

TESTS = f"""
import pytest
from tests.environment import chromium_missing, require

def test_runs():
    pass

def test_needs_chromium():
    require(chromium_missing())

@pytest.mark.parametrize("n", [1, 2])
def test_skips_for_no_good_reason(n):
    pytest.skip("not today")

def test_skips_as_allowed():
    pytest.skip({ALLOWED!r})
"""


@pytest.fixture
def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    """Run pytest in a subprocess on `source` with `plugins`, under CI or not."""

    def go(source: str, *args: str, ci: bool, plugins=("tests.skip_report",)):
        monkeypatch.setenv("PYTHONPATH", str(ROOT))
        monkeypatch.setenv("CHROMIUM_PATH", NO_CHROMIUM)
        monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
        if ci:
            monkeypatch.setenv("CI", "true")
        else:
            monkeypatch.delenv("CI", raising=False)
        pytester.makepyfile(test_sample=source)
        options = [item for plugin in plugins for item in ("-p", plugin)]
        return pytester.runpytest_subprocess(*options, "-p", "no:cacheprovider", *args)

    return go


def _section(result: pytest.RunResult) -> list[str]:
    """The lines of the skipped-by-reason section, up to the next section (blanks out)."""
    lines = result.outlines
    start = next(i for i, line in enumerate(lines) if "skipped tests, by reason" in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("="))
    return [line for line in lines[start + 1 : end] if line]


def test_skip_report_outside_ci_groups_skips_by_reason_and_passes(run):
    result = run(TESTS, ci=False)

    assert result.ret == pytest.ExitCode.OK
    assert result.parseoutcomes() == {"passed": 1, "skipped": 4}
    assert _section(result) == [
        "2 skipped: not today",
        "    test_sample.py::test_skips_for_no_good_reason[1]",
        "    test_sample.py::test_skips_for_no_good_reason[2]",
        f"1 skipped: {ALLOWED}",
        "    test_sample.py::test_skips_as_allowed",
        f"1 skipped: {CHROMIUM_REASON}",
        "    test_sample.py::test_needs_chromium",
    ]


def test_skip_report_under_ci_fails_a_run_with_a_skip_not_allowed(run):
    result = run(TESTS, "-k", "not chromium", ci=True)

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert result.parseoutcomes() == {"passed": 1, "skipped": 3, "deselected": 1}
    assert _section(result) == [
        "2 skipped [NOT ALLOWED in CI]: not today",
        "    test_sample.py::test_skips_for_no_good_reason[1]",
        "    test_sample.py::test_skips_for_no_good_reason[2]",
        f"1 skipped [allowed]: {ALLOWED}",
        "    test_sample.py::test_skips_as_allowed",
        "CI: 2 skipped test(s) not on the allow-list (ALLOWED_SKIPS in tests/skip_report.py): "
        "a CI run must run them, so the run fails.",
    ]


def test_skip_report_under_ci_passes_a_run_whose_skips_are_allowed(run):
    result = run(TESTS, "-k", "runs or allowed", ci=True)

    assert result.ret == pytest.ExitCode.OK
    assert _section(result) == [
        f"1 skipped [allowed]: {ALLOWED}",
        "    test_sample.py::test_skips_as_allowed",
    ]


def test_skip_report_under_ci_counts_skips_of_xdist_workers_and_whole_modules(run, pytester):
    pytester.makepyfile(
        test_skipped_module="import pytest\npytest.skip('no module today', allow_module_level=True)"
    )

    result = run(TESTS, "-n", "2", "-k", "not chromium", ci=True)

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert _section(result) == [
        "2 skipped [NOT ALLOWED in CI]: not today",
        "    test_sample.py::test_skips_for_no_good_reason[1]",
        "    test_sample.py::test_skips_for_no_good_reason[2]",
        f"1 skipped [allowed]: {ALLOWED}",
        "    test_sample.py::test_skips_as_allowed",
        "1 skipped [NOT ALLOWED in CI]: no module today",
        "    test_skipped_module.py",
        "CI: 3 skipped test(s) not on the allow-list (ALLOWED_SKIPS in tests/skip_report.py): "
        "a CI run must run them, so the run fails.",
    ]


def test_require_skips_outside_ci_and_fails_under_ci(run):
    outside = run(TESTS, "-k", "chromium", ci=False)
    inside = run(TESTS, "-k", "chromium", ci=True)

    assert (outside.ret, outside.parseoutcomes()) == (0, {"skipped": 1, "deselected": 4})
    assert (inside.ret, inside.parseoutcomes()) == (1, {"failed": 1, "deselected": 4})
    inside.stdout.fnmatch_lines([f"*CI=true, but {CHROMIUM_REASON}"])


def test_ci_run_stops_before_any_test_naming_what_the_machine_lacks(run):
    plugins = ("tests.environment", "tests.skip_report")

    result = run(TESTS, ci=True, plugins=plugins)

    problems = [line for line in result.errlines if line.startswith("  - ")]
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.errlines[0] == (
        "Exit: CI=true, but this machine lacks what the test suite needs, and a CI run must "
        "run every test:"
    )
    assert [p for p in problems if "TEST_DATABASE_URL" in p or "Chromium" in p] == [
        "  - TEST_DATABASE_URL is not set, so no test runs on PostgreSQL (set it to a database "
        "of your own, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test_me)",
        f"  - {CHROMIUM_REASON}",
    ]
    assert "passed" not in result.stdout.str()


def test_run_outside_ci_goes_on_without_what_the_machine_lacks(run):
    plugins = ("tests.environment", "tests.skip_report")

    result = run(TESTS, "-k", "runs or chromium", ci=False, plugins=plugins)

    assert (result.ret, result.parseoutcomes()) == (0, {"passed": 1, "skipped": 1, "deselected": 3})
