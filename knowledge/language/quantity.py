"""Questions that ask for a number or a date, and texts that state one.

"When was Zelensky born?" or "How many countries are in NATO?" can only be answered by a
passage that states a number or a date; a passage that shares their words but states none is
about something else (`knowledge.decision` refuses it).
"""

from __future__ import annotations

import re

__all__ = ["asks_for_quantity", "states_quantity"]

# The question opens (after an optional "and", "but") with an interrogative asking for a count,
# an amount, an age or a date. "How long" is left out: it asks for a length as often as a time.
_ASKS = re.compile(
    r"^\W*(?:(?:and|but|so|а|і|й|та|и|но)\s+)?"
    r"(?:when|how\s+(?:many|much|old)|(?:in\s+)?(?:what|which)\s+year"
    r"|коли|скільки|(?:в|у)\s+(?:якому|котрому)\s+році|якого\s+року"
    r"|когда|сколько|в\s+(?:каком|котором)\s+году|какого\s+года)(?![\w-])",
    re.IGNORECASE,
)
# A digit, an English number word, or a month (capitalised: "may" is mostly a verb).
_STATES = re.compile(
    r"\d|\b(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    r"|hundreds?|thousands?|millions?|billions?|dozens?)\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b"
)


def asks_for_quantity(question: str) -> bool:
    """Whether ``question`` (en, uk or ru) asks when, how many, how much or how old."""
    return bool(_ASKS.search(question))


def states_quantity(text: str) -> bool:
    """Whether ``text`` (English) states a number or a date."""
    return bool(_STATES.search(text))
