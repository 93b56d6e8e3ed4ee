"""What the HTML says about a line of extracted text: link text, heading, navigation block.

trafilatura gives plain text; the page it came from still knows which of those lines were
links (a related-articles list is a run of anchors), headings, or blocks outside the article
(``nav``, ``aside``, ``footer``, ``menu``; class names such as "related" or "share" were
measured too: on the boilerplate set they mark wrappers of the article itself and removed gold
text on 38 of the 80 pages they fired on, so they decide nothing). Each block element's text is
indexed by a key that ignores white space and case, so an extracted line finds the element it
came from. Lines no element matches get no hint and are judged by the text rules alone.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from newscorpus.util.text import fold

from .shapes import is_body, is_field, is_prose, word_count

BLOCK_TAGS = frozenset(
    [
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "dt",
        "dd",
        "td",
        "th",
        "blockquote",
        "figcaption",
        "caption",
        "div",
        "section",
        "span",
        "a",
    ]
)
HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
OUTSIDE_TAGS = frozenset(("nav", "aside", "footer", "menu"))
MAX_ELEMENT_CHARS = 2000  # longer blocks are prose containers, never a link line
LINK_LINE_SHARE = 0.8  # of the line's characters inside anchors
MAX_HEADING_WORDS = 12  # a list's title; longer lines are prose
HEADLINE_WITHIN_LINES = 4  # opening lines (kicker, dateline, byline) a headline may follow
TEASER_MIN_WORDS = 6  # a linked line this long, alone between paragraphs, is a headline
LABELLED_LINK_SHARE = 0.6
ENTRY_FIELD_MIN = 3  # lines, one label, a few words linked to other sites: a field of entries
ENTRY_FIELD_WORDS = 3  # "@name", "@a, @b, @c": an account or a name, not a headline
# "Lea más: ", "PUEDES VER: ", "Auch lesen: ": up to four words and a colon, then the link.
_LABEL = re.compile(r"^[^\W\d][^:.!?]{0,30}?(?<!\d):\s+\S")


@dataclass(slots=True)
class Hint:
    link_share: float  # characters inside <a> over all characters of the element
    heading: bool
    outside: bool  # inside nav, aside, footer or menu
    # For a table of contents' link: the unlinked heading of the article it names.
    listed: Hint | None = None
    # Every link of the element points to another site than the page's own (a source cited).
    offsite: bool = False


def line_key(text: str) -> str:
    return fold(text, keep_accents=True).replace(" ", "")


def page_hints(tree) -> dict[str, Hint]:
    """Key of each block element's text -> what the page says about it (first element wins).

    A table of contents is told apart: a link to a part of a page (an address with a
    ``#fragment``) whose text an unlinked heading of the article repeats carries that heading's
    hint as ``listed``, and :class:`PageLines` gives it to the line that is the heading. Other
    links shown again as headings stay links (teaser lists give each headline a heading of its
    own), and a text a nav, aside or footer shows first keeps that hint (breadcrumbs repeat the
    title and section names).
    """
    hints: dict[str, Hint] = {}
    _walk(tree, False, False, hints, set(), _page_site(tree))
    return hints


# Second-level labels under which a country's sites register (bbc.co.uk, abc.net.au).
_SECOND_LEVEL = frozenset(("co", "com", "net", "org", "gov", "ac", "edu", "ne", "or"))


def _site(url: str) -> str | None:
    """The site an absolute address belongs to: its host without subdomains (news.bbc.co.uk
    and www.bbc.co.uk are bbc.co.uk); None for a relative address or another scheme."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", "") or not parts.hostname:
        return None
    labels = parts.hostname.lower().rstrip(".").split(".")
    keep = 3 if len(labels) > 2 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def _page_site(tree) -> str | None:
    """The site of the page's own address (canonical link, og:url or base), when it says."""
    for path in (
        "//link[@rel='canonical']/@href",
        "//meta[@property='og:url']/@content",
        "//base/@href",
    ):
        for value in tree.xpath(path):
            site = _site(str(value))
            if site:
                return site
    return None


