"""A tiny sentence-embedding model written to a folder inside a test: no download, no weights.

The model is an ONNX graph with one ``Gather``: each token id looks up a row of a small
embedding table, so the embedding of a text (mean-pooled, then normalised by the loader) is
the average of its words' rows. Words that share a "topic" share a row direction, so the
model is small, deterministic and still meaningful: "truce" is close to "ceasefire".
The tokenizer is a ``tokenizers`` WordLevel model (lower-cased, split on whitespace and
punctuation) saved as ``tokenizer.json`` with the config files a loader expects.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]")

# topic -> words that mean it; every word of a topic gets (almost) the same row
TOPICS: Mapping[str, Sequence[str]] = {
    "truce": ("ceasefire", "truce", "armistice", "halt", "fighting"),
    "mediation": ("mediator", "mediators", "mediates", "broker", "brokered", "turkey"),
    "prisoners": ("prisoner", "prisoners", "exchange", "swap", "captives"),
    "territory": ("territory", "land", "crimea", "donbas", "border"),
    "weather": ("rain", "sunny", "weather", "forecast"),
}


def vocabulary() -> list[str]:
    """Special tokens, then every topic word, then a few filler words."""
    words = [w for topic in TOPICS.values() for w in topic]
    return [*SPECIAL, *words, "the", "a", "of", "who", "what", "is", "about"]


def embedding_table(dim: int = 8, seed: int = 0) -> np.ndarray:
    """float32[vocab, dim]: one direction per topic, a small per-word jitter, filler near 0."""
    rng = np.random.default_rng(seed)
    vocab = vocabulary()
    table = rng.normal(0.0, 0.05, size=(len(vocab), dim)).astype(np.float32)
    for t, words in enumerate(TOPICS.values()):
        for word in words:
            table[vocab.index(word), t % dim] += 1.0
    return table


def write_onnx(path: Path, table: np.ndarray) -> None:
    """An ONNX graph: (input_ids, attention_mask, token_type_ids) -> last_hidden_state."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    inputs = [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"])
        for name in ("input_ids", "attention_mask", "token_type_ids")
    ]
    output = helper.make_tensor_value_info(
        "last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", table.shape[1]]
    )
    weights = numpy_helper.from_array(table, name="embeddings")
    gather = helper.make_node("Gather", ["embeddings", "input_ids"], ["last_hidden_state"])
    graph = helper.make_graph([gather], "tiny", inputs, [output], initializer=[weights])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def write_tokenizer(folder: Path) -> None:
    """``tokenizer.json`` (WordLevel) and the config files a sentence-transformers dir has."""
    from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import WordLevel

    vocab = {word: i for i, word in enumerate(vocabulary())}
    tokenizer = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    tokenizer.save(str(folder / "tokenizer.json"))
    config = {"pad_token": "[PAD]", "unk_token": "[UNK]", "model_max_length": 64}
    (folder / "tokenizer_config.json").write_text(json.dumps(config))
    specials = {"pad_token": "[PAD]", "unk_token": "[UNK]", "cls_token": "[CLS]"}
    (folder / "special_tokens_map.json").write_text(json.dumps(specials | {"sep_token": "[SEP]"}))


def write_tiny_model(folder: Path, dim: int = 8, seed: int = 0) -> Path:
    """Write the whole model folder (``model.onnx``, tokenizer, configs); return ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    table = embedding_table(dim, seed)
    write_onnx(folder / "model.onnx", table)
    write_tokenizer(folder)
    (folder / "config.json").write_text(json.dumps({"hidden_size": dim, "pad_token_id": 0}))
    pooling = folder / "1_Pooling"
    pooling.mkdir(exist_ok=True)
    mean = {"word_embedding_dimension": dim, "pooling_mode_mean_tokens": True}
    (pooling / "config.json").write_text(json.dumps(mean))
    return folder
