"""Shared fixtures for end-to-end tests: the real workflow, run in a temporary folder.

Every e2e test works in its own ``tmp_path``; nothing is written to the repository's ``seeds/`` or
``results/``. Typical use::

    @pytest.mark.e2e
    def test_something(seeds_dir, workflow):
        (seeds_dir / "extra.txt").write_text("...")
        workflow.snakemake(jobs=2, config={"shards": 2})      # plain `snakemake`
        result = workflow.newscorpus_run(jobs=2, config={"shards": 2})  # `newscorpus run`
        documents = workflow.table("documents")             # sorted, so runs compare equal

``seeds_dir`` starts as a copy of the repository's small sample corpus (``seeds/``); use
``empty_seeds_dir`` to start from nothing. Runs use the repository's Snakefile and default
config; ``config`` adds ``--config KEY=VALUE`` overrides (dicts and lists are passed as YAML).
Commands are argument lists, never shell strings.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pytest

REPO = Path(__file__).resolve().parents[2]
SNAKEFILE = REPO / "Snakefile"
SAMPLE_SEEDS = REPO / "seeds"
BIN = Path(sys.executable).parent

# Small, fast defaults for every e2e run; a test overrides any of them through ``config``.
DEFAULT_CONFIG: dict[str, Any] = {"shards": 2, "report_figures": False}
RUN_TIMEOUT_S = 300


def config_args(config: dict[str, Any]) -> list[str]:
    """``KEY=VALUE`` arguments for Snakemake's ``--config``; values as JSON (a YAML subset)."""

    def render(value: Any) -> str:
        if isinstance(value, bool):  # Snakemake's --config reads True/False, not JSON's true
            return str(value)
        return value if isinstance(value, str) else json.dumps(value)

    return [f"{key}={render(value)}" for key, value in config.items()]


