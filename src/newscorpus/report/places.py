"""The report's places: a map of the places mentioned and a table of the most named.

The outline is Natural Earth's 1:110m countries as TopoJSON (``data/world-countries-110m.json``,
shipped in the package): nothing is fetched when the report is drawn or opened. The map shows
the whole world, or the region the places lie in when they lie close together (a corpus about
Ukraine gets Ukraine and its neighbours, not a dot on a globe).
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib.resources import files

import polars as pl

TOP_PLACES = 20
MAP_POINTS = 500  # the points' data is inlined in the SVG's spec: keep it bounded
_WORLD_SPAN = (60.0, 35.0)
_MAP_SHARE = 0.9  # wider or taller than this (degrees): draw the whole world
_MARGIN_DEGREES = 3.0
MAP_WIDTH, MAP_HEIGHT = 640, 400
# The outline's data, named in the map's spec and attached to it once it is built
# (:func:`datasets`): Altair copies inline data at every step, and this is 108 kB of JSON.
WORLD = "world-countries-110m"


def place_mentions(entities: pl.LazyFrame, places: pl.LazyFrame) -> pl.DataFrame:
    """Per resolved place: its row of ``places`` with mentions and documents, most named first."""
    counts = (
        entities.filter(pl.col("place_id").is_not_null())
        .group_by("place_id")
        .agg(mentions=pl.len(), documents=pl.col("doc_id").n_unique())
    )
    return (
        counts.join(places, on="place_id", how="inner")
        .sort(["mentions", "name", "place_id"], descending=[True, False, False])
        .collect()
    )


def map_points(mentions: pl.DataFrame, limit: int = MAP_POINTS) -> pl.DataFrame:
    return mentions.head(limit).select(
        "name", "country_code", "feature", "latitude", "longitude", "mentions", "documents"
    )


def top_places(mentions: pl.DataFrame, top: int = TOP_PLACES) -> pl.DataFrame:
    return mentions.head(top).select(
        rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int64),
        name="name",
        country=pl.col("country_code").fill_null(""),
        region=pl.coalesce("admin1_name", "admin1").fill_null(""),
        feature="feature",
        latitude=pl.col("latitude").round(3),
        longitude=pl.col("longitude").round(3),
        mentions="mentions",
        documents="documents",
    )


@cache
def world_topology() -> dict:
    raw = (files("newscorpus") / "data" / "world-countries-110m.json").read_bytes()
    return json.loads(raw)


def datasets(spec: dict) -> dict[str, dict]:
    """The data a Vega-Lite ``spec`` names that this module ships, by name (top-level
    ``datasets`` of the spec)."""

    def names(node) -> set[str]:
        if isinstance(node, dict):
            found = {node["name"]} if isinstance(node.get("name"), str) else set()
            return found.union(*(names(value) for value in node.values()))
        if isinstance(node, list):
            return set().union(*(names(value) for value in node))
        return set()

    return {WORLD: world_topology()} if WORLD in names(spec) else {}


def map_extent(points: pl.DataFrame) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) to fit the map to, or None for the whole world.

    Fitted to the towns, villages and regions that hold 90 % of their mentions (countries are
    drawn at a central point, which says little about where a story is).
    """
    local = points.filter(pl.col("feature") != "country").sort(
        ["mentions", "name"], descending=[True, False]
    )
    if local.is_empty():
        return None
    share = local["mentions"].cum_sum() / local["mentions"].sum()
    local = local.filter(share.shift(1, fill_value=0.0) < _MAP_SHARE)
    west, east = local["longitude"].min(), local["longitude"].max()
    south, north = local["latitude"].min(), local["latitude"].max()
    if east - west > _WORLD_SPAN[0] or north - south > _WORLD_SPAN[1]:
        return None
    pad_lon = max(_MARGIN_DEGREES, (east - west) * 0.15)
    pad_lat = max(_MARGIN_DEGREES, (north - south) * 0.15)
    return (
        max(-180.0, west - pad_lon),
        max(-85.0, south - pad_lat),
        min(180.0, east + pad_lon),
        min(85.0, north + pad_lat),
    )


def map_chart(points: pl.DataFrame, title: str):
    """Points sized by mentions on the country outlines, fitted to where the places are."""
    import altair as alt

    extent = map_extent(points)
    if extent is None:
        projection = {"type": "equalEarth"}
    else:
        # Mercator centred on the extent and scaled to fill the frame (Vega-Lite would
        # otherwise fit the projection to the whole world's outlines).
        west, south, east, north = extent

        def y(latitude: float) -> float:
            return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))

        scale = min(MAP_WIDTH / math.radians(east - west), MAP_HEIGHT / (y(north) - y(south)))
        middle = math.degrees(2 * math.atan(math.exp((y(north) + y(south)) / 2)) - math.pi / 2)
        projection = {
            "type": "mercator",
            "center": [(west + east) / 2, middle],
            "scale": scale,
            "translate": [MAP_WIDTH / 2, MAP_HEIGHT / 2],
            "clipExtent": [[0, 0], [MAP_WIDTH, MAP_HEIGHT]],
        }
    outline = (
        alt.Chart(alt.Data(name=WORLD, format=alt.DataFormat(type="topojson", feature="countries")))
        .transform_filter("datum.id !== '010'")  # Antarctica: no news, much paper
        .mark_geoshape(fill="#eeeeee", stroke="#999999", strokeWidth=0.5)
        .project(**projection)
    )
    dots = (
        alt.Chart(points)
        .mark_circle(opacity=0.7, stroke="white", strokeWidth=0.5)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size("mentions:Q", title="mentions", scale=alt.Scale(range=[20, 900])),
            color=alt.Color(
                "feature:N",
                title="kind",
                scale=alt.Scale(domain=["country", "region", "city", "village"]),
            ),
            tooltip=["name", "country_code", "feature", "mentions", "documents"],
        )
        .project(**projection)
    )
    return (outline + dots).properties(title=title, width=MAP_WIDTH, height=MAP_HEIGHT)


def table_chart(frame: pl.DataFrame, title: str):
    """The most named places as a table drawn in SVG (one text column per field)."""
    import altair as alt

    columns = [
        "name",
        "country",
        "region",
        "feature",
        "latitude",
        "longitude",
        "mentions",
        "documents",
    ]
    long = frame.select("rank", *[pl.col(c).cast(pl.String).alias(c) for c in columns]).unpivot(
        index="rank", on=columns, variable_name="column", value_name="value"
    )
    return (
        alt.Chart(long)
        .mark_text(align="left", baseline="middle", fontSize=12)
        .encode(
            y=alt.Y("rank:O", title=None, axis=alt.Axis(ticks=False, domain=False)),
            x=alt.X(
                "column:N",
                sort=columns,
                title=None,
                axis=alt.Axis(orient="top", labelAngle=0, ticks=False, domain=False),
            ),
            text="value:N",
        )
        .properties(title=title, width=90 * len(columns), height=22 * max(frame.height, 1))
    )
