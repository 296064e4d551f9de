"""SPEC §1 and §4 as an outside tool sees them: `python -m bot` run from a fresh folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import run_cli, run_module


@pytest.fixture(autouse=True)
def _fresh_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("{id: a, expect: graceful, generate: {repeat: 'ab ', times: [1]}}", "generate must be"),
        ("{id: a, expect: graceful, generate: {repeat: 'ab ', times: many}}", "generate must be"),
        ("{id: a, expect: graceful, generate: {repeat: 'ab ', times: -1}}", "generate must be"),
        ("{id: a, expect: graceful, generate: {repeat: 'ab ', times: 9999999}}", "at most"),
        ("{id: a, expect: graceful, generate: peace}", "generate must be"),
        ("{id: a, question: [minsk, 2015], expect: graceful}", "question must be text"),
        ("{id: a, question: minsk, expect: answer, evidence: [[Minsk]]}", "evidence must be"),
        ("{id: a, question: minsk, expect: answer, evidence: {Minsk: 1}}", "evidence must be"),
    ],
)
def test_eval_refuses_an_invalid_question_set_with_exit_2_naming_the_item(
    tmp_path: Path, item: str, message: str
) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(f"- {item}\n", encoding="utf-8")
    result = run_cli("eval", str(questions))
    assert result.code == 2, result.out
    assert result.err.startswith(f"{questions}: item 1: ") and message in result.err


@pytest.mark.parametrize("text", ["[]\n", "# nothing yet\n"])
def test_eval_refuses_a_question_set_with_no_question(tmp_path: Path, text: str) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(text, encoding="utf-8")
    result = run_cli("eval", str(questions))
    assert result.code == 2 and "n/a" not in result.out
    assert result.err.strip() == f"{questions}: a question set is a YAML list of one or more items"


def test_eval_of_an_invalid_generate_exits_2_without_a_traceback(tmp_path: Path) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text("- {id: a, expect: graceful, generate: {repeat: x, times: [1]}}\n")
    result = run_module("eval", str(questions), cwd=tmp_path)
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.strip() == (
        f"{questions}: item 1: generate must be {{repeat: TEXT, times: N}}, "
        "N a whole number from 0, at most 1,000,000 characters in all"
    )


def test_eval_reads_scalar_questions_and_phrases_as_text(tmp_path: Path) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(
        "- {id: a, question: minsk 2015, expect: answer, evidence: Minsk II agreement in 2015}\n"
        "- {id: b, question: 2015, expect: graceful}\n"
        "- {id: c, question: x, expect: graceful, generate: {repeat: 'peace ', times: 0}}\n"
        "- {id: d, question: x, expect: no_answer, evidence: []}\n",
        encoding="utf-8",
    )
    result = run_cli("eval", "--json", str(questions))
    assert result.code == 0, result.err
    assert result.json["metrics"]["hit@3"] == 1.0
    assert result.json["metrics"]["graceful_rate"] == 1.0


@pytest.mark.parametrize("kind", ["broken link", "folder"])
def test_an_unreadable_config_yaml_in_the_folder_exits_2_not_defaults(
    tmp_path: Path, kind: str
) -> None:
    config = tmp_path / "config.yaml"
    if kind == "folder":
        config.mkdir()
    else:
        config.symlink_to(tmp_path / "moved-away.yaml")
    result = run_module("ask", "minsk", cwd=tmp_path)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(f"{config}: (file): cannot read file: ")
    assert len(result.err.splitlines()) == 1


def test_a_txt_source_in_capitals_takes_its_sidecar_and_is_no_orphan(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "Report.TXT").write_text("Envoys met in Doha about grain.\n", encoding="utf-8")
    (folder / "Report.meta.yaml").write_text(
        "title: Doha grain talks\npublisher: Wire\npublished: 2025-03-04\n", encoding="utf-8"
    )
    config = tmp_path / "c.yaml"
    config.write_text(f"knowledge:\n  dirs: [{folder}]\n", encoding="utf-8")
    checked = run_cli("check", "--config", str(config))
    assert (checked.code, checked.out) == (0, "ok: 1 sources, 1 passages\n")
    result = run_cli("ask", "--json", "--config", str(config), "envoys doha grain").json
    (hit,) = result["results"][:1]
    assert (hit["source_id"], hit["title"], hit["publisher"], hit["published"]) == (
        "Report",
        "Doha grain talks",
        "Wire",
        "2025-03-04",
    )


def test_module_bench_prints_the_table_spec_section_5_asks_for(tmp_path: Path) -> None:
    """`python -m bot bench` measures in spawned child processes: run it as a process too."""
    args = ("--sizes", "300", "--queries", "5", "--naive-budget", "1")
    result = run_module("bench", *args, "--engines", "product,rank_bm25", cwd=tmp_path)
    assert result.code == 0, result.err
    head, *rows = result.out.splitlines()
    assert head.split()[:5] == ["size", "engine", "build", "s", "corpus"]
    assert {"peak", "p50", "p95", "top10="} <= set(head.split())
    assert [row.split()[:2] for row in rows[:2]] == [["300", "product"], ["300", "rank_bm25"]]
    assert rows[0].split()[-2] == "1.000"  # top-10 identical to rank-bm25 for every query
    assert any(line.startswith("300: rank_bm25 / product: p50 ") for line in rows)


def test_check_names_a_knowledge_folder_that_is_a_file_as_such(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("a file, not a folder of sources", encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text("knowledge:\n  dirs: [notes]\n", encoding="utf-8")
    result = run_cli("check", "--config", str(config))
    assert result.code == 2  # a config value that cannot work: `file: key: what is wrong`
    assert result.err.strip() == (
        f"{config}: knowledge.dirs[0]: {tmp_path / 'notes'} is a file, not a folder"
    )
    config.write_text("knowledge:\n  dirs: [gone]\n", encoding="utf-8")
    result = run_cli("check", "--config", str(config))
    assert result.code == 1
    assert result.out.splitlines() == [f"{tmp_path / 'gone'}:1: knowledge folder does not exist"]


def test_ask_on_a_terminal_that_cannot_write_cyrillic_escapes_it_without_a_traceback(
    tmp_path: Path,
) -> None:
    result = run_module(
        "ask", "Чого вимагає Росія?", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"}
    )
    assert result.code == 0 and "Traceback" not in result.err
    assert "\\u0414\\u0436\\u0435\\u0440\\u0435\\u043b\\u0430" in result.out  # "Джерела"
    assert "Russia" in result.out
