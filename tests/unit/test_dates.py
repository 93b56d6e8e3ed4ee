import datetime as dt

from newscorpus.dates.printed import VisibleDates, parse_day, visible_dates
from newscorpus.dates.published import detect_published

D = dt.date


def detect(text="", *, fmt="txt", raw=None, header=None, meta=None, mtime=None, settings=None):
    return detect_published(
        text,
        fmt=fmt,
        raw=raw if raw is not None else text,
        header_date=header,
        meta_date=meta,
        mtime_day=mtime,
        settings=settings or {},
    )


def test_header_date_wins_over_a_date_stated_in_the_text():
    text = "The president visited today, Tuesday, December 20, 2022, the front."
    result = detect(text, header=D(2022, 12, 28))
    assert (result.published, result.source) == (D(2022, 12, 28), "header")


def test_header_date_after_mtime_is_rejected():
    result = detect("No date here.", header=D(2023, 5, 1), mtime=D(2023, 4, 30))
    assert result.published is None


def test_today_with_weekday_and_date_is_publication_date_from_text():
    text = "The President visited the city today on Tuesday, December, 20, 2022."
    result = detect(text)
    assert (result.published, result.source) == (D(2022, 12, 20), "text")


def test_today_comma_weekday_date():
    result = detect("It happened today, Tuesday, December 20, 2022, in Kyiv.")
    assert result.published == D(2022, 12, 20)


def test_weekday_contradicting_the_date_is_not_trusted():
    assert detect("We met today, Monday, December 20, 2022.").published is None


def test_date_only_mentioned_in_the_text_is_not_publication_date():
    text = "The invasion that began on February 24, 2022 has lost momentum, officials said."
    result = detect(text)
    assert (result.published, result.source) == (None, None)


def test_text_date_after_mtime_is_rejected():
    result = detect("Speaking today, Tuesday, December 20, 2022.", mtime=D(2022, 12, 1))
    assert result.published is None


def test_dateline_at_start_of_text():
    result = detect("KYIV, December 20, 2022 (Reuters) - Troops held the line.")
    assert (result.published, result.source) == (D(2022, 12, 20), "dateline")


def test_html_meta_published_time_is_used():
    html = (
        '<html><head><meta property="article:published_time" content="2021-03-04T10:00:00Z">'
        "<title>x</title></head><body><article><p>Some text about things.</p></article>"
        "</body></html>"
    )
    result = detect("Some text about things.", fmt="html", raw=html)
    assert (result.published, result.source) == (D(2021, 3, 4), "html_meta")


def test_jsonld_modified_before_published_gives_the_earlier_day():
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2022-01-28T08:20:11+00:00", "dateModified": "2022-01-27T16:58:24"}'
        "</script></head><body><p>Text.</p></body></html>"
    )
    assert detect("Text.", fmt="html", raw=html).published == D(2022, 1, 27)


def test_html_date_after_mtime_is_rejected():
    html = (
        '<html><head><meta property="article:published_time" content="2021-03-04">'
        "</head><body><p>Body.</p></body></html>"
    )
    assert detect("Body.", fmt="html", raw=html, mtime=D(2021, 1, 1)).published is None


def test_non_markup_is_never_handed_to_htmldate():
    # a bare URL would make htmldate fetch it
    assert detect("", fmt="html", raw="https://example.com/article").published is None


def test_trafilatura_meta_date_used_when_page_gives_nothing():
    result = detect(
        "Body.", fmt="html", raw="<html><body><p>Body.</p></body></html>", meta=D(2020, 5, 6)
    )
    assert (result.published, result.source) == (D(2020, 5, 6), "html_meta")


# Days the page prints for its readers, labelled (newscorpus.dates.printed).


def page(head="", body=""):
    return f"<html><head><title>t</title>{head}</head><body>{body}</body></html>"


def html_day(html, **kwargs):
    return detect("Body.", fmt="html", raw=html, **kwargs).published


PUBLISHED_META = '<meta property="article:published_time" content="{}">'


def test_printed_publication_label_replaces_the_metadata_day():
    html = page(
        PUBLISHED_META.format("2021-10-15"),
        "<article><h1>Neue Präsidentin</h1><span>Erschienen am:</span> <h2>13.10.2021</h2>"
        "<p>Die Delegierten haben gewählt.</p></article>",
    )
    assert html_day(html) == D(2021, 10, 13)


def test_printed_item_date_published_is_the_local_day_of_a_utc_stamp():
    html = page(
        PUBLISHED_META.format("2020-12-05T23:15:00Z"),
        '<article><h1>Voto</h1><p itemprop="datePublished" class="data">06 Dicembre 2020</p>'
        "<p>Il testo.</p></article>",
    )
    assert html_day(html) == D(2020, 12, 6)


def test_item_date_published_that_prints_no_full_day_is_not_a_printed_date():
    html = page(body='<time itemprop="datePublished" datetime="2019-06-17">Jun 17</time>')
    assert visible_dates(html).published is None


