"""Stories: normalisation and shingles, signatures, the pair check, story assignment and the
incremental index."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from newscorpus import stories
from newscorpus.stories import assign, pairs, signatures, text
from newscorpus.stories.index import LINKS, open_index, shingle_lists
from newscorpus.util.yamlfile import safe_load

REPO = Path(__file__).resolve().parents[2]
SETTINGS = {
    key: spec["default"]
    for key, spec in safe_load((REPO / "config" / "schema.yaml").read_text())["properties"][
        "stories"
    ]["properties"].items()
}

WORDS = [
    "council",
    "budget",
    "river",
    "bridge",
    "school",
    "teacher",
    "hospital",
    "nurse",
    "minister",
    "market",
    "shares",
    "bank",
    "police",
    "court",
    "judge",
    "trial",
    "storm",
    "flood",
    "harvest",
    "farmer",
    "election",
    "vote",
    "party",
    "leader",
    "union",
    "strike",
    "train",
    "station",
    "airport",
    "flight",
    "museum",
    "painting",
    "concert",
    "singer",
    "league",
    "match",
    "goal",
    "coach",
    "player",
    "injury",
    "season",
    "record",
    "profit",
    "loss",
    "company",
    "factory",
    "worker",
    "price",
    "oil",
    "gas",
]


def prose(seed: int, n_words: int) -> str:
    rng = random.Random(seed)
    sentences = []
    while sum(len(s.split()) for s in sentences) < n_words:
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + ".")
    return " ".join(sentences)


def doc(doc_id: str, body: str, title: str | None = None, published=None) -> dict:
    return {"doc_id": doc_id, "title": title, "text": body, "published": published}


def frame(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={"doc_id": pl.String, "title": pl.String, "text": pl.String, "published": pl.Date},
    )


def links_of(docs: pl.DataFrame, tmp_path: Path, **overrides) -> set[tuple[str, str]]:
    result = stories.update(docs, tmp_path / "index", {**SETTINGS, **overrides})
    return set(result.duplicates.select("doc_id", "other_doc_id").rows())


# --- text -----------------------------------------------------------------------------------


def word_list(body: str, title: str | None = None) -> list[int]:
    return text.words(frame(doc("d", body, title)))["words"][0].to_list()


def test_house_style_variants_give_the_same_words():
    assert word_list("The U.S. economy grew 5 per cent, Mr Smith said of the colour.") == word_list(
        "The US economy grew 5 percent, Smith said of the color."
    )
    assert word_list("They organised the centre") == word_list("They organized the center")


def test_curly_quotes_and_case_do_not_change_words():
    assert word_list("“It’s over,” she said") == word_list('"it\'s OVER," she said')


def test_a_short_first_line_is_the_headline_and_a_title_wins_over_it():
    parts = text.split_headline(
        frame(doc("a", "Storm hits coast\n\nThe storm hit the coast."), doc("b", "x\ny", "T"))
    )
    assert parts["headline"].to_list() == ["Storm hits coast", "T"]
    assert parts["body"][0].strip() == "The storm hit the coast."
    assert parts["body"][1] == "x\ny"


def test_shingles_count_lead_and_headline():
    body = "Storm hits coast\n\n" + " ".join(f"w{i}" for i in range(100))
    lists = text.shingles(text.words(frame(doc("a", body))), size=3, lead_words=10)
    row = lists.row(0, named=True)
    assert len(row["shingles"]) == 103 - 3 + 1
    assert len(row["lead"]) == 10
    assert len(row["headline"]) == 3
    assert set(row["lead"]) <= set(row["shingles"])


def test_a_text_shorter_than_a_shingle_has_one_shingle():
    lists = text.shingles(text.words(frame(doc("a", "two words"))), size=3, lead_words=10)
    assert lists["shingles"].list.len().to_list() == [1]


def test_word_hashes_are_stable_values():
    # Stored signatures depend on them: a change here must come with a new index VERSION.
    assert text.word_hash("bakhmut") == text.word_hash("bakhmut")
    assert text.word_hash("bakhmut") != text.word_hash("bakhmuts")
    assert text.word_hash("storm") == 17787663703740812138


# --- signatures -----------------------------------------------------------------------------


@pytest.mark.parametrize("backend", signatures.BACKENDS)
def test_signatures_are_seeded_and_estimate_jaccard(backend):
    pytest.importorskip(backend)
    base = list(range(1, 1001))
    half = list(range(501, 1501))  # Jaccard 500 / 1500 = 1/3
    lists = pl.Series([base, list(base), half], dtype=pl.List(pl.UInt64))
    first = signatures.minhash(lists, 128, 1, backend)
    again = signatures.minhash(lists, 128, 1, backend)
    assert first.shape == (3, 128)
    assert np.array_equal(first, again)
    assert np.array_equal(first[0], first[1])
    estimate = signatures.estimated_jaccard(first[[0]], first[[2]])[0]
    assert abs(estimate - 1 / 3) < 0.15


def test_band_keys_match_only_on_equal_bands():
    sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [2, 1, 3, 4]], dtype=np.uint32)
    keys = signatures.band_keys(sig, bands=2, rows=2)
    assert keys[0, 0] == keys[1, 0]
    assert keys[0, 1] != keys[1, 1]
    assert keys[0, 0] != keys[2, 0]  # order inside a band matters
    assert keys[0, 1] == keys[2, 1]
    with pytest.raises(ValueError, match="exceeds num_perm"):
        signatures.band_keys(sig, bands=3, rows=2)


# --- the pair check -------------------------------------------------------------------------


def test_a_trimmed_copy_with_new_headline_dateline_and_footer_is_linked(tmp_path):
    paragraphs = [prose(i, 60) for i in range(6)]
    original = "Storm floods the river valley\n\n" + "\n\n".join(paragraphs)
    copy = (
        "UPDATE 2-Valley flooded | Daily Post\n\nLONDON (Reuters) - "
        + "\n\n".join(paragraphs[:4])
        + "\n\nCopyright 2024 Daily Post. Follow us."
    )
    assert links_of(frame(doc("a", original), doc("b", copy)), tmp_path) == {("a", "b")}


def test_a_shared_background_block_with_a_new_lead_and_headline_is_not_linked(tmp_path):
    background = "\n\n".join(prose(100 + i, 60) for i in range(3))
    first = "Minister opens the bridge\n\n" + prose(1, 120) + "\n\n" + background
    second = "Union calls a strike\n\n" + prose(2, 120) + "\n\n" + background
    measured = pairs.measure(
        pl.DataFrame({"doc_id": ["a"], "other_doc_id": ["b"]}),
        shingle_lists(frame(doc("a", first), doc("b", second)), SETTINGS),
    ).row(0, named=True)
    assert 0.5 <= measured["containment"] < SETTINGS["containment_high"]
    assert measured["lead"] < 0.1 and measured["headline"] == 0
    assert links_of(frame(doc("a", first), doc("b", second)), tmp_path) == set()


def test_the_same_background_under_the_same_lead_is_an_update(tmp_path):
    lead = prose(1, 80)
    background = "\n\n".join(prose(100 + i, 60) for i in range(3))
    first = "Minister opens the bridge\n\n" + lead + "\n\n" + prose(7, 100) + "\n\n" + background
    second = (
        "Minister opens bridge at last\n\n" + lead + "\n\n" + prose(8, 120) + "\n\n" + background
    )
    assert links_of(frame(doc("a", first), doc("b", second)), tmp_path) == {("a", "b")}


def test_a_common_quote_does_not_join_two_stories(tmp_path):
    quote = '"' + prose(50, 40) + '," the minister said.'
    first = "Budget row\n\n" + prose(1, 300) + "\n\n" + quote
    second = "Flood warning\n\n" + prose(2, 300) + "\n\n" + quote
    assert links_of(frame(doc("a", first), doc("b", second)), tmp_path) == set()


def test_exact_copies_are_linked_as_exact_even_when_short(tmp_path):
    result = stories.update(
        frame(doc("a", "Short note."), doc("b", "Short  note."), doc("c", "Other note.")),
        tmp_path / "index",
        SETTINGS,
    )
    assert result.duplicates.rows() == [("a", "b", "exact", 1.0)]


def test_a_short_text_inside_a_long_one_is_not_a_near_copy(tmp_path):
    long_text = prose(1, 400)
    short = " ".join(long_text.split()[:15])
    assert links_of(frame(doc("a", long_text), doc("b", short)), tmp_path) == set()


# --- assignment -----------------------------------------------------------------------------


def test_the_first_member_is_the_earliest_dated_then_the_smallest_doc_id():
    docs = pl.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "e"],
            "published": [
                None,
                dt.date(2024, 3, 2),
                dt.date(2024, 3, 1),
                dt.date(2024, 3, 1),
                None,
            ],
        }
    )
    links = pl.DataFrame({"doc_id": ["a", "b", "c"], "other_doc_id": ["b", "c", "d"]})
    out = assign.assign(docs, links)
    assert out["story_id"].to_list() == ["c", "c", "c", "c", "e"]
    assert out["duplicate_of"].to_list() == ["c", "c", None, "c", None]
    assert out["story_size"].to_list() == [4, 4, 4, 4, 1]


def test_undated_stories_start_at_the_smallest_doc_id():
    docs = pl.DataFrame(
        {"doc_id": ["z", "y"], "published": [None, None]}, schema_overrides={"published": pl.Date}
    )
    out = assign.assign(docs, pl.DataFrame({"doc_id": ["y"], "other_doc_id": ["z"]}))
    assert out["story_id"].to_list() == ["y", "y"]


# --- the index ------------------------------------------------------------------------------


def corpus() -> pl.DataFrame:
    paragraphs = [prose(i, 60) for i in range(5)]
    body = "Storm floods the valley\n\n" + "\n\n".join(paragraphs)
    rows = [doc(f"s{i:02d}", f"Headline number {i}\n\n" + prose(1000 + i, 250)) for i in range(8)]
    rows += [
        doc("copy1", body, published=dt.date(2024, 5, 3)),
        doc("copy2", body.replace("Storm floods", "Storm hits"), published=dt.date(2024, 5, 2)),
        doc("copy3", "\n\n".join(body.split("\n\n")[:-1]), published=dt.date(2024, 5, 4)),
        doc("copy4", body, published=dt.date(2024, 5, 5)),
    ]
    return frame(*rows)


def test_stories_of_a_small_corpus(tmp_path):
    result = stories.update(corpus(), tmp_path / "index", SETTINGS)
    copies = result.stories.filter(pl.col("doc_id").str.starts_with("copy"))
    assert copies["story_id"].to_list() == ["copy2"] * 4
    assert (
        result.stories.filter(pl.col("doc_id").str.starts_with("s"))["story_size"].to_list()
        == [1] * 8
    )
    kinds = dict(((a, b), k) for a, b, k, _ in result.duplicates.rows())
    assert kinds[("copy1", "copy4")] == "exact"
    assert kinds[("copy1", "copy3")] == "near"


def test_results_do_not_depend_on_order_or_batches(tmp_path):
    docs = corpus()
    whole = stories.update(docs, tmp_path / "whole", SETTINGS)
    shuffled = stories.update(
        docs.sample(fraction=1.0, shuffle=True, seed=3), tmp_path / "shuffled", SETTINGS
    )
    assert shuffled.stories.equals(whole.stories)
    assert shuffled.duplicates.equals(whole.duplicates)
    # Day by day, newest documents first: the index grows, the result is the same.
    ids = docs["doc_id"].to_list()[::-1]
    for day in range(1, len(ids) + 1, 3):
        grown = stories.update(
            docs.filter(pl.col("doc_id").is_in(ids[:day])), tmp_path / "days", SETTINGS
        )
    grown = stories.update(docs, tmp_path / "days", SETTINGS)
    assert grown.counts["signed"] <= 3
    assert grown.stories.equals(whole.stories)
    assert grown.duplicates.equals(whole.duplicates)


def test_new_documents_paired_a_few_at_a_time_give_the_same_stories(tmp_path, monkeypatch):
    from newscorpus.stories import index

    docs = corpus()
    whole = stories.update(docs, tmp_path / "whole", SETTINGS)
    assert whole.counts["candidates"] > 0
    # Chunks of 3 new documents: pairs of two new documents in different chunks are found once.
    monkeypatch.setattr(index, "CANDIDATE_CHUNK_DOCS", 3)
    chunked = stories.update(docs, tmp_path / "chunked", SETTINGS)
    assert chunked.counts == whole.counts
    assert chunked.stories.equals(whole.stories)
    assert chunked.duplicates.equals(whole.duplicates)


def test_a_rerun_signs_nothing_and_an_edit_signs_one_document(tmp_path):
    docs = corpus()
    stories.update(docs, tmp_path / "index", SETTINGS)
    again = stories.update(docs, tmp_path / "index", SETTINGS)
    assert again.counts["signed"] == 0
    edited = docs.with_columns(
        text=pl.when(pl.col("doc_id") == "copy3").then(pl.lit(prose(77, 300))).otherwise("text")
    )
    result = stories.update(edited, tmp_path / "index", SETTINGS)
    assert result.counts["signed"] == 1 and result.counts["left_index"] == 1
    assert result.stories.filter(pl.col("doc_id") == "copy3")["story_id"].to_list() == ["copy3"]
    assert not result.duplicates.filter(
        (pl.col("doc_id") == "copy3") | (pl.col("other_doc_id") == "copy3")
    ).height


def test_a_removed_document_leaves_the_index_with_its_links(tmp_path):
    docs = corpus()
    stories.update(docs, tmp_path / "index", SETTINGS)
    result = stories.update(docs.filter(pl.col("doc_id") != "copy2"), tmp_path / "index", SETTINGS)
    with open_index(tmp_path / "index", SETTINGS) as stored:
        assert "copy2" not in stored.entries()["doc_id"].to_list()
        links = stored.links(LINKS)
        # Every band key row belongs to an indexed document: copy2's went with it.
        (orphans,) = stored.db.execute(
            "SELECT COUNT(*) FROM bands WHERE docno NOT IN (SELECT docno FROM signatures)"
        ).fetchone()
        (band_rows,) = stored.db.execute("SELECT COUNT(*) FROM bands").fetchone()
    assert orphans == 0 and band_rows > 0
    assert (
        links.height and "copy2" not in links["doc_id"].to_list() + links["other_doc_id"].to_list()
    )
    assert set(result.stories.filter(pl.col("doc_id").str.starts_with("copy"))["story_id"]) == {
        "copy1"
    }


def test_other_settings_or_a_torn_index_rebuild_it(tmp_path):
    docs = corpus()
    stories.update(docs, tmp_path / "index", SETTINGS)
    other = stories.update(docs, tmp_path / "index", {**SETTINGS, "containment_low": 0.55})
    assert other.counts["signed"] == docs.height
    again = stories.update(docs, tmp_path / "index", {**SETTINGS, "containment_low": 0.55})
    assert again.counts["signed"] == 0
    # A file that is not a readable index (a disk error, a half-copied results folder).
    path = tmp_path / "index" / "signatures.duckdb"
    path.write_bytes(b"not a database" * 100)
    torn = stories.update(docs, tmp_path / "index", SETTINGS)
    assert torn.counts["signed"] == docs.height
    assert torn.stories.equals(stories.update(docs, tmp_path / "fresh", SETTINGS).stories)


def test_a_run_that_fails_leaves_the_index_as_it_was(tmp_path, monkeypatch):
    docs = corpus()
    stories.update(docs.head(6), tmp_path / "index", SETTINGS)

    def fail(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(pairs, "measure", fail)
    with pytest.raises(RuntimeError):
        stories.update(docs, tmp_path / "index", SETTINGS)
    with open_index(tmp_path / "index", SETTINGS) as stored:
        assert sorted(stored.entries()["doc_id"]) == sorted(docs.head(6)["doc_id"])


def _signature_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("signatures.*.u32"))


def test_a_killed_run_leaves_its_signature_rows_to_be_written_over(tmp_path, monkeypatch):
    docs = corpus()
    stories.update(docs.head(6), tmp_path / "index", SETTINGS)
    rows_file = tmp_path / "index" / "signatures.0.u32"
    six_rows = rows_file.stat().st_size
    assert six_rows == 6 * SETTINGS["num_perm"] * 4

    def fail(*args, **kwargs):
        raise RuntimeError("killed")

    with monkeypatch.context() as patched:
        patched.setattr(pairs, "measure", fail)
        with pytest.raises(RuntimeError):
            stories.update(docs, tmp_path / "index", SETTINGS)
    # The killed run's rows were written past the six the index counts ...
    assert rows_file.stat().st_size == docs.height * SETTINGS["num_perm"] * 4
    resumed = stories.update(docs, tmp_path / "index", SETTINGS)
    # ... and the next run wrote over them: the file holds one row per signed document.
    assert rows_file.stat().st_size == docs.height * SETTINGS["num_perm"] * 4
    fresh = stories.update(docs, tmp_path / "fresh", SETTINGS)
    assert resumed.stories.equals(fresh.stories)
    assert resumed.duplicates.equals(fresh.duplicates)


def test_signature_rows_of_dropped_documents_are_compacted_away(tmp_path, monkeypatch):
    from newscorpus.stories import store

    monkeypatch.setattr(store, "_COMPACT_MIN_DEAD", 1)
    docs = corpus()
    index = tmp_path / "index"
    stories.update(docs, index, SETTINGS)
    # Every document edited: their old rows are dropped, and as many as the live ones.
    edited = docs.with_columns(text=pl.col("text") + " Updated at noon.")
    result = stories.update(edited, index, SETTINGS)
    assert _signature_files(index) == ["signatures.1.u32"]
    assert (index / "signatures.1.u32").stat().st_size == docs.height * SETTINGS["num_perm"] * 4
    with open_index(index, SETTINGS) as stored:
        rows = stored.db.sql("SELECT row FROM signatures ORDER BY row").fetchall()
        assert [r for (r,) in rows] == list(range(docs.height))
    fresh = stories.update(edited, tmp_path / "fresh", SETTINGS)
    assert result.stories.equals(fresh.stories)
    assert result.duplicates.equals(fresh.duplicates)
    # The compacted rows are the documents' signatures: pairing a new copy against them finds it.
    more = pl.concat(
        [edited, edited.filter(pl.col("doc_id") == "copy1").with_columns(doc_id=pl.lit("copy5"))]
    )
    again = stories.update(more, index, SETTINGS)
    assert again.stories.equals(stories.update(more, tmp_path / "fresh", SETTINGS).stories)
    assert again.stories.filter(pl.col("doc_id") == "copy5")["story_id"].to_list() == ["copy2"]


def test_a_signatures_file_shorter_than_its_rows_rebuilds_the_index(tmp_path):
    docs = corpus()
    stories.update(docs, tmp_path / "index", SETTINGS)
    rows_file = tmp_path / "index" / "signatures.0.u32"
    rows_file.write_bytes(rows_file.read_bytes()[:1000])
    rebuilt = stories.update(docs, tmp_path / "index", SETTINGS)
    assert rebuilt.counts["signed"] == docs.height
    assert rebuilt.stories.equals(stories.update(docs, tmp_path / "fresh", SETTINGS).stories)


def test_an_empty_corpus_and_texts_without_words_give_their_own_stories(tmp_path):
    empty = stories.update(frame(), tmp_path / "empty", SETTINGS)
    assert empty.stories.height == 0 and empty.duplicates.height == 0
    result = stories.update(
        frame(doc("a", "  "), doc("b", "..."), doc("c", "x")), tmp_path / "index", SETTINGS
    )
    assert result.stories["story_id"].to_list() == ["a", "b", "c"]
    assert result.duplicates.height == 0


class Published:
    """The published documents story columns and duplicates rows, as publish applies a change
    set's stories (replacing only the rows it names)."""

    def __init__(self):
        self.docs = pl.DataFrame(
            schema={
                "doc_id": pl.String,
                "title": pl.String,
                "text": pl.String,
                "published": pl.Date,
                "source_sha256": pl.String,
                "story_id": pl.String,
                "duplicate_of": pl.String,
            }
        )
        self.links = pl.DataFrame(schema=pairs.PAIR | {"kind": pl.String, "similarity": pl.Float64})
        self.rewritten: list[set[str]] = []

    def apply(self, corpus_now: pl.DataFrame, changed: set[str], index_dir: Path):
        keyed = corpus_now.with_columns(source_sha256=stories.index.content_keys(corpus_now))
        new = keyed.filter(pl.col("doc_id").is_in(sorted(changed)))
        rest = self.docs.filter(~pl.col("doc_id").is_in(sorted(changed)))

        def texts_of(doc_ids):
            return self.docs.filter(pl.col("doc_id").is_in(doc_ids)).select(
                "doc_id", "title", "text"
            )

        result = stories.update_changes(
            new,
            rest.select("doc_id", "published", "source_sha256"),
            self.links,
            self.docs.select("doc_id", "story_id", "duplicate_of"),
            texts_of,
            index_dir,
            SETTINGS,
            sorted(changed),
        )
        rows = keyed.join(result.stories.drop("story_size"), on="doc_id").filter(
            pl.col("doc_id").is_in(sorted(changed | set(result.documents_ids)))
        )
        replaced = changed | set(result.documents_ids)
        self.rewritten.append(set(result.documents_ids))
        self.docs = pl.concat(
            [
                self.docs.filter(~pl.col("doc_id").is_in(sorted(replaced))),
                rows.select(self.docs.columns),
            ]
        ).sort("doc_id")
        self.links = pl.concat(
            [
                self.links.filter(~pl.col("doc_id").is_in(result.duplicates_ids)),
                result.duplicates,
            ]
        ).sort("doc_id", "other_doc_id")


