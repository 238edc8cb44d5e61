"""The package's house rules, read off its imports: layers that only import downwards, and no
import circle anywhere (imports inside functions and under TYPE_CHECKING count too)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "wiretrace"

#: Each folder or module of the package and its layer: a module may import its own layer or lower.
LAYERS = {
    "wiretrace": 0,  # the package root: __version__ and lazy re-exports only
    "errors": 0,
    "progress": 0,
    "config": 0,
    "cache": 0,
    "lexicon": 0,
    "text": 1,
    "models": 2,
    "alignment": 3,
    "findings": 4,
    "comparer": 5,
    "collate": 6,
    "scan": 7,
    "engines": 8,
    "store": 8,
    "report": 9,
    "web": 10,
    "cli": 11,
    "__main__": 12,
}
#: Imports the layers would allow that are still forbidden: siblings that stay apart.
FORBIDDEN = {("store", "engines"), ("engines", "store")}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "wiretrace"


def import_graph() -> dict[str, set[str]]:
    """Module → the package modules it imports (resolved to modules, not names)."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in files.items():
        graph[module]
        if module == "wiretrace":
            continue  # the root's lazy re-exports point up by design
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            for target in targets:
                if target.startswith("wiretrace") and target in files:
                    if target != module:
                        graph[module].add(target)
                    break
    return graph


def test_every_module_has_a_layer() -> None:
    rooms = {_room(m) for m in import_graph()}
    assert rooms <= set(LAYERS), f"modules outside the layer map: {sorted(rooms - set(LAYERS))}"


def test_imports_only_go_down() -> None:
    wrong = [
        f"{module} → {target}"
        for module, targets in import_graph().items()
        for target in targets
        if LAYERS[_room(target)] > LAYERS[_room(module)]
        or (_room(module), _room(target)) in FORBIDDEN
    ]
    assert not wrong, "imports that go up a layer:\n" + "\n".join(sorted(wrong))


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of a graph: its strongly connected components of two or more modules."""
    # Tarjan's strongly connected components: any component of two or more modules is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, set()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle() -> None:
    assert not circles(import_graph()), f"import circles: {circles(import_graph())}"


def test_the_rules_can_fail() -> None:
    """The graph sees the imports it must: comparer imports the aligner, and a function-level
    import (the CLI's) is seen as well."""
    graph = import_graph()
    assert "wiretrace.alignment.passages" in graph["wiretrace.comparer"]
    assert "wiretrace.engines.local" in graph["wiretrace.cli"]
    looped = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(looped) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []
