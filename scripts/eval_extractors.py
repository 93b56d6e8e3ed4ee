"""Other main-text extractors on both visible gold sets, beside trafilatura, in one run.

Measures what installs here (readability-lxml, resiliparse, jusText, goose3, newspaper4k;
magic-html has no distribution for this Python) with each set's own scoring (eval_boilerplate,
eval_articles), plus ms/page. Extractors that do not import are reported as skipped. They need
not be project dependencies: ``--site DIR`` adds a directory filled by ``pip install --target``.

Usage: .venv/bin/python scripts/eval_extractors.py [--site DIR] [--split S] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import eval_articles  # noqa: E402
import eval_boilerplate  # noqa: E402
from evalkit import SPLITS, bench_dir, in_split  # noqa: E402

JUSTEXT_LANGUAGES = ("English", "German", "French", "Spanish", "Italian", "Polish", "Portuguese")


def _text_of_html(fragment: str) -> str:
    import lxml.html

    tree = lxml.html.fromstring(fragment)
    for block in tree.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr"):
        block.tail = "\n" + (block.tail or "")
    return tree.text_content()


def extractors() -> list[tuple[str, Callable[[bytes], str | None]]]:
    found: list[tuple[str, Callable[[bytes], str | None]]] = []
    import trafilatura

    def traf(data: bytes) -> str | None:
        return trafilatura.extract(
            data, include_comments=False, include_tables=True, include_formatting=False
        )

    found.append(("trafilatura standard", traf))
    try:
        from readability import Document

        found.append(("readability-lxml", lambda data: _text_of_html(Document(data).summary())))
    except ImportError:
        print("readability-lxml: not installed, skipped")
    try:
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.encoding import bytes_to_str, detect_encoding
        from resiliparse.parse.html import HTMLTree

        def resiliparse(data: bytes) -> str:
            tree = HTMLTree.parse(bytes_to_str(data, detect_encoding(data)))
            return extract_plain_text(tree, main_content=True)

        found.append(("resiliparse", resiliparse))
    except ImportError:
        print("resiliparse: not installed, skipped")
    try:
        import justext

        stoplist = frozenset().union(*(justext.get_stoplist(n) for n in JUSTEXT_LANGUAGES))

        def jus(data: bytes) -> str:
            paragraphs = justext.justext(data, stoplist)
            return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

        found.append(("justext (7 stoplists)", jus))
    except ImportError:
        print("justext: not installed, skipped")
    try:
        from goose3 import Goose

        goose = Goose()
        found.append(("goose3", lambda data: goose.extract(raw_html=data).cleaned_text))
    except ImportError:
        print("goose3: not installed, skipped")
    try:
        import newspaper

        def news(data: bytes) -> str:
            article = newspaper.Article("https://example.org/")
            article.download(input_html=data.decode("utf-8", "replace"))
            article.parse()
            return article.text

        found.append(("newspaper4k", news))
    except ImportError:
        print("newspaper4k: not installed, skipped")
    return found


def run(name, extract, pages, bench) -> tuple[dict, float]:
    texts = {}
    started = time.perf_counter()
    for page in pages:
        data = (bench / page["file"]).read_bytes()
        try:
            texts[page["file"]] = extract(data)
        except Exception as exc:  # scored as an empty output
            print(f"{name}: {page['file']} raised {type(exc).__name__}", file=sys.stderr)
            texts[page["file"]] = None
    return texts, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="extra package directory (pip --target)")
    parser.add_argument("--split", choices=SPLITS, default="all")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if args.site:
        sys.path.append(str(args.site))  # after the venv: its lxml and others win
    for name in ("trafilatura", "htmldate", "goose3", "newspaper", "readability"):
        logging.getLogger(name).setLevel(logging.ERROR)
    sets = []
    boilerplate = bench_dir("boilerplate", None)
    if (boilerplate / "expected.jsonl").is_file():
        pages = [
            p for p in eval_boilerplate.load_pages(boilerplate) if in_split(p["file"], args.split)
        ]
        sets.append(("boilerplate", boilerplate, pages, eval_boilerplate.score))
    articles = bench_dir("articles", None)
    if (articles / "truth.jsonl").is_file():
        pages = [p for p in eval_articles.load_pages(articles) if in_split(p["file"], args.split)]
        sets.append(("articles", articles, pages, eval_articles.score))
    if not sets:
        print("eval_extractors: no gold sets found; skipped")
        return 0
    payload: dict = {}
    for name, extract in extractors():
        for set_name, bench, pages, score in sets:
            texts, seconds = run(name, extract, pages, bench)
            figures = {k: v for k, v in score(texts, pages).items() if k != "errors"}
            figures["ms_per_page"] = round(1000 * seconds / max(1, len(pages)), 1)
            payload.setdefault(set_name, {})[name] = figures
            print(
                f"{set_name:<12} {args.split:<5} {name:<24} P {figures['precision']:.3f} "
                f"R {figures['recall']:.3f} F1 {figures['f1']:.3f} "
                f"{figures['ms_per_page']:>7.1f} ms/page",
                flush=True,
            )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
