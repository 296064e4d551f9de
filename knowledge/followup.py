"""Follow-ups: a reply to an answer that keeps the previous question's topic.

"and Ukraine?", "what about Turkey?", "why?", "а Україна?", "а что насчёт Турции?" replying to
"what does Russia demand?" name only what changes: :func:`follow_up` finds what the reply
names (stakeholders, demand topics, talk rounds — the taxonomy's en/uk/ru aliases) and puts it
in place of the same kind of name in the previous question, or adds it. A reply with a topic
of its own ("what did Turkey propose in Istanbul?") is a new question and stays as it is.
Structured questions follow too: "and Ukraine?" to "/demands russia" is "/demands ukraine".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from knowledge.language.detect import detect_language
from knowledge.language.tokenize import normalize, tokenize, words
from knowledge.query import QUESTION_FILLER
from knowledge.taxonomy.model import KINDS, Entry, Taxonomy
from knowledge.topics import COMMANDS, route

__all__ = ["FollowUp", "follow_up", "refers_back"]

MAX_CHARS = 300  # of a previous question, searched for names
MAX_WORDS = 8  # a longer reply is a question of its own
MAX_OWN = 2  # topic words a reply opening with "and…" may add ("and in Istanbul, why?")
MAX_SPAN = 5  # words in one name ("Organization for Security and Co-operation in Europe")
# Openings that tie a reply to the question before it, longest first within each language.
LEADS = tuple(
    sorted(
        (
            *("and what about", "and how about", "what about", "how about", "what of"),
            *("and also", "and", "also", "but", "then", "so", "ok", "okay", "same for", "now"),
            *("а як щодо", "а що щодо", "як щодо", "що щодо", "а що з", "що з", "ну а", "а ще"),
            *("а", "і", "й", "та", "стосовно", "щодо"),
            *("а как насчёт", "а как насчет", "как насчёт", "как насчет", "а что насчёт"),
            *("а что насчет", "что насчёт", "что насчет", "а что с", "что с", "а ещё", "а еще"),
            *("и", "насчёт", "насчет", "касательно", "относительно"),
        ),
        key=lambda lead: -len(lead),
    )
)
# Question words: a reply made of one ("why?", "коли?") asks that of the previous topic.
_ASKS = (
    "why when where who whom whose how what which",
    "чому коли де хто як що який яка які навіщо скільки чого",
    "почему когда где кто как что какой какая какие зачем сколько чего",
)
ASKS = frozenset(word for line in _ASKS for word in line.split())
_LEAD = re.compile(r"^\s*(?:" + "|".join(re.escape(x) for x in LEADS) + r")(?![^\W_])", re.I)


@dataclass(frozen=True, slots=True)
class FollowUp:
    """What to answer for a reply: the combined question, or the reply itself."""

    question: str
    combined: bool  # True when the previous question's topic was kept


@dataclass(frozen=True, slots=True)
class _Name:
    """Where a text names taxonomy entries, and which ones of each kind."""

    start: int
    end: int
    text: str
    kinds: Mapping[str, tuple[Entry, ...]]


@dataclass(frozen=True, slots=True)
class _Reply:
    """A reply taken apart: its names, question words and words of its own."""

    names: tuple[_Name, ...]
    asks: tuple[str, ...]
    own: tuple[str, ...]
    led: bool  # opens with "and", "what about", "а", "а что насчёт"...
    language: str
    rest: str  # the reply after its opening, without end punctuation


def follow_up(previous: str, reply: str, taxonomy: Taxonomy) -> FollowUp:
    """The question a ``reply`` to the answer of ``previous`` asks (pure; en, uk and ru)."""
    reply = reply.strip()
    parts = _parse(reply, taxonomy)
    if parts is None or not previous.strip() or not _elliptical(parts):
        return FollowUp(reply, False)
    routed = route(previous, taxonomy)
    if routed is not None:
        return FollowUp(_structured(routed, parts), True)
    return FollowUp(_combined(previous, parts, taxonomy), True)


def refers_back(text: str) -> bool:
    """True when ``text`` leans on what was asked before even when not sent as a reply: it
    opens with "and", "what about", "а", "а что насчёт"…, or is a question word alone."""
    text = text.strip()
    if _LEAD.match(text):
        return True
    found = [normalize(w) for w in re.findall(r"[^\W\d_]+", text)]
    return bool(found) and all(w in ASKS for w in found)


def _parse(reply: str, taxonomy: Taxonomy) -> _Reply | None:
    """``reply`` taken apart, or None when it is too long or a command to be a follow-up."""
    if reply.startswith("/") or len(reply) > MAX_CHARS:
        return None
    lead = _LEAD.match(reply)
    rest = reply[lead.end() :] if lead else reply
    language = detect_language(reply, taxonomy)
    names = _names(rest, taxonomy)
    stop = taxonomy.glossary.stopwords.get(language, frozenset())
    asks, own, count = [], [], 0
    for word in words(rest, language):
        count += 1
        surface = normalize(rest[word.start : word.end])
        if any(n.start <= word.start < n.end for n in names):
            continue
        if surface in ASKS:
            asks.append(surface)
        elif tokenize(surface, language, stop) and word.token not in QUESTION_FILLER:
            own.append(rest[word.start : word.end])
    if count > MAX_WORDS:
        return None
    tail = rest.strip().rstrip("?!.").strip()
    return _Reply(tuple(names), tuple(asks), tuple(own), lead is not None, language, tail)


def _elliptical(parts: _Reply) -> bool:
    """Whether the reply leans on the previous question rather than asking one of its own."""
    if not (parts.names or parts.asks or parts.own):
        return False  # "ok", "and?": nothing to ask
    if parts.own and (parts.asks or not parts.names):
        return False  # it says what it asks ("and what does Ukraine want?", "what about America")
    return not parts.own or (parts.led and len(parts.own) <= MAX_OWN)


def _names(text: str, taxonomy: Taxonomy, kinds: tuple[str, ...] = KINDS) -> list[_Name]:
    """Every span of ``text`` naming entries of ``kinds``: longest first, none overlapping."""
    found: list[_Name] = []
    ws = words(text[:MAX_CHARS])
    i = 0
    while i < len(ws):
        surface = text[ws[i].start : ws[i].end]
        named = _starts_name(ws[i].token, surface, taxonomy) and _kinds(surface, taxonomy, kinds)
        if not named:
            i += 1
            continue
        last = i
        for j in range(i + 1, min(len(ws), i + MAX_SPAN)):
            if normalize(text[ws[j].start : ws[j].end]) in ASKS:
                break  # "Україна чого хоче": the name ends before its question word
            longer = _kinds(text[ws[i].start : ws[j].end], taxonomy, kinds)
            if not longer:
                break
            if _content(ws[j].token, taxonomy):
                last, named = j, longer
        start, end = ws[i].start, ws[last].end
        found.append(_Name(start, end, text[start:end], named))
        i = last + 1
    return found


def _kinds(text: str, taxonomy: Taxonomy, kinds: tuple[str, ...]) -> dict[str, tuple[Entry, ...]]:
    return {kind: found for kind in kinds if (found := taxonomy.matches(kind, text))}


def _starts_name(token: str, surface: str, taxonomy: Taxonomy) -> bool:
    """A word that can start a name: a content word, or an acronym such as "US"."""
    return _content(token, taxonomy) or (len(surface) > 1 and surface.isupper())


def _content(token: str, taxonomy: Taxonomy) -> bool:
    """A word that can end a name: not a stopword nor a word like "talks"."""
    return bool(token) and token not in taxonomy.generic_words


def _structured(routed: tuple[str, str], parts: _Reply) -> str:
    """A structured question with the reply's name of the right kind as its argument."""
    command, argument = routed
    kind = COMMANDS[command]
    same = [n for n in parts.names if kind in n.kinds]
    if same:
        entries = same[0].kinds[kind]
        return f"/{command} {entries[0].id if len(entries) == 1 else same[0].text}"
    extra = [n.text for n in parts.names] + list(parts.own)
    if not extra:
        return f"/{command} {argument}".strip()  # "why?": the same answer is what there is
    return " ".join([command, argument, *extra]).replace("  ", " ")


