"""DATE entities resolved to the day they name, against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from newscorpus.dates.values import resolve_date

WEDNESDAY = dt.date(2022, 12, 21)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesday", dt.date(2022, 12, 20)),
        ("on Tuesday", dt.date(2022, 12, 20)),
        ("earlier Tuesday", dt.date(2022, 12, 20)),
        ("Tuesday night", dt.date(2022, 12, 20)),
        ("Wednesday", WEDNESDAY),
        ("Thursday", dt.date(2022, 12, 15)),
        ("last Wednesday", dt.date(2022, 12, 14)),
        ("next Tuesday", dt.date(2022, 12, 27)),
        ("today", WEDNESDAY),
        ("Today", WEDNESDAY),
        ("tonight", WEDNESDAY),
        ("yesterday", dt.date(2022, 12, 20)),
        ("tomorrow", dt.date(2022, 12, 22)),
        ("three days ago", dt.date(2022, 12, 18)),
        ("December 20", dt.date(2022, 12, 20)),
        ("Dec. 28", dt.date(2022, 12, 28)),
        ("Feb. 24", dt.date(2022, 2, 24)),
        ("the 24th of February", dt.date(2022, 2, 24)),
        ("Christmas Day", dt.date(2022, 12, 25)),
    ],
)
def test_relative_dates_resolve_against_the_publication_date(text, expected):
    assert resolve_date(text, WEDNESDAY) == expected


def test_month_and_day_more_than_a_week_after_publication_is_last_year():
    assert resolve_date("December 30", dt.date(2023, 1, 3)) == dt.date(2022, 12, 30)
    assert resolve_date("January 8", dt.date(2023, 1, 3)) == dt.date(2023, 1, 8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("December 20, 2022", dt.date(2022, 12, 20)),
        ("Tuesday, December, 20, 2022", dt.date(2022, 12, 20)),
        ("20 December 2022", dt.date(2022, 12, 20)),
        ("2022-12-28", dt.date(2022, 12, 28)),
        ("12/20/2022", dt.date(2022, 12, 20)),
        ("20/12/2022", dt.date(2022, 12, 20)),
    ],
)
def test_full_dates_resolve_without_a_publication_date(text, expected):
    assert resolve_date(text, None) == expected


@pytest.mark.parametrize(
    "text",
    [
        "last week",
        "2022",
        "recent months",
        "the past year",
        "May",
        "10-month",
        "24-year-old",
        "24",
        "this week",
        "February 30",
        "03/04/2022",
        "",
    ],
)
def test_spans_months_years_and_impossible_dates_are_none(text):
    assert resolve_date(text, WEDNESDAY) is None


def test_relative_dates_need_a_publication_date():
    for text in ("Tuesday", "today", "December 20", "yesterday"):
        assert resolve_date(text, None) is None
