"""Booleans in the config are read as YAML reads them, whatever way the user typed them."""

from __future__ import annotations

from pathlib import Path

import pytest
from snakemake.cli import parse_config
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from newscorpus.config import ConfigValueError, boolean_keys, coerce_booleans, coerce_booleans_from
from newscorpus.util.yamlfile import safe_load

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "config" / "schema.yaml"
SCHEMA = safe_load(SCHEMA_PATH.read_text())


def test_every_boolean_of_the_schema_is_found_nested_ones_too():
    keys = boolean_keys(SCHEMA)
    assert {("report_figures",), ("allow_symlinks_outside_root",)} <= set(keys)
    assert {("clean", "structure_tails"), ("clean", "drop_repeats")} <= set(keys)
    assert ("entities", "gazetteer") in keys
    # and nothing else: every key found is a boolean in the schema
    for path in keys:
        spec = SCHEMA
        for key in path:
            spec = spec["properties"][key]
        assert spec["type"] == "boolean", path
    assert ("shards",) not in keys and ("language", "seed") not in keys


@pytest.mark.parametrize(
    "typed, expected",
    [
        *((word, False) for word in ("false", "False", "FALSE", "no", "No", "off", "OFF", "0")),
        *((word, True) for word in ("true", "True", "TRUE", "yes", "on", "On", "1")),
        (0, False),
        (1, True),
        (False, False),
        (True, True),
    ],
)
def test_booleans_are_read_as_yaml_reads_them(typed, expected):
    config = {"report_figures": typed, "clean": {"structure_tails": typed}}
    coerce_booleans(config, SCHEMA)
    assert config["report_figures"] is expected
    assert config["clean"]["structure_tails"] is expected


def test_a_value_that_is_no_boolean_is_refused_saying_what_to_type():
    with pytest.raises(ConfigValueError, match=r"clean\.drop_repeats: 'maybe'.*type true or false"):
        coerce_booleans({"clean": {"drop_repeats": "maybe"}}, SCHEMA)
    with pytest.raises(ConfigValueError, match=r"report_figures: 2 is not a boolean"):
        coerce_booleans({"report_figures": 2}, SCHEMA)


def test_absent_keys_and_other_values_are_left_alone():
    config = {"shards": "0", "clean": {"extra_markers": {}}, "language": {"seed": 1}}
    coerce_booleans(config, SCHEMA)
    assert config == {"shards": "0", "clean": {"extra_markers": {}}, "language": {"seed": 1}}


def test_what_snakemake_hands_over_from_the_command_line_passes_the_schema(tmp_path):
    typed = [
        f"seeds_dir={tmp_path}",
        "results_dir=results",
        "shards=2",
        "report_figures=false",
        "allow_symlinks_outside_root=no",
        "clean={structure_tails: off, drop_repeats: 0}",
        "entities={gazetteer: yes}",
    ]
    with pytest.raises(WorkflowError, match="is not of type 'boolean'"):
        validate(parse_config(typed), str(SCHEMA_PATH))  # what the workflow did before
    config = parse_config(typed)
    coerce_booleans_from(config, SCHEMA_PATH)
    validate(config, str(SCHEMA_PATH))
    assert config["report_figures"] is False and config["allow_symlinks_outside_root"] is False
    assert config["clean"]["structure_tails"] is False and config["clean"]["drop_repeats"] is False
    assert config["entities"]["gazetteer"] is True
