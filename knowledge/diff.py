"""What a reload changed: sources added, removed or edited, and whether the taxonomy did."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from knowledge.taxonomy.model import Taxonomy

__all__ = ["KnowledgeDiff", "knowledge_diff", "taxonomy_digest"]


@dataclass(frozen=True, slots=True)
class KnowledgeDiff:
    """What changed between two loads, by source id."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    sources: int
    passages: int
    taxonomy: bool = False  # the taxonomy or its glossary changed

    @property
    def unchanged(self) -> bool:
        """True when no source was added, removed or changed, nor the taxonomy."""
        return not (self.added or self.removed or self.changed or self.taxonomy)


def knowledge_diff(
    before: Mapping[str, str], after: Mapping[str, str], sources: int, passages: int
) -> KnowledgeDiff:
    """What changed between two loads, from each one's source id -> digest."""
    return KnowledgeDiff(
        added=tuple(sorted(after.keys() - before.keys())),
        removed=tuple(sorted(before.keys() - after.keys())),
        changed=tuple(sorted(i for i in after.keys() & before.keys() if after[i] != before[i])),
        sources=sources,
        passages=passages,
    )


def taxonomy_digest(taxonomy: Taxonomy | None) -> str:
    """A fingerprint of what a taxonomy says (entries, roles, glossary)."""
    content = repr((taxonomy.entries, taxonomy.roles, taxonomy.glossary)) if taxonomy else ""
    return hashlib.sha256(content.encode()).hexdigest()
