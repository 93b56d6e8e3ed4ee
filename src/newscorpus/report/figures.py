"""Figures for the Snakemake report: what the corpus holds and what the run cost.

Each figure is computed as a small Polars frame (:func:`figure_frames`, testable without a
plotting library), drawn with Altair and written as a self-contained SVG through vl-convert: no
script, no CDN, so the report renders offline.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

import polars as pl

from newscorpus.report import places as place_figures
from newscorpus.tables.load import load
from newscorpus.util.files import write_text

log = logging.getLogger(__name__)

ENTITY_LABELS = ("PERSON", "GPE", "ORG")
TOP_ENTITIES = 20
TOP_PEOPLE = 10
SHARE_BINS = 20  # bins of 5 % for the share of text removed per document
TOP_STORIES = 20

# Output name -> what the figure shows; the rule's outputs carry the same names.
FIGURES = {
    "languages": "Documents per language",
    "weeks": "Documents per publication week",
    "status": "Documents by status",
    **{
        f"entities_{label.lower()}": f"Top {TOP_ENTITIES} {label} entities (canonical name)"
        for label in ENTITY_LABELS
    },
    "people_timeline": f"Mentions per week of the top {TOP_PEOPLE} people",
    "quoted_people": f"Quotes per week of the {TOP_PEOPLE} most quoted speakers",
    "stories": f"The {TOP_STORIES} largest stories (documents per story)",
    "places_map": "Places mentioned (point size: mentions)",
    "places_top": f"The {place_figures.TOP_PLACES} most named places",
    "removed_per_document": "Share of text removed per document",
    "removed_by_kind": "Characters removed, by kind",
    "runtime": "Run time per rule (one point per job)",
    "memory": "Peak memory per rule (one point per job)",
}


def _week(column: str) -> pl.Expr:
    return pl.col(column).dt.truncate("1w").alias("week")


def figure_documents(documents: pl.LazyFrame) -> pl.LazyFrame:
    """The columns of the documents table the figures use, the text reduced to its length."""
    return documents.select(
        "doc_id",
        "status",
        "language",
        "published",
        "removed_chars",
        text_chars=pl.col("text").str.len_chars(),
    )


def documents_per_language(documents: pl.LazyFrame) -> pl.DataFrame:
    return (
        documents.group_by(pl.col("language").fill_null("unknown"))
        .agg(documents=pl.len())
        .sort("documents", "language", descending=[True, False])
        .collect()
    )


def documents_per_week(documents: pl.LazyFrame) -> pl.DataFrame:
    """Documents per ISO week (Monday) of their publication date; undated ones are left out."""
    return (
        documents.filter(pl.col("published").is_not_null())
        .group_by(_week("published"))
        .agg(documents=pl.len())
        .sort("week")
        .collect()
    )


def documents_by_status(documents: pl.LazyFrame) -> pl.DataFrame:
    return (
        documents.group_by(pl.col("status").fill_null("unknown"))
        .agg(documents=pl.len())
        .sort("documents", "status", descending=[True, False])
        .collect()
    )


def _named(entities: pl.LazyFrame) -> pl.LazyFrame:
    # The canonical name groups spellings of one entity; an entity without one keeps its text.
    return entities.with_columns(name=pl.coalesce("canonical", "text"))


def top_entities(entities: pl.LazyFrame, label: str, top: int = TOP_ENTITIES) -> pl.DataFrame:
    """The ``top`` most mentioned names of ``label``, with mentions and documents."""
    return (
        _named(entities)
        .filter(pl.col("label") == label)
        .group_by("name")
        .agg(mentions=pl.len(), documents=pl.col("doc_id").n_unique())
        .sort(["mentions", "name"], descending=[True, False])
        .head(top)
        .collect()
    )


def people_timeline(
    entities: pl.LazyFrame, documents: pl.LazyFrame, top: int = TOP_PEOPLE
) -> pl.DataFrame:
    """Mentions per publication week of the ``top`` most mentioned people (dated documents)."""
    people = top_entities(entities, "PERSON", top)["name"]
    return (
        _named(entities)
        .filter(pl.col("label") == "PERSON", pl.col("name").is_in(people.to_list()))
        .join(documents.select("doc_id", "published"), on="doc_id")
        .filter(pl.col("published").is_not_null())
        .group_by(_week("published"), "name")
        .agg(mentions=pl.len())
        .sort("week", "name")
        .collect()
    )


def quoted_people(
    quotes: pl.LazyFrame, documents: pl.LazyFrame, top: int = TOP_PEOPLE
) -> pl.DataFrame:
    """Quotes per publication week of the ``top`` most quoted speakers with a canonical name
    (people and named organisations; an unnamed "spokesman" has none); dated documents only."""
    named = quotes.filter(pl.col("speaker_canonical").is_not_null())
    speakers = (
        named.group_by("speaker_canonical")
        .agg(quotes=pl.len())
        .sort(["quotes", "speaker_canonical"], descending=[True, False])
        .head(top)
        .select("speaker_canonical")
    )
    return (
        named.join(speakers, on="speaker_canonical", how="semi")
        .join(documents.select("doc_id", "published"), on="doc_id")
        .filter(pl.col("published").is_not_null())
        .group_by(_week("published"), pl.col("speaker_canonical").alias("speaker"))
        .agg(quotes=pl.len())
        .sort("week", "speaker")
        .collect()
    )


def largest_stories(documents: pl.LazyFrame, top: int = TOP_STORIES) -> pl.DataFrame:
    """The largest stories (two documents or more) with the headline of their first member, and
    the corpus's share of copies (documents with ``duplicate_of``) in every row."""
    with_story = documents.filter(pl.col("story_id").is_not_null())
    sizes = (
        with_story.group_by("story_id")
        .agg(documents=pl.len())
        .filter(pl.col("documents") > 1)
        .sort("documents", "story_id", descending=[True, False])
        .head(top)
    )
    first_line = pl.col("text").str.extract(r"^\s*([^\n]*)", 1).str.slice(0, 70)
    headlines = with_story.filter(pl.col("doc_id") == pl.col("story_id")).select(
        "story_id", headline=pl.coalesce(pl.col("title"), first_line)
    )
    share = with_story.select(
        copies_share=pl.col("duplicate_of").is_not_null().sum() / pl.len().clip(1)
    )
    return (
        sizes.join(headlines, on="story_id", how="left")
        .join(share, how="cross")
        .sort("documents", "story_id", descending=[True, False])
        .collect()
    )


