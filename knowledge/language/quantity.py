"""Questions that ask for a count or a date, and texts that state one.

"When was Zelensky born?", "How many countries are in NATO?" or "What is the population of
Kyiv?" can only be answered by a passage that states a date or a number; a passage that shares
their words but states none is about something else (`knowledge.decision` refuses it). A year
answers "when", not "how many".
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["Quantity", "asked_quantity", "states_quantity"]

Quantity = Literal["count", "date"]

_OPENING = r"^\W*(?:(?:and|but|so|а|і|й|та|и|но)\s+)?"  # after an optional "and", "but"
_END = r"(?![\w-])"  # a whole word: not "коли-небудь"
# "How long" is left out: it asks for a length as often as a time. "How old" can be answered
# by a year of birth, so it asks for a date.
_COUNT = re.compile(_OPENING + r"(?:how\s+(?:many|much)|скільки|сколько)" + _END, re.I)
_DATE = re.compile(
    _OPENING + r"(?:when|how\s+old|(?:in\s+)?(?:what|which)\s+year"
    r"|коли|(?:в|у)\s+(?:якому|котрому)\s+році|якого\s+року"
    r"|когда|в\s+(?:каком|котором)\s+году|какого\s+года)" + _END,
    re.I,
)
# A question that names a measure among its first words asks for a count: "population of
# Kyiv", "цена бензина". Only measures the tuning questions asked about (a longer question that
# mentions "prices" in passing asks something else).
_MEASURE = re.compile(
    r"(?<!\w)(?:population|населення|население|населения|salar(?:y|ies)|wages?|зарплат\w*"
    r"|prices?|ціна|ціни|ціну|цена|цены|цену|gdp|ввп)(?!\w)",
    re.I,
)
MEASURE_WORDS = 5  # how far into the question a measure counts as what it asks for
_NUMBER = re.compile(
    r"\d|\b(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    r"|hundreds?|thousands?|millions?|billions?|dozens?)\b"
)
# capitalised: "may" is mostly a verb
_MONTH = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b"
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def asked_quantity(question: str) -> Quantity | None:
    """What ``question`` (en, uk or ru) opens by asking for: a count, a date, or neither."""
    if _COUNT.search(question) or _MEASURE.search(" ".join(question.split()[:MEASURE_WORDS])):
        return "count"
    return "date" if _DATE.search(question) else None


def states_quantity(text: str, quantity: Quantity) -> bool:
    """Whether ``text`` (English) states a ``quantity``: a number other than a year for a
    count; any number or a month for a date."""
    if quantity == "count":
        return bool(_NUMBER.search(_YEAR.sub(" ", text)))
    return bool(_NUMBER.search(text) or _MONTH.search(text))