def _combined(previous: str, parts: _Reply, taxonomy: Taxonomy) -> str:
    """``previous`` with the reply's names in place of its own of the same kind, then the rest."""
    text = previous.strip()
    language = detect_language(text, taxonomy)
    wanted = tuple(k for k in KINDS if any(k in n.kinds for n in parts.names))
    taken = _names(text, taxonomy, wanted) if wanted else []
    replace: list[tuple[_Name, str]] = []
    extra: list[str] = []
    for name in parts.names:
        kind = next((k for k in name.kinds if any(k in t.kinds for t in taken)), None)
        target = next((t for t in taken if kind in t.kinds), None) if kind else None
        if target is None:
            extra.append(name.text)
            continue
        taken.remove(target)
        replace.append((target, _display(name, kind or "", language, parts.language)))
    for target, shown in sorted(replace, key=lambda r: -r[0].start):
        text = text[: target.start] + shown + text[target.end :]
    text = _asking(text, parts.asks)
    if extra or parts.own:
        # nothing replaced: add the reply as written ("in Istanbul"); else its other words
        added = [parts.rest] if not replace and not parts.asks else [*extra, *parts.own]
        end = "?" if text.endswith("?") else ""
        text = " ".join([text.rstrip(" ?.!"), *added]) + end
    return text


def _display(name: _Name, kind: str, language: str, reply_language: str) -> str:
    """How a reply's name reads in the previous question's language."""
    entries = name.kinds[kind]
    if len(entries) != 1 or (language == reply_language == "en"):
        return name.text
    if language == "en":
        return entries[0].name
    # its name, not the reply's inflection: "Что требует Россия?" + "а что насчёт Турции?" is
    # "Что требует Турция?"; "Що вимагає Росія?" + "and Ukraine?" is "Що вимагає Україна?".
    # A topic's or round's name heads a reply ("Гарантії безпеки"): a question keeps the words
    if kind != "stakeholder":
        return name.text
    return entries[0].names.get(language, name.text)


def _asking(text: str, asks: tuple[str, ...]) -> str:
    """``text`` asking the reply's question word instead of its own ("why" for "what")."""
    if not asks:
        return text
    first = re.match(r"\s*([^\W\d_]+)", text)
    if first and normalize(first.group(1)) in ASKS:
        word = asks[0].capitalize() if first.group(1)[0].isupper() else asks[0]
        return text[: first.start(1)] + word + text[first.end(1) :]
    word = asks[0].capitalize() if text[:1].isupper() else asks[0]
    return f"{word} {text}"