def _walk(
    element,
    outside: bool,
    heading: bool,
    hints: dict[str, Hint],
    sections: set[str],
    site: str | None,
) -> tuple[str, int, int]:
    """Visit ``element``; returns its subtree's key text, how many of its characters are
    inside anchors, and how many inside anchors to another site than ``site`` (the page's;
    None: unknown, so none is). Script and style text never counts. ``sections`` collects the
    texts of links to a named part of a page."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("script", "style") or not tag:
        return "", 0, 0
    outside = outside or tag in OUTSIDE_TAGS
    heading = heading or tag in HEADING_TAGS
    pieces = [line_key(element.text or "")]
    links = offsite = 0
    # An anchor without an address (<a name="...">) is a place to link to, not a link.
    href = (element.get("href") or "").strip() if tag == "a" else ""
    link = bool(href)
    for child in element:
        child_text, child_links, child_offsite = _walk(
            child, outside, heading, hints, sections, site
        )
        tail = line_key(child.tail or "")
        pieces += (child_text, tail)
        links += child_links + (len(tail) if link else 0)
        offsite += child_offsite
    key = "".join(pieces)
    if link:
        links = len(key)
        target = _site(href) if site else None
        offsite = links if target is not None and target != site else 0
        if href.partition("#")[2]:  # a named part; a bare "#" is a script's placeholder
            sections.add(key)
    if tag in BLOCK_TAGS and key and len(key) <= MAX_ELEMENT_CHARS:
        hint = Hint(links / len(key), heading, outside, offsite=0 < links <= offsite)
        first = hints.get(key)
        if first is None:
            hints[key] = hint
        elif (
            key in sections
            and tag in HEADING_TAGS
            and links == 0
            and not outside
            and not first.outside
        ):
            first.listed = hint
    return key, links, offsite


def mark_headline(lines: list, title: str) -> None:
    """The page's headline where the extracted text opens with it: it is the document's
    ``title``, not a line of the body. Only the first few lines before any body paragraph are
    the opening (a kicker, a dateline or a byline may come before the headline)."""
    key = line_key(title)
    if not key:
        return
    opening = (line for line in lines if line.kind is None)
    for line in itertools.islice(opening, HEADLINE_WITHIN_LINES):
        if line_key(line.text) == key:
            line.kind, line.rule = "title", "page:headline"
            return
        if is_body(line.text):
            return


def _is_teaser_link(text: str, hint: Hint) -> bool:
    """A paragraph that is one link of a headline's length, not a heading of the article: a
    teaser for another article of the site set between paragraphs ("Plane passengers
    quarantined after a plague outbreak [NEWS]"). A linked subheading is a heading; a linked
    product or place name is a few words; a link to another site is the source a post cites."""
    return (
        not hint.heading
        and not hint.offsite
        and word_count(text, TEASER_MIN_WORDS) >= TEASER_MIN_WORDS
    )


def is_link_line(hint: Hint | None) -> bool:
    return hint is not None and hint.link_share >= LINK_LINE_SHARE


class PageLines:
    """The extracted lines of one page beside the hints of its HTML."""

    def __init__(self, lines: list, hints: dict[str, Hint]) -> None:
        self.lines = lines
        keys = [line_key(line.text) for line in lines]
        count, seen = Counter(keys), Counter()
        self.hints = []
        for key in keys:
            hint = hints.get(key)
            seen[key] += 1
            # A contents entry the text still holds comes before the heading it names.
            if hint is not None and hint.listed is not None and (count[key] == 1 or seen[key] > 1):
                hint = hint.listed
            self.hints.append(hint)
        self._by_line = {id(line): hint for line, hint in zip(lines, self.hints, strict=True)}

    def in_link_block(self, line) -> bool:
        """A line a link-list block (after "Related", "Keep reading") goes on over."""
        hint = self._by_line.get(id(line))
        return hint is not None and (hint.link_share >= LINK_LINE_SHARE or hint.outside)

    def mark_link_lines(self) -> None:
        """Kept lines the page shows as links, where they are not part of the article.

        A link line (almost all anchor text) goes when it is one of a run of link lines (a link
        list), when only links follow the last body paragraph (a tail), or when it is a label and a
        link ("Lea más: <headline>", "MIRA: <headline>") beside no labelled value that is not a link
        (then it is an entry of the article's list: "Earcuff: Zoeca", "Kreole: <link>") and not one
        of ENTRY_FIELD_MIN lines or more with the same label before a few words (at most
        ENTRY_FIELD_WORDS) linked to other sites (a field of each entry of a list: "Account: @name"
        under each blogger). A single link line inside the body goes when it is a headline's length
        and no heading (a teaser for another article); a linked subheading or a few linked words (a
        product name) are the article's own and stay.
        """
        kept = [
            (line, hint)
            for line, hint in zip(self.lines, self.hints, strict=True)
            if line.kind is None
        ]
        body = [i for i, (line, _) in enumerate(kept) if is_body(line.text)]
        first_body, last_body = (body[0], body[-1]) if body else (-1, -1)
        links = [is_link_line(hint) and not is_prose(line.text) for line, hint in kept]
        # After the body, links are a tail only when nothing but links follows: links between
        # lines of text ("<name>" then what it is, item after item) are a list of the article.
        tail_of_links = last_body >= 0 and all(
            links[i] or (kept[i][1] is not None and kept[i][1].heading)
            for i in range(last_body + 1, len(kept))
        )
        labels = [_LABEL.match(line.text) is not None for line, _ in kept]
        linked = [hint is not None and hint.link_share >= LABELLED_LINK_SHARE for _, hint in kept]

        def in_label_list(position: int) -> bool:
            # "Earcuff: Zoeca" then "Kreole: <a>Stella Hoops</a>": beside a field (a one-word
            # label and a value) that is not a link, a labelled link is one more entry of the
            # article's list. A paragraph opening with a label ("Update: police said ...") is no
            # such field.
            return any(
                0 <= other < len(kept)
                and is_field(kept[other][0].text)
                and not is_body(kept[other][0].text)
                and not linked[other]
                for other in (position - 1, position + 1)
            )

        # "Аккаунт: @name" under each blogger of a list: the same label before a few linked
        # words on another site, line after line of the article's entries, is a field of each.
        # More words after the label are a headline: a teaser for another site's article.
        def field_label(position: int) -> str | None:
            line, hint = kept[position]
            label, _, value = line.text.partition(":")
            short = word_count(value.strip(), ENTRY_FIELD_WORDS + 1) <= ENTRY_FIELD_WORDS
            return fold(label) if hint.offsite and short else None

        entry_fields = Counter(
            field_label(position)
            for position in range(len(kept))
            if labels[position] and linked[position]
        )

        def is_entry_field(position: int) -> bool:
            label = field_label(position)
            return label is not None and entry_fields[label] >= ENTRY_FIELD_MIN

        for position, (line, hint) in enumerate(kept):
            if (
                labels[position]
                and linked[position]
                and not in_label_list(position)
                and not is_entry_field(position)
            ):
                line.kind, line.rule = "tail", "page:label-and-link"
                continue
            if not links[position]:
                continue
            in_run = (position > 0 and links[position - 1]) or (
                position + 1 < len(links) and links[position + 1]
            )
            if in_run:
                line.kind, line.rule = "tail", "page:link-list"
            elif position > last_body >= 0 and tail_of_links:
                line.kind, line.rule = "tail", "page:link-after-body"
            elif first_body < position < last_body and _is_teaser_link(line.text, hint):
                line.kind, line.rule = "tail", "page:teaser-link"
        self._mark_list_headings()

    def mark_outside(self) -> None:
        """Lines of a nav, aside or footer, or of a teaser or related-content box."""
        for line, hint in zip(self.lines, self.hints, strict=True):
            if line.kind is None and hint is not None and hint.outside:
                line.kind, line.rule = "tail", "page:outside-article"

    def _mark_list_headings(self) -> None:
        """A heading or a "...:" lead-in right before a removed link list is that list's title."""
        previous = None
        for line, hint in zip(self.lines, self.hints, strict=True):
            if line.kind is None:
                previous = (line, hint)
                continue
            if line.rule == "page:link-list" and previous is not None:
                head, head_hint = previous
                short = len(head.text.split()) <= MAX_HEADING_WORDS
                titled = (head_hint is not None and head_hint.heading) or head.text.endswith(":")
                if short and titled and not is_prose(head.text):
                    head.kind, head.rule = "tail", "page:link-list-heading"
            previous = None


def page_lines(lines: list, hints: dict[str, Hint]) -> PageLines:
    return PageLines(lines, hints)
