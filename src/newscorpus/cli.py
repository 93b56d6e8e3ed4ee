"""The ``newscorpus`` command: scheduled runs, history, pruning and the report."""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from newscorpus.runner.lock import LOCK_NAME, results_lock
from newscorpus.runner.run import RunRequest, find_snakefile, run_once


def workflow_configfile(snakefile: str | None) -> list[Path]:
    """The workflow's default config (``config/config.yaml`` beside the Snakefile), if found."""
    try:
        return [find_snakefile(snakefile).parent / "config" / "config.yaml"]
    except SystemExit:
        return []


def tables_location(args: argparse.Namespace) -> str:
    """Where this command's tables are, resolved as the workflow resolves its config: the
    workflow's config/config.yaml, then --configfile files (given to ``run`` after ``--``),
    then --results and --config/--tables-uri; see :mod:`newscorpus.tables.location`."""
    from newscorpus.config import configfiles_in
    from newscorpus.tables.location import configured_tables_root

    configfiles = [
        *workflow_configfile(args.snakefile),
        *getattr(args, "configfile", []),
        *configfiles_in(getattr(args, "snakemake_args", [])),
    ]
    overrides = [f"results_dir={args.results}", *getattr(args, "config", [])]
    if getattr(args, "tables_uri", None) is not None:
        overrides.append(f"tables_uri={args.tables_uri}")
    return configured_tables_root(configfiles, overrides)


def _documents_snapshot(results_dir: Path, tables_uri: str | None = None) -> dict[str, str]:
    """``doc_id -> what made its rows``: its content, and the settings and version that made
    them, so a run after a changed setting counts every document it computed again as changed."""
    from newscorpus.tables.load import load

    made_of = ("source_sha256", "config_hash", "pipeline_version")
    try:
        frame = (
            load("documents", str(results_dir), tables_uri=tables_uri)
            .select(
                "doc_id",
                state=pl.concat_str([pl.col(c).fill_null("") for c in made_of], separator="|"),
            )
            .collect()
        )
    except Exception:  # no table yet
        return {}
    return dict(zip(frame["doc_id"].to_list(), frame["state"].to_list(), strict=True))


def _versions(results_dir: Path, tables_uri: str | None = None) -> dict[str, int]:
    from deltalake import DeltaTable

    from newscorpus import TABLES
    from newscorpus.tables.location import storage_options, table_uri

    found = {}
    for table in TABLES:
        uri = table_uri(table, str(results_dir), tables_uri)
        with contextlib.suppress(Exception):
            found[table] = DeltaTable(uri, storage_options=storage_options(uri)).version()
    return found


def _request(args: argparse.Namespace) -> RunRequest:
    return RunRequest(
        snakefile=find_snakefile(args.snakefile),
        seeds=args.seeds,
        results=Path(args.results),
        jobs=args.jobs,
        # --force and --verify (run only) are config switches for this one run.
        config=(
            *(f"{name}=True" for name in ("force", "verify") if getattr(args, name, False)),
            *args.config,
        ),
        snakemake_args=tuple(args.snakemake_args),
        wait_s=args.wait,
        display=args.progress and sys.stdout.isatty(),
    )


def _snapshot(args: argparse.Namespace):
    results = Path(args.results)
    tables = tables_location(args)
    return lambda: (_documents_snapshot(results, tables), _versions(results, tables))


def cmd_run(args: argparse.Namespace) -> int:
    request = _request(args)
    outcome = run_once(request, _snapshot(args))
    if not outcome.ran:
        print(
            f"newscorpus run: another run is working on {request.results} "
            f"(lock {request.results / LOCK_NAME}); stepping aside"
        )
    return outcome.code


def cmd_watch(args: argparse.Namespace) -> int:
    from newscorpus.runner.watch import WatchSettings, watch

    settings = WatchSettings(
        quiet_s=args.quiet, max_wait_s=args.max_wait, stop_grace_s=args.stop_timeout
    )
    return watch(_request(args), _snapshot(args), settings)


