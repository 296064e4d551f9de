"""Which words of a question are names: capitalised inside a sentence, or in camel case."""

from __future__ import annotations

import re

from knowledge.language.stem import is_cyrillic, stem_cyrillic
from knowledge.language.tokenize import words

__all__ = ["name_tokens"]

_SENTENCE_END = re.compile(r"[.!?…:]\s*$")
_CAMEL_CASE = re.compile(r"[a-zа-яёіїєґ][A-ZА-ЯЁІЇЄҐ]")  # a capital after a small letter
_APOSTROPHE = re.compile(r"['’ʼ`]")


def name_tokens(text: str, language: str = "en") -> frozenset[str]:
    """Search tokens of the words ``text`` writes as names.

    A name is capitalised and does not open a sentence ("Reykjavik"), or is written in camel
    case anywhere ("iPhone", "YouTube").
    """
    found = set()
    for i, word in enumerate(words(text)):
        surface = text[word.start : word.end]
        initial = len(_APOSTROPHE.split(surface)[0]) < 2  # "I", "I'm", "A"
        capitalised = not initial and surface[:1].isupper()
        opening = i == 0 or _SENTENCE_END.search(text[: word.start])
        if not (_CAMEL_CASE.search(surface) or (capitalised and not opening)):
            continue
        found.add(stem_cyrillic(surface, language) if is_cyrillic(surface) else word.token)
    return frozenset(found - {""})
