"""Tables on S3: publish, time travel, history, vacuum and the report against a real S3 endpoint.

The endpoint is moto's ``ThreadedMotoServer`` on 127.0.0.1 (a random free port), started for
this module and stopped after it. It runs in a child process: deltalake calls that keep
Python's GIL while they wait for the network (``DeltaTable.history``, ``is_deltatable``) would
otherwise wait forever for a server thread of the same interpreter.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import polars as pl
import pytest
from conftest import BIN, SAMPLE_SEEDS, SNAKEFILE, Workflow, copy_seeds

from newscorpus import TABLES
from newscorpus.tables.load import load

pytestmark = pytest.mark.e2e

BUCKET = "corpus"
TABLES_URI = f"s3://{BUCKET}/news/tables"
SERVER = """
import sys
from moto.server import ThreadedMotoServer

server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(sys.argv[1]), verbose=False)
server.start()
sys.stdin.read()  # until the test closes our stdin
server.stop()
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"moto server exited with {server.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"moto server did not listen on 127.0.0.1:{port}")


@pytest.fixture(scope="module")
def s3_env() -> Iterator[dict[str, str]]:
    """AWS_* variables of a fresh S3 endpoint with an empty bucket, set in this process too."""
    import boto3  # moto[server] brings it; both are dev dependencies, so CI never skips this

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_ALLOW_HTTP": "true",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    try:
        _wait_for(port, server)
        with pytest.MonkeyPatch.context() as patch:
            for key, value in env.items():
                patch.setenv(key, value)
            patch.delenv("AWS_PROFILE", raising=False)
            patch.delenv("AWS_S3_LOCKING_PROVIDER", raising=False)
            boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"]).create_bucket(Bucket=BUCKET)
            yield env
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _objects(env: dict[str, str], prefix: str) -> list[str]:
    import boto3

    client = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"])
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]


def _newscorpus(workflow: Workflow, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "newscorpus"), *args, "--snakefile", str(SNAKEFILE)],
        cwd=workflow.workdir,
        env=workflow.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_publish_time_travel_history_vacuum_and_report_on_s3(s3_env, tmp_path):
    workflow = Workflow(
        workdir=tmp_path,
        seeds=copy_seeds(SAMPLE_SEEDS, tmp_path / "seeds"),
        results=tmp_path / "results",
        env={**os.environ, **s3_env},
    )
    # tables_uri in a config file, as a scheduled run would have it; the figures are drawn.
    configfile = tmp_path / "s3.yaml"
    configfile.write_text(f"tables_uri: {TABLES_URI}\n", encoding="utf-8")
    where = ["--results", str(workflow.results), "--configfile", str(configfile)]

    first = workflow.newscorpus_run(
        config={"report_figures": True}, extra=["--configfile", str(configfile)]
    )
    # the run's summary reads the tables where they went
    assert "5 documents (added 5," in first.stdout, first.stdout
    versions = ", ".join(f"{table} v0" for table in sorted(TABLES))
    assert f"new versions: {versions};" in first.stdout, first.stdout
    assert not (workflow.results / "tables" / "documents").exists()
    for table in TABLES:
        assert _objects(s3_env, f"news/tables/{table}/_delta_log/"), f"{table} not on S3"
    docs = load("documents", tables_uri=TABLES_URI).collect()
    assert sorted(docs["doc_id"]) == sorted(p.name for p in workflow.seeds.iterdir())
    # the report's figures come from the S3 tables
    status = (workflow.results / "report" / "status.svg").read_text(encoding="utf-8")
    assert ">ok<" in status and "no data in this run" not in status
    assert ">en<" in (workflow.results / "report" / "languages.svg").read_text(encoding="utf-8")

    # An edited seed: a second version, the first one still readable (time travel).
    seed = sorted(workflow.seeds.iterdir())[1]
    seed.write_text(
        seed.read_text(encoding="utf-8") + "\n\nKyiv announced new measures.\n", encoding="utf-8"
    )
    workflow.snakemake(config={"tables_uri": TABLES_URI})

    def text_of(version: int | None) -> str:
        frame = load("documents", tables_uri=TABLES_URI, version=version).collect()
        return frame.filter(pl.col("doc_id") == seed.name)["text"][0]

    assert "Kyiv announced new measures." in text_of(None)
    assert "Kyiv announced new measures." not in text_of(0)

    # history: both versions, newest first, with readable UTC times
    history = _newscorpus(workflow, "history", "documents", *where)
    assert re.search(r"│ 1 +┆ 20\d\d-\d\d-\d\d \d\d:\d\d:[\d.]+ UTC.*\n.*│ 0 +┆ 20\d\d-", history)

    # vacuum: the file only version 0 needed goes; the newest version stays whole
    def data_files() -> set[str]:
        found = _objects(s3_env, "news/tables/documents/")
        return {key for key in found if key.endswith(".parquet") and "/_delta_log/" not in key}

    before = data_files()
    pruned = _newscorpus(workflow, "vacuum", *where, "--keep-hours", "0")
    removed = dict(re.findall(r"^(\w+): removed (\d+) files$", pruned, re.M))
    assert set(removed) == {*TABLES, "catalog"} and int(removed["documents"]) >= 1
    after = data_files()
    assert after < before and len(before - after) == int(removed["documents"])
    assert load("documents", tables_uri=TABLES_URI).collect().height == docs.height
