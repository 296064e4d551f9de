"""The 1–3 sentences of a passage that best match a question, with matched-term spans."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from knowledge.language.tokenize import words
from knowledge.models import Excerpt, Passage, Source
from knowledge.passages import sentence_spans

__all__ = ["EXCERPT_BUDGET", "is_near_duplicate", "make_excerpt"]

EXCERPT_BUDGET = 500  # characters an excerpt aims to stay within
_SHORT = 160  # an excerpt shorter than this takes a neighbouring sentence for context
_ELLIPSIS = "…"
_LIST_ITEM = re.compile(r"(?:[-•*]|\d{1,2}[.)])\s")  # "- item", "• item", "2. item"
# a sentence opening with one of these words refers to the one before it ("They hosted ...",
# and after a short lead: "Initially, they sought ...", "In 2015, it ...")
_REFERS_BACK = re.compile(
    r"(?:[^\s,.;:]+(?:\s+[^\s,.;:]+){0,2},\s+)?"
    r"(?i:they|their|them|this|these|those|it|its|such|he|she|his|her)\b"
)


def _best_window(
    text: str, spans: list[tuple[int, int]], weights: Mapping[str, float], held: int | None = None
) -> tuple:
    """The (start, end) of the 1–3 consecutive sentences with the most matched weight.

    Among windows with the same question words, the one mentioning them most per sentence
    wins, then the shortest. With ``held``, only windows holding that sentence count.
    """
    sentences = [[w.token for w in words(text[s:e]) if w.token in weights] for s, e in spans]
    mentioned = [math.fsum(weights[t] for t in tokens) for tokens in sentences]
    best: tuple[float, float, int, int, int] | None = None  # (-weight, -density, length, ...)
    for first in range(len(spans)):
        for last in range(first, min(first + 3, len(spans))):
            length = spans[last][1] - spans[first][0]
            if last > first and length > EXCERPT_BUDGET:
                break
            if held is not None and not first <= held <= last:
                continue
            terms = {t for tokens in sentences[first : last + 1] for t in tokens}
            density = math.fsum(mentioned[first : last + 1]) / (last - first + 1)
            # fsum: exact, so the sum is the same in every order the set iterates in
            key = (-math.fsum(weights[t] for t in terms), -density, length, first, last)
            if best is None or key < best:
                best = key
    assert best is not None
    first, last = best[3], best[4]
    first = _lead_in(text, spans, first, last)
    first, last = _antecedent(text, spans, (first, last), sentences, weights)
    if spans[last][1] - spans[first][0] < _SHORT:
        first, last = _widen(spans, first, last)
    if any(text[s:e].rstrip().endswith(":") for s, e in spans[first : last + 1]):
        last = _items(spans, first, last)
    return spans[first][0], spans[last][1]


def _antecedent(
    text: str,
    spans: list[tuple[int, int]],
    window: tuple[int, int],
    matched: list[list[str]],
    weights: Mapping[str, float],
) -> tuple[int, int]:
    """The window's first and last sentences, the first moved back when it refers back.

    "They hosted several rounds of talks" does not say who did: the sentence naming them
    joins while the excerpt stays within 3 sentences and the budget, in place of last
    sentences that matter less (`_room`).
    """
    first, last = window
    opens = text[spans[first][0] : spans[first][1]].lstrip()
    if first == 0 or last - first >= 2 or not _REFERS_BACK.match(opens):
        return first, last
    start = spans[first - 1][0]
    end = _room(spans, (first, last), matched, weights, EXCERPT_BUDGET + start)
    return (first, last) if end is None else (first - 1, end)


def _room(
    spans: list[tuple[int, int]],
    window: tuple[int, int],
    matched: list[list[str]],
    weights: Mapping[str, float],
    limit: int,
) -> int | None:
    """The last sentence of ``window`` once it ends by ``limit``, or None if it cannot.

    A sentence referred back to matters more than a last sentence whose new question words
    (``matched``: each sentence's) weigh less than half of those of the window's first.
    """
    first, end = window
    lead = math.fsum(weights[t] for t in set(matched[first]))
    while spans[end][1] > limit and end > first:
        new = set(matched[end]) - {t for m in matched[first:end] for t in m}
        if math.fsum(weights[t] for t in new) >= lead / 2:
            return None
        end -= 1
    return end if spans[end][1] <= limit else None


def _lead_in(text: str, spans: list[tuple[int, int]], first: int, last: int) -> int:
    """The first sentence, moved back to the lead-in when the excerpt opens on a list item.

    "- Agreed humanitarian corridors" reads as done; "Among the potential milestones are:"
    says it is hoped for. The lead-in and the items before join within the budget.
    """
    k = first
    while k > 0 and _LIST_ITEM.match(text[spans[k][0] : spans[k][1]].lstrip()):
        k -= 1
    leads = k < first and text[spans[k][0] : spans[k][1]].rstrip().endswith(":")
    return k if leads and spans[last][1] - spans[k][0] <= EXCERPT_BUDGET else first


def _items(spans: list[tuple[int, int]], first: int, last: int) -> int:
    """The last sentence once a lead-in ("Among them:") takes the items it introduces.

    An excerpt that stops at a colon shows the question's words but not the answer: the
    following sentences join while the excerpt stays within budget.
    """
    while last + 1 < len(spans) and spans[last + 1][1] - spans[first][0] <= EXCERPT_BUDGET:
        last += 1
    return last


def _widen(spans: list[tuple[int, int]], first: int, last: int) -> tuple[int, int]:
    """Add the next (else the previous) sentence when it keeps the excerpt within budget."""
    for nf, nl in ((first, last + 1), (first - 1, last)):
        if nf >= 0 and nl < len(spans) and spans[nl][1] - spans[nf][0] <= EXCERPT_BUDGET:
            return nf, nl
    return first, last


def _trim(text: str, weights: Mapping[str, float]) -> str:
    """Cut an over-long sentence to the budget around its first matched word, at word ends."""
    if len(text) <= EXCERPT_BUDGET:
        return text
    first = next((w.start for w in words(text) if w.token in weights), 0)
    start = max(0, min(first - EXCERPT_BUDGET // 3, len(text) - EXCERPT_BUDGET))
    end = start + EXCERPT_BUDGET
    if start > 0:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    head = _ELLIPSIS if start > 0 else ""
    tail = _ELLIPSIS if end < len(text) else ""
    return head + text[start:end].strip() + tail


def _highlights(text: str, weights: Mapping[str, float]) -> tuple[tuple[int, int], ...]:
    return tuple((w.start, w.end) for w in words(text) if w.token in weights)


def make_excerpt(
    passage: Passage,
    source: Source,
    weights: Mapping[str, float],
    rank: int,
    score: float,
    focus: str | None = None,
    before: str = "",
) -> Excerpt:
    """Build the excerpt of ``passage`` for a question whose token weights are ``weights``.

    Args:
        passage: the hit.
        source: the passage's source, for the citation.
        weights: each query token's weight (its idf); only their keys are highlighted.
        rank: 1-based rank shown to the user.
        score: the passage's BM25 score.
        focus: a sentence of the passage the excerpt must hold (the one closest in meaning).
        before: the text of the passage before it in its source ("" for none): an excerpt
            that opens the passage by referring back ("This covers ...") starts with the
            sentence it refers to, from there, within the budget.
    """
    spans = sentence_spans(passage.text) or [(0, len(passage.text))]
    texts = [passage.text[s:e].strip() for s, e in spans]
    held = texts.index(focus) if focus in texts else None
    start, end = _best_window(passage.text, spans, weights, held)
    text = _trim(passage.text[start:end].strip(), weights)
    if before and start == spans[0][0] and _REFERS_BACK.match(text):
        last = (sentence_spans(before) or [(0, len(before))])[-1]
        previous = before[last[0] : last[1]].strip()
        inner = sentence_spans(text) or [(0, len(text))]
        matched = [[w.token for w in words(text[a:b]) if w.token in weights] for a, b in inner]
        end = _room(
            inner, (0, len(inner) - 1), matched, weights, EXCERPT_BUDGET - 1 - len(previous)
        )
        if previous and end is not None:
            text = f"{previous} {text[: inner[end][1]].strip()}"
    return Excerpt(rank, passage, source, text, _highlights(text, weights), score)


def is_near_duplicate(a: Excerpt, b: Excerpt, threshold: float = 0.7) -> bool:
    """True when two excerpts share most of their words (Jaccard over tokens)."""
    ta = {w.token for w in words(a.text) if w.token}
    tb = {w.token for w in words(b.text) if w.token}
    if not ta or not tb:
        return a.text == b.text
    return len(ta & tb) / len(ta | tb) >= threshold
