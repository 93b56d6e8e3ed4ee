"""Marker lines and the blocks they start; tails recognised by their structure alone."""

from __future__ import annotations

from collections.abc import Callable

from .markers import SEGMENT_KIND, Markers, match_line
from .shapes import is_body, is_bullet, is_headline, is_lead_in, is_prose, is_teaser, word_count
from .text import Line

MIN_HEADLINE_RUN = 3  # trailing headline-like lines that make a tail without a marker
MAX_SIGNATURE_WORDS = 25
MAX_LONE_SIGNATURE_WORDS = 4  # "DailyMail" alone on the line before a tail
MAX_DANGLING_HEADING_WORDS = 12


def mark_markers(
    lines: list[Line], markers: Markers, in_link_block: Callable[[Line], bool] | None = None
) -> None:
    """Set kind and rule on every line a marker removes.

    A link-list marker ("Related", "Keep reading:") removes the lines after it up to the next
    prose paragraph. After the body has begun, a comments marker removes everything up to the
    next block marker (or the end); before it, a comments marker ends at prose like a link
    list, so a comment box above the article never takes the article. A block marker inside an
    open block starts the next block, so the lines between two blocks go with the first one.
    Other markers remove their own line only. With ``in_link_block`` (HTML: what the page says
    about a line), a link-list block goes on over the lines it accepts, not over short lines.
    """
    body_seen = False
    block: tuple[str, str, bool] | None = None  # (kind, rule, runs to the end) of the open block
    for line in lines:
        if line.kind is not None:
            continue
        match = match_line(line.text, markers)
        if match is None:
            if block is not None and (block[2] or _continues_block(line, in_link_block)):
                line.kind, line.rule = block[0], block[1]
                continue
            block = None
            body_seen = body_seen or is_body(line.text)
            continue
        rule = f"marker:{match.phrase}"
        starts_block = match.kind == "comments" or (match.kind == "tail" and match.whole_line)
        if starts_block:
            block = (match.kind, rule, match.kind == "comments" and body_seen)
        elif match.kind == "signature" and word_count(line.text) > MAX_SIGNATURE_WORDS:
            continue
        elif match.kind == "tail" and is_prose(line.text):
            # "Read more: <headline>" is a link; "... keep reading. I'm about to show you how
            # to ..." is the article talking to its reader.
            body_seen = body_seen or is_body(line.text)
            continue
        line.kind, line.rule = SEGMENT_KIND.get(match.kind, match.kind), rule


def mark_headline_run(lines: list[Line]) -> None:
    """A run of headline or teaser lines closing the text is a tail, marker or not."""
    run: list[Line] = []
    teasers = 0
    first = len(lines)
    for position in range(len(lines) - 1, -1, -1):
        line = lines[position]
        if line.kind is not None:
            continue
        if is_teaser(line.text) and not is_bullet(line.text):
            teasers += 1
        elif not is_headline(line.text):
            break
        run.append(line)
        first = position
    body_before = any(line.kind is None and is_body(line.text) for line in lines[:first])
    if body_before and (len(run) >= MIN_HEADLINE_RUN or (teasers and len(run) >= 2)):
        for line in run:
            line.kind, line.rule = "tail", "structure:headline-run"


def mark_lone_signature(lines: list[Line]) -> None:
    """A few words alone on the last kept line, right before a tail: a source signature."""
    kept = [position for position, line in enumerate(lines) if line.kind is None]
    if len(kept) < 2:
        return
    last = kept[-1]
    line = lines[last]
    if not is_headline(line.text) or word_count(line.text) > MAX_LONE_SIGNATURE_WORDS:
        return
    followed_by_tail = last + 1 < len(lines) and lines[last + 1].kind in ("tail", "comments")
    if followed_by_tail:
        line.kind, line.rule = "signature", "structure:short-line-before-tail"


def mark_dangling_headings(lines: list[Line], short_signature: bool) -> None:
    """Headings or "...:" lead-ins left last, with nothing under them, after the body.

    They introduced a link list or gallery that extraction already dropped. A line of a few
    words is a sign-off or date rather than a heading and stays, unless ``short_signature``
    (plain-text scrapes, where such a last line is the source's name: "DailyMail").
    """
    kept = [line for line in lines if line.kind is None]
    while len(kept) >= 2:
        line = kept[-1]
        text = line.text
        words = word_count(text)
        if words > MAX_DANGLING_HEADING_WORDS or not (is_headline(text) or is_lead_in(text)):
            return
        if not any(is_body(other.text) for other in kept[:-1]):
            return
        if words <= MAX_LONE_SIGNATURE_WORDS and not is_lead_in(text):
            if not short_signature:
                return
            line.kind, line.rule = "signature", "structure:short-last-line"
        else:
            line.kind, line.rule = "tail", "structure:dangling-heading"
        kept.pop()


def _continues_block(line: Line, in_link_block: Callable[[Line], bool] | None) -> bool:
    if in_link_block is not None:
        return in_link_block(line)
    return not is_prose(line.text)
