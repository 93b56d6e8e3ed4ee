"""A hostile seeds folder: every entry ends as one documents row with a status, nothing leaks.

One workflow run (``newscorpus run``) over a corpus built in ``tmp_path`` with every kind of bad
input the pipeline must survive; the tests below read its tables.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from newscorpus import TABLES

pytestmark = pytest.mark.e2e

ARTICLE = (
    "Kyiv, Ukraine. President Volodymyr Zelensky met officials in Kyiv on Monday. "
    "The meeting was about reconstruction. Officials said more aid would arrive soon.\n\n"
    "Residents of Kharkiv welcomed the news. Many had waited for months.\n"
)
SCRIPT_TOKEN = "SECRETSCRIPTTOKEN"
OUTSIDE_TOKEN = "OUTSIDESECRETTOKEN"
MAX_DOC_BYTES = 3_000_000

# Shell-hostile and Snakemake-hostile names; all hold the plain article.
ODD_NAMES = [
    "with space.txt",
    "quote'\".txt",
    "semi;colon.txt",
    "$(touch PWNED).txt",
    "back`touch PWNED`.txt",
    "-leading-dash.txt",
    "Überraschung ñ 北京.txt",
    "{shard}.txt",
    "{wild}card.txt",
    "a{b.txt",
    "nested/deeper/deep.txt",
    "x.txt/inner.txt",
]

# doc_id -> expected status of every entry the run must account for.
EXPECTED = {
    "plain.txt": "ok",
    "empty.txt": "empty",
    "blank.txt": "empty",
    "binary.txt": "undecodable",
    "nul-bytes.txt": "ok",
    "bom-utf8.txt": "ok",
    "bom-utf16.txt": "ok",
    "cp1252.txt": "ok",
    "invalid-utf8.txt": "ok",
    "huge.txt": "too_large",
    "long-line.txt": "ok",
    "paragraphs.txt": "ok",
    "only-boilerplate.txt": "no_text",
    "broken.html": "ok",
    "empty.html": "no_text",
    "blank.html": "empty",
    "script.html": "ok",
    "dup-a.txt": "ok",
    "dup-b.txt": "ok",
    "notes.md": "unsupported",
    "link-outside.txt": "outside_root",
    "link-inside.txt": "ok",
    "link-broken.txt": "error",
    "fifo.txt": "unsupported",
    "caf\\xe9.txt": "unsupported",  # a name that is not UTF-8, shown escaped
    **{name: "ok" for name in ODD_NAMES},
}


def build_hostile_corpus(seeds: Path) -> None:
    def write(name: str, data: bytes | str) -> None:
        path = seeds / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    write("plain.txt", ARTICLE)
    write("empty.txt", b"")
    write("blank.txt", b"  \n\t\r\n   \n")
    write("binary.txt", bytes(range(256)) * 64)
    write("nul-bytes.txt", ARTICLE.encode().replace(b"Kyiv", b"Ky\x00iv"))
    write("bom-utf8.txt", b"\xef\xbb\xbf" + ARTICLE.encode())
    write("bom-utf16.txt", ARTICLE.encode("utf-16"))
    write(
        "cp1252.txt",
        ("Caf\u00e9 d\u00e9j\u00e0 vu \u2013 \u201cquoted\u201d. " + ARTICLE).encode("cp1252"),
    )
    write("invalid-utf8.txt", ARTICLE.encode() + b"Bad bytes \xff\xfe\xc3\x28 here.\n")
    with open(seeds / "huge.txt", "wb") as handle:  # 30 MB, over max_doc_bytes
        for _ in range(30):
            handle.write(b"word " * 209_716)
    # A 2 MB line without a full stop, under the cap. Long words keep spaCy's share of the test
    # time small; chunking, cleaning and the tables still see the whole 2 MB line.
    write("long-line.txt", "Breaking " + ("abcdefghij" * 10 + " ") * 20_000)
    # 100,000 one-line paragraphs after an article (cleaning removes them as ad labels).
    write("paragraphs.txt", ARTICLE + "\n" + "Advertisement\n\n" * 100_000)
    write("only-boilerplate.txt", "Share this article\nFollow us on Twitter\n")
    write("broken.html", "<html><body><p>Unclosed <div><b>" + ARTICLE + "</p")
    write("empty.html", "<html></html>")
    write("blank.html", "   ")
    # Script (and style) text in the head, inside a paragraph, in upper case, as an HTML
    # comment and unclosed at the end of the page.
    write(
        "script.html",
        f"<html><head><script>var token = '{SCRIPT_TOKEN}';</script>"
        f"<style>.x{{content:'{SCRIPT_TOKEN}'}}</style></head><body><article><h1>Aid</h1>"
        f"<p>{ARTICLE} <script>var inline = '{SCRIPT_TOKEN}';</script> More text.</p>"
        f"<SCRIPT type='text/javascript'>document.write('{SCRIPT_TOKEN}')</SCRIPT>"
        f'<script><!-- {SCRIPT_TOKEN}() --></script><div onclick="{SCRIPT_TOKEN}()">Ok</div>'
        f"</article><script>if (a < b) {{ {SCRIPT_TOKEN}(); }}",
    )
    write("dup-a.txt", ARTICLE)
    write("dup-b.txt", ARTICLE)
    write("notes.md", ARTICLE)
    for name in ODD_NAMES:
        write(name, ARTICLE)
    write(".hidden.txt", ARTICLE)
    write(".git/config.txt", ARTICLE)
    outside = seeds.parent / "outside.txt"
    outside.write_text(f"{OUTSIDE_TOKEN} {ARTICLE}")
    os.symlink(outside, seeds / "link-outside.txt")
    os.symlink("plain.txt", seeds / "link-inside.txt")
    os.symlink("does-not-exist.txt", seeds / "link-broken.txt")
    os.mkfifo(seeds / "fifo.txt")
    (seeds / os.fsdecode(b"caf\xe9.txt")).write_text(ARTICLE)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    from conftest import Workflow

    root = tmp_path_factory.mktemp("hostile")
    workflow = Workflow(workdir=root, seeds=root / "seeds", results=root / "results")
    build_hostile_corpus(workflow.seeds)
    result = workflow.newscorpus_run(jobs=2, config={"shards": 3, "max_doc_bytes": MAX_DOC_BYTES})
    return workflow, result


@pytest.fixture(scope="module")
def documents(hostile_run) -> pl.DataFrame:
    return hostile_run[0].table("documents")


def _row(documents: pl.DataFrame, doc_id: str) -> dict:
    rows = documents.filter(pl.col("doc_id") == doc_id).to_dicts()
    assert len(rows) == 1, f"{doc_id!r}: {len(rows)} rows"
    return rows[0]


def test_run_succeeds_and_reports_every_document(hostile_run):
    _, result = hostile_run
    assert result.returncode == 0
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("newscorpus run done:")
    assert f"{len(EXPECTED)} documents (added {len(EXPECTED)}," in summary


def test_every_entry_has_exactly_one_row_with_the_expected_status(documents):
    assert documents["doc_id"].is_unique().all()
    got = dict(zip(documents["doc_id"], documents["status"], strict=True))
    assert got == EXPECTED


def test_every_row_that_is_not_ok_says_why(documents):
    not_ok = documents.filter(pl.col("status") != "ok")
    assert not_ok.filter(pl.col("status_detail").fill_null("") == "").height == 0


def test_hidden_files_and_folders_are_skipped(documents):
    assert not documents.filter(pl.col("doc_id").str.contains(r"(^|/)\.")).height


def test_encodings_are_detected_and_recorded(documents):
    assert _row(documents, "bom-utf8.txt")["encoding"] == "utf-8-sig"
    assert _row(documents, "bom-utf16.txt")["encoding"] == "utf-16"
    cp1252 = _row(documents, "cp1252.txt")
    assert cp1252["encoding"] == "cp1252"
    assert "Café déjà vu – “quoted”" in cp1252["text"]
    assert _row(documents, "invalid-utf8.txt")["encoding"] not in (None, "utf-8")
    assert "Kyiv" in _row(documents, "nul-bytes.txt")["text"]
    assert "\x00" not in "".join(documents["text"].fill_null(""))
    assert not _row(documents, "bom-utf8.txt")["text"].startswith("\ufeff")


def test_text_of_hostile_names_is_their_own(documents):
    for name in ODD_NAMES:
        row = _row(documents, name)
        assert "Zelensky" in row["text"], name
    # "{shard}" must not have been read as a wildcard and replaced by a shard number.
    assert not documents.filter(pl.col("doc_id").str.contains(r"^\d+\.txt$")).height


def test_no_shell_ran_a_file_name(hostile_run):
    workflow, _ = hostile_run
    assert not list(workflow.workdir.rglob("PWNED"))
    assert not (Path.cwd() / "PWNED").exists()


def test_nothing_from_outside_the_root_and_no_script_text_reaches_any_table(hostile_run):
    workflow, _ = hostile_run
    for table in TABLES:
        frame = workflow.table(table)
        for column, dtype in frame.schema.items():
            if dtype == pl.String:
                values = frame[column].fill_null("")
                assert not values.str.contains(OUTSIDE_TOKEN).any(), (table, column)
                assert not values.str.contains(SCRIPT_TOKEN).any(), (table, column)
    assert "Zelensky" in _row(workflow.table("documents"), "script.html")["text"]


def test_identical_files_under_two_names_are_two_rows_with_equal_content(documents):
    a, b = _row(documents, "dup-a.txt"), _row(documents, "dup-b.txt")
    assert a["source_sha256"] == b["source_sha256"]
    assert a["text"] == b["text"] and a["n_entities"] == b["n_entities"] > 0
    # ... and one story (with the corpus's other copies of that text): copies point at its first.
    assert a["story_id"] == b["story_id"]
    assert {a["duplicate_of"], b["duplicate_of"]} - {None} == {a["story_id"]}


def test_big_inputs_are_capped_or_processed_whole(documents):
    huge = _row(documents, "huge.txt")
    assert huge["size_bytes"] == 30 * 209_716 * 5 and huge["text"] == ""
    assert "max_doc_bytes" in huge["status_detail"]
    long_line = _row(documents, "long-line.txt")
    assert len(long_line["text"]) > 2_000_000 and long_line["n_sentences"] >= 1
    paragraphs = _row(documents, "paragraphs.txt")
    assert "Advertisement" not in paragraphs["text"] and "Kharkiv" in paragraphs["text"]


def test_sentences_of_the_long_line_cover_it_in_bounded_pieces(hostile_run):
    sentences = hostile_run[0].table("sentences").filter(pl.col("doc_id") == "long-line.txt")
    lengths = (sentences["end"] - sentences["start"]).to_list()
    assert sentences.height >= 20 and max(lengths) <= 100_000