def cmd_history(args: argparse.Namespace) -> int:
    from newscorpus.tables.load import history
    from newscorpus.tables.location import table_exists, table_uri

    root = tables_location(args)
    if not table_exists(table_uri(args.table, tables_uri=root)):
        print(
            f"newscorpus history: no table {args.table} in {root} "
            "(give --results, --tables-uri or --configfile as for the run)",
            file=sys.stderr,
        )
        return 1
    with pl.Config(tbl_rows=50, tbl_width_chars=160):
        print(history(args.table, tables_uri=root))
    return 0


def cmd_vacuum(args: argparse.Namespace) -> int:
    """Delete files that only versions older than --keep-hours need; those versions go too.

    With --compact, first merge each table's small files (a day's run appends a few) and the
    reuse cache's segments (one per batch), dropping cache folders of other code versions.
    """
    from deltalake import DeltaTable

    from newscorpus import TABLES
    from newscorpus.tables.location import storage_options, table_exists, table_uri
    from newscorpus.tables.parquet import writer_properties

    results = Path(args.results)
    root = tables_location(args)
    with results_lock(results, args.wait) as locked:
        if locked is None:
            print("newscorpus vacuum: a run is in progress; try again later")
            return 1
        if args.compact:
            from newscorpus.stages import annotate, clean, detect
            from newscorpus.stages.reuse import compact

            current = {s.STAGE.name: s.STAGE.code() for s in (clean, detect, annotate)}
            for stage, segments in compact(results / "cache", current).items():
                print(f"cache {stage}: merged {segments} segments")
        uris = {table: table_uri(table, tables_uri=root) for table in TABLES}
        uris["catalog"] = str(results / "state" / "catalog")
        uris = {table: uri for table, uri in uris.items() if table_exists(uri)}
        if not uris:
            # A mistyped location in a scheduled vacuum must not pass for a vacuum done.
            print(
                f"newscorpus vacuum: no table in {root} and no catalog in {results} "
                "(give --results, --tables-uri or --configfile as for the run)",
                file=sys.stderr,
            )
            return 1
        for table, uri in uris.items():
            dt = DeltaTable(uri, storage_options=storage_options(uri))
            if args.compact:
                columns = [field.name for field in dt.schema().fields]
                dt.optimize.compact(
                    target_size=args.target_bytes, writer_properties=writer_properties(columns)
                )
            removed = dt.vacuum(
                retention_hours=args.keep_hours,
                dry_run=args.dry_run,
                enforce_retention_duration=False,
            )
            print(f"{table}: {'would remove' if args.dry_run else 'removed'} {len(removed)} files")
    return 0


REPORT_TARGET = "report_figures"


def cmd_report(args: argparse.Namespace) -> int:
    """Draw the figures (rule report_figures, not part of a normal run), then write the report.

    ``snakemake --report`` only collects outputs of jobs in the DAG of its targets, so both
    steps name the report_figures target; the first also brings the tables up to date.
    """
    snakefile = find_snakefile(args.snakefile)
    target = str(Path(args.results) / "report.html")
    config = ["--config", f"seeds_dir={args.seeds}", f"results_dir={args.results}"]
    base = [sys.executable, "-m", "snakemake", "--snakefile", str(snakefile)]
    with results_lock(Path(args.results), args.wait) as locked:
        if locked is None:
            print(f"newscorpus report: a run holds {Path(args.results) / LOCK_NAME}; try later")
            return 1
        figures = subprocess.run(
            [*base, "--cores", str(args.jobs), REPORT_TARGET, *config], check=False
        ).returncode
        if figures != 0:
            return figures
        return subprocess.run(
            [*base, "--cores", "1", REPORT_TARGET, "--report", target, *config], check=False
        ).returncode


