"""Vietnamese text handling: NFC normalisation, diacritic-free search keys, Vietnamese sort keys.

Everything a user types is normalised to NFC before it is stored, compared or drawn: text pasted from
other programs often arrives decomposed (NFD), which looks the same on screen but neither matches in a
search nor renders correctly in a PDF.
"""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str | None) -> str:
    """NFC-normalised text with surrounding white space removed ('' for None)."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text)).strip()


def clean_name(text: str | None) -> str:
    """A personal name: NFC, single spaces, each word capitalised the Vietnamese way."""
    words = _SPACES.split(nfc(text))
    return " ".join(w[:1].upper() + w[1:].lower() for w in words if w)


class _NoMarks(dict):
    """str.translate table deleting the non-spacing marks (category Mn), filled as characters are met (at most
    _NO_MARKS_KEPT of them: a hostile file full of rare characters cannot make it grow without end)."""

    def __missing__(self, code: int):
        kept = None if unicodedata.category(chr(code)) == "Mn" else code
        if len(self) < _NO_MARKS_KEPT:
            self[code] = kept
        return kept


_NO_MARKS_KEPT = 4096


_NO_MARKS = _NoMarks()


def fold(text: str | None) -> str:
    """Search key: lower case, no tone or vowel marks, 'đ' → 'd', single spaces.

    'Nguyễn Thị Ánh' → 'nguyen thi anh', so "nguyen thi anh", "NGUYEN" and "d" (for "Đ") all match.
    """
    decomposed = unicodedata.normalize("NFD", nfc(text).lower().replace("đ", "d"))
    return _SPACES.sub(" ", decomposed.translate(_NO_MARKS)).strip()


# Vietnamese alphabetical order; within a word the tones are compared after the letters,
# in the dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_CODE = {ch: chr(0x41 + i) for i, ch in enumerate(_ALPHABET)}
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


def _split_letters(word: str) -> tuple[str, str]:
    """(primary letter codes, tone digits) for one word."""
    primary: list[str] = []
    tones: list[str] = []
    for base in unicodedata.normalize("NFD", word.lower()):
        if base in _TONES:
            tones[-1:] = [_TONES[base]]
            continue
        if base in _LETTER_MARKS and primary:
            # Re-compose the letter with its mark (a + ̆ → ă) to find its place in the alphabet.
            letter = unicodedata.normalize("NFC", primary.pop() + base)
            primary.append(letter)
            continue
        if unicodedata.category(base) == "Mn":
            continue
        primary.append(base)
        tones.append("0")
    codes = "".join(_LETTER_CODE.get(ch, ch if not ch.isalpha() else "~" + ch) for ch in primary)
    return codes, "".join(tones)


def vn_sort_key(full_name: str | None) -> str:
    """Sort key for a Vietnamese full name: given name first, then middle names, then family name.

    Stored in a column so that the database can sort a 50,000-row list without Python.
    """
    words = nfc(full_name).split()
    if not words:
        return ""
    ordered = [words[-1], *words[1:-1], words[0]] if len(words) > 1 else words
    parts = []
    for word in ordered:
        codes, tones = _split_letters(word)
        # Letters, then tones, word by word: "Dũng" and "Dụng" are different given names and are not
        # interleaved by middle name. \x01 and \x03 sort before every letter code, so "An" < "Anh".
        parts.append(codes + "\x03" + tones)
    return "\x01".join(parts)


def estimated_age_text(age: int | None) -> str:
    """How an age known only by estimate is shown: 'khoảng 7 tuổi', 'dưới 1 tuổi', 'không rõ'."""
    if age is None:
        return "không rõ"
    return "dưới 1 tuổi" if age == 0 else f"khoảng {age} tuổi"
