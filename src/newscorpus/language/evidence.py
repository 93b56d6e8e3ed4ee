"""Script and alphabet evidence that settles close calls between related languages.

langdetect samples character n-grams at random; on a sentence or two it confuses languages
that share most of an alphabet (Russian/Ukrainian/Bulgarian/Macedonian, Czech/Slovak/
Slovenian/Croatian/Polish, Spanish/Portuguese/Catalan, German/Dutch/Afrikaans). What the text
itself shows is stronger evidence there: a letter a language does not use rules it out, and a
handful of very frequent function words point to one language. The tables below are that
evidence; ``settle`` applies it. Codes are langdetect's (ISO 639-1, plus zh-cn / zh-tw).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Languages langdetect confuses on short texts, grouped by shared alphabet.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("ru", "uk", "bg", "mk"),
    ("cs", "sk", "sl", "hr", "pl"),
    ("es", "pt", "ca"),
    ("de", "nl", "af"),
)

# Lower-case letters each language writes. For Latin-script languages only the letters beyond
# a-z are listed (a-z are allowed for all of them). A text letter that belongs to some language
# of the group but not to a candidate's alphabet rules that candidate out.
ALPHABETS: dict[str, str] = {
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюяѝ",
    "mk": "абвгдѓежзѕијклљмнњопрстќуфхцчџшѐѝ",
    "cs": "áčďéěíňóřšťúůýž",
    "sk": "áäčďéíĺľňóôŕšťúýž",
    "sl": "čšž",
    "hr": "čćđšž",
    "pl": "ąćęłńóśźż",
    "es": "áéíóúüñ",
    "pt": "áâãàçéêíóôõúü",
    "ca": "àçéèíïòóúü",
    "de": "äöüß",
    "nl": "áéèëíïóöúü",
    "af": "áéèêëíîïóôöúûŉ",
}

# Letters at least one of which almost every text of the language holds: a text of at least
# ``min_letters_for_absence`` letters of the script without any of them is taken not to be that
# language when nothing else decides (Ukrainian і ї є make up about 6-7% of letters; 30 letters
# without one happen in roughly 1 of 8 Ukrainian texts of that length, rarer as texts grow).
EXPECTED_LETTERS: dict[str, str] = {"uk": "іїє"}

# Very frequent function words per language (lower case; ASCII spellings of Czech/Slovak words
# included because diacritics are often dropped on the web). Words may appear under several
# languages; each list should hold the language's most frequent short words, shared or not, so
# that no language is favoured by a gap in its list.
MARKER_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "ru": "и в на не с у к по из от до за да но ли так тут там все много что это как его "
        "она они мне меня тебя себя уже если только или ещё еще был была было были быть "
        "вот надо нет всё когда чтобы который которые может даже очень сейчас где тоже "
        "этот эта эти ему него неё нее вы мы потому будет можно нужно",
        "uk": "і в на не до за та так тут там все багато що це як але чи з у ось його вона вони "
        "мені мене тебе уже вже якщо тільки або ще був була було були бути ось треба ні "
        "коли щоб який яка які може навіть дуже зараз де також цей ця ці йому нього ви ми "
        "тому буде можна потрібно і й є від із між",
        "bg": "и в на не с до по из тук там всичко това тази тези този са съм сме сте беше бяха "
        "ще които който която много как но към във със още където защото само така тук "
        "сега нея тях аз ние вие нещо трябва ли да от за се е",
        "mk": "и в на не до по тука таму сè што ова оваа овој тоа таа тие се е од со во ќе има "
        "беше сум си треба многу каде кога нив јас ние вие дека ги но да за",
        "cs": "a i v na s z k do o po ve ze je se že co jak ale jsem jsou jste jsme byl byla "
        "bylo byli by pro při pri také take tak který která které ktery ktera ktere kde "
        "když kdyz jen jeho něco neco není neni mezi dne roku či ci nebo už uz již jiz "
        "protože protoze tento této teto tohoto jako velmi",
        "sk": "a i v na s z k do o po vo zo je sa že som sú su aby alebo ako ktorý ktorá ktoré "
        "ktory ktora ktore bol bola bolo boli pre pri medzi sme ste nie čo aj len už keď "
        "ked tiež tiez veľmi až podľa podla dňa dna ich",
        "sl": "v na s z k do o po je da se na za ki so pa tudi bi kot ali lahko ker kaj zelo še "
        "če samo bil bila sem smo ste to vse tako ne po od iz pri dne",
        "hr": "u na s z k do o po i je da su se na za od kao ali što sto koji koja koje bio "
        "bila može moze samo će ce kako zbog prema nije biti ovo ova ovaj ima jer iz te "
        "kada gdje već vec sve",
        "pl": "a w z i o do po na we ze się nie na do to że jest o jak co po ale tak od przez "
        "jego dla są tylko już może czy jako oraz który która które by było był była",
        "es": "a o y e va todo hasta el la los las de del que y en un una es por con para no se "
        "lo al como más pero sus su le ya este esta hay muy también fue ha son sin sobre "
        "entre cuando",
        "pt": "o a os as e ou todo até de do da dos das que e em um uma é por com para não se "
        "no na nos nas ao à às como mais mas seu sua ele ela foi são também já muito isso "
        "este esta",
        "ca": "a o i que en el la els les de del que i en un una és per amb per no es al com "
        "més però seu seva ha són també ja molt aquest aquesta hi ho va",
        "de": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch "
        "es an werden aus er hat dass sie nach wird bei einer um am sind noch wie",
        "nl": "de het een en van is niet dat op te in zijn met voor ook aan er maar om als dit "
        "bij wordt uit naar nog wel geen heeft worden werden was ik je",
        "af": "die en van is nie dat op te in het met vir ook aan maar om as hierdie by word "
        "uit na nog wel geen ek jy sy ons hulle was",
    }.items()
}

_WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC_OF_LATIN = str.maketrans("aceiopxyACEIOPXY", "асеіорхуАСЕІОРХУ")
_MIXED_WORD = re.compile(r"\b(?=\w*[\u0400-\u04ff])(?=\w*[A-Za-z])\w+\b")


def group_of(language: str) -> tuple[str, ...] | None:
    for group in GROUPS:
        if language in group:
            return group
    return None


def fix_cyrillic_homoglyphs(text: str) -> str:
    """Latin look-alikes inside Cyrillic words become Cyrillic (old Ukrainian web text writes
    the Latin ``i`` for ``і``, which hides the letter that tells Ukrainian from Russian)."""

    def repair(match: re.Match[str]) -> str:
        word = match.group(0)
        if sum("\u0400" <= ch <= "\u04ff" for ch in word) < sum(ch.isascii() for ch in word):
            return word
        return word.translate(_CYRILLIC_OF_LATIN)

    text = _MIXED_WORD.sub(repair, text)
    # A lone Latin "i" between Cyrillic words is the Ukrainian conjunction "і".
    return re.sub(r"(?<=[\u0400-\u04ff] )i(?= [\u0400-\u04ff])", "і", text)


def script_override(text: str, language: str) -> str | None:
    """Language implied by CJK script when langdetect's answer contradicts it (only for text
    mostly in CJK script, so a Japanese title quoted in a Dutch sentence changes nothing)."""
    kana = hangul = han = 0
    for ch in text:
        code = ord(ch)
        if 0x3040 <= code <= 0x30FF:
            kana += 1
        elif 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
            hangul += 1
        elif 0x4E00 <= code <= 0x9FFF:
            han += 1
    if 2 * (kana + hangul + han) < sum(ch.isalpha() for ch in text):
        return None
    if kana and language != "ja":
        return "ja"  # kana is written only in Japanese
    if language == "ko" and han and not hangul:
        return "zh"
    if language == "ja" and han and not kana:
        return "zh"
    return None


def settle(text: str, ranked: Sequence[str], min_letters_for_absence: int = 30) -> tuple[str, bool]:
    """Settle a close call within ``ranked[0]``'s group using letters and function words.

    ``ranked`` is langdetect's answer, best first. Candidates are the group's languages; a
    candidate is ruled out by a letter outside its alphabet or by the absence of letters it
    always writes; among the rest, a unique leader in function-word hits wins, else the best
    ranked. Returns ``ranked[0]`` when the group gives no evidence.
    """
    best = ranked[0]
    group = group_of(best)
    if group is None:
        return best, False
    lower = unicodedata.normalize("NFC", text.lower())
    group_letters = set("".join(ALPHABETS[lang] for lang in group))
    cyrillic = group[0] == "ru"
    script_letters = sum(ch in group_letters for ch in lower)
    # Names carry foreign letters (Citroën in German, Île-de-France in Dutch): capitalised words
    # other than the first are no evidence. Letters no language of the group writes (mojibake,
    # foreign words) make the letter evidence unreliable altogether.
    words = _WORD.findall(unicodedata.normalize("NFC", text))
    letters = [
        ch.lower()
        for position, word in enumerate(words)
        if position == 0 or not word[0].isupper()
        for ch in word
        if ch.isalpha()
    ]
    foreign = [ch for ch in letters if ch not in group_letters and not ch.isascii()]
    candidates = list(group)
    if not foreign:
        candidates = [
            lang for lang in group if not _unwritten(letters, lang, group_letters, cyrillic)
        ]
    if not candidates:
        return best, False
    if len(candidates) == 1:
        return candidates[0], True
    # Function words: a word shared by k remaining candidates gives each of them 1/k, so shared
    # words weigh little and words only one candidate uses decide.
    hits = dict.fromkeys(candidates, 0.0)
    for word in _WORD.findall(lower):
        owners = [lang for lang in candidates if word in MARKER_WORDS[lang]]
        for lang in owners:
            hits[lang] += 1 / len(owners)
    ordered = sorted(hits.values(), reverse=True)
    if ordered[0] - ordered[1] >= 0.5:
        return max(hits, key=hits.__getitem__), True
    for lang, expected in EXPECTED_LETTERS.items():
        if (
            lang in candidates
            and len(candidates) > 1
            and script_letters >= min_letters_for_absence
            and not any(ch in expected for ch in lower)
        ):
            candidates.remove(lang)
            if len(candidates) == 1:
                return candidates[0], True
    order = {lang: position for position, lang in enumerate(ranked)}
    survivor = min(candidates, key=lambda lang: (order.get(lang, len(order)), group.index(lang)))
    return survivor, False


def _unwritten(letters: list[str], lang: str, group_letters: set[str], cyrillic: bool) -> int:
    """How many of the text's letters ``lang`` does not write (within the group's script)."""
    alphabet = ALPHABETS[lang]
    if cyrillic:
        return sum(ch not in alphabet for ch in letters if "\u0400" <= ch <= "\u04ff")
    return sum(ch not in alphabet for ch in letters if ch in group_letters)
