"""Outside check of the tokenizer and BM25 on a BEIR data set (e.g. SciFact): nDCG@10.

    python tools/beir_check.py ../shared/ir/scifact

Reads corpus.jsonl, queries.jsonl and qrels/test.tsv; indexes "title text" of every document
with the product's tokenizer and exact BM25, and prints nDCG@10 and recall@100 over the test
queries, next to the same BM25 with a plain lowercase split (no stopwords, no stemming) as a
baseline. The data set is read for evaluation only; nothing of it is stored.
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

from knowledge.index import BM25Index
from knowledge.language.tokenize import tokenize


def ndcg_at_k(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain of ``ranked`` ids at ``k``."""
    dcg = sum(relevant.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def plain(text: str) -> list[str]:
    """Baseline tokens: lowercase word characters."""
    return re.findall(r"\w+", text.lower())


def main(folder: Path) -> None:
    """Print nDCG@10 and recall@100 for the product tokenizer and the baseline."""
    docs = [json.loads(line) for line in (folder / "corpus.jsonl").open(encoding="utf-8")]
    queries = {
        q["_id"]: q["text"]
        for q in map(json.loads, (folder / "queries.jsonl").open(encoding="utf-8"))
    }
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with (folder / "qrels" / "test.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            qrels[row["query-id"]][row["corpus-id"]] = int(row["score"])
    ids = [d["_id"] for d in docs]
    for name, tok in (("product tokenizer", tokenize), ("plain lowercase", plain)):
        index = BM25Index.build([tok(f"{d['title']} {d['text']}") for d in docs])
        ndcg, recall = [], []
        for qid, rel in qrels.items():
            ranked = [ids[h.row] for h in index.search(tok(queries[qid]), 100)]
            ndcg.append(ndcg_at_k(ranked, rel))
            recall.append(len(set(ranked) & rel.keys()) / len(rel))
        n = len(ndcg)
        print(f"{name:<18} nDCG@10 {sum(ndcg) / n:.4f}  recall@100 {sum(recall) / n:.4f}  ({n})")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/ir/scifact"))