def removed_per_document(documents: pl.LazyFrame) -> pl.DataFrame:
    """Per document: characters kept, removed, and the removed share of kept + removed."""
    return _removed_shares(documents).sort("doc_id").collect()


def _removed_shares(documents: pl.LazyFrame) -> pl.LazyFrame:
    return (
        documents.select(
            "doc_id",
            kept=pl.col("text_chars").fill_null(0).cast(pl.Int64),
            removed=pl.col("removed_chars").fill_null(0),
        )
        .filter((pl.col("kept") + pl.col("removed")) > 0)
        .with_columns(share=pl.col("removed") / (pl.col("kept") + pl.col("removed")))
    )


def removed_share_histogram(
    shares: pl.DataFrame | pl.LazyFrame, bins: int = SHARE_BINS
) -> pl.DataFrame:
    """Documents per bin of removed share: ``bins`` equal bins over [0, 1], empty ones included.

    The figure draws this, not one row per document: its data is inlined in the SVG's spec, so it
    must stay small whatever the corpus size.
    """
    counts = (
        shares.lazy()
        .select(bin=(pl.col("share") * bins).floor().cast(pl.Int64).clip(0, bins - 1))
        .group_by("bin")
        .agg(documents=pl.len())
        .collect()
    )
    return (
        pl.DataFrame({"bin": pl.int_range(0, bins, eager=True, dtype=pl.Int64)})
        .join(counts, on="bin", how="left")
        .select(
            # Rounded: Polars multiplies by the reciprocal (19/20 -> 0.9500000000000001).
            share_from=(pl.col("bin") / bins).round(6),
            share_to=((pl.col("bin") + 1) / bins).round(6),
            documents=pl.col("documents").fill_null(0).cast(pl.Int64),
        )
    )


