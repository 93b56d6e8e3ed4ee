"""The report's figures: the numbers behind each one, and that each is written as an SVG."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from newscorpus.report import figures as report
from newscorpus.tables import schemas
from newscorpus.tables.location import table_uri


def _write_tables(results, documents, entities, removed, quotes=()):
    tables = (
        ("documents", documents),
        ("entities", entities),
        ("removed", removed),
        ("quotes", list(quotes)),
    )
    for table, rows in tables:
        frame = schemas.conform(
            pl.DataFrame(rows, infer_schema_length=None), schemas.PUBLISHED[table]
        )
        frame.write_delta(table_uri(table, str(results)))
    schemas.empty(schemas.SENTENCES).write_delta(table_uri("sentences", str(results)))


def _benchmark(path, seconds, rss):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"s\th:m:s\tmax_rss\tmax_vms\n{seconds}\t0:00:01\t{rss}\t1000\n")
    return path


@pytest.fixture
def results(tmp_path):
    monday = dt.date(2024, 3, 4)
    documents = [
        {
            "doc_id": "a",
            "shard": 0,
            "status": "ok",
            "language": "en",
            "published": monday,
            "text": "x" * 75,
            "removed_chars": 25,
            "story_id": "a",
        },
        {
            "doc_id": "b",
            "shard": 0,
            "status": "ok",
            "language": "en",
            "published": monday + dt.timedelta(days=6),
            "text": "x" * 100,
            "removed_chars": 0,
            "story_id": "a",
            "duplicate_of": "a",
        },
        {
            "doc_id": "c",
            "shard": 1,
            "status": "ok",
            "language": "fr",
            "published": monday + dt.timedelta(days=7),
            "text": "x" * 50,
            "removed_chars": 50,
            "story_id": "c",
        },
        {
            "doc_id": "d",
            "shard": 1,
            "status": "too_large",
            "language": None,
            "published": None,
            "text": None,
            "removed_chars": None,
        },
    ]
    person = {"label": "PERSON", "shard": 0}
    entities = [
        {
            **person,
            "doc_id": "a",
            "entity_idx": 0,
            "text": "Zelensky",
            "canonical": "Volodymyr Zelensky",
        },
        {
            **person,
            "doc_id": "b",
            "entity_idx": 0,
            "text": "Volodymyr Zelensky",
            "canonical": "Volodymyr Zelensky",
        },
        {**person, "doc_id": "c", "entity_idx": 0, "text": "Macron", "canonical": None},
        {**person, "doc_id": "d", "entity_idx": 0, "text": "Undated Person", "canonical": None},
        {
            "doc_id": "a",
            "shard": 0,
            "entity_idx": 1,
            "label": "GPE",
            "text": "Kyiv",
            "canonical": "Kyiv",
        },
    ]
    removed = [
        {"doc_id": "a", "shard": 0, "seq": 0, "kind": "tail", "start": 75, "end": 100},
        {"doc_id": "c", "shard": 1, "seq": 0, "kind": "tail", "start": 0, "end": 20},
        {"doc_id": "c", "shard": 1, "seq": 1, "kind": "caption", "start": 20, "end": 50},
    ]
    said = {"speaker": "Zelensky"}
    quotes = [
        {**said, "doc_id": "a", "quote_idx": 0, "speaker_canonical": "Volodymyr Zelensky"},
        {**said, "doc_id": "a", "quote_idx": 1, "speaker_canonical": "Volodymyr Zelensky"},
        {**said, "doc_id": "c", "quote_idx": 0, "speaker_canonical": "Volodymyr Zelensky"},
        {**said, "doc_id": "c", "quote_idx": 1, "speaker_canonical": "Ministry of Defence"},
        {**said, "doc_id": "b", "quote_idx": 0, "speaker_canonical": None},  # "a spokesman"
        {**said, "doc_id": "d", "quote_idx": 0, "speaker_canonical": "Undated Person"},
    ]
    _write_tables(tmp_path, documents, entities, removed, quotes)
    benchmarks = [
        _benchmark(tmp_path / "benchmarks" / "clean" / "0.tsv", 1.5, 120.0),
        _benchmark(tmp_path / "benchmarks" / "clean" / "1.tsv", 2.5, 130.0),
        _benchmark(tmp_path / "benchmarks" / "publish.tsv", 3.0, "NA"),
    ]
    return tmp_path, benchmarks


def test_documents_are_counted_per_language_week_and_status(results):
    results_dir, benchmarks = results
    frames = report.figure_frames(str(results_dir), benchmarks)
    assert dict(frames["languages"].iter_rows()) == {"en": 2, "fr": 1, "unknown": 1}
    # Monday and the Sunday after share a week; the next Monday starts a new one; undated: none.
    assert frames["weeks"].rows() == [(dt.date(2024, 3, 4), 2), (dt.date(2024, 3, 11), 1)]
    assert dict(frames["status"].iter_rows()) == {"ok": 3, "too_large": 1}


def test_entities_are_ranked_by_canonical_name_falling_back_to_text(results):
    results_dir, benchmarks = results
    frames = report.figure_frames(str(results_dir), benchmarks)
    people = frames["entities_person"]
    assert people.rows()[0] == ("Volodymyr Zelensky", 2, 2)
    assert set(people["name"]) == {"Volodymyr Zelensky", "Macron", "Undated Person"}
    assert frames["entities_gpe"]["name"].to_list() == ["Kyiv"]
    assert frames["entities_org"].is_empty()


def test_largest_stories_name_their_first_member_and_the_share_of_copies(results):
    frame = report.figure_frames(str(results[0]), results[1])["stories"]
    # Story "c" has one document and is no story worth a bar; "d" has no text and no story.
    assert frame.select("story_id", "documents").rows() == [("a", 2)]
    assert frame["headline"][0] == "x" * 70
    assert frame["copies_share"][0] == pytest.approx(1 / 3)


def test_people_timeline_counts_mentions_per_week_of_dated_documents(results):
    results_dir, benchmarks = results
    timeline = report.figure_frames(str(results_dir), benchmarks)["people_timeline"]
    assert timeline.rows() == [
        (dt.date(2024, 3, 4), "Volodymyr Zelensky", 2),
        (dt.date(2024, 3, 11), "Macron", 1),
    ]


def test_quoted_people_counts_named_speakers_per_week_of_dated_documents(results):
    results_dir, benchmarks = results
    quoted = report.figure_frames(str(results_dir), benchmarks)["quoted_people"]
    assert quoted.rows() == [
        (dt.date(2024, 3, 4), "Volodymyr Zelensky", 2),
        (dt.date(2024, 3, 11), "Ministry of Defence", 1),
        (dt.date(2024, 3, 11), "Volodymyr Zelensky", 1),
    ]


def test_quoted_people_keeps_only_the_most_quoted(results):
    results_dir, _ = results
    documents = report.figure_documents(pl.scan_delta(str(results_dir / "tables/documents")))
    quotes = pl.scan_delta(str(results_dir / "tables/quotes"))
    top = report.quoted_people(quotes, documents, top=1)
    assert set(top["speaker"]) == {"Volodymyr Zelensky"} and top["quotes"].sum() == 3


def test_removed_share_is_removed_over_text_before_cleaning(results):
    results_dir, benchmarks = results
    frames = report.figure_frames(str(results_dir), benchmarks)
    documents = report.figure_documents(pl.scan_delta(str(results_dir / "tables/documents")))
    per_document = report.removed_per_document(documents)
    shares = dict(per_document.select("doc_id", "share").iter_rows())
    assert shares == {"a": 0.25, "b": 0.0, "c": 0.5}
    histogram = frames["removed_per_document"]
    assert histogram.height == report.SHARE_BINS and histogram["documents"].sum() == 3
    counted = {row["share_from"]: row["documents"] for row in histogram.iter_rows(named=True)}
    assert counted[0.0] == 1 and counted[0.25] == 1 and counted[0.5] == 1
    by_kind = {row["kind"]: row for row in frames["removed_by_kind"].iter_rows(named=True)}
    assert by_kind["tail"]["chars"] == 45 and by_kind["tail"]["segments"] == 2
    assert by_kind["caption"]["share"] == pytest.approx(30 / 300)


def test_benchmarks_give_one_row_per_job_named_after_the_rule(results):
    results_dir, benchmarks = results
    runtime = report.figure_frames(str(results_dir), benchmarks)["runtime"]
    assert runtime.select("rule", "job", "s").rows() == [
        ("clean", "0", 1.5),
        ("clean", "1", 2.5),
        ("publish", "publish", 3.0),
    ]
    # Snakemake writes NA when a job was too short to measure; that is a missing value.
    assert runtime["max_rss_mb"].to_list() == [120.0, 130.0, None]


def test_every_figure_is_written_as_a_self_contained_svg(results, tmp_path_factory):
    results_dir, benchmarks = results
    out = tmp_path_factory.mktemp("figures")
    outputs = {name: str(out / f"{name}.svg") for name in report.FIGURES}
    report.write_figures(str(results_dir), benchmarks, outputs)
    for name, path in outputs.items():
        svg = Path(path).read_text(encoding="utf-8")
        assert svg.startswith("<svg"), name
        assert "<script" not in svg and "cdn" not in svg.lower(), name
        assert report.FIGURES[name] in svg, f"{name}: title missing"


def test_an_empty_figure_says_there_is_no_data(results, tmp_path_factory):
    results_dir, benchmarks = results
    path = tmp_path_factory.mktemp("figures") / "entities_org.svg"
    report.write_figures(str(results_dir), benchmarks, {"entities_org": str(path)})
    assert "no data in this run" in path.read_text(encoding="utf-8")


def test_unknown_figure_names_are_refused(results):
    results_dir, benchmarks = results
    with pytest.raises(ValueError, match="unknown figure"):
        report.write_figures(str(results_dir), benchmarks, {"pie": "pie.svg"})


def test_share_histogram_puts_a_fully_removed_document_in_the_last_bin():
    shares = pl.DataFrame({"share": [0.0, 0.049, 0.05, 1.0]})
    histogram = report.removed_share_histogram(shares, bins=20)
    assert histogram.filter(pl.col("documents") > 0).rows() == [
        (0.0, 0.05, 2),
        (0.05, 0.1, 1),
        (0.95, 1.0, 1),
    ]


def test_figures_of_a_corpus_larger_than_altairs_row_guard_are_written(tmp_path):
    # Altair refuses to inline more than 5,000 rows by default; a figure must not depend on that.
    n = 6_000
    documents = [
        {
            "doc_id": f"d{i}",
            "shard": i % 4,
            "status": "ok",
            "language": "en",
            "published": dt.date(2024, 1, 1) + dt.timedelta(days=i % 90),
            "text": "x" * (i % 50 + 1),
            "removed_chars": i % 7,
        }
        for i in range(n)
    ]
    entities = [{"doc_id": "d0", "shard": 0, "label": "PERSON", "text": "A", "canonical": "A"}]
    _write_tables(tmp_path, documents, entities, [])
    benchmarks = [
        _benchmark(tmp_path / "benchmarks" / "clean" / f"{job}.tsv", 1.0, 100.0)
        for job in range(5_001)
    ]
    outputs = {name: str(tmp_path / f"{name}.svg") for name in ("removed_per_document", "runtime")}
    report.write_figures(str(tmp_path), benchmarks, outputs)
    for path in outputs.values():
        assert Path(path).read_text(encoding="utf-8").startswith("<svg")


@pytest.mark.parametrize("figure", ["runtime", "memory"])
def test_long_rule_names_are_drawn_whole_with_room_left_of_the_axis(figure):
    import vl_convert

    long = "tag_entities_with_the_gazetteer_and_canonical_names"
    frame = pl.DataFrame(
        {"rule": [long, "ingest"], "job": ["0", "0"], "s": [1.0, 2.0], "max_rss_mb": [9.0, 8.0]}
    )
    svg = vl_convert.vegalite_to_svg(report.figure_spec(figure, frame))
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert long in labels, "the rule name was cut"
    assert not any(label.endswith("…") for label in labels)
    # The plot starts right of the longest name measured at 7 px a character, so a browser
    # font wider than vl-convert's (DejaVu Sans) still fits inside the figure.
    left = float(re.search(r'class="marks".*?transform="translate\(([\d.]+),', svg, re.S)[1])
    assert left >= 7 * len(long)
