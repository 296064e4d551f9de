"""A BEIR folder asked through the full `ask` path: nDCG@10 and the share refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.beir import main, ndcg_at_k, read_queries, write_kb

DOCS = {
    "d1": ("Ceasefire monitors", "Observers monitored the ceasefire line along the front."),
    "d2": ("Prisoner exchange", "The sides agreed a prisoner exchange in Istanbul."),
    "d3": ("Grain exports", "Ships carried grain from Odesa under a separate deal."),
}


def beir_folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "qrels").mkdir(parents=True)
    with (data / "corpus.jsonl").open("w", encoding="utf-8") as f:
        for doc_id, (title, text) in DOCS.items():
            f.write(json.dumps({"_id": doc_id, "title": title, "text": text}) + "\n")
    queries = {"q1": "who monitored the ceasefire line", "q2": "prisoner exchange in Istanbul"}
    with (data / "queries.jsonl").open("w", encoding="utf-8") as f:
        for qid, text in queries.items():
            f.write(json.dumps({"_id": qid, "text": text}) + "\n")
    (data / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n", encoding="utf-8"
    )
    return data


def test_ndcg_counts_rank_and_grade():
    assert ndcg_at_k(["a", "b"], {"a": 1}) == 1.0
    assert ndcg_at_k(["b", "a"], {"a": 1}) == pytest.approx(1 / 1.584962500721156)
    assert ndcg_at_k([], {"a": 1}) == 0.0


def test_documents_become_knowledge_files_once(tmp_path):
    data, kb = beir_folder(tmp_path), tmp_path / "kb"
    write_kb(data, kb)
    assert (kb / "d2.md").read_text(encoding="utf-8").startswith("---\ntitle: Prisoner exchange\n")
    (kb / "d2.md").unlink()
    write_kb(data, kb)  # already complete: not rewritten
    assert not (kb / "d2.md").exists()
    assert [q for q, _, _ in read_queries(data, "test")] == ["q1", "q2"]


def test_every_query_is_asked_and_scored(tmp_path, capsys):
    data = beir_folder(tmp_path)
    args = [str(data), "--kb", str(tmp_path / "kb"), "--cache", str(tmp_path / "cache")]
    assert main(args) == 0
    row = capsys.readouterr().out.splitlines()[-1].split()
    assert row[0] == "full" and float(row[1]) == 1.0 and float(row[3]) == 0.0  # nDCG, refused
