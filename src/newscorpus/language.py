"""Language identification (langdetect, deterministic)."""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "0"


@dataclass(slots=True)
class LanguageResult:
    language: str | None  # ISO 639-1, or None with a reason
    score: float | None
    reason: str | None


def detect_language(text: str, settings: dict) -> LanguageResult:
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0
    if len(text.strip()) < settings.get("min_chars", 20):
        return LanguageResult(None, None, "too little text")
    best = detect_langs(text[: settings.get("sample_chars", 10000)])[0]
    return LanguageResult(best.lang, float(best.prob), None)
