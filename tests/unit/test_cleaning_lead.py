"""The article's lead, put back where trafilatura dropped it (cleaning/lead.py)."""

from __future__ import annotations

import lxml.html
import pytest

from newscorpus.cleaning.lead import find_lead, with_lead

LEAD = "The council approved a plan for buses and trains after a long night of debate."
BODY = [
    f"Paragraph {n}: the regional council debated the new transport plan for the valley at "
    "length on Tuesday, and residents spoke about buses, trains and cycle lanes."
    for n in (1, 2, 3)
]
TEXT = "\n".join(BODY)  # what trafilatura kept: the body without the lead


def _page(between: str, before: str = "", headline: str = "<h1>Council backs plan</h1>"):
    paragraphs = "".join(f"<p>{line}</p>" for line in BODY)
    return lxml.html.fromstring(
        f"<html><body>{before}<article>{headline}{between}{paragraphs}</article></body></html>"
    )


def test_a_lead_named_so_between_headline_and_body_is_found_and_put_before_the_body():
    tree = _page(f'<div class="article-intro"><p>{LEAD}</p></div>')
    assert find_lead(tree, TEXT) == (LEAD, find_lead(tree, TEXT)[1])
    assert with_lead(tree, TEXT).split("\n") == [LEAD, *BODY]
    # The line it goes before is the first body line the page shows after the headline.
    assert with_lead(tree, f"Council backs plan\n{TEXT}").split("\n") == [
        "Council backs plan",
        LEAD,
        *BODY,
    ]


@pytest.mark.parametrize(
    "between",
    [
        f'<div class="share-box"><p>{LEAD}</p></div>',  # not named as a lead
        '<div class="teaser"><p>The council approved a plan for buses and trains</p></div>',
        '<div class="teaser"><p>Read the full report.</p></div>',  # a label, not prose
        f'<aside><div class="teaser"><p>{LEAD}</p></div></aside>',
        f'<div class="teaser"><p><a href="/other">{LEAD}</a></p></div>',  # mostly a link
        f'<figure class="lead-image"><img src="a.jpg"><figcaption>{LEAD}</figcaption></figure>',
        f'<div class="newsletter-teaser"><p>{LEAD}</p><form><input name="mail"></form></div>',
        f'<div class="teaser"><h2>Bridge closes</h2><p>{LEAD}</p></div>',  # a teaser card
        f'<div class="lead-media"><p class="caption">{LEAD}</p></div>',
        f'<div class="paywall-teaser"><p>{LEAD}</p></div>',
        # the body's first line more than MAX_STRETCH_CHARS after the headline
        f'<div class="teaser"><p>{LEAD}</p></div><div>{"Share this story. " * 400}</div>',
    ],
    ids=[
        "unnamed",
        "unended",
        "short",
        "aside",
        "linked",
        "figure",
        "form",
        "card",
        "caption",
        "paywall",
        "far",
    ],
)
def test_what_does_not_read_as_a_lead_is_not_one(between):
    assert find_lead(_page(between), TEXT) is None


def test_only_what_lies_between_the_headline_and_the_body_counts():
    lead = f'<div class="teaser"><p>{LEAD}</p></div>'
    before = _page("", before=lead)
    after = lxml.html.fromstring(
        "<html><body><article><h1>Council backs plan</h1>"
        + "".join(f"<p>{line}</p>" for line in BODY)
        + f"{lead}</article></body></html>"
    )
    assert find_lead(before, TEXT) is None
    assert find_lead(after, TEXT) is None
    assert find_lead(_page(lead, headline=""), TEXT) is None  # no headline to place it by
    # A deck inside the headline's own element is the headline's, as trafilatura left it.
    inside = _page("", headline=f'<h1>Council backs plan <span class="deck">{LEAD}</span></h1>')
    assert find_lead(inside, TEXT) is None


def test_nothing_is_added_when_the_text_holds_the_lead_or_the_body_is_not_on_the_page():
    tree = _page(f'<div class="teaser"><p>{LEAD}</p></div>')
    assert find_lead(tree, f"{LEAD}\n{TEXT}") is None
    assert find_lead(tree, f"{TEXT}\n{LEAD}") is None  # kept further down
    assert with_lead(tree, "A text this page does not show anywhere after its headline.") == (
        "A text this page does not show anywhere after its headline."
    )