def test_change_sets_replace_only_changed_rows_and_equal_a_build_from_scratch(tmp_path):
    docs = corpus()
    # (added, removed) per day: the oldest copy (copy2) arrives late, leaves, comes back.
    days = [
        ({"s00", "s01", "copy1", "copy4"}, set()),
        ({"copy3", "s02"}, set()),
        ({"copy2"}, set()),
        ({"s03"}, {"copy2"}),
        ({"copy2", "s04", "s05", "s06", "s07"}, {"copy4"}),
    ]
    published = Published()
    present: set[str] = set()
    for day, (added, removed) in enumerate(days):
        present = (present | added) - removed
        now = docs.filter(pl.col("doc_id").is_in(sorted(present)))
        published.apply(now, added | removed, tmp_path / "index")
        scratch = stories.update(now, tmp_path / f"scratch{day}", SETTINGS)
        assert published.docs.select("doc_id", "story_id", "duplicate_of").equals(
            scratch.stories.select("doc_id", "story_id", "duplicate_of")
        )
        assert published.links.equals(scratch.duplicates)
    # Some change set moved a story's other members, and only ever members of a story.
    # The older copy's arrival and departure rewrote the rows of the story's other members only.
    assert published.rewritten == [
        set(),
        set(),
        {"copy1", "copy3", "copy4"},
        {"copy1", "copy3", "copy4"},
        {"copy1", "copy3"},
    ]