def removed_by_kind(removed: pl.LazyFrame, documents: pl.LazyFrame) -> pl.DataFrame:
    """Characters removed per kind, and their share of all characters before cleaning."""
    total = (
        documents.select(
            (
                pl.col("text_chars").fill_null(0).cast(pl.Int64)
                + pl.col("removed_chars").fill_null(0)
            ).sum()
        )
        .collect()
        .item()
        or 0
    )
    frame = (
        removed.group_by(pl.col("kind").fill_null("unknown"))
        .agg(chars=(pl.col("end") - pl.col("start")).sum(), segments=pl.len())
        .sort("chars", "kind", descending=[True, False])
        .collect()
    )
    return frame.with_columns(
        share=pl.col("chars") / total if total else pl.lit(None, dtype=pl.Float64)
    )


def benchmark_rule(path: str | Path) -> str:
    """Rule of a benchmark file: ``benchmarks/<rule>/<batch>.tsv`` or ``benchmarks/<rule>.tsv``."""
    path = Path(path)
    return path.stem if path.parent.name == "benchmarks" else path.parent.name


def read_benchmarks(files: Iterable[str | Path]) -> pl.DataFrame:
    """One row per job: rule, job (the batch, or the rule for once-per-run rules), s, max_rss."""
    frames = []
    for file in files:
        rule = benchmark_rule(file)
        frame = pl.read_csv(file, separator="\t", infer_schema=False)
        frames.append(
            frame.select(
                pl.lit(rule).alias("rule"),
                pl.lit(Path(file).stem).alias("job"),
                pl.col("s").cast(pl.Float64, strict=False),
                pl.col("max_rss").cast(pl.Float64, strict=False).alias("max_rss_mb"),
            )
        )
    schema = {"rule": pl.String, "job": pl.String, "s": pl.Float64, "max_rss_mb": pl.Float64}
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def _place_mentions(results_dir: str, tables_uri: str | None = None) -> pl.DataFrame:
    entities = load("entities", results_dir, tables_uri=tables_uri).select("doc_id", "place_id")
    try:
        places = load("places", results_dir, tables_uri=tables_uri)
        return place_figures.place_mentions(entities, places)
    except Exception:  # tables published before the places table existed
        log.warning("report: no places table in %s; the places figures are empty", results_dir)
        return pl.DataFrame(
            schema={
                "name": pl.String,
                "country_code": pl.String,
                "admin1": pl.String,
                "admin1_name": pl.String,
                "feature": pl.String,
                "latitude": pl.Float64,
                "longitude": pl.Float64,
                "mentions": pl.UInt32,
                "documents": pl.UInt32,
            }
        )


