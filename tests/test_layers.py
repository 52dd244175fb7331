"""The package's imports, read from the source: no circle, and every import points down.

Layers: ``models`` <- ``domain`` <- ``web`` / ``jobs`` (the Zoom client and the SMTP
sender sit beside the models, under the domain). Inside the domain, the areas depend on
each other in one direction only, sessions at the bottom, and the general modules
(the outbox, staff accounts, worker heartbeats, signals) on none. The domain's root holds
sub-packages only, besides the shared vocabulary of signals. A blueprint's module is
imported by the app's wiring only, never by another blueprint. Imports under
``if TYPE_CHECKING:`` are annotations, not imports that run, and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "webinars"

# Lower number, lower layer: a module may import its own layer and the ones below.
LAYERS = {
    "webinars.extensions": 0,
    "webinars.models": 0,
    "webinars.observability.metrics": 0,
    "webinars.zoom": 1,
    "webinars.mail": 1,
    "webinars.domain": 2,
    "webinars.i18n": 3,
    "webinars.security": 3,
    "webinars.errors": 3,
    "webinars.observability": 3,
    "webinars.selfcheck": 3,
    "webinars.web": 3,
    "webinars.jobs": 3,
    "webinars.cli": 3,
    "webinars.demo": 3,
    "webinars.demo_history": 3,
    "webinars": 4,
}
# Same layer, but neither may import the other: the web never queues a task by hand, and
# the tasks never render a page.
APART = {("webinars.web", "webinars.jobs"), ("webinars.jobs", "webinars.web")}

# Which domain areas an area may import (besides itself and the general modules). An
# area is a sub-package of webinars.domain, or a module there that is not general.
AREA_DEPENDS = {
    "sessions": set(),
    "zoom": {"sessions"},
    "calendars": {"sessions"},
    "attendance": {"sessions", "zoom"},
    "certificates": {"sessions", "attendance"},
    "registration": {"sessions", "calendars", "zoom", "attendance", "certificates"},
    "operations": {"sessions", "calendars", "zoom", "registration"},  # figures for /metrics
    "partners": {"sessions", "calendars", "registration"},
    "reports": {"sessions"},
    # Which area writes which email (the worker and the outbox page ask it).
    "mail": {"registration", "partners", "certificates"},
}
# General modules, under webinars.domain: every area may import them, they import no area.
GENERAL = {"signals", "accounts", "mail.outbox", "operations.workers"}
# The only modules allowed at webinars/domain's root: everything else is in an area's folder.
DOMAIN_ROOT_MODULES = {"__init__.py", "signals.py"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _runtime_imports(tree: ast.AST):
    """Import statements that run (anywhere but under ``if TYPE_CHECKING:``)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if _type_checking(child):
                stack.extend(child.orelse)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            stack.append(child)


def imports_of(name: str) -> set[str]:
    """The webinars modules that module ``name`` imports."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_imports(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # "from package import module" imports the module; otherwise the package.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def _prefix(name: str, table) -> str:
    """The longest key of ``table`` that ``name`` is or lies under."""
    best = max((k for k in table if name == k or name.startswith(k + ".")), key=len)
    return best


def _area(name: str) -> str | None:
    """The domain area of a module (None for the general domain modules)."""
    parts = name.split(".")
    if parts[:2] != ["webinars", "domain"] or len(parts) < 3:
        return None
    inside = ".".join(parts[2:])
    if any(inside == g or inside.startswith(g + ".") for g in GENERAL):
        return None
    return parts[2]


def _cycles() -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), and self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(GRAPH[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return groups


def test_imports_graph_reads_every_module_of_the_package():
    assert "webinars.domain.sessions.scheduling" in GRAPH
    assert "webinars.jobs.worker" in GRAPH["webinars.jobs.zoom"]
    assert "webinars.domain.signals" in GRAPH["webinars.domain.mail.outbox"]


def test_imports_have_no_circle():
    assert _cycles() == []


def test_imports_point_to_the_same_or_a_lower_layer():
    upward = [
        (name, target)
        for name, targets in GRAPH.items()
        for target in sorted(targets)
        if LAYERS[_prefix(target, LAYERS)] > LAYERS[_prefix(name, LAYERS)]
        or (_prefix(name, LAYERS), _prefix(target, LAYERS)) in APART
    ]
    assert upward == []


def test_domain_areas_depend_one_way_and_general_modules_on_no_area():
    wrong = []
    for name, targets in GRAPH.items():
        if not name.startswith("webinars.domain"):
            continue
        mine = _area(name)
        allowed = AREA_DEPENDS.get(mine, set()) if mine else set()
        for target in sorted(targets):
            theirs = _area(target)
            if theirs is not None and theirs != mine and theirs not in allowed:
                wrong.append((name, target))
    assert wrong == []


def test_domain_area_rules_form_no_circle():
    seen: set[str] = set()

    def below(area: str, path: tuple[str, ...]) -> None:
        assert area not in path, f"areas in a circle: {' -> '.join((*path, area))}"
        for other in AREA_DEPENDS[area]:
            below(other, (*path, area))
        seen.add(area)

    for area in AREA_DEPENDS:
        below(area, ())
    domain = PACKAGE / "domain"
    areas = {p.name for p in domain.iterdir() if (p / "__init__.py").exists()} - GENERAL
    areas |= {p.stem for p in domain.glob("*.py")} - GENERAL - {"__init__"}
    assert seen == areas


def test_domain_root_holds_no_loose_module():
    """A new rule goes into the folder of its area (or a new area's), not beside them."""
    loose = {p.name for p in (PACKAGE / "domain").glob("*.py")} - DOMAIN_ROOT_MODULES
    assert loose == set()


# A module that makes a Blueprint; a package's "blueprint" module stands for the package.
BLUEPRINTS = {
    name.removesuffix(".blueprint")
    for name, path in MODULES.items()
    if "Blueprint(" in path.read_text()
}


def _blueprint_of(name: str) -> str | None:
    """The blueprint a module belongs to: its own, or its package's."""
    for blueprint in BLUEPRINTS:
        if name == blueprint or name.startswith(blueprint + "."):
            return blueprint
    return None


def test_no_blueprint_imports_another_blueprints_module():
    wiring = "webinars.web"  # register_blueprints imports them all
    crossing = [
        (name, target)
        for name, targets in GRAPH.items()
        if name.startswith("webinars.web.")
        for target in sorted(targets)
        if _blueprint_of(target) not in (None, _blueprint_of(name)) and name != wiring
    ]
    assert crossing == []


@pytest.mark.parametrize("name", ["webinars.domain", "webinars.models"])
def test_lower_layers_never_import_flask_request(name):
    users = [
        module
        for module, path in MODULES.items()
        if module.startswith(name) and "request" in _flask_names(path)
    ]
    assert users == []


def _flask_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in _runtime_imports(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "flask":
            names.update(alias.name for alias in node.names)
    return names
