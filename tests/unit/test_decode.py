"""Decoding seeds: BOM, then UTF-8, then charset-normalizer; a status instead of an exception."""

from __future__ import annotations

import codecs

import pytest

from newscorpus.ingest.decode import decode, format_of

TEXT = "Le président a rencontré des élus à Besançon, où il a été reçu – «\u00a0enfin\u00a0»."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-32"), "utf-32"),
        (TEXT.encode("utf-8"), "utf-8"),
    ],
)
def test_bom_and_utf8_decode_exactly_and_record_the_encoding(data, encoding):
    decoded = decode(data)
    assert (decoded.status, decoded.text, decoded.encoding) == ("ok", TEXT, encoding)


def test_western_legacy_text_is_read_as_cp1252_not_a_baltic_code_page():
    decoded = decode("Café déjà vu – “quoted”. Résumé à Besançon.".encode("cp1252"))
    assert decoded.status == "ok" and decoded.encoding == "cp1252"
    assert decoded.text == "Café déjà vu – “quoted”. Résumé à Besançon."


def test_non_western_legacy_text_keeps_the_detected_code_page():
    text = "Президент Украины встретился с чиновниками в Киеве в понедельник."
    decoded = decode(text.encode("cp1251"))
    assert decoded.status == "ok" and decoded.text == text


def test_invalid_utf8_falls_back_to_a_detected_encoding_and_keeps_the_text():
    decoded = decode(b"President met officials in Kyiv on Monday. Bad \xff\xfe\xc3\x28 bytes.")
    assert decoded.status == "ok" and decoded.encoding not in (None, "utf-8")
    assert decoded.text.startswith("President met officials in Kyiv")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", b"\x00\x00\x00", codecs.BOM_UTF8 + b"  "])
def test_empty_white_space_and_nul_only_files_are_empty(data):
    decoded = decode(data)
    assert decoded.status == "empty" and decoded.text == "" and decoded.detail


def test_nul_bytes_inside_text_are_dropped():
    decoded = decode(b"Kyiv\x00 is the capital.\x00")
    assert (decoded.status, decoded.text) == ("ok", "Kyiv is the capital.")


def test_utf16_without_bom_is_recognised_by_its_nul_pattern():
    decoded = decode("Kyiv is the capital of Ukraine.".encode("utf-16-le"))
    assert decoded.status == "ok" and decoded.text == "Kyiv is the capital of Ukraine."


def test_binary_data_with_a_text_extension_is_undecodable_not_an_exception():
    decoded = decode(bytes(range(256)) * 64)
    assert decoded.status == "undecodable" and decoded.text == "" and decoded.detail


def test_a_broken_bom_is_undecodable():
    decoded = decode(codecs.BOM_UTF16_LE + b"\x00\xd8")  # a lone surrogate
    assert decoded.status == "undecodable"


@pytest.mark.parametrize(
    ("doc_id", "fmt"),
    [
        ("a.txt", "txt"),
        ("dir/A.HTML", "html"),
        ("x.htm", "html"),
        ("x.txt/inner.md", None),
        (".txt", None),
        ("noext", None),
        ("archive.txt.gz", None),
    ],
)
def test_format_comes_from_the_file_name_extension(doc_id, fmt):
    assert format_of(doc_id) == fmt
