"""HTML cleaning: trafilatura's main text, metadata kept, the same text cleaning after it."""

from __future__ import annotations

import datetime as dt

import pytest

from newscorpus.cleaning import clean

SETTINGS = {"extra_markers": {}}

BODY = " ".join(
    f"<p>Paragraph {n}: the regional council debated the new transport plan for the valley "
    f"at length on Tuesday, and residents spoke about buses, trains and cycle lanes.</p>"
    for n in range(1, 6)
)

PAGE = f"""<!DOCTYPE html>
<html><head>
<title>Council backs transport plan</title>
<meta property="og:site_name" content="Valley Times">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2023-03-14T09:00:00Z">
<link rel="canonical" href="https://example.org/news/transport-plan">
<script>var tracking = "SECRET_SCRIPT_TEXT";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council backs transport plan</h1>
{BODY}
<p>Paragraph 1: the regional council debated the new transport plan for the valley at length
on Tuesday, and residents spoke about buses, trains and cycle lanes.</p>
<h2>You May Also Like</h2>
<p><a href="/bridge">Bridge closed for repairs until May</a></p>
<p><a href="/school">New school opens in the north of the valley</a></p>
<p><a href="/cup">Local team wins the cup after extra time</a></p>
<script>document.write("MORE_SCRIPT_TEXT");</script>
</article>
<footer>Copyright Valley Times</footer>
</body></html>"""


def test_main_text_and_metadata_are_extracted():
    result = clean(PAGE, "html", SETTINGS)
    assert "Paragraph 3: the regional council" in result.text
    assert result.title == "Council backs transport plan"
    assert result.sitename == "Valley Times"
    assert result.author == "Jane Doe"
    assert result.url == "https://example.org/news/transport-plan"
    assert result.meta_date == dt.date(2023, 3, 14)
    assert result.header_date is None


def test_script_text_never_reaches_the_text():
    result = clean(PAGE, "html", SETTINGS)
    assert "SCRIPT_TEXT" not in result.text
    assert "tracking" not in result.text


def test_tail_and_repeat_left_by_trafilatura_are_removed_with_offsets():
    result = clean(PAGE, "html", SETTINGS)
    assert result.text.count("Paragraph 1: the regional council") == 1
    assert "Bridge closed for repairs" not in result.text
    assert "You May Also Like" not in result.text
    assert {segment.kind for segment in result.removed} >= {"duplicate", "tail"}
    assert "\n\n" in result.text


@pytest.mark.parametrize(
    "broken",
    [
        "",
        "   ",
        "<html><body><p>Unclosed <b>tags <i>everywhere",
        "<<<>>></p></div><p",
        "\x00\x01\x02 not html at all \x03",
        "<html><body><script>alert('only a script')",
        "<p>" * 5000,
    ],
)
def test_broken_or_empty_html_does_not_raise(broken):
    result = clean(broken, "html", SETTINGS)
    assert isinstance(result.text, str)
    assert "alert" not in result.text


def test_page_without_date_has_no_meta_date():
    page = "<html><body><article>" + BODY + "</article></body></html>"
    result = clean(page, "html", SETTINGS)
    assert result.meta_date is None
    assert "Paragraph 5" in result.text


def test_noscript_and_template_text_never_reach_the_clean_text():
    body = " ".join(["The council approved the new budget for the city of Lviv on Monday."] * 6)
    page = (
        "<html><head><title>Budget</title></head><body><article>"
        f"<p>{body}</p>"
        "<noscript><p>Please enable JavaScript to view the comments powered by Disqus.</p>"
        "</noscript><template><p>Widget placeholder text for the share bar.</p></template>"
        f"<p>{body}</p></article></body></html>"
    )
    text = clean(page, "html", {}).text
    assert "council approved" in text
    assert "enable JavaScript" not in text and "Widget placeholder" not in text


def test_list_closing_an_article_stays_when_the_page_shows_no_links():
    # issue 17: tour dates (a list after the body, no anchors) were cut as a headline run.
    dates = "".join(
        f"<li>{day} March – {city}, Town Hall</li>"
        for day, city in ((3, "Leeds"), (5, "York"), (9, "Hull"), (12, "Bath"))
    )
    page = f"<html><body><article><h1>Band announces tour</h1>{BODY}<ul>{dates}</ul>"
    page += "</article></body></html>"
    result = clean(page, "html", SETTINGS)
    for city in ("Leeds", "York", "Hull", "Bath"):
        assert f"March – {city}, Town Hall" in result.text
    # Only the headline left the body (it is the title).
    assert [(segment.kind, segment.text) for segment in result.removed] == [
        ("title", "Band announces tour")
    ]


