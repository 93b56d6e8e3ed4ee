"""One home for each fact: month names, folding and imports, checked on the package source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "newscorpus"
MODULES = {
    ".".join(("newscorpus", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(
        ".__init__"
    ): path
    for path in sorted(PACKAGE.rglob("*.py"))
}
# Name tables are written in lower case ("january", "jan"); labels such as "week (Monday)" are
# display text, not a table.
_MONTH_OR_WEEKDAY = re.compile(
    r"\b(?:january|february|september|october|november|december|janvier|januar|gennaio|enero"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)


def _tree(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text(encoding="utf-8"))


def _code_strings(tree: ast.Module) -> list[str]:
    """String constants that are not docstrings (comments are not in the tree at all)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_month_and_weekday_names_are_written_only_in_the_calendar():
    writers = {
        module
        for module in MODULES
        if any(_MONTH_OR_WEEKDAY.search(text) for text in _code_strings(_tree(module)))
    }
    assert writers == {"newscorpus.dates.calendar"}


def _calls(tree: ast.Module) -> set[str]:
    """Names of the folding tools a module uses: str.casefold, unicodedata.normalize/combining."""
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("casefold", "combining"):
            used.add(node.attr)
        if isinstance(node, ast.Constant) and node.value in ("NFKD", "NFD"):
            used.add(node.value)
    return used


def test_only_the_folding_function_folds_case_and_accents():
    folders = {module: used for module in MODULES if (used := _calls(_tree(module)))}
    assert folders == {"newscorpus.util.text": {"casefold", "combining", "NFKD"}}


def _imports(module: str) -> set[str]:
    """Modules of the package that ``module`` imports, at the top or inside a function."""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {name for name in found if name in MODULES and name != module}


def _cycles() -> list[list[str]]:
    graph = {module: _imports(module) for module in MODULES}
    cycles, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return cycles


def test_no_module_imports_its_own_importer():
    # The package's own __init__ re-exports for users; its modules never import it back for
    # anything but the version, which it sets before importing them.
    cycles = [c for c in _cycles() if c[0] != "newscorpus" and c[-1] != "newscorpus"]
    assert cycles == []
    assert "newscorpus.entities.names" not in _imports("newscorpus.entities.places")
    assert {"newscorpus.entities.lexicon"} <= _imports("newscorpus.entities.places")


def test_the_cycle_finder_finds_a_cycle(monkeypatch):
    fake = {"newscorpus.a": {"newscorpus.b"}, "newscorpus.b": {"newscorpus.a"}}
    monkeypatch.setattr(__import__(__name__), "MODULES", dict.fromkeys(fake, Path()))
    monkeypatch.setattr(__import__(__name__), "_imports", fake.__getitem__)
    assert _cycles() == [["newscorpus.a", "newscorpus.b", "newscorpus.a"]]