def build_parser() -> argparse.ArgumentParser:
    from newscorpus.config import defaults
    from newscorpus.tables import TABLES

    seeds, results = defaults()["seeds_dir"], defaults()["results_dir"]  # the schema's
    parser = argparse.ArgumentParser(prog="newscorpus", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--seeds", default=seeds, help=f"seeds folder (default: {seeds})")
        p.add_argument("--results", default=results, help=f"results folder (default: {results})")
        p.add_argument(
            "--snakefile", help="workflow to run (default: ./Snakefile or the package's)"
        )
        p.add_argument(
            "--wait",
            type=float,
            default=10.0,
            help="seconds to wait for another run's lock before stepping aside",
        )

    def workflow_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("-j", "--jobs", type=int, default=4, help="cores for Snakemake (default 4)")
        p.add_argument(
            "--config",
            nargs="*",
            default=[],
            metavar="KEY=VALUE",
            help="more config overrides, as Snakemake's --config",
        )
        p.add_argument(
            "--no-progress",
            dest="progress",
            action="store_false",
            help="in a terminal, show Snakemake's own output instead of the progress display",
        )
        p.add_argument(
            "snakemake_args",
            nargs="*",
            default=[],
            help="after --, more Snakemake arguments (e.g. -- --executor slurm)",
        )

    run = sub.add_parser("run", help="run the workflow (for cron and systemd timers)")
    common(run)
    workflow_options(run)
    run.add_argument(
        "--force",
        action="store_true",
        help="recompute every document, ignoring the reuse cache (config force)",
    )
    run.add_argument(
        "--verify",
        action="store_true",
        help="re-hash every file instead of trusting size and modification time (config verify)",
    )
    run.set_defaults(func=cmd_run)

    watch = sub.add_parser(
        "watch", help="run on start, then whenever the seeds change (a long-lived service)"
    )
    common(watch)
    workflow_options(watch)
    watch.add_argument(
        "--quiet",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="start a run once nothing under the seeds has changed for this long (default 5)",
    )
    watch.add_argument(
        "--max-wait",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="run anyway after changes have kept coming for this long (default 300)",
    )
    watch.add_argument(
        "--stop-timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="on SIGTERM or Ctrl-C, how long a run may take to end before it is killed "
        "(default 5; the next run finishes it)",
    )
    watch.set_defaults(func=cmd_watch)

    def location(p: argparse.ArgumentParser) -> None:
        # The same sources as a run's: the tables are found where `newscorpus run` put them.
        p.add_argument("--results", default=results, help=f"results folder (default: {results})")
        p.add_argument(
            "--tables-uri",
            help="where the tables are (default: config tables_uri, else RESULTS/tables)",
        )
        p.add_argument(
            "--configfile",
            action="append",
            default=[],
            metavar="FILE",
            help="config file(s) read after the workflow's config/config.yaml, as Snakemake's",
        )
        p.add_argument("--snakefile", help="workflow whose config/config.yaml is read")

    hist = sub.add_parser("history", help="versions of a published table")
    hist.add_argument("table", choices=list(TABLES))
    location(hist)
    hist.set_defaults(func=cmd_history)

    vac = sub.add_parser("vacuum", help="prune old table versions (documented in the README)")
    location(vac)
    vac.add_argument(
        "--keep-hours",
        type=int,
        default=168,
        help="keep versions needed by the last N hours (default 168 = a week)",
    )
    vac.add_argument(
        "--compact",
        action="store_true",
        help="merge small files (optimize) and the reuse cache's segments first",
    )
    vac.add_argument(
        "--target-bytes",
        type=int,
        default=defaults()["publish_file_bytes"],
        help="size of the merged files (default: config publish_file_bytes; an edit rewrites "
        "the file holding the document)",
    )
    vac.add_argument("--dry-run", action="store_true")
    vac.add_argument("--wait", type=float, default=10.0)
    vac.set_defaults(func=cmd_vacuum)

    rep = sub.add_parser("report", help="write results/report.html (Snakemake report)")
    common(rep)
    rep.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=4,
        help="cores for bringing tables and figures up to date (default 4)",
    )
    rep.set_defaults(func=cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
