"""A BEIR data set (e.g. SciFact) asked through the full `ask` path: nDCG@10 and share refused.

    python -m bench.beir ../shared/ir/scifact [--kb DIR] [--ablate] [--without F1,F2]

Each document becomes a knowledge file (``ID.md`` with a ``title`` front matter) in ``--kb``
(written once; default ``../scifact_kb``, outside the repository: the data set is for
evaluation only and never committed). The folder is loaded as an operator's knowledge folder
(snapshot cached in ``--cache``), and every test query goes through ``Knowledge.ask``, as
``python -m bot ask --json --top 30`` would (every result a user can page to); the first 10
distinct source ids cited, in order, are scored against the qrels (a source often has several
passages among the results). ``--ablate`` prints one row per ranking feature switched off.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import yaml

from knowledge.answer import Knowledge
from knowledge.decision import MINILM_SIMILARITY, with_similarity
from knowledge.features import FEATURES, PRODUCT, RankingOptions
from knowledge.snapshot import load_cached

TOP = 10
PAGES = 30  # results asked for: how deep a user can page (knowledge.answer.MAX_RESULTS)
DONE = ".complete"  # marks a fully written knowledge folder


def ndcg_at_k(ranked: Sequence[str], relevant: dict[str, int], k: int = TOP) -> float:
    """Normalised discounted cumulative gain of ``ranked`` ids at ``k``."""
    dcg = sum(relevant.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def write_kb(data: Path, kb: Path) -> None:
    """Write every document of ``data/corpus.jsonl`` as ``kb/ID.md`` (once)."""
    if (kb / DONE).exists():
        return
    kb.mkdir(parents=True, exist_ok=True)
    with (data / "corpus.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            head = yaml.safe_dump({"title": doc.get("title") or doc["_id"]}, allow_unicode=True)
            body = f"---\n{head}---\n{doc['text']}\n"
            (kb / f"{doc['_id']}.md").write_text(body, encoding="utf-8")
    (kb / DONE).write_text("", encoding="utf-8")


def read_queries(data: Path, split: str) -> list[tuple[str, str, dict[str, int]]]:
    """(query id, text, relevant doc id -> grade) of every query in the qrels of ``split``."""
    with (data / "queries.jsonl").open(encoding="utf-8") as lines:
        texts = {q["_id"]: q["text"] for q in map(json.loads, lines)}
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with (data / "qrels" / f"{split}.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            qrels[row["query-id"]][row["corpus-id"]] = int(row["score"])
    return [(qid, texts[qid], rel) for qid, rel in qrels.items()]


def run(knowledge: Knowledge, queries: Sequence[tuple[str, str, dict[str, int]]]) -> dict:
    """nDCG@10, recall@10, share refused and p95 latency (ms) over ``queries``."""
    ndcg, recall, refused, took = [], [], 0, []
    for _, text, relevant in queries:
        started = time.perf_counter()
        answer = knowledge.ask(text, top=PAGES)
        took.append((time.perf_counter() - started) * 1000)
        refused += not answer.answered
        ranked = list(dict.fromkeys(e.source.id for e in answer.excerpts))
        ndcg.append(ndcg_at_k(ranked, relevant))
        recall.append(len(set(ranked[:TOP]) & relevant.keys()) / len(relevant))
    n = len(queries) or 1
    took.sort()
    return {
        "ndcg@10": sum(ndcg) / n,
        "recall@10": sum(recall) / n,
        "refused": refused / n,
        "p95_ms": took[int(0.95 * (len(took) - 1))] if took else 0.0,
    }


def configurations(ablate: bool, base: RankingOptions) -> list[tuple[str, RankingOptions]]:
    """The configurations to measure: ``base``, or every ablation of it."""
    if not ablate:
        return [("base" if base != PRODUCT else "full", base)]
    from knowledge.ablation import configurations as every

    return every(base)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, load the knowledge folder, print one line per configuration."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="BEIR folder: corpus.jsonl, queries.jsonl, qrels/")
    parser.add_argument("--kb", type=Path, default=Path("../scifact_kb"))
    parser.add_argument("--cache", type=Path, default=Path("../scifact_cache"))
    parser.add_argument("--split", default="test")
    parser.add_argument("--ablate", action="store_true")
    parser.add_argument("--without", default="", help=f"features off: {', '.join(FEATURES)}")
    parser.add_argument("--semantic", help="a sentence-embedding model (name or folder) to add")
    parser.add_argument("--min-similarity", type=float, default=MINILM_SIMILARITY)
    args = parser.parse_args(argv)
    write_kb(args.data, args.kb)
    started = time.perf_counter()
    knowledge = load_cached([args.kb], args.cache)
    if args.semantic:
        from knowledge.semantic import attach_semantic

        knowledge = attach_semantic(knowledge, args.semantic, args.cache, ("en",))
        knowledge = knowledge.with_thresholds(with_similarity(args.min_similarity))
    print(f"loaded {len(knowledge.passages)} passages in {time.perf_counter() - started:.1f} s")
    base = PRODUCT
    for feature in filter(None, args.without.split(",")):
        base = base.without(feature.strip())
    queries = read_queries(args.data, args.split)
    print(f"{'configuration':<16}{'nDCG@10':>9}{'R@10':>8}{'refused':>9}{'p95 ms':>8}")
    for name, options in configurations(args.ablate, base):
        m = run(knowledge.with_options(options), queries)
        print(
            f"{name:<16}{m['ndcg@10']:>9.4f}{m['recall@10']:>8.4f}"
            f"{m['refused']:>9.3f}{m['p95_ms']:>8.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
