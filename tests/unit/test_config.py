"""Defaults are written once, in config/schema.yaml; everything else reads them from there."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml
from snakemake.utils import validate

from newscorpus.config import SCHEMA_FILE, defaults, section

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "src" / "newscorpus"
SCHEMA = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))


def _leaves(schema: dict, prefix: str = "") -> dict[str, dict]:
    """Every key of the schema, nested ones as ``section.key``, with its sub-schema."""
    found = {}
    for name, sub in schema["properties"].items():
        if "properties" in sub:
            found.update(_leaves(sub, f"{prefix}{name}."))
        else:
            found[f"{prefix}{name}"] = sub
    return found


def _value(config: dict, dotted: str):
    for part in dotted.split("."):
        config = config[part]
    return config


def test_every_schema_key_has_a_default():
    sections = [name for name, sub in SCHEMA["properties"].items() if "properties" in sub]
    assert {"clean", "language", "dates", "entities"} <= set(sections)
    missing = [key for key, sub in _leaves(SCHEMA).items() if "default" not in sub]
    missing += [name for name in sections if SCHEMA["properties"][name].get("default") != {}]
    assert missing == []


def test_defaults_are_what_snakemake_validate_fills_in():
    config: dict = {}
    validate(config, str(SCHEMA_FILE))
    assert config == defaults()
    assert defaults()["dates"] == {"dateline_chars": 200, "min_year": 2000, "visible_days": 2}


def test_the_shipped_config_file_holds_no_value_but_the_schema_default():
    written = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    config = dict(written)
    validate(config, str(SCHEMA_FILE))
    assert config == defaults()
    assert set(written) == {"seeds_dir", "results_dir"}  # what a user points at their data


def test_the_config_readme_lists_every_key_with_the_schema_default():
    readme = (REPO / "config" / "README.md").read_text(encoding="utf-8")
    documented = {}
    for row in re.findall(r"^\| (`[^|]+`) \| `([^|]*)` \|", readme, re.MULTILINE):
        for key in re.findall(r"`([^`]+)`", row[0]):
            documented[key] = yaml.safe_load(row[1]) if row[1] != '""' else ""
    assert set(documented) == set(_leaves(SCHEMA))
    for key, value in documented.items():
        assert value == _value(defaults(), key), key


def test_a_section_fills_what_the_caller_leaves_out():
    assert section("dates", {"min_year": 1990}) == {
        "dateline_chars": 200,
        "min_year": 1990,
        "visible_days": 2,
    }
    assert section("clean") == defaults()["clean"]
    with pytest.raises(KeyError):
        section("nonsense")


def _config_key_names() -> set[str]:
    return {key.rsplit(".", 1)[-1] for key in _leaves(SCHEMA)}


def _second_copies(tree: ast.AST, keys: set[str]) -> list[str]:
    """Defaults written in code: a parameter named after a config key with a default value
    (None, "not given", is no value), ``.get("<config key>", <fallback>)``, or a ``DEFAULTS``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            positional = arguments.posonlyargs + arguments.args
            with_default = positional[len(positional) - len(arguments.defaults) :]
            pairs = list(zip(with_default, arguments.defaults, strict=True))
            keyword = zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
            pairs += [(a, d) for a, d in keyword if d is not None]
            found += [
                f"{node.name}({a.arg}=...)"
                for a, default in pairs
                if a.arg in keys
                and not (isinstance(default, ast.Constant) and default.value is None)
            ]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and len(node.args) == 2
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value in keys
        ):
            found.append(f".get({node.args[0].value!r}, ...)")
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [t.id for t in targets if isinstance(t, ast.Name) and "DEFAULT" in t.id]
    return found


def test_the_package_writes_no_second_copy_of_a_default():
    keys = _config_key_names()
    copies = {
        str(path.relative_to(PACKAGE)): found
        for path in sorted(PACKAGE.rglob("*.py"))
        if (found := _second_copies(ast.parse(path.read_text(encoding="utf-8")), keys))
    }
    assert copies == {}


def test_the_copy_finder_finds_copies():
    code = (
        "DEFAULTS = {}\n"
        "def f(text, min_year=2000): ...\n"
        "def g(*, seed=0, shards=None): ...\n"
        "x = settings.get('batch_size', 64)\n"
    )
    found = _second_copies(ast.parse(code), _config_key_names())
    assert sorted(found) == sorted(
        ["DEFAULTS", "f(min_year=...)", "g(seed=...)", ".get('batch_size', ...)"]
    )