def figure_frames(
    results_dir: str, benchmark_files: Iterable[str | Path], tables_uri: str | None = None
) -> dict[str, pl.DataFrame]:
    """The data behind every figure in :data:`FIGURES`, keyed by figure name; the tables are
    read where :func:`newscorpus.tables.location.table_uri` says (config ``tables_uri``)."""
    # Lazy scans with only the columns the figures use: every figure is an aggregate, so memory
    # stays small whatever the corpus size (holding the tables in memory would not).
    documents = figure_documents(load("documents", results_dir, tables_uri=tables_uri))
    entities = load("entities", results_dir, tables_uri=tables_uri).select(
        "doc_id", "label", "text", "canonical"
    )
    frames = {
        "languages": documents_per_language(documents),
        "weeks": documents_per_week(documents),
        "status": documents_by_status(documents),
        **{f"entities_{label.lower()}": top_entities(entities, label) for label in ENTITY_LABELS},
        "people_timeline": people_timeline(entities, documents),
        "quoted_people": quoted_people(
            load("quotes", results_dir, tables_uri=tables_uri).select(
                "doc_id", "speaker_canonical"
            ),
            documents,
        ),
        "stories": largest_stories(
            load("documents", results_dir, tables_uri=tables_uri).select(
                "doc_id", "story_id", "duplicate_of", "title", "text"
            )
        ),
        "removed_per_document": removed_share_histogram(_removed_shares(documents)),
        "removed_by_kind": removed_by_kind(
            load("removed", results_dir, tables_uri=tables_uri), documents
        ),
    }
    mentions = _place_mentions(results_dir, tables_uri)
    frames["places_map"] = place_figures.map_points(mentions)
    frames["places_top"] = place_figures.top_places(mentions)
    benchmarks = read_benchmarks(benchmark_files)
    frames["runtime"] = frames["memory"] = benchmarks
    return frames


# --- drawing ---------------------------------------------------------------------------------


def _empty(title: str):
    import altair as alt

    # An empty corpus still gets a figure that says so, rather than a blank frame.
    return (
        alt.Chart(pl.DataFrame({"message": ["no data in this run"]}))
        .mark_text(size=14)
        .encode(text="message:N")
        .properties(title=title, width=300, height=60)
    )


def _bar(
    frame: pl.DataFrame, category: str, value: str, title: str, value_title: str, tooltip: list[str]
):
    import altair as alt

    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort="-x", title=None),
            x=alt.X(f"{value}:Q", title=value_title),
            tooltip=tooltip,
        )
        .properties(title=title, width=420)
    )


# Rule names on the run-time and memory figures: Vega-Lite's default label limit (180 px) cut
# long names, and the space left of the axis is measured with vl-convert's font, so a browser
# whose sans-serif is wider pushed the names past the figure's left edge. The axis reserves room
# for the longest name at a generous width per character instead.
RULE_LABEL_PX_PER_CHAR = 7.5  # 11 px labels: about 6 px per character in Liberation, 7 in DejaVu
RULE_LABEL_MAX_PX = 480


def rule_axis(rules: Iterable[str]):
    """The y axis of the per-rule figures: whole rule names with room to spare on the left."""
    import altair as alt

    longest = max((len(rule) for rule in rules), default=0)
    room = min(RULE_LABEL_MAX_PX, round(longest * RULE_LABEL_PX_PER_CHAR) + 12)
    return alt.Axis(labelLimit=RULE_LABEL_MAX_PX, minExtent=room)


def _weekly_lines(frame: pl.DataFrame, title: str, who: str, who_title: str, count: str):
    """One line per person: ``count`` per week, coloured by the ``who`` column."""
    import altair as alt

    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title="week (Monday)"),
            y=alt.Y(f"{count}:Q"),
            color=alt.Color(f"{who}:N", title=who_title),
            tooltip=[who, "week:T", count],
        )
        .properties(title=title, width=560)
    )


