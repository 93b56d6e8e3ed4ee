"""Text cleaning: what goes, what stays, and that every removal is accounted for."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from hash_seeds import output_in_fresh_processes

from newscorpus.cleaning import VERSION, CleanResult, clean
from newscorpus.cleaning.glued import english_words

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SETTINGS = {"extra_markers": {}}


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def cleaned(prefix: str) -> CleanResult:
    return clean(seed(prefix), "txt", SETTINGS)


def kinds(result: CleanResult) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for segment in result.removed:
        found.setdefault(segment.kind, []).append(segment.text)
    return found


def removed_text(result: CleanResult, kind: str) -> str:
    return "\n".join(kinds(result).get(kind, []))


# Real body sentences of each seed: each must survive cleaning exactly once.
BODY_SENTENCES = {
    "000": [
        "A new video captured a Ukrainian helicopter firing flares over Bakhmut",
        "Bakhmut is for those who have guts.",
        "Last week, Ukrainian President Volodymyr Zelensky traveled to Bakhmut",
        "Newsweek reached out to the ministry of foreign affairs in Ukraine and Russia",
    ],
    "001": [
        "The Ministry of Defense of Ukraine released footage from the Donetsk region",
        "We are talking about the trenches near Bakhmut, Donetsk region",
        "Russian troops are trying to clear Bakhmut",
        "said the slightly injured Pole.",
    ],
    "002": [
        "President Volodymyr Zelensky visited Bakhmut, the epicentre of fighting",
        "Speaking to Ukrainian troops in Bakhmut, President Zelensky said:",
        "To gain control of the destroyed city, Russia is believed to have relied on mercenaries",
        "The illegally annexed provinces of Donetsk, Kherson, Luhansk and Zaporizhzhia",
        "This is very important.",
    ],
    "003": [
        "In a determined effort to reclaim the city of Bakhmut",
        "There was simply no time to be afraid,",
        "Their determination to recapture Bakhmut symbolizes their resilience",
    ],
    "004": [
        "Ukraine released videos of a drone attack on Russian troops in Bakhmut",
        "In the ground, Ukraine said its forces had advanced two kilometers near Bakhmut.",
        "Likewise, Zelensky was informed by those responsible for defense and security",
    ],
}


def test_the_clean_stage_key_covers_the_cleaning_code_and_the_marker_data():
    from newscorpus.stages import clean as clean_stage
    from newscorpus.util.hashing import package_data_fingerprint

    # A new cleaning VERSION or an edited markers.yaml must give every document a new key.
    parts = clean_stage.VERSION.split(".")
    assert VERSION in parts and package_data_fingerprint("markers.yaml") in parts


@pytest.mark.parametrize("prefix", sorted(BODY_SENTENCES))
def test_body_sentences_of_every_seed_occur_exactly_once(prefix):
    text = cleaned(prefix).text
    for sentence in BODY_SENTENCES[prefix]:
        assert text.count(sentence) == 1, sentence


@pytest.mark.parametrize("prefix", sorted(BODY_SENTENCES))
def test_removed_offsets_slice_the_raw_text(prefix):
    raw = seed(prefix)
    result = clean(raw, "txt", SETTINGS)
    for segment in result.removed:
        assert raw[segment.start : segment.end] == segment.text
        assert segment.rule


@pytest.mark.parametrize("prefix", sorted(BODY_SENTENCES))
def test_paragraphs_are_separated_by_one_blank_line(prefix):
    text = cleaned(prefix).text
    assert "\n\n\n" not in text
    assert text == text.strip()
    assert text.count("\n\n") >= 5


@pytest.mark.parametrize(
    ("prefix", "day"), [("000", dt.date(2022, 12, 28)), ("003", dt.date(2023, 11, 12))]
)
def test_date_header_is_removed_and_its_date_returned(prefix, day):
    result = cleaned(prefix)
    assert result.header_date == day
    assert "date 20" not in result.text
    assert result.text.startswith(("A new video", "In a determined effort"))
    assert kinds(result)["header"][0].strip() == f"date {day.isoformat()}"


def test_seed_without_header_has_no_header_date():
    result = cleaned("001")
    assert result.header_date is None
    assert "header" not in kinds(result)


def test_tail_after_you_may_also_like_is_removed():
    result = cleaned("002")
    assert "You May Also Like" not in result.text
    assert "Alec Baldwin" not in result.text
    assert "California woman tearfully pleads" not in result.text
    tail = removed_text(result, "tail")
    assert tail.startswith("You May Also Like")
    assert "Joe Biden…" in tail


def test_comment_box_is_removed_as_comments():
    result = cleaned("002")
    assert "Leave a Reply" not in result.text
    assert "Your email address will not be published" not in result.text
    comments = removed_text(result, "comments")
    assert "Leave a Reply" in comments and "Required fields are marked" in comments


def test_source_name_alone_before_the_tail_is_a_signature():
    result = cleaned("002")
    assert "DailyMail" not in result.text
    assert kinds(result)["signature"] == ["DailyMail"]
    assert result.text.endswith("This is very important.’")


def test_keep_reading_link_list_and_source_line_are_removed():
    result = cleaned("004")
    assert "Keep reading" not in result.text
    assert "Why Yevgeny Prigozhin is at odds" not in result.text
    assert "Abrams tanks" not in result.text
    assert "(With information from AFP and EFE)" in kinds(result)["signature"]
    assert "Keep reading:" in removed_text(result, "tail")
    assert result.text.endswith("are being equipped with weapons and ammunition.")


def test_headline_run_without_any_marker_is_a_tail():
    # Seed 002 with its marker lines taken out still ends in headline + teaser pairs.
    raw = seed("002")
    for marker in (
        "Leave a Reply\n",
        "Your email address will not be published. Required fields are marked *\n",
        "You May Also Like\n",
    ):
        raw = raw.replace(marker, "")
    result = clean(raw, "txt", SETTINGS)
    assert "Alec Baldwin" not in result.text
    assert "Every resident of Sydney" not in result.text
    rules = {segment.rule for segment in result.removed if segment.kind == "tail"}
    assert "structure:headline-run" in rules
    assert "This is very important." in result.text


def test_headline_run_of_seed_004_without_keep_reading_is_a_tail():
    raw = seed("004").replace("Keep reading:\n", "")
    result = clean(raw, "txt", SETTINGS)
    assert "Manipulations, threats and rehabilitation camps" not in result.text
    assert "Abrams tanks" not in result.text


def test_photo_caption_glued_to_a_word_is_removed():
    result = cleaned("001")
    assert "Photo:" not in result.text
    assert "Profimedia" not in result.text
    assert "Well-known anti-tank barriers" not in result.text
    (caption,) = kinds(result)["caption"]
    assert caption.endswith("Donetsk regionPhoto: Yasuyoshi CHIBA / AFP / Profimedia")


def test_caption_glued_to_the_end_of_a_sentence_keeps_the_sentence():
    raw = (
        "The city was shelled overnight, officials said.Ruined houses in the city centre"
        "Photo: Jane Doe / Reuters\n\nRescue work continued on Monday."
    )
    result = clean(raw, "txt", SETTINGS)
    assert result.text.startswith("The city was shelled overnight, officials said.\n\n")
    assert "Ruined houses" not in result.text and "Reuters" not in result.text
    (caption,) = [s for s in result.removed if s.kind == "caption"]
    assert caption.text == "Ruined houses in the city centrePhoto: Jane Doe / Reuters"
    assert raw[caption.start : caption.end] == caption.text


def test_credit_in_parentheses_inside_a_sentence_goes_alone():
    raw = "Soldiers rest in a trench (Photo: AFP) near the town, the army said."
    result = clean(raw, "txt", SETTINGS)
    assert result.text == "Soldiers rest in a trench near the town, the army said."
    assert [s.text for s in result.removed] == ["(Photo: AFP)"]


def test_repeated_paragraphs_keep_the_first_occurrence():
    result = cleaned("002")
    text = result.text
    assert text.count("President Volodymyr Zelensky described Bakhmut") == 1
    assert text.count("they don’t want anything Ukrainian to exist") == 0  # curly repeat
    assert text.count("they don't want anything Ukrainian to exist") == 1  # first, straight
    duplicates = kinds(result)["duplicate"]
    assert len(duplicates) >= 4
    assert text.index("President Volodymyr Zelensky described") < text.index("The city, about 600")


def test_repeat_differing_in_quotes_punctuation_and_space_is_a_duplicate():
    raw = (
        "He said 'we will hold the line' and left the room.\n\n"
        "He said  ‘we will hold the line’ and left the room\n\n"
        'He said "we will hold the line" and left the room!  \n'
    )
    result = clean(raw, "txt", SETTINGS)
    assert result.text == "He said 'we will hold the line' and left the room."
    (segment,) = result.removed  # consecutive repeats removed by one rule form one segment
    assert segment.kind == "duplicate"
    assert segment.text.startswith("He said  ‘we") and segment.text.endswith("room!")


def test_fragment_of_an_earlier_paragraph_is_a_duplicate():
    raw = (
        "The council met on Tuesday. It approved the new budget for schools and roads "
        "after a long debate.\n\nIt approved the new budget for schools and roads.\n\n"
        "A new paragraph with different words follows here."
    )
    result = clean(raw, "txt", SETTINGS)
    assert result.text.count("It approved the new budget") == 1
    assert result.removed[0].rule == "repeat:fragment-of-earlier"
    assert "A new paragraph" in result.text


def test_a_question_asked_of_each_person_interviewed_is_kept_every_time():
    interview = (
        "{0} runs a cooking blog.\n\n"
        "What inspired you to start writing about food for other people?\n\n"
        "{0} answered at length about the kitchen of the family house where {0} grew up.\n\n"
        "Which cuisine do you like best yourself, and is there a dish you never cook?\n\n"
        "{0} said the answer changes with the seasons and with what the market sells."
    )
    raw = "\n\n".join(interview.format(name) for name in ("Anna", "Boris", "Clara"))
    result = clean(raw, "txt", SETTINGS)
    assert result.text.count("What inspired you") == 3
    assert result.text.count("Which cuisine do you like best") == 3
    assert not result.removed
    # Asked of two people only, a far repeat is still taken for a copy (a teaser pasted again).
    two = clean("\n\n".join(interview.format(name) for name in ("Anna", "Boris")), "txt", SETTINGS)
    assert two.text.count("What inspired you") == 1


def test_a_template_sentence_filled_in_for_each_item_is_kept_when_two_items_share_a_name():
    entry = (
        "{0} is {1} and studies {2} at the university in the city where she grew up.\n\n"
        "You can vote for {0} on the last page of the contest!"
    )
    entrants = [("Olga", 21, "law"), ("Olesya", 23, "music"), ("Daria", 20, "physics")]
    entrants.append(("Olga", 24, "medicine"))
    raw = "\n\n".join(entry.format(*entrant) for entrant in entrants)
    result = clean(raw, "txt", SETTINGS)
    assert result.text.count("You can vote for Olga on the last page") == 2
    assert not result.removed
    # Filled in twice only, the sentence repeated far below is still a copy.
    filler = "\n\n".join(f"The jury met for round {n} and will announce it soon." for n in "ABCD")
    two = [entry.format(*entrants[0]), filler, entry.format(*entrants[3])]
    assert clean("\n\n".join(two), "txt", SETTINGS).text.count("You can vote for Olga") == 1


def test_a_block_pasted_again_far_below_is_a_duplicate():
    block = (
        "The storm hit the coast at dawn and cut power to thousands of homes.\n\n"
        "Rescue teams worked through the night to reach villages cut off by the floods."
    )
    others = "\n\n".join(
        f"Paragraph {n} of the report tells of something else again." for n in range(8)
    )
    result = clean(f"{block}\n\n{others}\n\n{block}", "txt", SETTINGS)
    assert result.text.count("The storm hit") == 1 and result.text.count("Rescue teams") == 1
    assert {s.rule for s in result.removed} == {"repeat:same-text"}


def test_short_repeated_lines_are_kept():
    raw = "Q:\n\nWhat happened in the town yesterday?\n\nQ:\n\nWho was there at the time?"
    assert clean(raw, "txt", SETTINGS).text.count("Q:") == 2


def test_broken_paragraph_is_rejoined():
    text = cleaned("002").text
    assert "has lost momentum. The illegally annexed provinces" in text
    assert "\nhe illegally" not in text


def test_hard_wrapped_lines_are_joined_with_a_space():
    raw = "The mayor said the bridge\nwould reopen in spring.\n\nNext paragraph here."
    assert clean(raw, "txt", SETTINGS).text == (
        "The mayor said the bridge would reopen in spring.\n\nNext paragraph here."
    )


def test_invisible_characters_line_endings_and_spaces_are_normalised():
    raw = (
        "\ufeffThe re\u00adport was pub\u200blished\u00a0today.\r\n\r\n"
        "Cafe\u0301 owners   welcomed it.\r\rA third\tparagraph."
    )
    result = clean(raw, "txt", SETTINGS)
    assert result.text == (
        "The report was published today.\n\nCafé owners welcomed it.\n\nA third paragraph."
    )


def test_subheadings_and_bullet_lists_stay():
    text = cleaned("001").text
    assert "\n\nRussian troops are trying to clear Bakhmut\n\n" in text
    assert "• “Active actions continue" in text
    assert "\n• We maintain our positions." in text  # list items stay one per line


def test_german_french_and_spanish_markers_start_tails():
    body = (
        "Der Gemeinderat hat am Dienstag nach langer Debatte den Haushalt für das "
        "kommende Jahr beschlossen."
    )
    for marker, tail_kind in (
        ("Das könnte Sie auch interessieren", "tail"),
        ("À lire aussi", "tail"),
        ("Sigue leyendo:", "tail"),
        ("Schreibe einen Kommentar", "comments"),
        ("Laisser un commentaire", "comments"),
        ("Deja un comentario", "comments"),
    ):
        raw = f"{body}\n\n{marker}\n\nEin Link zu einem anderen Artikel\n\nNoch ein Link"
        result = clean(raw, "txt", SETTINGS)
        assert result.text == body, marker
        assert result.removed[0].kind == tail_kind
        assert result.removed[0].text.startswith(marker)


def test_share_newsletter_and_read_more_lines_go_alone():
    raw = (
        "The storm hit the coast on Monday night and cut power to thousands of homes.\n\n"
        "Share this article\n\nRead more: Storm season starts early\n\n"
        "Repairs will take at least a week, the utility company said on Tuesday.\n\n"
        "Sign up for our newsletter\n\nCrews from three states are helping."
    )
    result = clean(raw, "txt", SETTINGS)
    assert [s.kind for s in result.removed] == ["share", "tail", "newsletter"]
    assert result.text.count("\n\n") == 2
    assert "Crews from three states are helping." in result.text


def test_a_question_that_starts_like_a_prompt_stays():
    body = (
        "The storm hit the coast on Monday night and cut power to thousands of homes.\n\n"
        "Share this information with the neighbours, she asked the volunteers?\n\n"
        "Repairs will take at least a week, the utility company said on Tuesday."
    )
    assert clean(body, "txt", SETTINGS).text == body
    prompt = body.replace("she asked the volunteers?", "friends and family")
    result = clean(prompt, "txt", SETTINGS)
    assert [s.kind for s in result.removed] == ["share"]


def test_extra_markers_setting_adds_phrases():
    raw = (
        "The factory will close next year, the company said on Friday in a statement.\n\n"
        "Stories we picked for you\n\n"
        "Mayor opens the long awaited new bridge over the river after three years of work"
    )
    assert "Stories we picked" in clean(raw, "txt", SETTINGS).text
    result = clean(raw, "txt", {"extra_markers": {"tail": ["Stories we picked for you"]}})
    assert result.text.endswith("statement.")
    assert result.removed[0].rule == "marker:Stories we picked for you"


def test_unknown_marker_kind_is_refused():
    with pytest.raises(ValueError, match="extra_markers"):
        clean("Some text.", "txt", {"extra_markers": {"footer": ["x"]}})


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="format"):
        clean("Some text.", "pdf", SETTINGS)


def test_clean_gives_one_result_whatever_the_process_hash_seed():
    # The repeat index hashes word tuples with hash(), which is salted per process: only runs
    # in processes with different hash seeds can show that the result does not depend on it.
    code = (
        "import json; from pathlib import Path; from newscorpus.cleaning import clean\n"
        f"raw = Path({str(next(SEEDS.glob('002_*.txt')))!r}).read_text(encoding='utf-8')\n"
        "result = clean(raw, 'txt', {})\n"
        "print(json.dumps([result.text, [[s.kind, s.rule, s.start, s.end] "
        "for s in result.removed]]))"
    )
    first, second = output_in_fresh_processes(code)
    here = clean(seed("002"), "txt", {})
    assert first == second
    assert json.loads(first) == [
        here.text,
        [[s.kind, s.rule, s.start, s.end] for s in here.removed],
    ]
    assert "duplicate" in {s.kind for s in here.removed}  # the hashed repeat index was used


def _cpu_seconds(make_text, size: int) -> float:
    """CPU time of cleaning ``make_text(size)``, the faster of two runs."""
    text = make_text(size)
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        clean(text, "txt", SETTINGS)
        best = min(best, time.process_time() - started)
    return best


def _grows_linearly(make_text, small: int) -> bool:
    """Cleaning 4x the text costs well under 16x (what a quadratic step would cost): a ratio,
    not a wall-clock limit, so a busy machine does not decide the test."""
    english_words()  # the word list is read once per process, not per document
    return _cpu_seconds(make_text, 4 * small) < 9 * max(_cpu_seconds(make_text, small), 1e-3)


def _one_long_line(words: int) -> str:
    return "word " * words + "regionPhoto: AFP"  # no sentence end anywhere


def _short_paragraphs(count: int) -> str:
    lines = [f"Paragraph {i} tells of event {i * 7} in the town." for i in range(count)]
    return "\n\n".join(lines + lines[: count * 3 // 10])  # repeats exercise the duplicate index


def test_long_line_without_full_stop_is_cleaned_in_linear_time():
    assert clean(_one_long_line(200_000), "txt", SETTINGS).text.startswith("word word")
    assert _grows_linearly(_one_long_line, 50_000)


def test_many_one_line_paragraphs_are_cleaned_in_linear_time():
    result = clean(_short_paragraphs(10_000), "txt", SETTINGS)
    assert sum(segment.kind == "duplicate" for segment in result.removed) >= 1
    assert result.text.count("Paragraph 42 tells") == 1
    assert _grows_linearly(_short_paragraphs, 2_500)


def test_empty_and_blank_text_give_empty_text():
    assert clean("", "txt", SETTINGS).text == ""
    assert clean(" \n\u200b\n\t", "txt", SETTINGS).text == ""


def test_whitespace_constant_is_every_space_character() -> None:
    import sys

    from newscorpus.cleaning.text import WHITESPACE

    expected = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert expected == WHITESPACE


ONLY_BOILERPLATE = """You May Also Like
Bridge closed for repairs until May
New school opens in the north of the valley
12 Comments
Great article, thanks for writing it.
Local team wins the cup after extra time
Floods hit the coastal towns again
"""


def test_page_of_only_tail_and_comment_box_is_no_text():
    # issue 14, bug 4: a tail block interrupted by a comment box left its headlines behind.
    from newscorpus.stages.clean import _clean_one

    result = clean(ONLY_BOILERPLATE, "txt", SETTINGS)
    assert result.text == ""
    assert {segment.kind for segment in result.removed} == {"tail", "comments"}
    doc, rows = _clean_one("only.txt", ONLY_BOILERPLATE, "txt", "k", SETTINGS)
    assert doc["status"] == "no_text"
    assert "".join(row["text"] for row in rows).replace("\n", "") == ONLY_BOILERPLATE.replace(
        "\n", ""
    )


def test_comment_marker_above_the_article_does_not_take_the_article():
    body = (
        "The regional council debated the new transport plan for the valley at length on "
        "Tuesday, and residents spoke about buses, trains and cycle lanes for hours."
    )
    result = clean(f"Comments\nLog in to comment\n{body}\n", "txt", SETTINGS)
    assert result.text == body


def test_list_items_and_labels_that_recur_are_not_repeats():
    intro = (
        "The nutritionist laid out a plan for the week, with the same habits on every day, "
        "and explained why regular meals matter for athletes in training."
    )
    days = "\n\n".join(
        f"Day {n}\n\n- Eat every 2-3 hours\n\nDrink water with each meal\n\nRest | 8 hours"
        for n in range(1, 4)
    )
    result = clean(f"{intro}\n\n{days}\n", "txt", SETTINGS)
    assert result.text.count("Eat every 2-3 hours") == 3
    assert result.text.count("Drink water with each meal") == 3
    assert result.text.count("Rest | 8 hours") == 3
    assert not [segment for segment in result.removed if segment.kind == "duplicate"]


def test_tail_phrase_opening_a_prose_sentence_is_not_a_tail():
    body = (
        "The regional council debated the new transport plan for the valley at length on "
        "Tuesday, and residents spoke about buses, trains and cycle lanes for hours."
    )
    prose = (
        "… keep reading. I am about to show you how the plan will change the daily commute "
        "for thousands of people in the valley."
    )
    result = clean(f"{body}\n\n{prose}\n\n{body.replace('Tuesday', 'Monday')}\n", "txt", SETTINGS)
    assert prose in result.text
