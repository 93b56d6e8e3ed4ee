"""Reading a seed: format from the file name, text from bytes, a status when that fails."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

FORMATS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".xhtml": "html"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    status: str  # "ok", "empty", "undecodable"
    detail: str
    text: str
    encoding: str | None


def format_of(doc_id: str) -> str | None:
    """``txt`` or ``html`` by extension (case-insensitive); None for anything else."""
    name = doc_id.rsplit("/", 1)[-1].lower()
    dot = name.rfind(".")
    return FORMATS.get(name[dot:]) if dot > 0 else None


# Control characters other than \t \n \v \f \r (0x09-0x0d).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    """Control characters other than white space mean a binary file with a text extension."""
    if not text:
        return False
    sample = text[:65536]
    # A regex scan, not a Python loop over characters: ingest calls this for every document.
    control = len(_CONTROL.findall(sample))
    return control / len(sample) > 0.05


def decode(data: bytes) -> Decoded:
    """Decode by BOM, then strict UTF-8, then charset-normalizer's best guess.

    NUL bytes are removed before detection: scrapers leave them in otherwise good text, and a
    NUL-only file is empty rather than binary.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _finish(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                return Decoded(
                    "undecodable", f"{encoding} BOM but invalid data: {exc.reason}", "", None
                )
    if b"\x00" in data:
        stripped = data.replace(b"\x00", b"")
        # A UTF-16 file without BOM is mostly NULs in every other byte: try it before stripping.
        if len(stripped) * 2 <= len(data) + 2 and len(data) % 2 == 0 and stripped:
            for encoding in ("utf-16-le", "utf-16-be"):
                try:
                    text = data.decode(encoding)
                except UnicodeDecodeError:
                    continue
                if not _looks_binary(text):
                    return _finish(text, encoding)
        data = stripped
    if not data.strip():
        return Decoded("empty", "file is empty or white space only", "", None)
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    encoding = _guess_encoding(data)
    if encoding is None:
        return Decoded("undecodable", "no text encoding fits the bytes", "", None)
    try:
        text = data.decode(encoding)
    except LookupError:
        return Decoded("undecodable", f"detected {encoding}, which Python cannot decode", "", None)
    except UnicodeDecodeError:
        # The guess was made on a sample; a few bytes further on do not fit. Keep the text.
        text = data.decode(encoding, errors="replace")
        decoded = _finish(text, encoding)
        if decoded.status == "ok":
            bad = text.count("\ufffd")
            return Decoded(
                "ok", f"{bad} undecodable byte(s) replaced with U+FFFD", decoded.text, encoding
            )
        return decoded
    return _finish(text, encoding)


# charset-normalizer ranks legacy code pages by "chaos"; on short Western text several fit
# equally well and its first pick is often a Central European or Baltic one (cp1250, cp1257),
# which turns "déjà" into "dėją". cp1252 is what browsers read Latin-1 as and by far the most
# common legacy encoding of news pages, so it wins whenever it fits about as well as the best.
_PREFERRED = "cp1252"
_PREFERENCE_MARGIN = 0.05


def _guess_encoding(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:1_000_000])
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        if (
            _PREFERRED in match.could_be_from_charset
            and match.chaos <= best.chaos + _PREFERENCE_MARGIN
        ):
            return _PREFERRED
    return best.encoding


def _finish(text: str, encoding: str) -> Decoded:
    text = text.replace("\x00", "")
    if _looks_binary(text):
        return Decoded("undecodable", "binary content (control characters)", "", encoding)
    if not text.strip():
        return Decoded("empty", "file is empty or white space only", "", encoding)
    return Decoded("ok", "", text, encoding)