def test_inline_markup_adds_no_space_to_the_lead():
    inline = (
        '<div class="teaser"><p>The <a href="/council">council</a>, after a long night, '
        "approved a plan for buses on Tues<span>day</span>.</p></div>"
    )
    assert find_lead(_page(inline), TEXT)[0] == (
        "The council, after a long night, approved a plan for buses on Tuesday."
    )


def test_the_innermost_lead_wins_its_blocks_are_lines_and_scripts_are_left_out():
    byline = '<div class="byline">By Jane Doe, Valley Times, on the fourth of December 2023.</div>'
    nested = f'<div class="teaser"><p class="lead">{LEAD}</p>{byline}</div>'
    assert find_lead(_page(nested), TEXT)[0] == LEAD
    author = '<p class="author">Jane Doe, Valley Times</p><span class="time">4 min read</span>'
    wrapped = f'<div class="article-teaser">{author}<p class="lead">{LEAD}</p></div>'
    assert find_lead(_page(wrapped), TEXT)[0] == LEAD
    second = "It came after residents asked for later buses on weekdays."
    blocks = (
        f'<div class="standfirst"><p>{LEAD}</p><script>track("lead.view")</script>'
        f"<p>{second}</p></div>"
    )
    assert find_lead(_page(blocks), TEXT)[0] == f"{LEAD}\n{second}"


def test_the_headline_is_the_nearest_h1_before_the_body_not_a_logo_or_a_card():
    logo = '<header><h1 class="site-title"><a href="/">Valley Times</a></h1></header>'
    card = f'<div class="featured-teaser"><p>{LEAD}</p></div>'
    cards = "".join(
        f'<article class="card"><h1><a href="/{n}">Other story {n}</a></h1>'
        f'<p class="teaser">Card {n} tells of another story in a sentence of some length.</p>'
        "</article>"
        for n in (1, 2)
    )
    related = f'<aside><article><h1>Related</h1><p class="teaser">{LEAD}</p></article></aside>'
    assert find_lead(_page("", before=logo + card + cards), TEXT) is None
    # The page's lead after the article's own headline is found, a sidebar after it is none.
    tree = _page(f'<p class="lead">{LEAD}</p>', before=logo + cards)
    tree.body.append(lxml.html.fragment_fromstring(related))
    assert find_lead(tree, TEXT)[0] == LEAD


def test_a_kicker_inside_the_lead_stays_in_it_and_all_lead_paragraphs_are_the_lead():
    kicker = "Kicker words are eight words long here now."
    inner = f'<div class="intro"><span class="intro-kicker">{kicker}</span> {LEAD}</div>'
    assert find_lead(_page(inner), TEXT)[0] == f"{kicker} {LEAD}"
    second = "It came after residents asked for later buses on weekdays and Sundays."
    two = (
        f'<div class="lead"><p class="lead-text">{LEAD}</p><p class="lead-text">{second}</p></div>'
    )
    assert find_lead(_page(two), TEXT)[0] == f"{LEAD}\n{second}"
    deep = f'<div class="teaser"><div class="intro"><p class="lead">{LEAD}</p></div></div>'
    assert find_lead(_page(deep), TEXT)[0] == LEAD  # once, not once per wrapper


def test_cells_and_other_blocks_are_lines_of_their_own_on_a_minified_page():
    cells = f'<table class="intro"><tr><td>{LEAD}</td><td>A second cell.</td></tr></table>'
    assert find_lead(_page(cells), TEXT)[0] == f"{LEAD}\nA second cell."


def test_a_lead_wrapper_keeps_its_unnamed_paragraphs_and_drops_labels():
    kicker = "Analysis by our transport desk, written this week."
    named = f'<div class="intro"><p class="intro-kicker">{kicker}</p><p>{LEAD}</p></div>'
    assert find_lead(_page(named), TEXT)[0] == f"{kicker}\n{LEAD}"
    # "Minister" is a label, and the body naming a minister does not make the lead a copy.
    label = f'<div class="lead"><div>Council</div>{LEAD}</div>'
    assert find_lead(_page(label), TEXT)[0] == LEAD
    # A short line the body happens to hold ("lanes.") does not make the lead a copy either.
    short = f'<div class="lead">Lanes.<br>{LEAD}</div>'
    assert find_lead(_page(short), TEXT)[0] == f"Lanes.\n{LEAD}"