@dataclass
class Workflow:
    """The workflow of this repository, run in ``workdir`` on ``seeds`` into ``results``."""

    workdir: Path
    seeds: Path
    results: Path
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    timeout: float = RUN_TIMEOUT_S

    def _config(self, config: dict[str, Any] | None) -> dict[str, Any]:
        return {
            "seeds_dir": str(self.seeds),
            "results_dir": str(self.results),
            **DEFAULT_CONFIG,
            **(config or {}),
        }

    def snakemake_command(
        self, jobs: int = 2, config: dict[str, Any] | None = None, extra: list[str] | None = None
    ) -> list[str]:
        return [
            str(BIN / "snakemake"),
            "--snakefile",
            str(SNAKEFILE),
            "--directory",
            str(self.workdir),
            "--cores",
            str(jobs),
            *(extra or []),
            "--config",
            *config_args(self._config(config)),
        ]

    def newscorpus_command(
        self,
        jobs: int = 2,
        config: dict[str, Any] | None = None,
        wait: float | None = None,
        extra: list[str] | None = None,
        subcommand: str = "run",
        options: list[str] | None = None,
    ) -> list[str]:
        """``newscorpus run`` (or ``subcommand``, e.g. ``watch``, with its ``options``)."""
        overrides = {
            k: v for k, v in self._config(config).items() if k not in ("seeds_dir", "results_dir")
        }
        command = [
            str(BIN / "newscorpus"),
            subcommand,
            *(options or []),
            "--snakefile",
            str(SNAKEFILE),
            "--seeds",
            str(self.seeds),
            "--results",
            str(self.results),
            "-j",
            str(jobs),
        ]
        if wait is not None:
            command += ["--wait", str(wait)]
        command += ["--config", *config_args(overrides)]
        if extra:
            command += ["--", *extra]
        return command

    def _run(self, command: list[str], check: bool) -> subprocess.CompletedProcess:
        result = subprocess.run(
            command,
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=self.timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{command[0]} exited {result.returncode}\n--- stdout\n{result.stdout[-4000:]}"
                f"\n--- stderr\n{result.stderr[-8000:]}"
            )
        return result

    def snakemake(
        self,
        jobs: int = 2,
        config: dict[str, Any] | None = None,
        extra: list[str] | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess:
        """Run ``snakemake`` in ``workdir``; fail the test with its output unless it succeeds."""
        return self._run(self.snakemake_command(jobs, config, extra), check)

    def newscorpus_run(
        self,
        jobs: int = 2,
        config: dict[str, Any] | None = None,
        wait: float | None = None,
        extra: list[str] | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess:
        """Run ``newscorpus run`` in ``workdir`` (the scheduled-run entry point)."""
        return self._run(self.newscorpus_command(jobs, config, wait, extra), check)

    def popen(self, command: list[str], **kwargs: Any) -> subprocess.Popen:
        """Start ``command`` in ``workdir`` in a process group of its own (kill it with
        ``os.killpg(proc.pid, signal.SIGKILL)``), output captured."""
        return subprocess.Popen(
            command,
            cwd=self.workdir,
            env={**self.env, **kwargs.pop("env", {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            **kwargs,
        )

    def table(self, name: str) -> pl.DataFrame:
        """A published table, rows sorted by every column: equal content compares equal
        whatever order the Delta partitions come back in."""
        from newscorpus.tables.location import table_uri

        frame = pl.read_delta(table_uri(name, self.results))
        return frame.sort(frame.columns, nulls_last=True)

    def tables(self) -> dict[str, pl.DataFrame]:
        from newscorpus import TABLES

        return {name: self.table(name) for name in TABLES}


def assert_tables_equal(left: dict[str, pl.DataFrame], right: dict[str, pl.DataFrame]) -> None:
    """Same tables with the same rows (compare the sorted frames of :meth:`Workflow.tables`)."""
    assert left.keys() == right.keys()
    for name in left:
        assert left[name].height == right[name].height, f"{name}: row counts differ"
        assert left[name].equals(right[name]), f"{name}: contents differ"


def copy_seeds(source: Path, target: Path) -> Path:
    """Copy a seeds folder, keeping symlinks as links (hostile corpora contain some)."""
    shutil.copytree(source, target, symlinks=True)
    return target


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """A private copy of the repository's sample seeds, in ``tmp_path/seeds``."""
    return copy_seeds(SAMPLE_SEEDS, tmp_path / "seeds")


@pytest.fixture
def empty_seeds_dir(tmp_path: Path) -> Path:
    """An empty seeds folder, in ``tmp_path/seeds``."""
    path = tmp_path / "seeds"
    path.mkdir()
    return path


@pytest.fixture
def workflow(tmp_path: Path) -> Workflow:
    """The workflow, run in ``tmp_path`` on ``tmp_path/seeds`` (use ``seeds_dir`` or
    ``empty_seeds_dir`` to fill it) into ``tmp_path/results``."""
    return Workflow(workdir=tmp_path, seeds=tmp_path / "seeds", results=tmp_path / "results")


# --- one uninterrupted reference run, shared by the tests that compare runs ---------------------

REFERENCE_CONFIG: dict[str, Any] = {"shards": 2}


@pytest.fixture(scope="session")
def shared_seeds(tmp_path_factory) -> Path:
    """A session-wide copy of the sample seeds. Runs that must give equal tables read this one
    folder: the files' modification days feed date detection, so a fresh copy could differ."""
    return copy_seeds(SAMPLE_SEEDS, tmp_path_factory.mktemp("shared") / "seeds")


@pytest.fixture(scope="session")
def reference_tables(tmp_path_factory, shared_seeds) -> dict[str, pl.DataFrame]:
    """Tables of one uninterrupted ``-j4`` run over ``shared_seeds`` with ``REFERENCE_CONFIG``."""
    root = tmp_path_factory.mktemp("reference")
    reference = Workflow(workdir=root, seeds=shared_seeds, results=root / "results")
    reference.snakemake(jobs=4, config=REFERENCE_CONFIG)
    return reference.tables()


@pytest.fixture
def shared_workflow(tmp_path: Path, shared_seeds: Path) -> Workflow:
    """A workflow in ``tmp_path`` over ``shared_seeds``: compare its tables with
    ``reference_tables`` (pass ``config=REFERENCE_CONFIG``)."""
    return Workflow(workdir=tmp_path, seeds=shared_seeds, results=tmp_path / "results")