def _page_lines(html: str, text: str | None = None):
    """Lines as an extractor would give them (each block's text), beside the page's hints."""
    import lxml.html

    from newscorpus.cleaning.page import page_hints, page_lines
    from newscorpus.cleaning.text import split_lines

    tree = lxml.html.fromstring(html)
    if text is None:
        blocks = tree.iter("p", "h2", "li")
        text = "\n".join(" ".join(block.text_content().split()) for block in blocks)
    lines = split_lines(text)
    return lines, page_lines(lines, page_hints(tree))


PROSE = (
    "The regional council debated the new transport plan for the valley at length on Tuesday, "
    "and residents spoke about buses, trains and cycle lanes."
)


def test_link_lines_go_in_a_list_after_the_body_and_after_a_label_only():
    lines, of_page = _page_lines(
        f"<div><p>{PROSE}</p>"
        '<h2><a href="/a">A linked subheading of the article</a></h2>'
        f"<p>{PROSE} Again.</p>"
        '<p>Lea más: <a href="/b">Juan Carlos propone legalizar la venta de cannabis</a></p>'
        f"<p>{PROSE} Once more.</p>"
        '<li><a href="/c">Bridge closed for repairs until May</a></li>'
        '<li><a href="/d">New school opens in the north</a></li>'
        "<li>Tour dates: 3 March, Leeds</li></div>"
    )
    of_page.mark_link_lines()
    rules = {line.text[:20]: line.rule for line in lines}
    assert rules == {
        PROSE[:20]: None,
        "A linked subheading ": None,
        "Lea más: Juan Carlos": "page:label-and-link",
        "Bridge closed for re": "page:link-list",
        "New school opens in ": "page:link-list",
        "Tour dates: 3 March,": None,
    }


def test_a_lone_link_after_the_body_is_a_tail_and_script_text_is_no_part_of_a_line():
    lines, of_page = _page_lines(
        f"<div><p>{PROSE}</p>"
        '<p><script>var x = "hidden";</script><a href="/e">Subscribe to the weekly digest</a></p>'
        "</div>",
        f"{PROSE}\nSubscribe to the weekly digest",
    )
    of_page.mark_link_lines()
    assert [line.rule for line in lines] == [None, "page:link-after-body"]


def test_article_inside_noscript_is_kept_and_a_noscript_notice_is_not():
    page = (
        "<html><body><noscript>Please enable JavaScript to view this site.</noscript>"
        f"<div id='app'></div><noscript><article><h1>Council backs plan</h1>{BODY}"
        f"{BODY.replace('Paragraph', 'Section')}</article>"
        "</noscript></body></html>"
    )
    result = clean(page, "html", SETTINGS)
    assert "Paragraph 3: the regional council" in result.text
    assert "enable JavaScript" not in result.text


def test_links_between_lines_of_text_after_the_body_are_a_list_of_the_article():
    lines, of_page = _page_lines(
        f"<div><p>{PROSE}</p>"
        '<p><a href="/a">Leeds Town Hall</a></p><p>Doors open at seven</p>'
        '<p><a href="/b">York Minster</a></p><p>Seated, all ages</p></div>'
    )
    of_page.mark_link_lines()
    assert [line.rule for line in lines] == [None] * 5