def chart(name: str, frame: pl.DataFrame):
    """The Altair chart of figure ``name`` drawn from its frame."""
    import altair as alt

    title = FIGURES[name]
    if frame.is_empty():
        return _empty(title)
    if name == "languages":
        return _bar(frame, "language", "documents", title, "documents", ["language", "documents"])
    if name == "status":
        return _bar(frame, "status", "documents", title, "documents", ["status", "documents"])
    if name.startswith("entities_"):
        return _bar(frame, "name", "mentions", title, "mentions", ["name", "mentions", "documents"])
    if name == "stories":
        share = frame["copies_share"][0]
        return _bar(
            frame.with_columns(story=pl.col("story_id") + ": " + pl.col("headline").fill_null("")),
            "story",
            "documents",
            f"{title}; {share:.1%} of documents are copies",
            "documents",
            ["story_id", "headline", "documents"],
        )
    if name == "weeks":
        return (
            alt.Chart(frame)
            .mark_bar()
            .encode(
                x=alt.X("week:T", title="week (Monday)"),
                y=alt.Y("documents:Q"),
                tooltip=["week:T", "documents"],
            )
            .properties(title=title, width=560)
        )
    if name == "places_map":
        return place_figures.map_chart(frame, title)
    if name == "places_top":
        return place_figures.table_chart(frame, title)
    if name == "people_timeline":
        return _weekly_lines(frame, title, who="name", who_title="person", count="mentions")
    if name == "quoted_people":
        return _weekly_lines(frame, title, who="speaker", who_title="speaker", count="quotes")
    if name == "removed_per_document":
        return (
            alt.Chart(frame)
            .mark_bar()
            .encode(
                x=alt.X(
                    "share_from:Q",
                    bin="binned",
                    scale=alt.Scale(domain=[0, 1]),
                    axis=alt.Axis(format="%"),
                    title="share of the document's text removed",
                ),
                x2="share_to:Q",
                y=alt.Y("documents:Q", title="documents"),
                tooltip=[
                    alt.Tooltip("share_from:Q", format=".0%", title="from"),
                    alt.Tooltip("share_to:Q", format=".0%", title="to"),
                    "documents",
                ],
            )
            .properties(title=title, width=480)
        )
    if name == "removed_by_kind":
        return _bar(
            frame,
            "kind",
            "chars",
            title,
            "characters removed",
            ["kind", "chars", "segments", alt.Tooltip("share:Q", format=".1%")],
        )
    if name in ("runtime", "memory"):
        value, axis = ("s", "seconds") if name == "runtime" else ("max_rss_mb", "max RSS (MB)")
        points = (
            alt.Chart(frame)
            .mark_circle(size=50, opacity=0.6)
            .encode(
                y=alt.Y("rule:N", title=None, axis=rule_axis(frame["rule"].unique())),
                x=alt.X(f"{value}:Q", title=axis),
                tooltip=["rule", "job", value],
            )
        )
        peak = (
            alt.Chart(frame)
            .mark_tick(color="black", thickness=2)
            .encode(y="rule:N", x=f"max({value}):Q")
        )
        return (points + peak).properties(title=title, width=480)
    raise ValueError(f"unknown figure {name!r}; known: {', '.join(FIGURES)}")


def figure_spec(name: str, frame: pl.DataFrame) -> dict:
    """The Vega-Lite spec of figure ``name``, whole: :func:`chart` with the data it names.

    Altair's schema validation (a second on every run) is skipped: the charts are built by this
    module's tested code.
    """
    spec = chart(name, frame).to_dict(validate=False)
    shipped = place_figures.datasets(spec)
    if shipped:
        spec["datasets"] = {**spec.get("datasets", {}), **shipped}
    return spec


def write_figures(
    results_dir: str,
    benchmark_files: Iterable[str | Path],
    outputs: Mapping[str, str],
    tables_uri: str | None = None,
) -> None:
    """Write each figure named in ``outputs`` to its path as SVG (tables from ``tables_uri``
    when set, as :func:`figure_frames` reads them)."""
    unknown = set(outputs) - set(FIGURES)
    if unknown:
        raise ValueError(f"unknown figure(s) {sorted(unknown)}; known: {', '.join(FIGURES)}")
    import altair as alt
    import vl_convert

    frames = figure_frames(results_dir, benchmark_files, tables_uri)
    # Every frame is small by construction except run time and memory, one row per job
    # (shards x rules): Altair's 5,000-row guard would fail a run with many shards.
    with alt.data_transformers.enable("default", max_rows=None):
        specs = {name: figure_spec(name, frames[name]) for name in outputs}
    for name, path in outputs.items():
        # vl-convert renders the spec as Altair's save would.
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_text(vl_convert.vegalite_to_svg(specs[name]), path)
        log.info("report: %s (%d rows) -> %s", name, frames[name].height, path)
