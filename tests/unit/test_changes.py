"""The change set: new, edited and removed documents only, unchanged files never opened, batches
bounded and named by their content."""

from __future__ import annotations

import builtins
import hashlib
import os
from pathlib import Path

import pytest

from newscorpus.ingest import changes
from newscorpus.ingest.discover import discover
from newscorpus.ingest.manifest import Entry, entry_of, read

LIMITS = changes.Limits(max_docs=3, max_bytes=1000, min_docs=2, spread=4)


def _listing(seeds: Path) -> list[Entry]:
    return [entry_of(seed) for seed in discover(seeds)]


def _catalog(entries: list[Entry], fingerprint: str = "f1") -> dict[str, tuple]:
    return {
        e.doc_id: (e.size, e.mtime_ns, e.status, e.detail, f"sha-{e.doc_id}", fingerprint)
        for e in entries
    }


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"text of {name}")
    return folder


def _plan(seeds, catalog, fingerprint="f1", **options):
    return changes.plan(
        _listing(seeds),
        catalog,
        "prev",
        fingerprint,
        str(seeds),
        LIMITS,
        "tables",
        **{"verify": False, "force": False, **options},
    )


def test_nothing_changed_is_no_change_set(seeds):
    plan = _plan(seeds, _catalog(_listing(seeds)))
    assert plan.id is None and not plan.batches
    assert plan.counts == {"new": 0, "changed": 0, "removed": 0, "unchanged": 3, "touched": 0}


def test_only_new_edited_and_removed_documents_are_in_the_change_set(seeds):
    catalog = _catalog(_listing(seeds))
    (seeds / "b.txt").write_text("an edited and longer text")
    (seeds / "c.txt").unlink()
    (seeds / "d.txt").write_text("new")
    plan = _plan(seeds, catalog)
    [batch] = plan.batches.values()
    assert [e.doc_id for e in batch] == ["b.txt", "d.txt"]
    assert plan.removed == ["c.txt"]
    assert plan.counts == {"new": 1, "changed": 1, "removed": 1, "unchanged": 1, "touched": 0}