def test_a_subheading_a_table_of_contents_links_to_stays_and_teaser_headings_go():
    # The contents list links to the article's own sections (#fragment); the teaser list links
    # to other pages, whose headlines a teaser card shows again as headings.
    page = (
        '<div><ul><li><a href="/guide.html#fuel">Tankstellen: Wo kann man Adblue kaufen?</a></li>'
        '<li><a href="#tank">Adblue direkt in den Tank?</a></li></ul>'
        f"<p>{PROSE}</p>"
        "<h2>Tankstellen: Wo kann man Adblue kaufen?</h2>"
        f"<p>{PROSE} Again.</p>"
        "<h2>Adblue direkt in den Tank?</h2>"
        f"<p>{PROSE} Once more.</p>"
        '<ul><li><a href="/bridge">Bridge closed for repairs until May</a></li>'
        '<li><a href="/school">New school opens in the north</a></li></ul>'
        "<h3>Bridge closed for repairs until May</h3></div>"
    )
    text = "\n".join(
        [
            "Tankstellen: Wo kann man Adblue kaufen?",  # the contents, where the text keeps it
            "Adblue direkt in den Tank?",
            PROSE,
            "Tankstellen: Wo kann man Adblue kaufen?",
            f"{PROSE} Again.",
            "Adblue direkt in den Tank?",
            f"{PROSE} Once more.",
            "Bridge closed for repairs until May",
            "New school opens in the north",
        ]
    )
    lines, of_page = _page_lines(page, text)
    of_page.mark_link_lines()
    contents = ["page:label-and-link", "page:link-list"]
    assert [line.rule for line in lines] == contents + [None] * 5 + ["page:link-list"] * 2


def test_a_labelled_link_in_a_list_of_labelled_values_is_an_entry_of_the_article():
    lines, of_page = _page_lines(
        f"<div><p>{PROSE}</p>"
        "<p>Ohrringe: Leaf Combo</p><p>Earcuff: Zoeca</p>"
        '<p>Kreole: <a href="/shop/stella">Stella Hoops</a></p>'
        f"<p>{PROSE} Again.</p>"
        '<p>Lea más: <a href="/b">Juan Carlos propone legalizar la venta de cannabis</a></p>'
        f"<p>{PROSE} Once more.</p></div>"
    )
    of_page.mark_link_lines()
    assert [line.rule for line in lines] == [None] * 5 + ["page:label-and-link", None]


def test_one_label_before_links_to_other_sites_under_each_entry_is_a_field_of_the_entries():
    # A list of bloggers, each with "Account: @name" linking to another site: the same label
    # three times before a few words linked off the site is a field of the article's entries.
    def entry(n: int, label: str, href: str, value: str = "") -> str:
        value = value or f"@blogger_number_{n}"
        return f'<p>{PROSE} Entry {n}.</p><p>{label}: <a href="{href}">{value}</a></p>'

    insta, shop = "https://insta.example.com/", "https://shop.example.net/x"
    headline = "Bridge closes until May"  # four words: a headline, not an account or a name
    entries = [entry(n, "Account", f"{insta}{n}") for n in (1, 2)]
    entries += [entry(3, "Account", f"{insta}3", "@ann, @bob, @cyd")]  # three words: still one
    # Three times, but one of them within the site: that one is still a tail.
    entries += [entry(n, "Source", f"{insta}{n}") for n in (4, 5, 6)]
    entries += [entry(7, "Source", "/archive/7")]
    # Two links off the site and one within it: no field, all three go.
    entries += [entry(8, "Shop", shop), entry(9, "Shop", shop), entry(10, "Shop", "/shop")]
    # A headline after the label is a teaser for another site's article, however often.
    entries += [
        entry(n, "Recommended", f"https://othernews.example.net/{n}", headline)
        for n in (11, 12, 13)
    ]
    site = '<head><link rel="canonical" href="https://news.example.org/a"></head>'
    lines, of_page = _page_lines(f"<html>{site}<body><div>{''.join(entries)}</div></body></html>")
    of_page.mark_link_lines()
    rules = [line.rule for line in lines if not line.text.startswith(PROSE[:20])]
    tail = "page:label-and-link"
    assert rules == [None] * 6 + [tail] + [tail] * 3 + [tail] * 3


def test_the_headline_the_body_opens_with_is_the_title_not_a_line_of_the_body():
    result = clean(PAGE, "html", SETTINGS)
    assert result.title == "Council backs transport plan"
    assert "Council backs transport plan" not in result.text
    assert result.text.startswith("Paragraph 1: the regional council")
    headline = [s for s in result.removed if s.kind == "title"]
    assert [(s.rule, s.text) for s in headline] == [
        ("page:headline", "Council backs transport plan")
    ]
    # After the first body paragraph the same words are the article's own (a closing line).
    late = PAGE.replace(
        "<h2>You May Also Like</h2>",
        "<p>Council backs transport plan</p><h2>You May Also Like</h2>",
    ).replace("<h1>Council backs transport plan</h1>", "")
    assert "Council backs transport plan" in clean(late, "html", SETTINGS).text


