"""Every template uses only filters and tests the app registers.

Jinja reports an unknown filter only when the line runs, so a filter removed in one
place breaks a page that no other test happens to render in that state (an attendance
list after finalising answered 500 once `local` was replaced by `when`).
"""

from __future__ import annotations

from flask import Flask
from jinja2 import nodes


def _unknown(app: Flask) -> list[str]:
    env = app.jinja_env
    problems = []
    for name in env.list_templates(extensions=("html", "txt", "ics", "xml")):
        source = env.loader.get_source(env, name)[0]
        tree = env.parse(source, name)
        for node in tree.find_all(nodes.Filter):
            if node.name not in env.filters:
                problems.append(f"{name}:{node.lineno} filter {node.name}")
        for node in tree.find_all(nodes.Test):
            if node.name not in env.tests:
                problems.append(f"{name}:{node.lineno} test {node.name}")
    return problems


def test_templates_use_only_registered_filters_and_tests(app: Flask):
    with app.app_context():
        assert app.jinja_env.list_templates(), "no templates found"
        assert _unknown(app) == []
