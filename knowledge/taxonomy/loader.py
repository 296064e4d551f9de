"""Read and validate ``taxonomy.yaml`` (and its glossary) into a `Taxonomy`.

Every problem is reported as ``path:line: message``; `load_taxonomy` raises `KnowledgeError`
with all of them, `check_taxonomy` returns them. The taxonomy is read on every knowledge load,
so an edited file takes effect with /reload.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from knowledge.errors import KnowledgeError
from knowledge.language.tokenize import cyrillic_words, is_cyrillic, tokenize
from knowledge.models import Problem
from knowledge.taxonomy.model import KINDS, Entry, Glossary, Role, Taxonomy
from knowledge.taxonomy.phrases import Phrase
from knowledge.yamlfile import YamlPath, YamlReader, first_file, shipped_file

__all__ = [
    "check_taxonomy",
    "default_taxonomy_path",
    "find_taxonomy",
    "load_taxonomy",
]

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SECTIONS = {"stakeholder": "stakeholders", "demand": "demands", "round": "rounds"}
_TOP_KEYS = {
    "version", "glossary", "roles", "positions", "outcome_words", "places", "generic_words"
}  # fmt: skip
_ENTRY_KEYS = {"id", "name", "names", "aliases", "together", "role", "place", "year", "date"}
_FOREIGN = ("uk", "ru")


def default_taxonomy_path() -> Path:
    """The shipped ``knowledge/data/taxonomy.yaml``."""
    return shipped_file("taxonomy.yaml")


def find_taxonomy(dirs: Sequence[Path] | None) -> Path:
    """The first ``taxonomy.yaml`` in the knowledge folders ``dirs``, else the shipped one."""
    return first_file(dirs, "taxonomy.yaml")


def unread_files(dirs: Sequence[Path] | None) -> list[Problem]:
    """Warnings for the taxonomy and glossary files in ``dirs`` that are not read: any but
    the taxonomy in use (see :func:`find_taxonomy`) and the glossary beside it."""
    used = find_taxonomy(dirs)
    why = {
        "taxonomy.yaml": f"not read: the taxonomy in use is {used}",
        "glossary.yaml": f"not read: a glossary.yaml is read only beside {used}",
    }
    found = [Path(folder) / name for folder in dirs or () for name in why]
    return [
        Problem(str(path), 1, why[path.name])
        for path in found
        if path.is_file() and path.parent != used.parent
    ]


def _foreign(r: YamlReader, raw: Any, at: YamlPath, glossary: Glossary) -> dict[str, tuple]:
    out: dict[str, tuple[tuple[Phrase, str], ...]] = {}
    for lang in _FOREIGN:
        value = raw.get(lang) if isinstance(raw, dict) else None
        value = {} if value is None else value
        if not isinstance(value, dict):
            r.problem((*at, lang), "expected a mapping of word -> English words")
            continue
        stop = glossary.stopwords.get(lang, frozenset())
        pairs = []
        for word, english in value.items():
            if not isinstance(word, str) or not isinstance(english, str) or not english.strip():
                r.problem((*at, lang, str(word)), "expected word: English words")
                continue
            pairs.append((r.phrase(word, lang, (*at, lang, word), stop), english))
        out[lang] = tuple(p for p in pairs if p[0])
    return out


def _entry(r: YamlReader, kind: str, raw: Any, at: YamlPath, glossary: Glossary) -> Entry | None:
    if not isinstance(raw, dict):
        r.problem(at, "expected a mapping with id, name and aliases")
        return None
    for key in sorted(set(raw) - _ENTRY_KEYS):
        r.problem((*at, key), f"unknown key {key!r}")
    ident, name = raw.get("id"), raw.get("name")
    if not isinstance(ident, str) or not _ID.match(ident):
        r.problem((*at, "id"), "id must be lowercase letters, digits and hyphens")
        return None
    if not isinstance(name, str) or not name.strip():
        r.problem((*at, "name"), "name is required")
        return None
    aliases_raw = raw.get("aliases") or {}
    en = r.strings(
        aliases_raw.get("en", []) if isinstance(aliases_raw, dict) else None, (*at, "aliases", "en")
    )
    aliases = tuple(r.phrases(en, (*at, "aliases", "en")))
    together = tuple(
        tuple(r.phrases(r.strings(group, (*at, "together", i)), (*at, "together", i)))
        for i, group in enumerate(raw.get("together") or [])
    )
    year, names = _year(r, raw, at), _names(r, raw, at)
    if not aliases and not together:
        r.problem((*at, "aliases"), "at least one English alias is required")
    return Entry(
        kind=kind,
        id=ident,
        name=name.strip(),
        aliases=aliases,
        foreign=_foreign(r, aliases_raw, (*at, "aliases"), glossary),
        together=tuple(g for g in together if all(g)),
        role=raw.get("role"),
        place=raw.get("place"),
        year=year,
        date=str(raw["date"]) if raw.get("date") is not None else None,
        names=names,
    )


def _year(r: YamlReader, raw: dict, at: YamlPath) -> int | None:
    year = raw.get("year")
    if year is not None and not (isinstance(year, int) and 1900 < year < 2200):
        r.problem((*at, "year"), "year must be a four-digit year")
        return None
    return year


def _names(r: YamlReader, raw: dict, at: YamlPath) -> dict[str, str]:
    names = raw.get("names") or {}
    if not isinstance(names, dict):
        r.problem((*at, "names"), "expected a mapping of language -> name")
        return {}
    return {str(k): str(v) for k, v in names.items()}


def _roles(r: YamlReader, raw: Any) -> dict[str, Role]:
    if not isinstance(raw, dict) or not raw:
        r.problem(("roles",), "expected a mapping of role id -> name and terms")
        return {}
    roles = {}
    for ident, spec in raw.items():
        at: YamlPath = ("roles", ident)
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            r.problem(at, "expected name and terms")
            continue
        terms = [
            t for w in r.strings(spec.get("terms", []), (*at, "terms")) for t in tokenize(w, "en")
        ]
        names = _names(r, spec, at)
        roles[str(ident)] = Role(str(ident), spec["name"], tuple(dict.fromkeys(terms)), names)
    return roles


def _fold(word: str) -> str:
    return word.casefold().replace("ё", "е")


def _language(
    r: YamlReader, lang: str, raw: Any, stop: frozenset[str]
) -> tuple[dict[Phrase, str], frozenset[str]]:
    """One language's glossary: stemmed phrase -> English, and the words as listed.

    Two words under different English keys that stem alike are a problem: one would
    silently take the other's meaning.
    """
    table: dict[Phrase, str] = {}
    listed: set[str] = set()
    for english, words in (raw or {}).items():
        at: YamlPath = (lang, english)
        if not tokenize(str(english), "en"):
            r.problem(at, f"{english!r} has no searchable English word")
        for word in r.strings(words, at):
            if not is_cyrillic(word):
                r.problem(at, f"{word!r} is not Cyrillic")
            elif phrase := r.phrase(word, lang, at, stop):
                if table.get(phrase, english) != english:
                    r.problem(at, f"{word!r} stems like a word listed under {table[phrase]!r}")
                table[phrase] = str(english)
                listed.update(cyrillic_words(word))
    return table, frozenset(listed)


def _glossary(path: Path, problems: list[Problem]) -> Glossary:
    """Read the glossary file next to the taxonomy: uk/ru phrase -> English, stopwords."""
    r = YamlReader.read(path, "glossary")
    if r.data is None and r.problems:
        problems.extend(r.problems)
        return Glossary({}, {}, {})
    data = r.data if isinstance(r.data, dict) else {}
    if r.data is not None and not isinstance(r.data, dict):
        r.problem((), "expected a mapping with uk, ru and stopwords")
    stop_raw = data.get("stopwords") or {}
    stopwords = {
        lang: frozenset(_fold(w) for w in r.strings(stop_raw.get(lang, []), ("stopwords", lang)))
        for lang in _FOREIGN
    }
    phrases: dict[str, dict[Phrase, str]] = {}
    surfaces: dict[str, frozenset[str]] = {}
    for lang in _FOREIGN:
        phrases[lang], surfaces[lang] = _language(r, lang, data.get(lang), stopwords[lang])
    problems.extend(r.problems)
    return Glossary(phrases, stopwords, surfaces)


def _entries(
    r: YamlReader, glossary: Glossary, roles: dict[str, Role], places: dict
) -> list[Entry]:
    entries: list[Entry] = []
    for kind in KINDS:
        section = _SECTIONS[kind]
        raw = r.data.get(section)
        if not isinstance(raw, list) or not raw:
            r.problem((section,), f"expected a non-empty list of {section}")
            continue
        seen: set[str] = set()
        for i, item in enumerate(raw):
            entry = _entry(r, kind, item, (section, i), glossary)
            if entry is None:
                continue
            if entry.id in seen:
                r.problem((section, i, "id"), f"duplicate id {entry.id!r}")
            if kind == "stakeholder" and entry.role not in roles:
                r.problem(
                    (section, i, "role"),
                    f"unknown role {entry.role!r}; known: " + ", ".join(sorted(roles)),
                )
            if kind == "round" and entry.place is not None and entry.place not in places:
                r.problem((section, i, "place"), f"place {entry.place!r} is not under places")
            seen.add(entry.id)
            entries.append(entry)
    return entries


def _positions(r: YamlReader) -> tuple[list[Phrase], int, list[Phrase]]:
    raw = r.data.get("positions") or {}
    window = raw.get("window", 6) if isinstance(raw, dict) else 6
    if not isinstance(window, int) or not 1 <= window <= 20:
        r.problem(("positions", "window"), "window must be a whole number from 1 to 20")
        window = 6
    found = []
    for key in ("words", "ignore"):
        at: YamlPath = ("positions", key)
        found.append(
            r.phrases(r.strings(raw.get(key, []) if isinstance(raw, dict) else [], at), at)
        )
    return found[0], window, found[1]


def _read(path: Path | None) -> tuple[Taxonomy | None, list[Problem]]:
    path = Path(path) if path else default_taxonomy_path()
    r = YamlReader.read(path, "taxonomy")
    if not isinstance(r.data, dict):
        if r.data is not None or not r.problems:
            r.problem((), "expected a mapping with stakeholders, demands and rounds")
        return None, r.problems
    for key in sorted(set(r.data) - _TOP_KEYS - set(_SECTIONS.values())):
        r.problem((key,), f"unknown key {key!r}")
    problems: list[Problem] = []
    name = r.data.get("glossary")
    glossary = _glossary(path.parent / str(name), problems) if name else Glossary({}, {}, {})
    roles = _roles(r, r.data.get("roles"))
    places = r.data.get("places") or {}
    if not isinstance(places, dict):
        r.problem(("places",), "expected a mapping of place -> {uk, ru}")
        places = {}
    entries = _entries(r, glossary, roles, places)
    position_words, window, ignore = _positions(r)
    outcome, generic = (_word_list(r, key) for key in ("outcome_words", "generic_words"))
    problems = r.problems + problems
    taxonomy = Taxonomy(
        entries,
        roles,
        position_words,
        window,
        ignore,
        outcome,
        {str(k): dict(v or {}) for k, v in places.items()},
        glossary,
        generic,
    )
    return (None if problems else taxonomy), problems


def _word_list(r: YamlReader, key: str) -> tuple[str, ...]:
    """The distinct English stems of the top-level word list ``key``."""
    words = r.strings(r.data.get(key, []), (key,))
    return tuple(dict.fromkeys(t for w in words for t in tokenize(w, "en")))


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read and validate the taxonomy at ``path`` (default: the shipped file).

    Raises:
        KnowledgeError: the taxonomy or its glossary has problems; every one is listed.
    """
    taxonomy, problems = _read(path)
    if taxonomy is None:
        raise KnowledgeError(problems)
    return taxonomy


def check_taxonomy(path: Path | None = None) -> list[Problem]:
    """Every problem of the taxonomy at ``path`` (and its glossary) as ``path:line: message``."""
    return _read(path)[1]