def test_a_headline_linked_alone_between_paragraphs_is_a_teaser_and_a_named_anchor_no_link():
    lines, of_page = _page_lines(
        f"<div><p>{PROSE}</p>"
        '<p><a href="/plague">Plane passengers quarantined after a plague outbreak [NEWS]</a></p>'
        f"<p>{PROSE} Again.</p>"
        '<h2><a href="/a">A linked subheading of the article</a></h2>'
        f"<p>{PROSE} Once more.</p>"
        '<p><a href="/shop">Stella Hoops</a></p>'
        '<p><a name="questions">What does the professor say about it now?</a></p>'
        f"<p>{PROSE} At last.</p></div>"
    )
    of_page.mark_link_lines()
    assert [line.rule for line in lines] == [None, "page:teaser-link"] + [None] * 6


def test_a_headline_linked_to_another_site_is_the_source_a_post_cites_not_a_teaser():
    # The page says where it is (canonical link): a teaser links within the site (a relative
    # address, another host of the site), a post's source is on another site.
    lines, of_page = _page_lines(
        '<html><head><link rel="canonical" href="https://www.blog.co.uk/2013/post.html">'
        f"</head><body><div><p>{PROSE}</p>"
        '<p><a href="http://www.cnn.com/2013/07/09/opinion">The generation we love to dump on'
        "</a></p>"
        f"<p>{PROSE} Again.</p>"
        '<p><a href="https://news.blog.co.uk/plague">Plane passengers quarantined after a plague'
        " outbreak</a></p>"
        f"<p>{PROSE} Once more.</p>"
        '<p><a href="/bridge">Bridge closed for repairs until May, the council says</a></p>'
        f"<p>{PROSE} At last.</p></div></body></html>"
    )
    of_page.mark_link_lines()
    teaser = "page:teaser-link"
    assert [line.rule for line in lines] == [None, None, None, teaser, None, teaser, None]


def test_links_between_long_lines_of_text_after_the_body_stay_a_list_of_the_article():
    lines, of_page = _page_lines(
        f"<div><p>{PROSE}</p><p>{PROSE} Again.</p>"
        '<p><a href="/a">Leeds Town Hall and Conference Centre, Millennium Square</a></p>'
        "<p>Doors open at seven</p>"
        '<p><a href="/b">York Minster and the Chapter House on Deangate</a></p>'
        "<p>Seated, all ages</p></div>"
    )
    of_page.mark_link_lines()
    assert [line.rule for line in lines] == [None] * 6


LEAD = (
    "The council approved a plan for buses and trains after a long night of debate in the valley."
)


def _page_with(between: str, after: str = "", headline: str = "<h1>Council backs plan</h1>"):
    return f"""<html><head><title>Council backs plan</title></head><body>
<article>{headline}
{between}
{BODY}
{after}</article></body></html>"""


def test_the_lead_trafilatura_drops_is_kept_before_the_body():
    # trafilatura drops an element named "teaser"; between the headline and the body it is
    # the article's lead.
    text = clean(_page_with(f'<div class="teaser"><p>{LEAD}</p></div>'), "html", SETTINGS).text
    assert text.count(LEAD) == 1
    assert text.index(LEAD) < text.index("Paragraph 1:")


@pytest.mark.parametrize(
    ("between", "after", "headline"),
    [
        # a teaser of another article after the body
        ("", f'<div class="teaser"><p>{LEAD}</p></div>', "<h1>Council backs plan</h1>"),
        # a linked teaser before the body
        (
            f'<div class="teaser"><p><a href="/other">{LEAD}</a></p></div>',
            "",
            "<h1>Council backs plan</h1>",
        ),
        # a teaser in a sidebar
        (
            f'<aside><div class="teaser"><p>{LEAD}</p></div></aside>',
            "",
            "<h1>Council backs plan</h1>",
        ),
        # no headline to place it by
        (f'<div class="teaser"><p>{LEAD}</p></div>', "", ""),
        # a short label, not a lead
        ('<div class="teaser"><p>Read the full council report.</p></div>', "", "<h1>Plan</h1>"),
    ],
    ids=["after-body", "linked", "aside", "no-headline", "short"],
)
def test_teasers_that_are_not_the_lead_stay_out(between, after, headline):
    text = clean(_page_with(between, after, headline), "html", SETTINGS).text
    assert "Paragraph 1:" in text
    assert LEAD not in text
    assert "council report" not in text
