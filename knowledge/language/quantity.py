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
# "When talks fail, what does Moscow say?": a "when" clause before the question itself asks
# no date ("When did they meet, and who came?" still does: an auxiliary follows "when").
_ASKS_WHEN = re.compile(
    _OPENING + r"when\s+(?:did|does|do|was|were|is|are|will|would|can|could|has|have|had"
    r"|should|might|may)\b",
    re.I,
)
_CLAUSE = re.compile(
    r",\s*(?:what|who|whom|whose|which|why|how|where|do|does|did|is|are|was|were|can|could"
    r"|will|would|should|has|have|що|хто|чому|як|де|чи|что|кто|почему|как|где)\b",
    re.I,
)
# A question that asks what a measure is asks for a count: "What is the population of Kyiv?",
# "population of Kyiv", "minsk population", "какая зарплата у генсека". Only measures the
# tuning questions asked about, and only where the question asks for the measure itself:
# "How is the civilian population affected?" or "What price are civilians paying?" ask
# something else.
_MEASURES = (
    r"population|населення|население|salar(?:y|ies)|wages?|зарплат[аиуы]|prices?|ціна|ціни"
    r"|цена|цены|gdp|ввп"
)
_SIZE = r"(?:(?:current|total|average|approximate|estimated|official)\s+)?"
_MEASURE_ASKED = [
    re.compile(
        rf"\b(?:what|wat|wht)(?:'s|’s|s|\s+is|\s+was|\s+are|\s+were)\s+(?:the\s+)?{_SIZE}"
        rf"(?:{_MEASURES})\b",
        re.I,
    ),  # what is the (current) population
    re.compile(rf"^\W*(?:{_MEASURES})\s+(?:of|in)\b", re.I),  # population of Kyiv
    re.compile(  # какое население, яка ціна
        r"^\W*(?:яка|який|яке|які|какая|какой|какое|какие|каков\w*)\s+"
        rf"(?:(?:середня|средняя|нинішня|нынешняя)\s+)?(?:{_MEASURES})(?!\w)",
        re.I,
    ),
]
KEYWORD_QUERY = 3  # a query of at most this many words that names a measure asks for it
_MEASURE_WORD = re.compile(rf"\W*(?:{_MEASURES})\W*", re.I)
_NUMBER = re.compile(
    r"\d|\b(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    r"|hundreds?|thousands?|millions?|billions?|dozens?)\b"
    r"|(?i:\b(?:сотн|сотен|тисяч|тысяч|мільйон|миллион|мільярд|миллиард|десятк|дюжин))"
)
# capitalised: "may" is mostly a verb
_MONTH = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b"
    # Ukrainian and Russian months in any case ("у грудні", "в декабре"), not their homonyms
    # ("червоний", "квітка", "груди", "майбутнє")
    r"|(?i:\b(?:січ[ен]|лют(?:ий|ого|ому|им)\b|берез[ен]|квіт[ен]|трав[ен]|черв[ен]|лип[ен]"
    r"|серп[ен]|верес[ен]|жовт[ен]|листопад|груд[ен]|январ|феврал|март|апрел"
    r"|ма[йяюе]\b|июн|июл|август|сентябр|октябр|ноябр|декабр))"
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def asked_quantity(question: str) -> Quantity | None:
    """What ``question`` (en, uk or ru) opens by asking for: a count, a date, or neither."""
    if _COUNT.search(question) or _asks_measure(question):
        return "count"
    if _ASKS_WHEN.search(question):
        return "date"
    return "date" if _DATE.search(question) and not _CLAUSE.search(question) else None


def _asks_measure(question: str) -> bool:
    """Whether ``question`` asks what a measure (population, price, salary, GDP) is."""
    if any(pattern.search(question) for pattern in _MEASURE_ASKED):
        return True
    words = question.split()
    return len(words) <= KEYWORD_QUERY and any(_MEASURE_WORD.fullmatch(w) for w in words)


def states_quantity(text: str, quantity: Quantity) -> bool:
    """Whether ``text`` (English, Ukrainian or Russian) states a ``quantity``: a number other
    than a year for a count; any number or a month for a date."""
    if quantity == "count":
        return bool(_NUMBER.search(_YEAR.sub(" ", text)))
    return bool(_NUMBER.search(text) or _MONTH.search(text))
