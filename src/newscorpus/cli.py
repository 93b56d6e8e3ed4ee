"""The ``newscorpus`` command: scheduled runs, history, pruning and the report."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import polars as pl

LOCK_NAME = ".newscorpus.lock"


def find_snakefile(explicit: str | None) -> Path:
    """The workflow to run: --snakefile, ./Snakefile, or the one this package was installed from."""
    candidates = (
        [Path(explicit)]
        if explicit
        else [Path("Snakefile"), Path(__file__).resolve().parents[2] / "Snakefile"]
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    raise SystemExit("newscorpus: no Snakefile found; pass --snakefile PATH")


@contextlib.contextmanager
def results_lock(results_dir: Path, wait_s: float) -> Iterator[int | None]:
    """Hold an exclusive lock on the results folder; yield its file descriptor, or None if
    another run still holds it after ``wait_s`` seconds.

    A kernel lock (flock) is released when the last process holding it dies, kill -9 and power
    loss included, so a crashed run never leaves a lock that blocks the next one. The caller
    hands the descriptor to Snakemake (``pass_fds``): the lock then lasts as long as either
    process lives, so a run whose ``newscorpus`` process alone was killed is never joined by a
    second one while its Snakemake still works.
    """
    results_dir.mkdir(parents=True, exist_ok=True)
    with open(results_dir / LOCK_NAME, "a+") as handle:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield None
                    return
                time.sleep(0.2)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield handle.fileno()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover(results_dir: Path, snakemake_unlock: Sequence[str], lock_fd: int) -> list[str]:
    """Clear what a killed run left behind; return what was done. Call only with the lock held.

    * temporaries of atomic writes that never reached their rename (the files they would have
      replaced are intact, see :mod:`newscorpus.util.files`);
    * Snakemake's lock in ``.snakemake/locks``: with the results lock held, no Snakemake of ours
      is alive, so the lock is stale. Jobs it marked incomplete are redone by the run itself
      (``--rerun-incomplete``), and a publish cut between two table commits is finished by the
      next publish, which compares every table's recorded shard digests.
    """
    from newscorpus.util.files import remove_stale_temporaries

    done = []
    stale = remove_stale_temporaries(results_dir)
    if stale:
        done.append(f"removed {stale} unfinished temporary file(s)")
    locks = Path(".snakemake/locks")
    if locks.is_dir() and any(locks.iterdir()):
        result = subprocess.run(
            snakemake_unlock,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            pass_fds=(lock_fd,),
        )
        if result.returncode != 0:  # the run below reports the same problem in full
            print(
                f"newscorpus run: could not clear a stale Snakemake lock:\n{result.stderr}",
                file=sys.stderr,
            )
        else:
            done.append("cleared a stale Snakemake lock")
    return done


def _tables_uri(overrides: Sequence[str]) -> str | None:
    """The ``tables_uri=...`` among the --config overrides (the last one wins), if any."""
    found = [item.split("=", 1)[1] for item in overrides if item.startswith("tables_uri=")]
    return found[-1] if found and found[-1] else None


def _documents_snapshot(results_dir: Path, tables_uri: str | None = None) -> dict[str, str]:
    from newscorpus.tables.load import load

    try:
        frame = (
            load("documents", str(results_dir), tables_uri=tables_uri)
            .select("doc_id", "source_sha256")
            .collect()
        )
    except Exception:  # no table yet
        return {}
    return dict(
        zip(frame["doc_id"].to_list(), frame["source_sha256"].fill_null("").to_list(), strict=True)
    )


def _versions(results_dir: Path, tables_uri: str | None = None) -> dict[str, int]:
    from deltalake import DeltaTable

    from newscorpus import TABLES
    from newscorpus.tables.load import table_uri
    from newscorpus.tables.publish import storage_options

    found = {}
    for table in TABLES:
        uri = table_uri(table, str(results_dir), tables_uri)
        with contextlib.suppress(Exception):
            found[table] = DeltaTable(uri, storage_options=storage_options(uri)).version()
    return found


def summary_line(
    before: dict[str, str],
    after: dict[str, str],
    versions_before: dict[str, int],
    versions_after: dict[str, int],
    seconds: float,
    ok: bool,
) -> str:
    added = len(after.keys() - before.keys())
    removed = len(before.keys() - after.keys())
    changed = sum(1 for k in after.keys() & before.keys() if after[k] != before[k])
    unchanged = len(after.keys() & before.keys()) - changed
    new_versions = [
        f"{t} v{v}" for t, v in sorted(versions_after.items()) if versions_before.get(t) != v
    ]
    return (
        f"newscorpus run {'done' if ok else 'FAILED'}: {len(after)} documents "
        f"(added {added}, changed {changed}, removed {removed}, unchanged {unchanged}); "
        f"new versions: {', '.join(new_versions) or 'none'}; {seconds:.1f} s"
    )


def snakemake_command(args: argparse.Namespace, snakefile: Path, extra: Sequence[str]) -> list[str]:
    config = [f"seeds_dir={args.seeds}", f"results_dir={args.results}", *args.config]
    return [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(snakefile),
        "--cores",
        str(args.jobs),
        "--rerun-incomplete",
        *extra,
        "--config",
        *config,
    ]


def cmd_run(args: argparse.Namespace) -> int:
    snakefile = find_snakefile(args.snakefile)
    results = Path(args.results)
    start = time.monotonic()
    with results_lock(results, args.wait) as lock_fd:
        if lock_fd is None:
            print(
                f"newscorpus run: another run is working on {results} "
                f"(lock {results / LOCK_NAME}); stepping aside"
            )
            return 0
        tables = _tables_uri(args.config)
        before, versions_before = _documents_snapshot(results, tables), _versions(results, tables)
        for what in recover(results, snakemake_command(args, snakefile, ["--unlock"]), lock_fd):
            print(f"newscorpus run: recovering from an interrupted run: {what}", flush=True)
        code = subprocess.run(
            snakemake_command(args, snakefile, args.snakemake_args),
            check=False,
            pass_fds=(lock_fd,),
        ).returncode
        after, versions_after = _documents_snapshot(results, tables), _versions(results, tables)
    print(
        summary_line(
            before, after, versions_before, versions_after, time.monotonic() - start, code == 0
        ),
        flush=True,
    )
    return code


def cmd_history(args: argparse.Namespace) -> int:
    from newscorpus.tables.load import history

    with pl.Config(tbl_rows=50, tbl_width_chars=160):
        print(history(args.table, args.results))
    return 0


def cmd_vacuum(args: argparse.Namespace) -> int:
    """Delete files that only versions older than --keep-hours need; those versions go too."""
    from deltalake import DeltaTable

    from newscorpus import TABLES

    results = Path(args.results)
    with results_lock(results, args.wait) as locked:
        if locked is None:
            print("newscorpus vacuum: a run is in progress; try again later")
            return 1
        for table in TABLES:
            path = results / "tables" / table
            if not path.exists():
                continue
            dt = DeltaTable(str(path))
            if args.compact:
                dt.optimize.compact()
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
    from newscorpus.tables import TABLES

    parser = argparse.ArgumentParser(prog="newscorpus", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--seeds", default="seeds", help="seeds folder (default: seeds)")
        p.add_argument("--results", default="results", help="results folder (default: results)")
        p.add_argument(
            "--snakefile", help="workflow to run (default: ./Snakefile or the package's)"
        )
        p.add_argument(
            "--wait",
            type=float,
            default=10.0,
            help="seconds to wait for another run's lock before stepping aside",
        )

    run = sub.add_parser("run", help="run the workflow (for cron and systemd timers)")
    common(run)
    run.add_argument("-j", "--jobs", type=int, default=4, help="cores for Snakemake (default 4)")
    run.add_argument(
        "--config",
        nargs="*",
        default=[],
        metavar="KEY=VALUE",
        help="more config overrides, as Snakemake's --config",
    )
    run.add_argument(
        "snakemake_args",
        nargs="*",
        default=[],
        help="after --, more Snakemake arguments (e.g. -- --executor slurm)",
    )
    run.set_defaults(func=cmd_run)

    hist = sub.add_parser("history", help="versions of a published table")
    hist.add_argument("table", choices=list(TABLES))
    hist.add_argument("--results", default="results")
    hist.set_defaults(func=cmd_history)

    vac = sub.add_parser("vacuum", help="prune old table versions (documented in the README)")
    vac.add_argument("--results", default="results")
    vac.add_argument(
        "--keep-hours",
        type=int,
        default=168,
        help="keep versions needed by the last N hours (default 168 = a week)",
    )
    vac.add_argument("--compact", action="store_true", help="merge small files first (optimize)")
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
