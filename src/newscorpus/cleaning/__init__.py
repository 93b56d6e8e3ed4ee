"""Text cleaning: boilerplate, tails and repeats removed, every removal kept for audit.

Public interface (used by :mod:`newscorpus.stages.clean`):
``clean(raw, fmt, settings) -> CleanResult`` and ``VERSION``.

Steps, each in its own module: the scraper's metadata ``header``; words ``glued`` together by
a plain-text scrape split (kind ``repair``: the row's text is the token as it was, the clean
text has it with one space at the split); photo ``captions``; marker
lines and the blocks they start, and tails known by their structure (``tails``, phrases from
``data/markers.yaml``); ``repeats``; then ``assemble`` rejoins broken paragraphs. HTML is first
reduced to its main text by trafilatura (``html``), and the same steps run on that text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from newscorpus.config import section

from .assemble import assemble
from .captions import find_caption
from .glued import find_repairs
from .header import find_header
from .html import extract
from .markers import load_markers
from .page import mark_headline, page_lines
from .repeats import mark_repeats
from .tails import mark_dangling_headings, mark_headline_run, mark_lone_signature, mark_markers
from .text import Line, line_with_span, normalise, split_lines

VERSION = "3"


@dataclass(slots=True)
class RemovedSegment:
    kind: str  # header, tail, comments, caption, signature, duplicate, ...
    rule: str  # what decided it (marker text, "structure", ...)
    start: int  # offsets into the text that cleaning started from
    end: int
    text: str


@dataclass(slots=True)
class CleanResult:
    text: str
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    url: str | None = None
    meta_date: dt.date | None = None
    header_date: dt.date | None = None
    removed: list[RemovedSegment] = field(default_factory=list)


def clean(raw: str, fmt: str, settings: dict) -> CleanResult:
    """Clean one document; ``fmt`` is "txt" or "html", ``settings`` the ``clean:`` config
    (keys it lacks take the defaults of ``config/schema.yaml``)."""
    options = section("clean", settings)
    markers = load_markers(options["extra_markers"])
    if fmt == "html":
        page = extract(raw, options)
        result = _clean_text(
            page.text, options, markers, plain=False, hints=page.hints, title=page.title
        )
        result.title, result.author, result.sitename = page.title, page.author, page.sitename
        result.url, result.meta_date = page.url, page.date
        return result
    if fmt == "txt":
        return _clean_text(raw, options, markers, plain=True)
    raise ValueError(f"clean: unknown format {fmt!r}; expected 'txt' or 'html'")


def _clean_text(
    source: str,
    options: dict,
    markers,
    plain: bool,
    hints: dict | None = None,
    title: str | None = None,
) -> CleanResult:
    """``plain``: a .txt scrape (may carry a metadata header and a lone source line).

    ``hints``: what the HTML page says about its lines (page.py). With them, tails are decided
    from the page (link lines, headings, navigation and teaser boxes); the rules that judge a
    tail by the shape of its text alone run on plain text only. ``title``: the page's headline
    (its metadata), which the body does not repeat.
    """
    removed: list[RemovedSegment] = []
    header_date = None
    offset = 0
    if plain:
        found = find_header(source)
        if found is not None:
            offset, header_date = found
            removed.append(RemovedSegment("header", "header:date", 0, offset, source[:offset]))
    lines = split_lines(source, offset)
    repairs: list[RemovedSegment] = []
    if plain and options["repair_glued_words"]:
        repairs = _repair_glued(source, offset, lines)
    lines = _cut_captions(source, lines, markers, removed)
    if hints is None:
        mark_markers(lines, markers)
        if options["structure_tails"]:
            mark_headline_run(lines)
            mark_lone_signature(lines)
            mark_dangling_headings(lines, short_signature=plain)
    else:
        of_page = page_lines(lines, hints)
        if title:
            mark_headline(lines, title)
        mark_markers(lines, markers, of_page.in_link_block)
        if options["structure_tails"]:
            of_page.mark_link_lines()
            of_page.mark_outside()
    if options["drop_repeats"]:
        mark_repeats(lines)
    removed.extend(_segments(source, lines))
    kept_spans = [(line.start, line.end) for line in lines if line.kind is None]
    removed.extend(r for r in repairs if _inside_any(r, kept_spans))
    removed.sort(key=lambda segment: (segment.start, segment.end))
    return CleanResult(text=assemble(lines), header_date=header_date, removed=removed)


def _repair_glued(source: str, offset: int, lines: list[Line]) -> list[RemovedSegment]:
    """Split glued tokens inside ``lines`` (their text is renormalised); one row per repair."""
    repairs = [r for r in find_repairs(source[offset:])]
    if not repairs:
        return []
    rows: list[RemovedSegment] = []
    by_line: dict[int, list] = {}
    position = 0
    for repair in repairs:
        start, end = offset + repair.start, offset + repair.end
        while position < len(lines) and lines[position].end < end:
            position += 1
        if position == len(lines) or lines[position].start > start:
            continue
        by_line.setdefault(position, []).append(offset + repair.split_at)
        rows.append(RemovedSegment("repair", "repair:glued-words", start, end, repair.original))
    for position, cuts in by_line.items():
        line = lines[position]
        pieces, previous = [], line.start
        for cut in cuts:
            pieces.append(source[previous:cut])
            previous = cut
        pieces.append(source[previous : line.end])
        line.text = normalise(" ".join(pieces))
    return rows


def _inside_any(segment: RemovedSegment, spans: list[tuple[int, int]]) -> bool:
    return any(start <= segment.start and segment.end <= end for start, end in spans)


def _cut_captions(
    source: str, lines: list[Line], markers, removed: list[RemovedSegment]
) -> list[Line]:
    kept: list[Line] = []
    for line in lines:
        found = find_caption(source, line, markers)
        if found is None:
            kept.append(line)
            continue
        start, end, label = found
        rule = f"marker:{label}"
        if start <= line.start and end >= line.end:
            line.kind, line.rule = "caption", rule
            kept.append(line)
            continue
        removed.append(RemovedSegment("caption", rule, start, end, source[start:end]))
        if end >= line.end:
            kept.append(line_with_span(source, line, line.start, start))
        else:  # a credit in parentheses inside the line: the words around it stay one line
            line.text = normalise(source[line.start : start] + " " + source[end : line.end])
            kept.append(line)
    return kept


def _segments(source: str, lines: list[Line]) -> list[RemovedSegment]:
    """Consecutive lines removed by the same rule become one segment."""
    runs: list[list] = []  # [kind, rule, start, end]
    previous_removed = False
    for line in lines:
        if line.kind is None:
            previous_removed = False
            continue
        rule = line.rule or line.kind
        if previous_removed and runs[-1][0] == line.kind and runs[-1][1] == rule:
            runs[-1][3] = line.end
        else:
            runs.append([line.kind, rule, line.start, line.end])
        previous_removed = True
    return [
        RemovedSegment(kind, rule, start, end, source[start:end]) for kind, rule, start, end in runs
    ]