def test_time_element_under_a_publication_label_stands_for_its_stamp():
    html = page(
        PUBLISHED_META.format("2022-01-15"),
        '<ul><li>Veröffentlicht: <time datetime="2022-01-25T10:00">vor drei Tagen</time></li>'
        "</ul><p>Schneesport mit Rücksicht.</p>",
    )
    assert html_day(html) == D(2022, 1, 25)


def test_publication_label_before_a_month_name_date():
    html = page(body="<p class='byline'>Published October 13, 2021</p><p>Text.</p>")
    assert visible_dates(html).published == D(2021, 10, 13)


def test_page_date_label_within_two_days_of_the_metadata_replaces_it():
    html = page(
        '<meta name="date" content="2020-04-29T11:52:23">',
        "<h1>Daten gehackt</h1><p><span>Stand: 28.04.2020 18:00 Uhr</span></p><p>Text.</p>",
    )
    assert html_day(html) == D(2020, 4, 28)


def test_page_date_label_far_from_the_metadata_is_not_used():
    html = page(
        PUBLISHED_META.format("2020-04-29"),
        "<h1>Daten</h1><p>Stand: 01.03.2020</p><p>Text.</p>",
    )
    assert html_day(html) == D(2020, 4, 29)


def test_page_date_label_used_when_the_page_declares_no_publication_metadata():
    html = page(
        body="<h1>Gesetz verkündet</h1><div><span>Datum:</span> <span>18.10.2021</span></div>"
        "<p>Im Bundesgesetzblatt vom 17. August 2021 wurde das Gesetz verkündet.</p>",
    )
    assert html_day(html) == D(2021, 10, 18)


def test_page_date_label_needs_its_colon():
    html = page(body="<p>The date 12.05.2020 was chosen. Published: soon.</p>")
    assert visible_dates(html) == VisibleDates(None, None)


def test_labelled_dates_in_scripts_and_comments_are_not_printed():
    html = page(
        body="<script>var s = 'Published: 2020-01-01';</script><!-- Datum: 02.02.2020 -->"
        "<p>Text.</p>"
    )
    assert visible_dates(html) == VisibleDates(None, None)


def test_first_printed_publication_date_wins_over_later_lists():
    html = page(
        body="<article><p>Veröffentlicht am 3. März 2021</p><p>Text.</p></article>"
        "<aside><p>Veröffentlicht am 1. Januar 2021</p></aside>"
    )
    assert visible_dates(html).published == D(2021, 3, 3)


def test_printed_publication_date_after_mtime_is_rejected():
    html = page(PUBLISHED_META.format("2021-03-01"), "<p>Published: 2021-03-09</p><p>T.</p>")
    assert html_day(html, mtime=D(2021, 3, 5)) is None


def test_ambiguous_slashed_day_is_not_read():
    assert parse_day("05/06/2020") is None
    assert parse_day("13/06/2020") == D(2020, 6, 13)
    assert parse_day("06/13/2020") == D(2020, 6, 13)


def test_one_month_table_serves_every_language_and_english_alone():
    from newscorpus.dates.calendar import ENGLISH_MONTHS, MONTHS

    assert MONTHS["janvier"] == MONTHS["jänner"] == MONTHS["jan"] == 1
    assert MONTHS["março"] == MONTHS["marco"] == MONTHS["märz"] == 3
    assert ENGLISH_MONTHS["sept"] == ENGLISH_MONTHS["sep"] == 9 and "janvier" not in ENGLISH_MONTHS
    assert sorted(set(ENGLISH_MONTHS.values())) == list(range(1, 13))
    assert len(ENGLISH_MONTHS) == 24  # 12 names, 11 abbreviations, "sept"


def test_pages_print_dates_in_any_table_language_but_datelines_are_english():
    from newscorpus.dates.published import dateline_date

    assert parse_day("Publié le 6 décembre 2020") == D(2020, 12, 6)
    assert parse_day("6 de Dezembro de 2020") == D(2020, 12, 6)
    assert dateline_date("PARIS, 6 décembre 2020 - Le maire", 200) is None
    assert dateline_date("PARIS, Dec. 6, 2020 - The mayor", 200) == D(2020, 12, 6)


def test_iso_and_slashed_dates_are_read_by_one_reader_everywhere():
    from newscorpus.cleaning.header import find_header
    from newscorpus.dates.values import resolve_date

    for text in ("2021-10-13", "13/10/2021", "10/13/2021"):
        assert parse_day(text) == resolve_date(text, None) == D(2021, 10, 13), text
    for text in ("2021-02-30", "05/06/2020", "13/13/2021"):
        assert parse_day(text) is None and resolve_date(text, None) is None, text
    assert find_header("date 2021-10-13T08:00:00Z Kyiv") == (26, D(2021, 10, 13))
    assert find_header("date 2021-02-30 Kyiv") == (16, None)  # a header, but no real day
