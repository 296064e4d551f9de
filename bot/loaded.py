"""The knowledge as the bot serves it: the index, its version, its passages' button keys."""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

import knowledge
from bot.config import SemanticConfig
from knowledge.decision import with_similarity
from knowledge.language.frequency import load_word_lists
from knowledge.passage_table import passage_refs
from knowledge.semantic import attach_semantic, find_precedents
from knowledge.snapshot import FILE_NAME as SNAPSHOT_FILE
from knowledge.snapshot import open_cached, open_saved, snapshot_key

__all__ = ["Loaded", "PassageKeys"]

VERSION_DIGITS = 12  # of the snapshot key, shown as the index version
KEY_DIGITS = 16  # hex digits of a passage key (``Passage.ref``)


@dataclass(frozen=True, slots=True, eq=False)
class PassageKeys:
    """Every passage's button key (``passage_key``, its ``ref``) as a number, sorted."""

    refs: np.ndarray  # uint64[n], ascending
    rows: np.ndarray  # int64[n]: the passage row of each of ``refs``

    @classmethod
    def of(cls, passages: Sequence[knowledge.Passage]) -> PassageKeys:
        """The keys of ``passages``, computed from their columns (no passage is made)."""
        refs = passage_refs(passages)
        rows = np.argsort(refs, kind="stable")
        return cls(refs[rows], rows)

    def row(self, key: str) -> int | None:
        """The row of the passage whose key is ``key``, if any."""
        if len(key) != KEY_DIGITS or key.strip(string.hexdigits):
            return None
        at = int(np.searchsorted(self.refs, np.uint64(int(key, 16))))
        found = at < len(self.refs) and int(self.refs[at]) == int(key, 16)
        return int(self.rows[at]) if found else None


@dataclass(frozen=True, slots=True)
class Loaded:
    """The loaded (immutable) knowledge and the button keys of its passages."""

    knowledge: knowledge.Knowledge
    keys: PassageKeys  # passage_key(passage) -> its row, for "Source" buttons
    version: str = ""  # the snapshot key's start: changes with any file, the taxonomy or code
    reused: bool = False  # True when read from the saved snapshot rather than built
    # the files' problems when this is the last index that loaded, serving in their place
    problems: tuple[knowledge.Problem, ...] = ()

    @classmethod
    def load(cls, dirs: tuple[Path, ...], cache_dir: Path | None = None) -> Loaded:
        """Load and index ``dirs`` (blocking; raises KnowledgeError).

        With ``cache_dir``, a snapshot saved there is reused when the files are unchanged, and
        a fresh build is saved there (``knowledge.snapshot.open_cached``).
        """
        if cache_dir is None:
            loaded, key, reused = knowledge.load(dirs), snapshot_key(dirs), False
        else:
            cached = open_cached(dirs, cache_dir)
            loaded, key, reused = cached.knowledge, cached.key, cached.reused
        load_word_lists()  # the bot's first answer should not wait for them
        return cls(loaded, PassageKeys.of(loaded.passages), key[:VERSION_DIGITS], reused)

    @classmethod
    def last_good(
        cls, dirs: tuple[Path, ...], cache_dir: Path, problems: tuple[knowledge.Problem, ...]
    ) -> Loaded | None:
        """The last index that loaded, saved in ``cache_dir``, to serve while the files have
        ``problems``; None when there is none (blocking)."""
        path = cache_dir / SNAPSHOT_FILE
        found = open_saved(path, dirs) if path.is_file() else None
        if found is None:
            return None
        load_word_lists()
        served = found.knowledge
        return cls(
            served, PassageKeys.of(served.passages), found.key[:VERSION_DIGITS], True, problems
        )

    @property
    def is_last_good(self) -> bool:
        """True while this is the last index that loaded, serving in place of bad files."""
        return bool(self.problems)

    def with_semantic(
        self,
        semantic: SemanticConfig,
        cache_dir: Path | None,
        previous: Loaded | None = None,
        dirs: Sequence[Path] | None = None,
    ) -> Loaded:
        """This knowledge with the configured semantic stage, if any loads (blocking).

        Passage vectors are read from ``cache_dir`` when saved there for this model and
        these passages, else computed and saved there; any failure leaves BM25 alone. The
        ``previous`` knowledge's model is reused when it is the same. The tuning questions
        are those of the knowledge folders ``dirs`` (`find_precedents`).
        """
        stage = previous.knowledge.semantic if previous else None
        fused = attach_semantic(
            self.knowledge,
            semantic.model,
            cache_dir,
            semantic.languages,
            reuse=stage.embedder if stage else None,
            precedents=find_precedents(dirs),
        )
        if fused is self.knowledge:
            return self
        fused = fused.with_thresholds(with_similarity(semantic.min_similarity))
        return replace(self, knowledge=fused)

    def passage(self, key: str) -> knowledge.Passage | None:
        """The passage behind a "Source" button key."""
        row = self.keys.row(key)
        return None if row is None else self.knowledge.passages[row]
