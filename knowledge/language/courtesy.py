"""Messages that only thank or acknowledge ("thanks!", "ok 👍", "дякую", "спасибо большое")."""

from __future__ import annotations

import re

from knowledge.language.tokenize import normalize

__all__ = ["is_courtesy"]

# Every word of such a message is one of these (English, Ukrainian, Russian; lowercased).
_WORDS = (
    "thanks thank thx ty tnx you very much so a lot lots many ok okay k kk cool great nice good",
    "perfect awesome got it understood see i bot mate all right alright that's helpful",
    "дякую дякуємо дяки спасибі дуже велике щиро ок окей добре зрозуміло чудово клас супер",
    "спасибо благодарю большое огромное очень ок окей хорошо понятно отлично класс супер ясно",
)
_COURTESY = frozenset(" ".join(_WORDS).split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def is_courtesy(text: str) -> bool:
    """True when ``text`` has words and each only thanks or acknowledges: nothing to answer."""
    folded = normalize(text).replace("’", "'")
    found = _WORD.findall(folded)
    rest = _WORD.sub(" ", folded)
    return bool(found) and all(w in _COURTESY for w in found) and not re.search(r"[\d?]", rest)
