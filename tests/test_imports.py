"""The import graph, read from the source: the core stands alone, no cycle, no test imports.

Every ``import`` statement counts, those inside functions (lazy imports) included.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INSTALLED = ("bot", "bench", "knowledge")  # the packages pyproject installs


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (``from a import b``: ``a.b`` or ``a``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def graph(package: str) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports."""
    files = {module_name(p): p for p in (ROOT / package).rglob("*.py")}
    return {name: imports(path) & files.keys() for name, path in files.items()}


def cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``edges`` as a path of module names, or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return []

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_cycle_finder_finds_a_cycle_and_only_one() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycle_in_the_core() -> None:
    assert cycle(graph("knowledge")) == []


def test_the_core_imports_nothing_from_telegram_bot_bench_or_tests() -> None:
    outside = {"telegram", "bot", "bench", "tests"}
    bad = {
        module_name(path): sorted(n for n in imports(path) if n.split(".")[0] in outside)
        for path in (ROOT / "knowledge").rglob("*.py")
    }
    assert {m: found for m, found in bad.items() if found} == {}


def test_nothing_installed_imports_tests() -> None:
    found = {
        module_name(path): sorted(n for n in imports(path) if n.split(".")[0] == "tests")
        for package in INSTALLED
        for path in (ROOT / package).rglob("*.py")
    }
    assert {m: names for m, names in found.items() if names} == {}


def test_the_core_holds_no_benchmark_code() -> None:
    names = {p.stem for p in (ROOT / "knowledge").rglob("*.py")}
    assert not names & {"bench", "bench_report", "synthetic", "coldstart", "bench_e2e"}


@pytest.mark.parametrize("package", ["bench", "telegram"])  # benchmarking; `run` alone
def test_the_cli_imports_bench_and_telegram_only_when_it_needs_them(package: str) -> None:
    code = (
        f"import sys, bot.cli; print(sorted(m for m in sys.modules if m.startswith({package!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip() == "[]"


def private_imports(path: Path) -> list[str]:
    """``module.name`` of each private name ``path`` imports from one of our packages."""
    return [
        f"{node.module}.{alias.name}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
        if node.module.split(".")[0] in INSTALLED
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]


def test_no_module_imports_another_modules_private_names() -> None:
    """A name two modules share is public, in the module that owns it."""
    found = {
        module_name(path): names
        for package in INSTALLED
        for path in (ROOT / package).rglob("*.py")
        if (names := private_imports(path))
    }
    assert found == {}