def test_unchanged_files_are_not_opened_unless_verify_is_on(seeds, monkeypatch):
    catalog = _catalog(_listing(seeds))
    real_open = builtins.open

    def refuse_seeds(path, *args, **kwargs):
        assert not str(path).startswith(str(seeds)), f"opened {path}"
        return real_open(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(builtins, "open", refuse_seeds)
        assert _plan(seeds, catalog).id is None
        with pytest.raises(AssertionError, match="opened"):
            _plan(seeds, catalog, verify=True)
    # Same size and modification time, other content: only verify finds it.
    stat = os.stat(seeds / "a.txt")
    (seeds / "a.txt").write_text("TEXT OF a.txt")
    os.utime(seeds / "a.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _plan(seeds, catalog).id is None
    verified = _plan(seeds, catalog, verify=True)
    # The catalog's hashes are made up, so verify finds every file changed.
    assert sorted(e.doc_id for b in verified.batches.values() for e in b) == [
        "a.txt",
        "b.txt",
        "c.txt",
    ]


# Noon UTC on 5 March 2026: a second later is the same day, a day later is not.
NOON_NS = 1_772_712_000 * 10**9


def _hashed_catalog(seeds: Path) -> dict[str, tuple]:
    for path in seeds.iterdir():
        os.utime(path, ns=(NOON_NS, NOON_NS))
    return {
        doc_id: (
            size,
            mtime,
            status,
            detail,
            hashlib.sha256((seeds / doc_id).read_bytes()).hexdigest(),
            f,
        )
        for doc_id, (size, mtime, status, detail, _, f) in _catalog(_listing(seeds)).items()
    }


def _retime(path: Path, by_ns: int = 10**9) -> int:
    os.utime(path, ns=(NOON_NS, NOON_NS + by_ns))
    return NOON_NS + by_ns


def test_a_file_rewritten_with_the_same_content_is_unchanged_and_its_new_time_kept(seeds):
    catalog = _hashed_catalog(seeds)
    new_time = _retime(seeds / "a.txt")
    plan = _plan(seeds, catalog)
    # Nothing to compute: no change set (the time is recorded by the next one).
    assert plan.id is None
    assert plan.counts == {"new": 0, "changed": 0, "removed": 0, "unchanged": 3, "touched": 1}
    (seeds / "d.txt").write_text("new")
    plan = _plan(seeds, catalog)
    assert [e.doc_id for b in plan.batches.values() for e in b] == ["d.txt"]
    assert plan.touched == {"a.txt": [len("text of a.txt"), new_time]}
    assert plan.summary()["touched"] == plan.touched
    # The new time is a hint for the catalog, not part of the step: the id is that of the same
    # change set without it.
    plain = dict(catalog, **{"a.txt": (catalog["a.txt"][0], new_time, *catalog["a.txt"][2:])})
    assert _plan(seeds, plain).id == plan.id and _plan(seeds, plain).touched == {}


def test_a_file_retimed_to_another_day_is_changed_for_its_dates_may_change(seeds):
    # Detection keeps no publication date after the file's day: another day, another result.
    catalog = _hashed_catalog(seeds)
    _retime(seeds / "c.txt", by_ns=86_400 * 10**9)
    plan = _plan(seeds, catalog)
    assert [e.doc_id for b in plan.batches.values() for e in b] == ["c.txt"]
    assert plan.touched == {} and plan.counts["changed"] == 1


def test_a_file_rewritten_with_other_content_of_the_same_size_is_changed(seeds):
    catalog = _hashed_catalog(seeds)
    (seeds / "b.txt").write_text("TEXT OF b.txt")
    _retime(seeds / "b.txt")
    plan = _plan(seeds, catalog)
    assert [e.doc_id for b in plan.batches.values() for e in b] == ["b.txt"]
    assert plan.touched == {} and plan.counts["changed"] == 1


def test_another_fingerprint_or_force_puts_every_document_in(seeds):
    catalog = _catalog(_listing(seeds))
    assert _plan(seeds, catalog, fingerprint="f2").counts["changed"] == 3
    forced = _plan(seeds, catalog, force=True)
    assert forced.counts["changed"] == 3
    assert set(forced.batches).isdisjoint(_plan(seeds, {}).batches)


def test_a_first_run_publishes_even_an_empty_folder(tmp_path):
    (tmp_path / "seeds").mkdir()
    plan = _plan(tmp_path / "seeds", {})
    assert plan.id is not None and plan.batches == {}


def test_batches_share_the_bytes_not_the_document_count():
    # Short sports reports then long features, as a scrape sorted by name often is: an equal
    # count of documents would give one job twice the text of the other.
    entries = [Entry(f"a{i:04d}.txt", 1000, i, None, "") for i in range(1000)]
    entries += [Entry(f"b{i:04d}.txt", 3000, i, None, "") for i in range(1000)]
    wide = changes.Limits(max_docs=5000, min_docs=500, spread=2)
    batches = changes.cut(entries, wide)
    assert [sum(e.size for e in b) for b in batches] == [1_999_000, 2_001_000]
    assert [len(b) for b in batches] == [1333, 667]
    assert [e for b in batches for e in b] == entries  # consecutive doc_ids, none lost
    # A share over max_docs is cut again rather than broken.
    capped = changes.cut(entries, changes.Limits(max_docs=1000, min_docs=500, spread=2))
    assert max(len(b) for b in capped) <= 1000
    assert [e for b in capped for e in b] == entries
    # Sizes unknown (a listing without them): equal counts.
    unknown = [Entry(f"d{i:04d}.txt", None, i, None, "") for i in range(1000)]
    assert [len(b) for b in changes.cut(unknown, wide)] == [500, 500]


def test_batches_are_bounded_deterministic_and_named_by_content(tmp_path):
    entries = [Entry(f"d{i:02d}.txt", 100, i, None, "") for i in range(10)]
    cut = changes.cut(entries, LIMITS)
    assert [len(b) for b in cut] == [2, 3, 2, 3]  # max_docs=3, sizes evened out
    big = [Entry(f"d{i}.txt", 600, i, None, "") for i in range(3)]
    assert [len(b) for b in changes.cut(big, LIMITS)] == [1, 1, 1]  # max_bytes=1000
    spread = changes.cut(entries[:4], changes.Limits(max_docs=100, min_docs=2, spread=8))
    assert [len(b) for b in spread] == [2, 2]  # never below min_docs to fill more jobs
    one = changes.Limits(max_docs=100, min_docs=500, spread=8)
    assert [len(b) for b in changes.cut(entries, one)] == [10]  # a quiet day: one job
    # Spread over a power of two of batches of equal size, each keeping min_docs (5 -> 4):
    many = [Entry(f"d{i:05d}.txt", 100, i, None, "") for i in range(2225)]
    wide = changes.Limits(max_docs=5000, min_docs=500, spread=8)
    assert [len(b) for b in changes.cut(many, wide)] == [556, 556, 557, 556]
    more = [Entry(f"d{i:05d}.txt", 100, i, None, "") for i in range(8900)]
    assert len(changes.cut(more, wide)) == 8  # up to ``spread``
    narrow = changes.Limits(max_docs=5000, min_docs=500, spread=3)
    assert [len(b) for b in changes.cut(many, narrow)] == [1112, 1113]
    # The limits still rule: 7 batches are needed for max_docs=330, none is merged away.
    assert len(changes.cut(many, changes.Limits(max_docs=330, min_docs=1000, spread=8))) == 7
    first = changes.plan(
        entries, {}, None, "f", str(tmp_path), LIMITS, "t", verify=False, force=False
    )
    again = changes.plan(
        list(reversed(entries)),
        {},
        None,
        "f",
        str(tmp_path),
        LIMITS,
        "t",
        verify=False,
        force=False,
    )
    assert first.id == again.id and list(first.batches) == list(again.batches)


def test_written_manifests_round_trip_and_older_ones_go(seeds, tmp_path):
    results = tmp_path / "results"
    first = _plan(seeds, {})
    changes.write(first, results)
    (seeds / "z.txt").write_text("more")
    second = changes.plan(
        _listing(seeds), {}, first.id, "f1", str(seeds), LIMITS, "tables", verify=False, force=False
    )
    changes.write(second, results)
    for batch, entries in second.batches.items():
        assert read(results / "batches" / f"{batch}.jsonl") == entries
    kept = {p.stem for p in (results / "changes").glob("*.json")}
    assert kept == {first.id, second.id}  # the last published one and the current one
    third = changes.plan(
        _listing(seeds),
        {},
        second.id,
        "f2",
        str(seeds),
        LIMITS,
        "tables",
        verify=False,
        force=False,
    )
    changes.write(third, results)
    assert {p.stem for p in (results / "changes").glob("*.json")} == {second.id, third.id}
    assert not any(
        (results / "batches" / f"{b}.jsonl").exists()
        for b in set(first.batches) - set(second.batches)
    )


def test_documents_a_killed_publish_may_have_committed_are_redone_or_removed(seeds):
    catalog = _catalog(_listing(seeds))
    # gone.txt was added and committed to some tables by a killed run, then deleted by the user:
    # no catalog knows it, so only the pending record gets its rows out of the tables.
    plan = _plan(seeds, catalog, pending=frozenset({"a.txt", "gone.txt"}))
    assert [e.doc_id for b in plan.batches.values() for e in b] == ["a.txt"]
    assert plan.removed == ["gone.txt"]
