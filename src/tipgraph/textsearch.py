"""Text normalisation shared by the search index and the static site's prebuilt index.

One rule for both: Unicode NFKD, combining marks removed, case-folded; words are runs of
letters and digits. The English stemmer (Snowball) is applied by the server-side search only.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Text without accents and case: "Côte d'Ivoire" -> "cote d'ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def folded_words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return WORD.findall(fold(text))


def searchable(text: str) -> str:
    """The folded words of a text joined by single spaces: what the static index stores."""
    return " ".join(folded_words(text))


@functools.lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English stem of a folded word ("trafficked" -> "traffick")."""
    return _stemmer().stemWord(word)


@dataclass(frozen=True)
class Token:
    """A word of a text: where it is (in the NFC form of the text), folded, and stemmed."""

    start: int
    end: int
    folded: str
    stem: str


def tokenize(text: str) -> list[Token]:
    """The words of ``text`` (already in NFC) with their places, for highlighting.

    A word of the original text may fold into several (a ligature, "ﬁ" -> "fi"); each keeps
    the original word's place.
    """
    tokens = []
    for match in WORD.finditer(text):
        for part in WORD.findall(fold(match.group())):
            tokens.append(Token(match.start(), match.end(), part, stem(part)))
    return tokens
