import datetime as dt

from newscorpus.dates import detect_published

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
    assert detect(text) == detect_published(
        text, fmt="txt", raw=text, header_date=None, meta_date=None, mtime_day=None, settings={}
    )
    assert detect(text).published is None
    assert detect(text).source is None


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
    result = detect("Body.", fmt="html", raw="<html><body><p>Body.</p></body></html>",
                    meta=D(2020, 5, 6))
    assert (result.published, result.source) == (D(2020, 5, 6), "html_meta")
