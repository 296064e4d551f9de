"""The optional semantic stage: sentence embeddings fused with BM25 (the ``semantic`` extra).

Importing this package never imports the embedding library; a model is loaded only when
one is configured (``search.semantic.model``).
"""

from knowledge.semantic.embedder import (
    Embedder,
    FastEmbedder,
    SemanticUnavailable,
    load_embedder,
    model_identity,
)
from knowledge.semantic.fusion import LEXICAL_WEIGHT, blend
from knowledge.semantic.precedents import find_precedents
from knowledge.semantic.stage import (
    LANGUAGES,
    SemanticMatch,
    SemanticStage,
    attach_semantic,
    build_stage,
    semantic_problem,
)

__all__ = [
    "LANGUAGES",
    "LEXICAL_WEIGHT",
    "Embedder",
    "FastEmbedder",
    "SemanticMatch",
    "SemanticStage",
    "SemanticUnavailable",
    "attach_semantic",
    "blend",
    "build_stage",
    "find_precedents",
    "load_embedder",
    "model_identity",
    "semantic_problem",
]
