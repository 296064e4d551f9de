"""Fast start: a built ``Knowledge`` saved under the bot's storage, keyed by what it depends on.

The key is a sha256 of the knowledge files (name, size, modification time), the shipped
data and the core's own code (content) and the BM25 parameters, so any change that could
alter the result rebuilds. The snapshot is one ``.npz`` of plain arrays (see
``knowledge.store``): source and passage texts as one UTF-8 blob with byte offsets,
passage tokens as term ids of the index vocabulary, the impact matrix, and JSON (a small
header with the key, then the body). Loading never unpickles.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.answer import Knowledge
from knowledge.associations import find_associations, load_associations
from knowledge.blob import release
from knowledge.expansions import find_expansions, load_expansions
from knowledge.index import BM25Params, PassageTerms
from knowledge.loading import default_dirs, load
from knowledge.models import Source
from knowledge.passage_table import PassageTable, as_table
from knowledge.precedents import Precedents
from knowledge.query import load_synonyms
from knowledge.source_table import SourceTable, as_source_table
from knowledge.store import (
    INDEX_ARRAYS,
    Joined,
    OtherFormat,
    StoreError,
    decode_header,
    encode_header,
    fingerprint,
    index_from_parts,
    index_parts,
    read_arrays,
    remove_leftovers,
    save_arrays,
)
from knowledge.taxonomy.loader import find_taxonomy, load_taxonomy
from knowledge.titles import SourceTitles

logger = logging.getLogger(__name__)

KIND = "knowledge"
PRECEDENT = "precedent_"  # the prefix of the precedents' arrays
FILE_NAME = "knowledge.npz"
ARRAYS = (
    *INDEX_ARRAYS,
    "body",
    "text",
    "text_offsets",
    "tag_set",
    "source_chars",
    "doc_terms",
    "doc_offsets",
    "title_terms",
    "title_offsets",
)
PRECEDENT_INDEXES = ("answered", "asked")  # `Precedents`' two indexes
PRECEDENT_ARRAYS = (
    f"{PRECEDENT}rows",
    f"{PRECEDENT}sentences",
    *(f"{PRECEDENT}{which}_{name}" for which in PRECEDENT_INDEXES for name in INDEX_ARRAYS),
)


def folder_files(dirs: Sequence[Path]) -> list[str]:
    """The visible files of the knowledge folders (sources, sidecars, a taxonomy).

    Saved ``.npz`` files are left out, so a cache kept inside a knowledge folder does not
    invalidate itself.
    """
    found: list[str] = []
    for folder in dirs:
        if Path(folder).is_dir():
            with os.scandir(folder) as entries:  # names and types from the listing, no stat
                found += [
                    e.path
                    for e in entries
                    if e.name[0] != "." and not e.name.endswith(".npz") and e.is_file()
                ]
    return found


def code_files() -> list[Path]:
    """The core's code and shipped data: a change there may change any snapshot."""
    package = Path(str(resources.files("knowledge")))
    found = [*package.rglob("*.py"), *(package / "data").rglob("*")]
    return [p for p in found if p.is_file() and "__pycache__" not in p.parts]


def snapshot_key(dirs: Sequence[Path]) -> str:
    """The fingerprint a snapshot of ``dirs`` must carry to be used."""
    return fingerprint(code_files(), BM25Params(), extra=KIND, stat_files=folder_files(dirs))


def check_offsets(offsets: np.ndarray, count: int, total: int, what: str) -> None:
    """StoreError unless ``offsets`` are ``count + 1`` ordered bounds from 0 to ``total``."""
    ok = offsets.ndim == 1 and len(offsets) == count + 1 and offsets.dtype.kind in "iu"
    if not (ok and offsets[0] == 0 and offsets[-1] == total and (np.diff(offsets) >= 0).all()):
        raise StoreError(f"inconsistent snapshot: {what} offsets out of order or range")


