"""The report tests' world: a year of cooperation whose every figure was counted by hand."""

from tests.fixtures.reports import report_world  # noqa: F401 - pytest finds fixtures by name