def save_snapshot(knowledge: Knowledge, path: Path, key: str) -> None:
    """Save ``knowledge`` at ``path`` (atomically) under ``key``; texts written as they lie."""
    index_header, arrays = index_parts(knowledge.index)
    table = as_table(knowledge.passages)  # columns and one text blob: no passage is made
    sources = as_source_table(knowledge.sources)  # rows and one text blob: nothing decoded
    tag_sets = list(dict.fromkeys(table.tags))  # each distinct set once
    numbers = {tags: n for n, tags in enumerate(tag_sets)}
    arrays["tag_set"] = np.array([numbers[t] for t in table.tags], dtype=np.int64)
    body = {
        "index": index_header,
        "sources": [asdict(s) | {"text": None} for s in sources.heads],
        "passages": {
            "id": list(table.ids),
            "source_id": list(table.source_ids),
            "position": list(table.positions),
            "section": list(table.sections),
        },
        "tag_sets": [sorted(tags) for tags in tag_sets],
        "title_vocabulary": knowledge.titles.vocabulary,
        "learned_words": sorted(knowledge.learned_words),  # the decision's: not found at start
        "out_of_scope": sorted(knowledge.out_of_scope),  # out_of_scope.yaml: not read at start
    }
    if knowledge.precedents is not None:  # the tuning questions: not read at start
        body["precedents"] = {}
        for which in PRECEDENT_INDEXES:
            header, parts = index_parts(getattr(knowledge.precedents, which))
            body["precedents"][which] = header
            arrays |= {f"{PRECEDENT}{which}_{name}": part for name, part in parts.items()}
        arrays[f"{PRECEDENT}rows"] = knowledge.precedents.rows
        arrays[f"{PRECEDENT}sentences"] = knowledge.precedents.sentences
    text = sources.blob
    arrays["text"] = Joined((text, table.blob))
    arrays["text_offsets"] = Joined((sources.starts, table.starts[1:] + len(text)))
    kept = knowledge.passage_terms  # the build's own term ids: nothing is tokenized again
    arrays |= {"doc_terms": kept.terms, "doc_offsets": kept.offsets}
    titled = knowledge.titles.terms  # the titles as term ids: not tokenized again at start
    arrays |= {"title_terms": titled.terms, "title_offsets": titled.offsets}
    arrays["source_chars"] = np.asarray(sources.chars, dtype=np.int64)
    arrays["body"] = encode_header(body)
    header = {"key": key, "precedents": knowledge.precedents is not None}
    save_arrays(Path(path), KIND, header, arrays)
    for blob in (text, table.blob):  # drop the pages of the texts read while writing
        release(blob)


_COLUMN_TYPES = {
    "id": {str},
    "source_id": {str},
    "position": {int},
    "section": {str, type(None)},
}


def _types(values: Iterable[Any]) -> set[type]:
    return set(map(type, values))  # one pass in C: far cheaper than isinstance per value


def check_rows(meta: list[dict[str, Any]], columns: dict[str, list[Any]], n: int) -> None:
    """StoreError unless the source and passage rows have the types `Source`/`Passage` need."""
    fields = (
        _types(meta) <= {dict}
        and _types(m.get("id") for m in meta) | _types(m.get("title") for m in meta) <= {str}
        and _types(chain.from_iterable(map(dict.values, meta))) <= {str, type(None)}
    )  # "text" is saved as None, so every value is a string or None
    typed = all(
        type(columns.get(k)) is list and len(columns[k]) == n and _types(columns[k]) <= t
        for k, t in _COLUMN_TYPES.items()
    )
    if not (fields and typed and len(set(columns["id"])) == n):
        raise StoreError("inconsistent snapshot: source or passage rows malformed")


def tag_table(raw: Any, numbers: np.ndarray, n: int) -> list[frozenset[str]]:
    """Each passage's tag set from the distinct sets and each passage's set number."""
    sets = raw if type(raw) is list and _types(raw) <= {list} else None
    if sets is None or not _types(chain.from_iterable(sets)) <= {str}:
        raise StoreError("inconsistent snapshot: tag sets malformed")
    ok = numbers.ndim == 1 and len(numbers) == n and numbers.dtype.kind in "iu"
    if not ok or (n and not (numbers.min() >= 0 and numbers.max() < len(sets))):
        raise StoreError("inconsistent snapshot: tag set numbers out of range")
    shared = [frozenset(tags) for tags in sets]
    return [shared[k] for k in numbers.tolist()]


CHAR_CHUNK = 1 << 24  # bytes of UTF-8 counted at once


def check_chars(blob: np.ndarray, sizes: np.ndarray, chars: np.ndarray, path: Path) -> None:
    """StoreError unless the character offsets fit the UTF-8 texts of ``sizes`` bytes each.

    Each text has 1 to 4 bytes a character, and all of them as many characters as bytes
    that do not continue a character (nothing is decoded).
    """
    lengths = np.diff(chars)
    total = sum(
        int(np.count_nonzero((blob[at : at + CHAR_CHUNK] & 0xC0) != 0x80))
        for at in range(0, len(blob), CHAR_CHUNK)
    )
    fits = ((lengths <= sizes) & (sizes <= 4 * lengths)).all()
    if not (fits and total == int(chars[-1])):
        raise StoreError(f"{path}: inconsistent snapshot: source text lengths do not fit")


def restore(arrays: dict[str, np.ndarray], path: Path, dirs: Sequence[Path] | None) -> Knowledge:
    """A Knowledge from a snapshot's arrays (taxonomy and synonyms read afresh)."""
    body = decode_header(arrays["body"])
    index = index_from_parts(body["index"], arrays, path)
    meta, columns, n = body["sources"], body["passages"], len(index)
    blob, starts = arrays["text"], arrays["text_offsets"]
    check_offsets(starts, len(meta) + n, len(blob), "text")
    check_rows(meta, columns, n)
    tags = tag_table(body["tag_sets"], arrays["tag_set"], n)
    terms, offsets = arrays["doc_terms"], arrays["doc_offsets"]
    check_offsets(offsets, n, len(terms), "passage token")
    if len(terms) and not (terms.min() >= 0 and terms.max() < len(index.vocabulary)):
        raise StoreError(f"{path}: inconsistent snapshot: term ids out of range")
    chars = arrays["source_chars"]
    check_offsets(chars, len(meta), int(chars[-1]) if len(chars) else 0, "source text")
    check_chars(blob[: int(starts[len(meta)])], np.diff(starts[: len(meta) + 1]), chars, path)
    heads = [Source(**(m | {"text": ""})) for m in meta]
    sources = SourceTable(heads, blob, starts[: len(meta) + 1], chars)
    if not set(columns["source_id"]) <= {s.id for s in heads}:
        raise StoreError(f"{path}: inconsistent snapshot: a passage of an unknown source")
    cols = (columns[k] for k in ("id", "source_id", "position", "section"))
    passages = PassageTable(*cols, tags, blob, starts[len(meta) :])
    taxonomy, synonyms = load_taxonomy(find_taxonomy(dirs)), load_synonyms()
    kept = PassageTerms(terms, offsets)
    titles = titles_of(body, arrays)
    return Knowledge(
        sources,
        passages,
        index,
        taxonomy,
        synonyms,
        kept,
        titles,
        load_associations(find_associations(dirs)),
        partial(load_expansions, find_expansions(dirs)),  # in the index: read if switched off
        body["out_of_scope"],
        body["learned_words"],
        precedents_of(body, arrays, n, path),
    )


def precedents_of(
    body: dict[str, Any], arrays: dict[str, np.ndarray], n: int, path: Path
) -> Precedents | None:
    """The saved `Precedents` (None when the snapshot has none); StoreError if they do not fit."""
    if "precedents" not in body:
        return None
    indexes = {}
    for which in PRECEDENT_INDEXES:
        prefix = f"{PRECEDENT}{which}_"
        parts = {k.removeprefix(prefix): v for k, v in arrays.items() if k.startswith(prefix)}
        indexes[which] = index_from_parts(body["precedents"][which], parts, path)
    rows, sentences = arrays[f"{PRECEDENT}rows"], arrays[f"{PRECEDENT}sentences"]
    fits = len(rows) == len(indexes["asked"]) and len(indexes["answered"]) <= len(rows)
    if not fits or (len(rows) and not -1 <= rows.min() <= rows.max() < n):
        raise StoreError(f"{path}: inconsistent snapshot: precedent rows do not fit")
    if len(sentences) != len(indexes["answered"]) or (len(sentences) and sentences.min() < -1):
        raise StoreError(f"{path}: inconsistent snapshot: precedent sentences do not fit")
    return Precedents(indexes["answered"], indexes["asked"], rows, sentences)


def titles_of(body: dict[str, Any], arrays: dict[str, np.ndarray]) -> SourceTitles:
    """The source titles index from its saved term ids (StoreError when inconsistent)."""
    vocabulary, terms = body.get("title_vocabulary"), arrays["title_terms"]
    offsets = arrays["title_offsets"]
    if type(vocabulary) is not list or not _types(vocabulary) <= {str}:
        raise StoreError("inconsistent snapshot: title vocabulary malformed")
    check_offsets(offsets, len(body["sources"]), len(terms), "title token")
    if len(terms) and not (terms.min() >= 0 and terms.max() < len(vocabulary)):
        raise StoreError("inconsistent snapshot: title term ids out of range")
    return SourceTitles.from_term_ids(vocabulary, PassageTerms(terms, offsets))


def load_snapshot(
    path: Path, key: str | None, dirs: Sequence[Path] | None = None
) -> Knowledge | None:
    """The snapshot at ``path`` if it was saved under ``key`` (any key: None), else None (the
    reason logged). Any key gives the last index that loaded, whatever the files are now."""
    try:
        header, _ = read_arrays(Path(path), KIND, names=())
        if key is not None and header.get("key") != key:
            logger.info("snapshot %s is stale: knowledge or code changed", path)
            return None
        names = (*ARRAYS, *PRECEDENT_ARRAYS) if header.get("precedents") else ARRAYS
        _, arrays = read_arrays(Path(path), KIND, names)
        return restore(arrays, Path(path), dirs)
    except OtherFormat as exc:  # saved by the code before an upgrade: expected, rebuilt
        logger.info("snapshot is stale: %s", exc)
    except StoreError as exc:  # corrupt or inconsistent: worth an operator's look
        reason = str(exc) if str(exc).startswith(str(path)) else f"{path}: {exc}"
        logger.warning("snapshot not used: %s", reason)
    except (KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
        logger.warning("snapshot not used: %s: inconsistent snapshot: %s", path, exc)
    return None


def open_saved(path: Path, dirs: Sequence[Path] | None = None) -> Cached | None:
    """The snapshot at ``path`` whatever the files are now (the last index that loaded), with
    the key it was saved under; None (the reason logged) when it cannot be used."""
    try:
        saved = read_arrays(Path(path), KIND, names=())[0].get("key")
    except StoreError:
        saved = None  # load_snapshot reads it again and logs why
    key = saved if isinstance(saved, str) else None
    found = load_snapshot(path, key, dirs)  # the same key: a snapshot replaced meanwhile is not
    return None if found is None else Cached(found, key or "", reused=True)


def load_cached(dirs: Sequence[Path] | None, cache_dir: Path, save: bool = True) -> Knowledge:
    """``knowledge.load(dirs)``, from the snapshot in ``cache_dir`` when it is current.

    On a miss the knowledge is built (raising KnowledgeError as ``load`` does) and, with
    ``save``, saved.
    """
    return open_cached(dirs, cache_dir, save).knowledge


@dataclass(frozen=True, slots=True)
class Cached:
    """What :func:`open_cached` loaded, under which snapshot key, and whether it was reused."""

    knowledge: Knowledge
    key: str  # the snapshot key: changes with any knowledge file, the taxonomy or the code
    reused: bool  # True: read from the saved snapshot; False: built (and saved)


def open_cached(dirs: Sequence[Path] | None, cache_dir: Path, save: bool = True) -> Cached:
    """As :func:`load_cached`, saying whether the saved snapshot was reused."""
    resolved = [Path(d) for d in dirs] if dirs else list(default_dirs())
    key, path = snapshot_key(resolved), Path(cache_dir) / FILE_NAME
    remove_leftovers(path)
    knowledge = load_snapshot(path, key, dirs) if path.is_file() else None
    if knowledge is not None:
        logger.debug("knowledge loaded from the snapshot %s", path)
        return Cached(knowledge, key, reused=True)
    knowledge = load(dirs)
    if not save:
        return Cached(knowledge, key, reused=False)
    try:
        save_snapshot(knowledge, path, key)
        logger.debug("knowledge built and saved to the snapshot %s", path)
    except OSError as exc:
        logger.warning("could not save the knowledge snapshot %s: %s", path, exc)
    return Cached(knowledge, key, reused=False)
